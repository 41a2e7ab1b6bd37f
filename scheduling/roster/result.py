"""Building the RosterSolution a solve returns: the people's rosters, coverage, stats, the
validator's broken rules, flags and hire advice, from a model's solution or from shifts and
activities (the greedy roster, a placement)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, cast

from ortools.sat.python import cp_model

from scheduling.roster import explain
from scheduling.roster.extract import activities, chosen_shifts, people_rosters
from scheduling.roster.greedy import Acts, Shifts
from scheduling.roster.model import RosterModel
from scheduling.roster.quality import relative_gap
from scheduling.roster.rules.base import SCALE
from scheduling.roster.rules.line_blocks import switch_points
from scheduling.roster.schema import (
    Activity,
    CoverageRow,
    Flag,
    InfeasibilityExplanation,
    PersonRoster,
    RosterSolution,
    SolveStats,
    SolveStatus,
)
from scheduling.roster.stages import StageResult, elapsed
from scheduling.roster.validate import ValidationReport, validate
from scheduling.roster.week import Shift, Week


def coverage_rows(week: Week, people: Sequence[PersonRoster]) -> list[CoverageRow]:
    # A person counts once in an interval even when a hand-made roster gives them two
    # overlapping shifts (a swap to someone already working): nobody takes two lines at once.
    on_line: dict[int, set[int]] = {}
    on_duty: dict[int, set[int]] = {}
    for n, pr in enumerate(people):
        for s in pr.shifts:
            for seg in s.activities:
                a, b = week.minute(seg.start), week.minute(seg.end)
                for t in range(a // week.step, b // week.step):
                    if seg.activity == Activity.LINE:
                        on_line.setdefault(t, set()).add(n)
                    if seg.activity != Activity.MEAL:
                        on_duty.setdefault(t, set()).add(n)
    rows = []
    for t in week.open:
        need = week.required[t]
        got = len(on_line.get(t, ()))
        rows.append(
            CoverageRow(
                start=week.at(t * week.step),
                end=week.at((t + 1) * week.step),
                required=need,
                on_line=got,
                on_duty=len(on_duty.get(t, ())),
                shortfall=max(0, need - got),
            )
        )
    return rows


def finish(
    week: Week,
    rm: RosterModel,
    solver: cp_model.CpSolver,
    stages: list[StageResult],
    *,
    method: str,
    workers: int,
    limit: float,
    started: float,
    status: str,
    bound: float | None,
    infeasibility: InfeasibilityExplanation | None = None,
    shifts: dict[int, list[Shift]] | None = None,
) -> RosterSolution:
    shifts = shifts if shifts is not None else chosen_shifts(rm, solver)
    acts = activities(rm, solver)
    people = people_rosters(week, shifts, acts)
    by_rule: dict[str, float] = {}
    for term in rm.terms:
        by_rule[term.rule] = (
            by_rule.get(term.rule, 0.0) + term.coef * solver.value(term.expr) / SCALE
        )
    # Counted from the roster itself, as the validator counts: a switch variable is only bounded
    # below, so an unproven solve may leave one set where the roster has no switch (and a model
    # without the rule has no such variables at all).
    by_rule["line_blocks"] = switch_points(week, shifts, acts)
    objective = sum(by_rule.values())
    return assemble(
        week,
        people,
        stages,
        method=method,
        workers=workers,
        limit=limit,
        started=started,
        status=status,
        objective=objective,
        bound=bound,
        by_rule=by_rule,
        infeasibility=infeasibility,
    )


def assemble(
    week: Week,
    people: list[PersonRoster],
    stages: list[StageResult],
    *,
    method: str,
    workers: int,
    limit: float,
    started: float,
    status: str,
    objective: float | None,
    bound: float | None,
    by_rule: dict[str, float],
    infeasibility: InfeasibilityExplanation | None = None,
) -> RosterSolution:
    firsts = [s.first for s in stages if s.first is not None]
    bests = [s.best for s in stages if s.best is not None]
    gap = None
    if objective is not None and bound is not None:
        gap = relative_gap(objective, bound)
        if status == "FEASIBLE" and gap < 1e-9:
            status = "OPTIMAL"
    sol = RosterSolution(
        site_name=week.inst.site_name,
        timezone=week.inst.timezone,
        week_start=week.inst.week_start,
        interval_minutes=week.step,
        stats=SolveStats(
            status=cast(SolveStatus, status),  # a CP-SAT status name
            objective=round(objective, 4) if objective is not None else None,
            best_bound=round(bound, 4) if bound is not None else None,
            gap=round(gap, 6) if gap is not None else None,
            wall_time_seconds=round(elapsed(started), 3),
            first_solution_seconds=round(min(firsts), 3) if firsts else None,
            best_solution_seconds=round(max(bests), 3) if bests else None,
            method=cast(Literal["full", "decomposed"], method),
            workers=workers,
            time_limit_seconds=limit,
            stages=tuple(s.stats() for s in stages),
            objective_by_rule={k: round(v, 4) for k, v in sorted(by_rule.items()) if v},
        ),
        people=tuple(people),
        coverage=tuple(coverage_rows(week, people)),
        infeasibility=infeasibility,
    )
    sol = explain.with_short_reasons(week, sol)
    report = validate(week.inst, sol)
    return sol.model_copy(
        update={
            "broken_rules": tuple(report.breaks),
            "hires": tuple(explain.hire_advice(week, sol)),
            "flags": tuple(explain.flags(week, sol, report)),
        }
    )


def empty_solution(
    week: Week,
    stages: list[StageResult],
    *,
    method: str,
    workers: int,
    limit: float,
    started: float,
    status: str,
    infeasibility: InfeasibilityExplanation | None = None,
) -> RosterSolution:
    sol = assemble(
        week,
        [],
        stages,
        method=method,
        workers=workers,
        limit=limit,
        started=started,
        status=status,
        objective=None,
        bound=None,
        by_rule={},
        infeasibility=infeasibility,
    )
    note = Flag(
        severity="critical",
        kind="solver",
        message=(
            "No roster was found within the time limit; allow more time."
            if status == "UNKNOWN"
            else "No roster could be built; see the explanation."
        ),
    )
    return sol.model_copy(update={"flags": (note, *sol.flags)})


def contract_bound(week: Week) -> float:
    """A valid lower bound of the objective: every roster pays at least the staff's contract
    minimums in rostered hours (a hard rule), and no penalty is negative."""
    minutes = sum(p.contract_min for p in week.people if p.hire is None)
    return week.inst.weights.rostered_hour * minutes / 60


def draft(week: Week, shifts: Shifts, acts: Acts) -> RosterSolution:

    people = people_rosters(week, shifts, acts)
    return RosterSolution(
        site_name=week.inst.site_name,
        timezone=week.inst.timezone,
        week_start=week.inst.week_start,
        interval_minutes=week.step,
        stats=SolveStats(
            status="FEASIBLE",
            objective=None,
            best_bound=None,
            gap=None,
            wall_time_seconds=0.0,
            first_solution_seconds=None,
            method="decomposed",
            workers=1,
            time_limit_seconds=1.0,
        ),
        people=tuple(people),
        coverage=tuple(coverage_rows(week, people)),
    )


def roster_from(week: Week, shifts: Shifts, acts: Acts) -> tuple[RosterSolution, ValidationReport]:
    sol = draft(week, shifts, acts)
    return sol, validate(week.inst, sol)


def final(
    week: Week,
    shifts: Shifts,
    acts: Acts,
    stages: list[StageResult],
    *,
    limit: float,
    workers: int,
    started: float,
    bound: float | None,
    best_at: float | None,
    status: str = "FEASIBLE",
    infeasibility: InfeasibilityExplanation | None = None,
    method: str = "decomposed",
) -> RosterSolution:

    people = people_rosters(week, shifts, acts)
    report = validate(week.inst, draft(week, shifts, acts))
    for st in stages:  # time to best: when the returned roster was found
        st.best = None
    if stages:
        stages[0].best = best_at
    return assemble(
        week,
        people,
        stages,
        method=method,
        workers=workers,
        limit=limit,
        started=started,
        status=status,
        objective=report.objective,
        bound=bound,
        by_rule=dict(report.points),
        infeasibility=infeasibility,
    )
