"""The solve's machinery, shared by every strategy (full.py, decompose.py): a CP-SAT stage run
with its time limit and progress reports, the time budget, warm starts from a known roster,
and the lexicographic line-blocks stage."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from ortools.sat.python import cp_model

from scheduling.roster.greedy import Shifts
from scheduling.roster.model import RosterModel, add_hint, solver_for
from scheduling.roster.rules import RULES_BY_KEY
from scheduling.roster.rules.base import SCALE, lsum
from scheduling.roster.schema import SolveStatus, StageStats

# a warm start: each person's shifts (by person index) and the (person, interval) pairs on the line
Hint = tuple[Shifts, set[tuple[int, int]]]


def elapsed(started: float) -> float:
    """Seconds since the solve started (`started` is a time.monotonic() reading)."""
    return time.monotonic() - started


def time_left(started: float, end: float, *, at_least: float = float("-inf")) -> float:
    """Seconds left until `end` seconds after the start, but at least `at_least`."""
    return max(at_least, end - elapsed(started))


@dataclass(frozen=True)
class Progress:
    """One improvement during a solve (for a live indicator on the page)."""

    stage: str
    objective: float
    best_bound: float
    seconds: float


ProgressFn = Callable[[Progress], None]


class StopSearch(Exception):
    """Raised by a progress function to end the solve: the running CP-SAT search stops at once
    and the solve raises StopSearch instead of returning a roster (nothing is saved)."""


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(
        self,
        stage: str,
        started: float,
        progress: ProgressFn | None,
        floor: float | None = None,
        ceiling: float | None = None,
    ) -> None:
        super().__init__()
        self.stage, self.started, self.progress = stage, started, progress
        self.floor = floor  # a bound an earlier stage proved for the same model
        # the line-blocks stage: its own bound holds only lexicographically, so it reports the
        # first stage's (valid, since switches cost nothing below zero)
        self.ceiling = ceiling
        self.first: float | None = None
        self.best: float | None = None
        self.stopped: StopSearch | None = None

    def on_solution_callback(self) -> None:
        now = elapsed(self.started)
        self.first = now if self.first is None else self.first
        self.best = now
        if self.progress is not None:
            bound = self.best_objective_bound / SCALE
            if self.floor is not None:
                bound = min(max(bound, self.floor), self.objective_value / SCALE)
            if self.ceiling is not None:
                bound = min(bound, self.ceiling)
            try:
                self.progress(Progress(self.stage, self.objective_value / SCALE, bound, now))
            except StopSearch as stop:
                # never let an exception cross into the solver's threads
                self.stopped = stop
                self.stop_search()


@dataclass
class StageResult:
    name: str
    status: str
    objective: float | None
    bound: float | None
    seconds: float
    first: float | None
    best: float | None

    def stats(self) -> StageStats:
        return StageStats(
            name=self.name,
            status=cast(SolveStatus, self.status),  # a CP-SAT status name
            objective=self.objective,
            best_bound=self.bound,
            wall_time_seconds=round(self.seconds, 3),
        )


def run_stage(
    name: str,
    model: cp_model.CpModel,
    *,
    time_limit: float,
    workers: int,
    seed: int,
    started: float,
    progress: ProgressFn | None,
    floor: float | None = None,
    ceiling: float | None = None,
    presolve: bool = True,
) -> tuple[cp_model.CpSolver, StageResult]:
    solver = solver_for(time_limit, workers, seed)
    solver.parameters.cp_model_presolve = presolve
    watcher = _Watcher(name, started, progress, floor, ceiling)
    t0 = time.monotonic()
    status = solver.solve(model, watcher)
    if watcher.stopped is not None:
        raise watcher.stopped
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return solver, StageResult(
        name=name,
        status=solver.status_name(status),
        objective=solver.objective_value / SCALE if found else None,
        bound=solver.best_objective_bound / SCALE if found else None,
        seconds=time.monotonic() - t0,
        first=watcher.first,
        best=watcher.best,
    )


def complete_hint(
    rm: RosterModel,
    shifts: Shifts,
    line: set[tuple[int, int]],
    *,
    workers: int,
    seed: int,
    time_limit: float = 3.0,
    best_activities: bool = False,
) -> bool:
    """Hint every variable, not just the shifts: a copy of the model with the shifts (and line
    intervals) fixed is solved first, and its whole assignment becomes the hint. CP-SAT then
    starts from the known roster at once instead of searching to complete a partial hint
    (measured: a 20-person 24/7 week found nothing in 5 s from the partial hint). False when
    the probe found nothing in time (the partial hint is set instead).

    best_activities: the probe places the activities as well as it can within the time limit
    instead of stopping at its first roster. On a small week it is proven in a fraction of a
    second and far better than a first roster (the demo week: 479 points against 13,059 for
    the same shifts)."""
    probe = rm.m.clone()
    for (pi, _d), pairs in rm.x.items():
        mine = set(shifts.get(pi, []))
        for s, v in pairs:
            probe.add(probe.get_bool_var_from_proto_index(v.index) == int(s in mine))
    if line:
        for (pi, _d, t), v in rm.line.items():
            probe.add_hint(probe.get_bool_var_from_proto_index(v.index), (pi, t) in line)
    for lit in rm.guards.values():  # a relaxed model: keep every rule the roster keeps
        probe.add_hint(probe.get_bool_var_from_proto_index(lit.index), True)
    # one worker for a first roster: its search follows the hint, where on two the first roster
    # often comes from a worker that ignores it (a 24-person 24/7 week's placement: 1826
    # points from the greedy placement on one worker, 30346 on two)
    solver = solver_for(time_limit, workers if best_activities else 1, seed)
    solver.parameters.stop_after_first_solution = not best_activities
    status = solver.solve(probe)
    rm.m.clear_hints()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        add_hint(rm, shifts, line)
        return False
    for i, value in enumerate(solver.response_proto.solution):
        rm.m.add_hint(rm.m.get_int_var_from_proto_index(i), value)
    return True


LINE_BLOCKS_SHARE = 0.25  # at most this share of the time limit goes to the line-blocks stage


def line_blocks_reserve(limit: float) -> float:
    """Seconds the first full-model solve leaves for the line-blocks stage."""
    return min(LINE_BLOCKS_SHARE * limit, max(2.0, 0.1 * limit))


def line_blocks_stage(
    rm: RosterModel,
    solver: cp_model.CpSolver,
    *,
    name: str,
    time_limit: float,
    workers: int,
    seed: int,
    started: float,
    progress: ProgressFn | None,
    bound: float | None,
) -> tuple[cp_model.CpSolver, StageResult] | None:
    """The second, lexicographic stage of the full model: every other rule's points kept at
    most what the first solve found, the fewest switches on and off the line, hinted with the
    first solve's roster. Its objective is the whole roster's; its bound is the first stage's
    (the switches only add points). None when the rule adds nothing or no roster comes back."""
    first = lsum(t.coef * t.expr for t in rm.terms if t.coef)
    reached = int(solver.value(first))
    values = list(solver.response_proto.solution)
    terms = RULES_BY_KEY["line_blocks"].add(rm)
    if not terms:
        return None
    rm.m.add(first <= reached)
    rm.m.clear_hints()
    for i, v in enumerate(values):
        rm.m.add_hint(rm.m.get_int_var_from_proto_index(i), v)
    switched = {}
    for sw, lows in rm.switches:
        switched[sw.index] = int(max(0, *(solver.value(e) for e in lows)))
        rm.m.add_hint(sw, switched[sw.index])
    for total, sws in rm.switch_totals:
        rm.m.add_hint(total, sum(switched[v.index] for v in sws))
    rm.m.minimize(reached + lsum(t.coef * t.expr for t in terms))
    second, res = run_stage(
        name,
        rm.m,
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        started=started,
        progress=progress,
        floor=bound,
        ceiling=bound,
    )
    if res.status not in ("OPTIMAL", "FEASIBLE"):
        return None
    rm.terms.extend(terms)
    assert res.objective is not None  # a roster came back
    res.bound = bound if bound is None else min(bound, res.objective)
    return second, res
