"""Solve a Curtois & Qu instance with CP-SAT: the roster, status, objective, bound and the time
to the best roster.

Search settings (each measurable on and off, see bench/curtois_qu.py):
- `subsolvers`: on 2 workers CP-SAT's default pair rarely proves anything on these instances;
  an LP-heavy worker (`max_lp`) next to a second one gives the bound. The default is max_lp +
  core; an empty tuple leaves CP-SAT's own choice.
- `interleave`: CP-SAT's interleaved search (all its strategies, LNS included, take turns on
  the workers).
- `first_pass`: a short solve (a tenth of the time) whose roster hints the main solve.
- `lns`: the main solve on 30% of the time, then rounds of large neighbourhood search that
  free a block of weeks or a group of people and fix the rest of the best roster. By default
  on for horizons of 6 weeks or more and for LNS_FROM_STAFF people or more (measured: it
  helped on a 6-week instance and on the 4-week ones of 30-120 people, not on 4-week ones of
  16 and 20).
- `symmetry`: order interchangeable employees (see model.break_symmetry).
- `construct`: a first roster built person by person (scheduling.benchmark.construct; without a
  solver, CP-SAT only for a person that construction cannot roster) hints
  the whole model, then LNS; above `whole_model_upto` candidate shifts there is no whole
  model at all and the roster is improved a few people at a time. By default on for horizons
  of CONSTRUCT_FROM_DAYS (8 weeks) or more: from 26 weeks CP-SAT on the whole model finds no
  roster in minutes, and on 8-12 weeks the hint gave better rosters (measured on 16-19).
- `people_share`: the last part of the time improves the whole model's roster a few people at
  a time (each round a small exact model of those people, everyone else fixed).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduling.benchmark.construct import NoRosterError, first_roster, improve_by_people
from scheduling.benchmark.instance import Instance
from scheduling.benchmark.model import Assignment, BenchModel, Key, build_model

LNS_FROM_DAYS = 42
LNS_FROM_STAFF = 30
CONSTRUCT_FROM_DAYS = 56
WHOLE_MODEL_UPTO = 100_000
CONSTRUCT_SHARE = 0.5  # of the time limit, for the first roster (more if it needs it)
LNS_MAIN_SHARE = 0.3  # of the time limit, for the whole model before LNS rounds
LNS_ROUND_SHARE = 0.1  # of the time limit, at most, for one LNS round
GREEDY_PASSES = 100  # over the staff, while they lower the cost and within CONSTRUCT_SHARE


@dataclass(frozen=True)
class SearchOptions:
    subsolvers: tuple[str, ...] = ("max_lp", "core")
    interleave: bool = False
    first_pass: bool = False
    lns: bool | None = None  # None: on from LNS_FROM_DAYS days or LNS_FROM_STAFF people
    symmetry: bool = True
    construct: bool | None = None  # None: on for horizons of CONSTRUCT_FROM_DAYS or more
    whole_model_upto: int = WHOLE_MODEL_UPTO  # larger: improved by people, no whole model
    people_share: float = 0.0  # of the time, kept at the end for improving a few people at a time
    seed: int = 0


@dataclass
class BenchResult:
    instance: str
    status: str
    objective: int | None
    bound: float | None
    wall_seconds: float
    best_seconds: float | None  # time to the best roster found
    roster: Assignment = field(default_factory=dict)


class _Timer(cp_model.CpSolverSolutionCallback):
    def __init__(self, start: float) -> None:
        super().__init__()
        self.start = start
        self.best: float | None = None

    def on_solution_callback(self) -> None:
        self.best = time.monotonic() - self.start


def _solver(
    time_limit: float, workers: int, opts: SearchOptions, *, lp: bool = True
) -> cp_model.CpSolver:
    s = cp_model.CpSolver()
    p = s.parameters
    p.max_time_in_seconds = max(0.05, time_limit)
    p.num_workers = workers
    p.random_seed = opts.seed
    if not lp:
        return s
    if opts.interleave:
        p.interleave_search = True
    if opts.subsolvers and workers >= len(opts.subsolvers):
        p.subsolvers.extend(opts.subsolvers)
    elif opts.subsolvers:
        p.linearization_level = 2
    return s


def candidate_shifts(inst: Instance) -> int:
    """How many (employee, day, shift type) a roster could use: the whole model's size."""
    return sum(
        (inst.days - len(inst.days_off[e])) * sum(1 for cap in emp.max_shifts.values() if cap)
        for e, emp in inst.staff.items()
    )


def solve_instance(
    inst: Instance,
    *,
    time_limit: float,
    workers: int = 2,
    options: SearchOptions | None = None,
) -> BenchResult:
    opts = options or SearchOptions()
    start = time.monotonic()
    deadline = start + time_limit
    size = candidate_shifts(inst)
    construct = opts.construct
    if construct is None:
        construct = inst.days >= CONSTRUCT_FROM_DAYS
    best: Assignment | None = None
    best_obj: int | None = None
    best_at: float | None = None
    bound: float | None = None
    if construct:
        try:
            best, best_obj = first_roster(
                inst,
                deadline=start + CONSTRUCT_SHARE * time_limit,
                give_up=deadline,
                workers=workers,
                seed=opts.seed,
                passes=GREEDY_PASSES,
            )
        except NoRosterError:
            return BenchResult(inst.name, "UNKNOWN", None, None, time.monotonic() - start, None)
        best_at = time.monotonic() - start
        if size > opts.whole_model_upto:
            return _improve_by_people(inst, opts, workers, start, deadline, best, best_obj)
    bm = build_model(inst, symmetry=opts.symmetry and not construct)

    def left() -> float:
        return deadline - time.monotonic()

    if best is not None:
        bm.hint(best)
    if opts.first_pass and best is None:
        quick = _solver(min(left(), max(1.0, time_limit / 10)), workers, opts, lp=False)
        if quick.solve(bm.m) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best, best_obj = bm.roster(quick), round(quick.objective_value)
            best_at = time.monotonic() - start
            bm.hint(best)

    lns = opts.lns
    if lns is None:
        lns = inst.days >= LNS_FROM_DAYS or len(inst.staff) >= LNS_FROM_STAFF or construct
    main_share = LNS_MAIN_SHARE if lns else 1.0
    reserved = opts.people_share * time_limit  # kept for improving by people at the end

    def left_before_people() -> float:
        return left() - reserved

    s = _solver(max(0.05, left_before_people() * main_share), workers, opts)
    timer = _Timer(start)
    status = s.solve(bm.m, timer)
    if status == cp_model.UNKNOWN and best is None and left() > 0.5:
        # nothing to search around yet: the rest of the time goes to the main solve
        s = _solver(left(), workers, opts)
        status = s.solve(bm.m, timer)
    proven = status == cp_model.OPTIMAL
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        bound = s.best_objective_bound
        obj = round(s.objective_value)
        if best_obj is None or obj <= best_obj:
            best, best_obj, best_at = bm.roster(s), obj, timer.best
    elif status == cp_model.INFEASIBLE:
        return BenchResult(inst.name, "INFEASIBLE", None, None, time.monotonic() - start, None)

    if lns and best is not None and not proven:
        best, best_obj, best_at = _lns(
            bm, best, best_obj, best_at, opts, workers, left_before_people, start, time_limit
        )
        if bound is not None and best_obj is not None and best_obj <= bound + 1e-6:
            proven = True
    if reserved > 0 and best is not None and best_obj is not None and not proven:
        better = improve_by_people(
            inst, best, best_obj, deadline=deadline, workers=workers, seed=opts.seed, group=4
        )
        if better.objective < best_obj and better.improved_at is not None:
            best, best_obj, best_at = better.roster, better.objective, better.improved_at - start
        if bound is not None and best_obj <= bound + 1e-6:
            proven = True

    wall = time.monotonic() - start
    if best is None:
        return BenchResult(inst.name, "UNKNOWN", None, None, wall, None)
    return BenchResult(
        inst.name,
        "OPTIMAL" if proven else "FEASIBLE",
        best_obj,
        bound,
        wall,
        best_at,
        best,
    )


def _improve_by_people(
    inst: Instance,
    opts: SearchOptions,
    workers: int,
    start: float,
    deadline: float,
    roster: Assignment,
    objective: int,
) -> BenchResult:
    first_at = time.monotonic() - start
    better = improve_by_people(
        inst, roster, objective, deadline=deadline, workers=workers, seed=opts.seed
    )
    best_at = better.improved_at - start if better.improved_at is not None else first_at
    wall = time.monotonic() - start
    return BenchResult(inst.name, "FEASIBLE", better.objective, None, wall, best_at, better.roster)


def _lns(
    bm: BenchModel,
    best: Assignment,
    best_obj: int | None,
    best_at: float | None,
    opts: SearchOptions,
    workers: int,
    left: Callable[[], float],
    start: float,
    time_limit: float,
) -> tuple[Assignment, int | None, float | None]:
    """Adaptive large neighbourhood search: free a block of weeks (all staff) or a group of
    staff (all days), alternately, the rest fixed to the best roster; the block grows while
    rounds are solved to optimality and shrinks when they run out of time."""
    inst = bm.inst
    rng = random.Random(opts.seed)
    staff = list(inst.staff)
    weeks = max(1, inst.days // 7)
    share = 0.25
    by_person = False
    while left() > 0.5:
        if by_person:
            people = set(rng.sample(staff, min(len(staff), max(2, round(share * len(staff))))))
            free = {k for k in bm.x if k[0] in people}
        else:
            span = min(weeks, max(1, round(share * weeks)))
            w0 = rng.randrange(weeks - span + 1)
            lo, hi = w0 * 7, inst.days if w0 + span == weeks else (w0 + span) * 7
            free = {k for k in bm.x if lo <= k[1] < hi}
        by_person = not by_person
        sub = bm.m.clone()
        sub.clear_hints()
        _fix(bm, sub, best, free)
        s = _solver(min(left(), max(1.0, time_limit * LNS_ROUND_SHARE)), workers, opts)
        status = s.solve(sub)
        grow = status == cp_model.OPTIMAL
        share = min(1.0, share * 1.25) if grow else max(0.05, share / 1.25)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            obj = round(s.objective_value)
            if best_obj is None or obj < best_obj:
                best, best_obj, best_at = bm.roster(s), obj, time.monotonic() - start
    return best, best_obj, best_at


def _fix(bm: BenchModel, sub: cp_model.CpModel, best: Assignment, free: set[Key]) -> None:
    for key, v in bm.x.items():
        e, d, t = key
        if key not in free:
            sub.add(sub.get_bool_var_from_proto_index(v.index) == int(best.get((e, d)) == t))
        else:
            sub.add_hint(sub.get_bool_var_from_proto_index(v.index), best.get((e, d)) == t)
