"""Roster benchmark: seeded weeks S, M, L, each with a time limit and 2 CP-SAT workers.

  .venv/bin/python bench/roster.py [S M L] [--time-limit S]

For each: time to the first roster, time to the best, shortfall, counsellor-hours on the line
and rostered shift-hours against a covering lower bound (the fewest shift-hours, 4-8 h on the
half hour, that put the requirement on the line with no person rules; CP-SAT, run here on the
same requirement), and whether the validator finds any hard rule broken. Writes
bench/results/roster.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduling.roster.cli import SAMPLES
from scheduling.roster.decompose import cover
from scheduling.roster.demo import demo_instance
from scheduling.roster.samples import synthetic_instance
from scheduling.roster.solve import solve
from scheduling.roster.validate import validate
from scheduling.roster.week import Week

DEMO_WEEK = date(2026, 11, 23)
CASES = {
    # the demo-like week: ~10 staff, 09:00-17:00 x 7, 30-minute intervals
    "S": dict(
        staff=10,
        open_minutes=(540, 1020),
        interval=30,
        base=2,
        peak=4,
        supervisors=2,
        lawyers=1,
        seed=1,
        time_limit=20,
    ),
    # 24/7, 15-minute intervals
    "M": dict(
        staff=60,
        open_minutes=(0, 1440),
        interval=15,
        base=3,
        peak=11,
        supervisors=8,
        lawyers=0,
        seed=2,
        time_limit=60,
    ),
    "L": dict(
        staff=300,
        open_minutes=(0, 1440),
        interval=15,
        base=15,
        peak=55,
        supervisors=30,
        lawyers=0,
        seed=3,
        time_limit=60,
    ),
}


def run(name: str, time_limit: float | None) -> dict:
    kw = dict(CASES[name])
    if time_limit:
        kw["time_limit"] = time_limit
    if name == "S" and (SAMPLES / "demo_site.json").exists():
        # the demo helpline's own week, from data/samples (forecast + staffing + its staff)
        inst = demo_instance(DEMO_WEEK, SAMPLES)
        opts = inst.options.model_copy(
            update={"time_limit_seconds": kw["time_limit"], "workers": 2}
        )
        inst = inst.model_copy(update={"options": opts})
    else:
        inst = synthetic_instance(workers=2, **kw)
    week = Week(inst)
    t0 = time.monotonic()
    bound = cover(week, time_limit=30, workers=2, people_limits=False, line_rules=False)
    bound_s = time.monotonic() - t0
    sol = solve(inst)
    report = validate(inst, sol)
    step = inst.interval_minutes
    required_h = sum(s.required for s in inst.intervals) * step / 60
    line_h = sum(p.line_minutes for p in sol.people) / 60
    shift_h = sum(p.shift_minutes for p in sol.people) / 60
    lb_h = bound.bound or 0.0  # shift-hours
    st = sol.stats
    return {
        "case": name,
        "staff": len(inst.staff),
        "intervals": len(inst.intervals),
        "interval_minutes": step,
        "time_limit_s": inst.options.time_limit_seconds,
        "workers": st.workers,
        "method": st.method,
        "status": st.status,
        "objective": st.objective,
        "best_bound": st.best_bound,
        "gap": st.gap,
        "wall_s": st.wall_time_seconds,
        "first_roster_s": st.first_solution_seconds,
        "best_roster_s": st.best_solution_seconds,
        "stages": [s.model_dump() for s in st.stages],
        "objective_by_rule": st.objective_by_rule,
        "required_hours": required_h,
        "shortfall_hours": sol.shortfall_hours(),
        "line_hours": line_h,
        "shift_hours": shift_h,
        "covering_bound_shift_hours": lb_h,
        "covering_bound_status": bound.status,
        "covering_bound_s": round(bound_s, 2),
        "line_hours_over_bound": round(line_h / lb_h, 4) if lb_h else None,
        "shift_hours_over_bound": round(shift_h / lb_h, 4) if lb_h else None,
        "hard_rules_broken": len(report.hard),
        "soft_rules_broken": len(report.soft),
        "validator_pass": not report.hard,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("cases", nargs="*", default=["S", "M"], choices=sorted(CASES))
    ap.add_argument("--time-limit", type=float)
    args = ap.parse_args()
    results = []
    for name in args.cases:
        r = run(name, args.time_limit)
        results.append(r)
        print(
            f"{name}: {r['staff']} staff, {r['intervals']} intervals, {r['method']} "
            f"{r['status']} in {r['wall_s']} s (limit {r['time_limit_s']} s, {r['workers']} "
            f"workers); first roster {r['first_roster_s']} s, best {r['best_roster_s']} s; gap "
            f"{r['gap']}; shortfall {r['shortfall_hours']:g} h of {r['required_hours']:g} h; "
            f"line {r['line_hours']:g} h, shifts {r['shift_hours']:g} h, covering bound "
            f"{r['covering_bound_shift_hours']:g} h -> line/bound {r['line_hours_over_bound']}, "
            f"shifts/bound {r['shift_hours_over_bound']}; validator "
            f"{'pass' if r['validator_pass'] else 'FAIL'} ({r['soft_rules_broken']} soft)",
            flush=True,
        )
    out = Path(__file__).resolve().parent / "results" / "roster.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    kept = json.loads(out.read_text()) if out.exists() else []
    ran = {r["case"] for r in results}
    merged = sorted([r for r in kept if r["case"] not in ran] + results, key=lambda r: r["case"])
    out.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
