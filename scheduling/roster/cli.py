"""Roster commands of `python -m scheduling` (see docs/roster.md):

plan INSTANCE.json --out DIR [--time-limit S] [--workers N]
validate INSTANCE.json DIR/roster.json
demo-instance --week YYYY-MM-DD --out INSTANCE.json
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from scheduling.bounds import check_day
from scheduling.cli_support import CliError, load_json_model, solve_seconds, solver_workers
from scheduling.roster.export import coverage_csv, roster_csv
from scheduling.roster.schema import RosterInstance, RosterSolution

# Exit statuses besides 0 and 2 (bad input): validate's "a hard rule is broken", and
# plan's "the solve returned no roster" (model invalid, infeasible or out of time before any
# roster was found).
HARD_RULE_BROKEN = 1
NO_ROSTER = 3

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def _monday(text: str) -> date:
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None
    if day.weekday() != 0:
        raise argparse.ArgumentTypeError(f"{text} is a {day:%A}; weeks start on a Monday")
    try:
        return check_day(day, "week")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _load_instance(path: Path) -> RosterInstance:
    inst = load_json_model(path, RosterInstance, "instance")
    try:
        check_day(inst.week_start, "week_start")
    except ValueError as exc:
        raise CliError(f"instance file {path}: {exc}") from None
    return inst


def register(subparsers: Any) -> None:
    plan = subparsers.add_parser(
        "plan", help="roster a week: writes roster.json, roster.csv, coverage.csv"
    )
    plan.add_argument("instance", type=Path, help="RosterInstance JSON")
    plan.add_argument("--out", type=Path, required=True, help="directory for the results")
    plan.add_argument("--time-limit", type=solve_seconds, help="seconds (default: instance)")
    plan.add_argument("--workers", type=solver_workers, help="CP-SAT workers (default: instance)")
    plan.set_defaults(handler=run_plan)

    val = subparsers.add_parser(
        "validate", help="list every broken rule of a roster; exit 1 if a hard rule is broken"
    )
    val.add_argument("instance", type=Path)
    val.add_argument("roster", type=Path)
    val.set_defaults(handler=run_validate)

    demo = subparsers.add_parser(
        "demo-instance", help="the demo helpline's roster instance for a week"
    )
    demo.add_argument("--week", type=_monday, required=True, help="the Monday, YYYY-MM-DD")
    demo.add_argument("--out", type=Path, required=True, help="instance JSON to write")
    demo.set_defaults(handler=run_demo_instance)


def write_roster_files(sol: RosterSolution, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "roster.json").write_text(sol.model_dump_json(indent=2) + "\n", encoding="utf-8")
    (out / "roster.csv").write_text(roster_csv(sol, include_names=False), encoding="utf-8")
    (out / "coverage.csv").write_text(coverage_csv(sol), encoding="utf-8")


def run_plan(args: argparse.Namespace) -> int:
    from scheduling.roster.solve import solve

    inst = _load_instance(args.instance)
    try:
        sol = solve(inst, time_limit=args.time_limit, workers=args.workers)
    except ValueError as exc:
        raise CliError(f"instance file {args.instance}: {exc}") from None
    try:
        write_roster_files(sol, args.out)
    except OSError as exc:
        raise CliError(f"cannot write to {args.out}: {exc.strerror or exc}") from None
    st = sol.stats
    print(
        f"{st.status}: objective {st.objective}, bound {st.best_bound}, gap {st.gap}, "
        f"{st.wall_time_seconds} s ({st.method}, {st.workers} workers); "
        f"shortfall {sol.shortfall_hours():g} counsellor-hours"
    )
    for flag in sol.flags:
        print(f"[{flag.severity}] {flag.message}")
    print(f"wrote {args.out / 'roster.json'}, roster.csv, coverage.csv")
    if not any(person.shifts for person in sol.people) and any(
        slot.required > 0 for slot in inst.intervals
    ):
        print(f"error: no roster ({st.status}): nobody could be rostered", file=sys.stderr)
        return NO_ROSTER
    return 0


def run_validate(args: argparse.Namespace) -> int:
    from scheduling.roster.validate import validate

    inst = _load_instance(args.instance)
    sol = load_json_model(args.roster, RosterSolution, "roster")
    if sol.week_start != inst.week_start or sol.site_name != inst.site_name:
        raise CliError(
            f"roster {args.roster} is for {sol.site_name} week {sol.week_start}, the instance "
            f"for {inst.site_name} week {inst.week_start}"
        )
    try:
        report = validate(inst, sol)
    except ValueError as exc:
        raise CliError(f"roster {args.roster}: {exc}") from None
    for b in report.breaks:
        where = " ".join(x for x in (b.staff_id or "", b.day.isoformat() if b.day else "") if x)
        print(f"{'HARD' if b.hard else 'soft'} {b.rule} {where}: {b.message}".replace("  ", " "))
    print(
        f"{len(report.hard)} hard, {len(report.soft)} soft rule(s) broken; "
        f"penalty {report.objective:g} points"
    )
    return HARD_RULE_BROKEN if report.hard else 0


def run_demo_instance(args: argparse.Namespace) -> int:
    from scheduling.roster.demo import DemoFilesError, demo_instance

    try:
        inst = demo_instance(args.week, SAMPLES)
    except DemoFilesError as exc:
        raise CliError(str(exc)) from None
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(inst.model_dump_json(indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    need = sum(s.required for s in inst.intervals) * inst.interval_minutes / 60
    print(
        f"wrote {args.out}: {len(inst.staff)} staff, {len(inst.intervals)} open intervals, "
        f"{need:g} counsellor-hours required on the line"
    )
    return 0
