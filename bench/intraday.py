"""Intraday benchmark: from a logged difficult call to a refreshed coverage check, and the
re-plan of the rest of the day.

  .venv/bin/python bench/intraday.py [demo 24x7] [--repeats N] [--replan-limit S]

For each site: a week's roster is solved first and taken as published (not timed). At
Wednesday 14:10 local, a counsellor on the line logs a difficult call; the timed part is the
pure path the Today page runs after it: the person's decompression window (wellbeing.
decompression), everyone off the queue, and the re-check of every remaining interval of today
with cover suggestions (wellbeing.intraday). Median and worst of N repeats. Aim: under 200 ms.
Then "Re-plan the rest of today" (scheduling.roster.replan) with the person off the queue:
wall time, status and the number of changes. Aim: under 2 s.

Cases: the demo helpline's week (data/samples: 10 staff, 30-minute intervals) and a synthetic
24/7 site of 60 staff at 15-minute intervals. With the wellbeing data layer present, the demo
also runs through the database ("demo-db": a SQLite file seeded with the demo and its published
week): demo-staff taps Log a difficult call (one transaction), then demo-manager's Today check
is read afresh (another), as the pages do. Writes bench/results/intraday.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduling.domain import Skill
from scheduling.roster.cli import SAMPLES
from scheduling.roster.demo import demo_instance
from scheduling.roster.replan import replan_rest_of_day
from scheduling.roster.samples import synthetic_instance
from scheduling.roster.schema import Activity, PlannedShift, RosterInstance
from scheduling.roster.solve import solve
from wellbeing.decompression import OffQueue, Span, off_queue_until
from wellbeing.intraday import IntervalNeed, PersonToday, recheck_today

DEMO_WEEK = datetime(2026, 11, 23).date()


def week_instance(case: str, solve_limit: float) -> RosterInstance:
    if case == "demo":
        inst = demo_instance(DEMO_WEEK, SAMPLES)
    else:
        inst = synthetic_instance(
            staff=60,
            open_minutes=(0, 1440),
            interval=15,
            base=3,
            peak=11,
            supervisors=8,
            lawyers=0,
            seed=2,
        )
    opts = inst.options.model_copy(
        update={"time_limit_seconds": solve_limit, "workers": 2, "allow_hires": False}
    )
    return inst.model_copy(update={"options": opts})


def published_of(inst: RosterInstance, solve_limit: float) -> tuple[PlannedShift, ...]:
    sol = solve(inst)
    return tuple(
        PlannedShift(staff_id=p.staff_id, start=s.start, end=s.end, activities=s.activities)
        for p in sol.people
        if p.hire_template is None
        for s in p.shifts
    )


def log_to_check(inst: RosterInstance, now: datetime, who: str, earlier: list[datetime]):
    """The pure path after a tap: decompression -> off the queue -> re-check today."""
    tz = inst.tz
    day_start = datetime.combine(now.astimezone(tz).date(), dtime(0), tz)
    day_end = day_start + timedelta(days=1)
    today = [s for s in inst.published if s.end > day_start and s.start < day_end]
    mine = [s for s in today if s.staff_id == who]
    shifts = [Span(start=s.start, end=s.end) for s in mine]
    breaks = [
        Span(start=a.start, end=a.end)
        for s in mine
        for a in s.activities
        if a.activity == Activity.MEAL
    ]
    until = off_queue_until([*earlier, now], now, shifts, breaks)
    off = [OffQueue(staff_id=who, until=until)] if until else []
    step = timedelta(minutes=inst.interval_minutes)
    needs = [
        IntervalNeed(start=i.start, end=i.start + step, required=i.required)
        for i in inst.intervals
        if day_start <= i.start < day_end
    ]
    on_shift = {s.staff_id for s in today}
    people = [
        PersonToday(
            staff_id=e.id,
            display_name=e.member.display_name,
            counsellor=Skill.COUNSELLOR in e.member.skills,
            line_minutes_left_today=inst.rules.line_max_minutes_day,
            line_minutes_left_week=e.member.line_cap_minutes_week,
            available_from=None if e.id in on_shift else now,
        )
        for e in inst.staff
    ]
    return until, recheck_today(needs, today, off, now, people, display_tz=tz)


def run(case: str, repeats: int, replan_limit: float, solve_limit: float) -> dict:
    inst = week_instance(case, solve_limit)
    t0 = time.monotonic()
    published = published_of(inst, solve_limit)
    solve_s = time.monotonic() - t0
    inst = inst.model_copy(update={"published": published})
    tz = inst.tz
    now = datetime.combine(inst.week_start + timedelta(days=2), dtime(14, 10), tz)
    on_line = [
        s.staff_id
        for s in published
        for a in s.activities
        if a.activity == Activity.LINE and a.start <= now < a.end
    ]
    if not on_line:
        raise SystemExit(f"{case}: nobody on the line at {now:%a %H:%M}")
    who = on_line[0]
    earlier = [now - timedelta(minutes=50)]  # a second difficult call in a row: 30 minutes

    timings = []
    check = until = None
    for _ in range(repeats):
        t = time.perf_counter()
        until, check = log_to_check(inst, now, who, earlier)
        timings.append((time.perf_counter() - t) * 1000)
    assert check is not None and until is not None

    t = time.monotonic()
    plan = replan_rest_of_day(
        inst, now, off_queue=[(who, until)], time_limit=replan_limit, workers=2
    )
    replan_s = time.monotonic() - t
    st = plan.solution.stats
    return {
        "case": case,
        "staff": len(inst.staff),
        "interval_minutes": inst.interval_minutes,
        "intervals_today": len(check.intervals),
        "published_solve_s": round(solve_s, 2),
        "log_to_check_ms_median": round(statistics.median(timings), 2),
        "log_to_check_ms_max": round(max(timings), 2),
        "repeats": repeats,
        "off_queue_until": until.astimezone(tz).isoformat(),
        "flags": len(check.flags),
        "suggestions": len(check.suggestions),
        "replan_s": round(replan_s, 3),
        "replan_time_limit_s": replan_limit,
        "replan_status": st.status,
        "replan_method": st.method,
        "replan_first_solution_s": st.first_solution_seconds,
        "replan_changes": len(plan.changes),
        "replan_shortfall_hours_week": plan.solution.shortfall_hours(),
    }


def run_data(repeats: int) -> dict | None:
    """The demo through the database, when the wellbeing data layer is present."""
    import importlib.util
    import tempfile

    if importlib.util.find_spec("data.today") is None:
        print("demo-db: skipped (no wellbeing data layer in this tree)", flush=True)
        return None
    from zoneinfo import ZoneInfo

    from data.db import dispose_engine, get_engine, session_scope
    from data.demo import seed_demo
    from data.demo_wellbeing import publish_demo_week
    from data.migrations_runner import upgrade_to_head
    from data.today import today_check
    from data.wellbeing import actor_for, log_difficult_call

    tz = ZoneInfo("Asia/Karachi")
    last_day = DEMO_WEEK - timedelta(days=1)
    now = datetime.combine(DEMO_WEEK + timedelta(days=2), dtime(14, 10), tz)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/planner.db"
        upgrade_to_head(url)
        engine = get_engine(url)
        t = time.monotonic()
        with session_scope(engine) as session:
            result = seed_demo(session=session, last_day=last_day, now=now)
            if result.site_id is None:
                raise SystemExit(f"demo-db: {result.message}")
            site_id = result.site_id
        with session_scope(engine) as session:
            publish_demo_week(session=session, site_id=site_id, now=now)
        seed_s = time.monotonic() - t
        timings = []
        check = None
        for k in range(repeats):
            at = now + timedelta(seconds=k)
            t0 = time.perf_counter()
            with session_scope(engine) as session:
                staff = actor_for(session=session, username="demo-staff")
                log_difficult_call(session=session, actor=staff, at=at)
            with session_scope(engine) as session:
                manager = actor_for(session=session, username="demo-manager")
                check = today_check(session=session, actor=manager, site_id=site_id, now=at)
            timings.append((time.perf_counter() - t0) * 1000)
        dispose_engine(url)
    assert check is not None
    return {
        "case": "demo-db",
        "seed_and_publish_s": round(seed_s, 2),
        "log_to_check_ms_median": round(statistics.median(timings), 2),
        "log_to_check_ms_max": round(max(timings), 2),
        "repeats": repeats,
        "off_queue": len(check.off_queue),
        "flags": len(check.check.flags),
        "problem": check.problem,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("cases", nargs="*", default=["demo", "24x7"], help="demo, 24x7")
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--replan-limit", type=float, default=2.0)
    ap.add_argument("--solve-limit", type=float, default=30.0)
    ap.add_argument("--no-data", action="store_true", help="skip the demo through the database")
    args = ap.parse_args()
    unknown = [c for c in args.cases if c not in ("demo", "24x7")]
    if unknown:
        print(f"cases: expected demo or 24x7, got {', '.join(unknown)}", file=sys.stderr)
        raise SystemExit(2)
    if args.repeats < 1:
        print("--repeats: expected a whole number >= 1", file=sys.stderr)
        raise SystemExit(2)
    results = []
    for case in args.cases:
        r = run(case, args.repeats, args.replan_limit, args.solve_limit)
        results.append(r)
        print(
            f"{case}: {r['staff']} staff, {r['interval_minutes']}-min intervals; log -> check "
            f"median {r['log_to_check_ms_median']} ms (max {r['log_to_check_ms_max']} ms, "
            f"{r['repeats']} runs, {r['intervals_today']} intervals, {r['flags']} flags, "
            f"{r['suggestions']} suggestions); re-plan rest of day {r['replan_s']} s "
            f"({r['replan_status']}, {r['replan_method']}, first roster "
            f"{r['replan_first_solution_s']} s, {r['replan_changes']} changes)",
            flush=True,
        )
    if "demo" in args.cases and not args.no_data:
        r = run_data(args.repeats)
        if r is not None:
            results.append(r)
            print(
                f"demo-db: logged call (one transaction) -> Today re-read (another) median "
                f"{r['log_to_check_ms_median']} ms (max {r['log_to_check_ms_max']} ms, "
                f"{r['repeats']} runs); {r['off_queue']} off the queue, {r['flags']} flags",
                flush=True,
            )
    out = Path(__file__).resolve().parent / "results" / "intraday.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
