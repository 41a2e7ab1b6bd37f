"""Never alone while a colleague decompresses, measured: the demo week rostered with the plain
floor of 2 and with the decompression cover (scheduling.staffing.never_alone), each roster
simulated at the forecast volume (scheduling.simulation: Poisson arrivals, 30% difficult,
10 and 30 minutes of decompression enforced, patience 2 minutes).

  .venv/bin/python bench/never_alone.py [--replications N] [--time-limit S] [--free-probability P]

Measured per roster, over the replications: the share of open time with fewer than 2
counsellors free to answer or talking (on the line and not decompressing), the model's own
estimate of it, the share of calls answered, and the required and rostered line hours.
Aim: at most 0.5% of open time below with the cover. Writes bench/results/never_alone.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduling.domain import Floors
from scheduling.roster.build import build_instance
from scheduling.roster.cli import SAMPLES
from scheduling.roster.demo import demo_forecast, demo_inputs
from scheduling.roster.schema import RosterInstance
from scheduling.roster.solve import solve
from scheduling.roster.validate import validate
from scheduling.simulation import CallModel, SimulationPlan, plan_from_roster, replicate
from scheduling.staffing.never_alone import open_time_below
from scheduling.staffing.requirements import requirements_for_week

DEMO_WEEK = date(2026, 11, 23)
RESOLUTION = 0.1  # minutes


def demo_week(free_probability: float | None, time_limit: float):
    site, settings, rules, staff = demo_inputs(SAMPLES)
    floors = settings.floors.model_copy(update={"free_probability": free_probability})
    settings = settings.model_copy(update={"floors": floors})
    forecast = demo_forecast(SAMPLES, site, DEMO_WEEK)
    requirements = requirements_for_week(forecast, site, settings)
    inst = build_instance(
        site=site,
        staff=staff,
        rules=rules,
        requirements=requirements,
        settings=settings,
        week_start=DEMO_WEEK,
    )
    opts = inst.options.model_copy(
        update={"time_limit_seconds": time_limit, "workers": 2, "allow_hires": False}
    )
    return inst.model_copy(update={"options": opts}), settings, requirements


def open_cells(inst: RosterInstance, plan: SimulationPlan) -> np.ndarray:
    cells = int(plan.horizon_minutes / RESOLUTION)
    mask = np.zeros(cells, dtype=bool)
    per = int(plan.interval_minutes / RESOLUTION)
    for slot in inst.intervals:
        k = int((slot.start - plan.start).total_seconds() / 60 // plan.interval_minutes)
        mask[k * per : (k + 1) * per] = True
    return mask


def free_count(plan: SimulationPlan, events: list[tuple[float, str, str]]) -> np.ndarray:
    """Counsellors on the line and not decompressing, per cell of RESOLUTION minutes."""
    cells = int(plan.horizon_minutes / RESOLUTION)
    diff = np.zeros(cells + 1, dtype=np.int64)

    def add(a: float, b: float, v: int) -> None:
        i, j = round(a / RESOLUTION), round(b / RESOLUTION)
        i, j = max(0, min(i, cells)), max(0, min(j, cells))
        if j > i:
            diff[i] += v
            diff[j] -= v

    line: dict[str, list[tuple[float, float]]] = {}
    for person in plan.people:
        for shift in person.shifts:
            for a, b in shift.line:
                add(a, b, 1)
                line.setdefault(person.staff_id, []).append((a, b))
    started: dict[str, float] = {}
    for t, who, what in sorted(events):
        if what.startswith("decompresses"):
            started[who] = t
        elif what == "back on the queue" or what.startswith("decompression cut short"):
            if who not in started:
                continue
            a = started.pop(who)
            for la, lb in line.get(who, []):  # only time on the line is lost to decompression
                lo, hi = max(a, la), min(t, lb)
                if hi > lo:
                    add(lo, hi, -1)
    return np.cumsum(diff)[:cells]


def measure(label: str, free_probability: float | None, reps: int, limit: float) -> dict:
    inst, settings, requirements = demo_week(free_probability, limit)
    sol = solve(inst)
    report = validate(inst, sol)
    plan = plan_from_roster(inst, sol)
    model = CallModel.from_settings(settings)
    mask = open_cells(inst, plan)
    below, answered, offered = [], 0.0, 0.0
    for i in range(reps):
        rep = replicate(plan, model, seed=7, index=i, keep_events=True)
        free = free_count(plan, rep.events)
        below.append(float(((free < settings.floors.min_on_line) & mask).sum() / mask.sum()))
        answered += float(rep.answered.sum())
        offered += float(rep.offered.sum())
    calls = np.array(plan.calls)
    on_line = np.round(plan.line_minutes_per_interval() / plan.interval_minutes).astype(int)
    is_open = np.asarray(mask.reshape(len(calls), -1).any(axis=1))
    est = open_time_below(calls, is_open, on_line, settings, interval_minutes=plan.interval_minutes)
    b = np.array(below)
    return {
        "case": label,
        "free_probability": free_probability,
        "required_hours": requirements.required_hours,
        "line_hours_rostered": sum(p.line_minutes for p in sol.people) / 60,
        "shortfall_hours": sol.shortfall_hours(),
        "solve_status": sol.stats.status,
        "hard_rules_broken": len(report.hard),
        "replications": reps,
        "open_time_below_2_free": round(float(b.mean()), 5),
        "open_time_below_2_free_ci95": round(float(1.96 * b.std(ddof=1) / np.sqrt(reps)), 5)
        if reps > 1
        else None,
        "model_estimate_below": round(est, 5),
        "answered_share": round(answered / offered, 4) if offered else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--replications", type=int, default=40)
    ap.add_argument("--time-limit", type=float, default=20.0)
    ap.add_argument(
        "--free-probability",
        type=float,
        default=Floors().free_probability,
        help="the cover's share of open time with two free to answer (default: the setting's)",
    )
    args = ap.parse_args()
    if not 0 < args.free_probability < 1:
        print("--free-probability: expected a share between 0 and 1", file=sys.stderr)
        raise SystemExit(2)
    if args.replications < 1:
        print("--replications: expected a whole number >= 1", file=sys.stderr)
        raise SystemExit(2)
    results = []
    cover = ("with decompression cover", args.free_probability)
    for label, p in (("plain floor of 2", None), cover):
        r = measure(label, p, args.replications, args.time_limit)
        results.append(r)
        print(
            f"{label}: required {r['required_hours']:g} h, rostered on the line "
            f"{r['line_hours_rostered']:g} h (shortfall {r['shortfall_hours']:g} h, "
            f"{r['solve_status']}); open time with fewer than 2 free "
            f"{100 * r['open_time_below_2_free']:.2f}% (+/- "
            f"{100 * (r['open_time_below_2_free_ci95'] or 0):.2f}, model "
            f"{100 * r['model_estimate_below']:.2f}%); answered {r['answered_share']}",
            flush=True,
        )
    out = Path(__file__).resolve().parent / "results" / "never_alone.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
