"""A first roster built person by person, and its improvement a few people at a time.

Every hard rule of an instance concerns one employee; only the cover (soft) ties people
together. So rostering one person at a time, everyone else fixed, always yields a roster that
keeps every hard rule. The first roster is built without a solver (scheduling.benchmark.greedy);
a person it cannot handle is solved alone by CP-SAT, everyone else fixed: a small exact model,
since with the others fixed one more person on a day and shift changes the cover cost by a
known amount. The improvement frees a few people at once (all days) and keeps the better
roster. On the year-long instances, where the whole model is too large for CP-SAT to find any
roster in minutes, this is what gives one.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduling.benchmark.greedy import greedy_roster
from scheduling.benchmark.instance import Instance
from scheduling.benchmark.model import Assignment, build_model

MIN_PERSON_SECONDS = 0.5


class NoRosterError(RuntimeError):
    """A person's rules cannot all be kept (or no roster was found in the time given)."""


@dataclass
class Improved:
    roster: Assignment
    objective: int
    rounds: int
    improved_at: float | None  # monotonic time of the last improvement


def _solver(seconds: float, workers: int, seed: int) -> cp_model.CpSolver:
    s = cp_model.CpSolver()
    s.parameters.max_time_in_seconds = max(0.05, seconds)
    s.parameters.num_workers = workers
    s.parameters.random_seed = seed
    if workers == 1:
        # a person's total minutes are a long sum: CP-SAT's single default worker can take
        # seconds to find any roster for one person over half a year; with the full LP, a
        # fraction of one (on 2 workers the second one's local search finds it as fast)
        s.parameters.linearization_level = 2
    return s


def first_roster(
    inst: Instance,
    *,
    deadline: float,
    workers: int = 1,
    seed: int = 0,
    order: Sequence[str] | None = None,
    give_up: float | None = None,
    passes: int = 1,
) -> tuple[Assignment, int]:
    """A roster keeping every hard rule, and its cost. Built without a solver
    (scheduling.benchmark.greedy, `passes` over the staff while before `deadline`); a person
    that construction cannot roster gets a CP-SAT model of their own, everyone else fixed,
    with an equal share of the time to `deadline` (at least MIN_PERSON_SECONDS); one whose
    model finds no roster in it tries again with another seed and more time, up to `give_up`
    (default: the deadline). NoRosterError when a person's rules cannot be kept, or no roster
    is found by then."""
    built = greedy_roster(inst, order, passes=passes, deadline=deadline)
    people = built.left_out
    end = give_up if give_up is not None else deadline
    roster = dict(built.roster)
    objective = built.objective
    for i, e in enumerate(people):
        seconds = max(MIN_PERSON_SECONDS, (deadline - time.monotonic()) / (len(people) - i))
        bm = build_model(inst, people=[e], fixed=roster)
        attempt = 0
        while True:
            s = _solver(min(seconds, end - time.monotonic()), workers, seed + attempt)
            status = s.solve(bm.m)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                break
            if status == cp_model.INFEASIBLE or time.monotonic() >= end - 0.05:
                why = "cannot be kept" if status == cp_model.INFEASIBLE else "found none in time"
                msg = f"{inst.name}: employee {e}: a roster keeping every rule {why}"
                raise NoRosterError(msg)
            # the time to a first roster varies a lot from one seed to the next (0.2 s or
            # none in 5 s for the same person): a new seed, a little more time
            attempt += 1
            seconds *= 1.5
        roster.update(bm.roster(s))
        objective = round(s.objective_value)
    return roster, objective


def improve_by_people(
    inst: Instance,
    roster: Assignment,
    objective: int,
    *,
    deadline: float,
    workers: int = 1,
    seed: int = 0,
    group: int = 2,
    round_seconds: float = 2.0,
    on_better: Callable[[Assignment, int], None] | None = None,
) -> Improved:
    """Rounds that free `group` random people (all days), the rest fixed, until the deadline.
    The group grows while rounds are proven optimal quickly and shrinks when they time out."""
    rng = random.Random(seed)
    staff = list(inst.staff)
    size = float(min(group, len(staff)))
    rounds = 0
    improved_at: float | None = None
    while deadline - time.monotonic() > 0.2:
        people = rng.sample(staff, max(1, min(len(staff), round(size))))
        bm = build_model(inst, people=people, fixed=roster)
        bm.hint(roster)
        s = _solver(min(round_seconds, deadline - time.monotonic()), workers, seed + rounds)
        status = s.solve(bm.m)
        rounds += 1
        grow = status == cp_model.OPTIMAL
        size = min(len(staff), size * 1.15) if grow else max(1.0, size / 1.15)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            obj = round(s.objective_value)
            if obj < objective:
                mine = set(people)
                roster = {k: t for k, t in roster.items() if k[0] not in mine} | bm.roster(s)
                objective = obj
                improved_at = time.monotonic()
                if on_better:
                    on_better(roster, objective)
    return Improved(roster, objective, rounds, improved_at)
