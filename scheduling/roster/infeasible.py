"""A week that cannot keep every hard rule: name the rules that cannot hold together (CP-SAT
assumptions, a minimised core), then return the best roster that drops as few of them as
possible."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from scheduling.roster import explain
from scheduling.roster.extract import chosen_shifts
from scheduling.roster.model import GuardMode, RosterModel, solver_for
from scheduling.roster.result import empty_solution, finish
from scheduling.roster.rules import model_rules
from scheduling.roster.schema import InfeasibilityExplanation, RosterSolution
from scheduling.roster.stages import (
    Hint,
    ProgressFn,
    StageResult,
    complete_hint,
    run_stage,
    time_left,
)
from scheduling.roster.week import Person, Shift, Week


def explain_infeasible(
    week: Week,
    stages: list[StageResult],
    *,
    method: str,
    workers: int,
    limit: float,
    started: float,
    progress: ProgressFn | None,
    candidates: Callable[[Person, int], Sequence[Shift]] | None = None,
    detailed: bool = True,
    counts: dict[Shift, int] | None = None,
    phase_limit: float | None = None,
    hint: Hint | None = None,
    prefix: str = "",
    place: Callable[..., RosterSolution] | None = None,
) -> RosterSolution:
    """Name the hard rules that cannot hold together, then return the best roster without them
    (warm-started with `hint`, a roster that keeps the other rules, when there is one). In the
    aggregate mode (not `detailed`) the relaxed shifts are handed to `place` (the decomposed
    solve's placement stage) for their activities."""
    seed = week.inst.options.seed
    end = phase_limit if phase_limit is not None else limit
    left = time_left(started, end, at_least=1.0)

    def model(mode: GuardMode) -> RosterModel:
        return RosterModel(
            week,
            guard_mode=mode,
            candidates=candidates,
            detailed=detailed,
            counts=counts,
            rules=model_rules(),
        )

    guarded = model("assume")
    solver, res = run_stage(
        prefix + "conflict",
        guarded.m,
        time_limit=left * 0.4,
        workers=workers,
        seed=seed,
        started=started,
        progress=None,
    )
    stages.append(res)
    core_keys = []
    if res.status == "INFEASIBLE":
        by_index = {lit.index: key for key, lit in guarded.guards.items()}
        core = [i for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]
        budget = time_left(started, end, at_least=1.0) * 0.3
        core = minimize_core(guarded, core, budget=budget, workers=workers, seed=seed)
        core_keys = [by_index[i] for i in core]
    left = time_left(started, end, at_least=1.0)
    relaxed = model("relax")
    if hint is not None:
        complete_hint(relaxed, *hint, workers=workers, seed=seed, time_limit=min(3.0, left * 0.2))
        left = time_left(started, end, at_least=1.0)
    solver, res = run_stage(
        prefix + "relaxed",
        relaxed.m,
        time_limit=left if detailed else left * 0.6,
        workers=workers,
        seed=seed,
        started=started,
        progress=progress,
    )
    stages.append(res)
    dropped = []
    if res.status in ("OPTIMAL", "FEASIBLE"):
        dropped = [key for key, lit in relaxed.guards.items() if not solver.boolean_value(lit)]
    conflicts = tuple(explain.conflict(week, key) for key in core_keys or dropped)
    info = InfeasibilityExplanation(
        message=explain.infeasible_message(week, conflicts),
        conflicts=conflicts,
        relaxed=tuple(explain.conflict(week, key) for key in dropped),
    )
    if res.status not in ("OPTIMAL", "FEASIBLE"):
        return empty_solution(
            week,
            stages,
            method=method,
            workers=workers,
            limit=limit,
            started=started,
            status="INFEASIBLE",
            infeasibility=info,
        )
    if not detailed:
        if place is None:
            raise ValueError("the aggregate mode needs a placement stage")
        shifts = chosen_shifts(relaxed, solver)
        return place(
            week,
            shifts,
            stages,
            limit=limit,
            workers=workers,
            started=started,
            progress=progress,
            bound=None,
            infeasibility=info,
            status="INFEASIBLE",
        )
    return finish(
        week,
        relaxed,
        solver,
        stages,
        method=method,
        workers=workers,
        limit=limit,
        started=started,
        status="INFEASIBLE",
        bound=None,
        infeasibility=info,
    )


def minimize_core(
    rm: RosterModel, core: list[int], *, budget: float, workers: int, seed: int
) -> list[int]:
    """Deletion filter: drop the assumptions whose removal keeps the week infeasible, so the
    conflict names only rules that matter. Halves first (a core of 150 rules often comes down
    to one in a few solves), then one by one. Stops at the time budget with what it has."""
    deadline = time.monotonic() + budget
    lits = {lit.index: lit for lit in rm.guards.values()}
    keep = list(core)
    chunk = max(1, len(keep) // 2)
    i = 0
    while len(keep) > 1:
        if i >= len(keep):
            if chunk == 1:
                break
            chunk, i = max(1, chunk // 2), 0
            continue
        left = deadline - time.monotonic()
        if left <= 0.05:
            break
        trial = keep[:i] + keep[i + chunk :]
        if not trial:
            i += chunk
            continue
        rm.m.clear_assumptions()
        rm.m.add_assumptions([lits[k] for k in trial])
        solver = solver_for(min(left, 2.0), workers, seed)
        solver.parameters.stop_after_first_solution = True
        if solver.solve(rm.m) == cp_model.INFEASIBLE:
            keep = trial
        else:
            i += chunk
    return keep
