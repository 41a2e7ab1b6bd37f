"""Tiny hand-built weeks and rosters for the roster tests (imported by the test modules)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ortools.sat.python import cp_model

from scheduling.domain import DailyWindow, LeavePeriod, Skill, StaffMember
from scheduling.roster.model import RosterModel, solver_for
from scheduling.roster.result import coverage_rows, finish
from scheduling.roster.rules import RULES_BY_KEY, Rule
from scheduling.roster.schema import (
    Activity,
    ActivitySegment,
    IntervalSlot,
    PersonRoster,
    RosteredShift,
    RosterInstance,
    RosterSolution,
    SolveOptions,
    SolveStats,
    StaffEntry,
)
from scheduling.roster.validate import ValidationReport
from scheduling.roster.week import Week
from scheduling.roster.work_rules import WorkRules

TZ = ZoneInfo("Asia/Karachi")
MONDAY = date(2025, 3, 3)


def at(day: int, hhmm: str) -> datetime:
    h, m = map(int, hhmm.split(":"))
    return datetime.combine(MONDAY + timedelta(days=day), datetime.min.time(), TZ) + timedelta(
        hours=h, minutes=m
    )


def member(
    sid: str,
    *,
    skills: Iterable[str] = ("counsellor",),
    languages: Iterable[str] = (),
    cmin: int = 0,
    cmax: int = 40 * 60,
    line_cap: int = 30 * 60,
    availability: Iterable[tuple[int, str, str]] = (),
    leave: Iterable[tuple[int, int]] = (),
    **entry,
) -> StaffEntry:
    def minute(hhmm: str) -> int:
        h, m = map(int, hhmm.split(":"))
        return h * 60 + m

    mem = StaffMember(
        id=sid,
        display_name=f"Person {sid}",
        skills=frozenset(Skill(s) for s in skills),
        languages=tuple(languages),
        contract_minutes_min=cmin,
        contract_minutes_max=cmax,
        line_cap_minutes_week=line_cap,
        availability=tuple(
            DailyWindow(weekday=d, start_minute=minute(a), end_minute=minute(b))
            for d, a, b in availability
        ),
        leave=tuple(
            LeavePeriod(first_day=MONDAY + timedelta(days=a), last_day=MONDAY + timedelta(days=b))
            for a, b in leave
        ),
    )
    return StaffEntry(member=mem, **entry)


def instance(
    staff: list[StaffEntry],
    *,
    days: Iterable[int] = (0,),
    hours: tuple[str, str] = ("09:00", "17:00"),
    required: int | Callable[[int, str], int] = 1,
    interval: int = 30,
    rules: WorkRules | None = None,
    min_on_duty: int = 0,
    **kw,
) -> RosterInstance:
    slots = []
    for d in days:
        t, end = at(d, hours[0]), at(d, hours[1]) if hours[1] != "24:00" else at(d + 1, "00:00")
        while t < end:
            need = required(d, f"{t:%H:%M}") if callable(required) else required
            slots.append(IntervalSlot(start=t, required=need))
            t += timedelta(minutes=interval)
    return RosterInstance(
        site_name="Test line",
        timezone="Asia/Karachi",
        interval_minutes=interval,
        week_start=MONDAY,
        intervals=tuple(slots),
        staff=tuple(staff),
        rules=rules or WorkRules(),
        min_on_duty=min_on_duty,
        options=kw.pop("options", SolveOptions(time_limit_seconds=10, workers=2)),
        **kw,
    )


def solve_rules(
    inst: RosterInstance, rules: Iterable[Rule]
) -> tuple[RosterModel, cp_model.CpSolver, RosterSolution]:
    """Solve with only these rules (plus the structure every model has)."""
    week = Week(inst)
    rm = RosterModel(week, rules=list(rules))
    solver = solver_for(10, 2)
    status = solver.status_name(solver.solve(rm.m))
    assert status in ("OPTIMAL", "FEASIBLE"), status
    sol = finish(
        week,
        rm,
        solver,
        [],
        method="full",
        workers=2,
        limit=10,
        started=time.monotonic(),
        status=status,
        bound=solver.best_objective_bound / 60,
    )
    return rm, solver, sol


def solve_with(inst: RosterInstance, keys: Iterable[str]) -> RosterSolution:
    """Solve with only the named rules (plus the structure every model has)."""
    return solve_rules(inst, [RULES_BY_KEY[k] for k in keys])[2]


def broken(report: ValidationReport, rule: str) -> list:
    return [b for b in report.breaks if b.rule == rule]


Seg = tuple[str, str, str]  # activity, start, end


def handmade(
    inst: RosterInstance, shifts: dict[str, list[tuple[int, str, str, list[Seg]]]]
) -> RosterSolution:
    """A roster written by hand: {staff id: [(day, start, end, [(activity, start, end)])]};
    a shift without segments is all on the line. An end of 24:00 is midnight."""

    def t(day: int, hhmm: str) -> datetime:
        return at(day + 1, "00:00") if hhmm == "24:00" else at(day, hhmm)

    week = Week(inst)
    people = []
    for sid, items in shifts.items():
        rs = []
        for day, a, b, segs in items:
            segs = segs or [("line", a, b)]
            rs.append(
                RosteredShift(
                    start=t(day, a),
                    end=t(day, b),
                    activities=tuple(
                        ActivitySegment(activity=Activity(x), start=t(day, s), end=t(day, e))
                        for x, s, e in segs
                    ),
                )
            )
        minutes = sum(int((s.end - s.start).total_seconds() // 60) for s in rs)
        people.append(
            PersonRoster(
                staff_id=sid,
                display_name=f"Person {sid}",
                shifts=tuple(rs),
                shift_minutes=minutes,
                line_minutes=0,
            )
        )
    return RosterSolution(
        site_name=inst.site_name,
        timezone=inst.timezone,
        week_start=inst.week_start,
        interval_minutes=inst.interval_minutes,
        stats=SolveStats(
            status="FEASIBLE",
            objective=None,
            best_bound=None,
            gap=None,
            wall_time_seconds=0,
            first_solution_seconds=None,
            method="full",
            workers=1,
            time_limit_seconds=1,
        ),
        people=tuple(people),
        coverage=tuple(coverage_rows(week, people)),
    )
