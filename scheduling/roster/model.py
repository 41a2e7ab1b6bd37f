"""The CP-SAT model: who works which shift and what each person does in every interval.

Decisions
- x[p, shift]: person p works this shift (candidate shifts: available, 4-8 h, on the half hour).
- line[p, day, t]: p is on the line in interval t of that day's shift. Meal breaks,
  decompression and debriefs are placed by their rules; the rest of a shift is off-line work.

Each rule (scheduling/roster/rules/; the caller picks them, see rules.model_rules) adds its
constraints to a RosterModel and returns its objective terms. In the aggregate mode (the
assignment stage of the decomposed solve) there are no per-interval activities: coverage is
judged by how many shifts of each kind are filled.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Literal

from ortools.sat.python import cp_model

from scheduling.roster.rules.base import SCALE, ModelPart, Term, lsum
from scheduling.roster.week import Person, Shift, Week

GuardMode = Literal["off", "assume", "relax"]
GuardKey = tuple[str, str | None, int | None]  # rule, staff id, day


class RosterModel:
    def __init__(
        self,
        week: Week,
        *,
        candidates: Callable[[Person, int], Sequence[Shift]] | None = None,
        detailed: bool = True,
        guard_mode: GuardMode = "off",
        counts: dict[Shift, int] | None = None,
        rules: Sequence[ModelPart],
    ) -> None:
        self.week = week
        self.inst = week.inst
        self.step = week.step
        self.people = week.people
        self.detailed = detailed
        self.guard_mode = guard_mode
        self.counts = counts
        self.m = cp_model.CpModel()
        self.guards: dict[GuardKey, cp_model.IntVar] = {}
        self.terms: list[Term] = []
        self._on_cache: dict[int, dict[int, list]] = {}
        self._hired: dict[int, cp_model.IntVar] = {}
        # line_blocks: each switch with the expressions it is at least, each day's total with
        # its switches (to hint them from a roster solved without the rule)
        self.switches: list[tuple[cp_model.IntVar, tuple]] = []
        self.switch_totals: list[tuple[cp_model.IntVar, list]] = []
        pick = candidates or week.candidates

        self.x: dict[tuple[int, int], list[tuple[Shift, cp_model.IntVar]]] = {}
        self.work: dict[tuple[int, int], cp_model.LinearExprT] = {}
        for p in self.people:
            for d in range(7):
                shifts = list(pick(p, d))
                pairs = [(s, self.m.new_bool_var(f"x_{p.index}_{s.start}_{s.end}")) for s in shifts]
                self.x[p.index, d] = pairs
                if pairs:
                    w = self.m.new_bool_var(f"work_{p.index}_{d}")
                    self.m.add(lsum(v for _, v in pairs) == w)  # at most one shift a day
                    self.work[p.index, d] = w
                else:
                    self.work[p.index, d] = 0

        # Per-interval activities (detailed mode). busy[key] collects what occupies the slot.
        self.on: dict[tuple[int, int, int], cp_model.LinearExpr] = {}
        self.line: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.meal: dict[tuple[int, int, int], cp_model.LinearExpr] = {}
        self.dec: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.deb: dict[tuple[int, int, int], cp_model.LinearExpr] = {}
        self.busy: dict[tuple[int, int, int], list] = {}
        if detailed:
            self._activities()

        for rule in rules:
            self.terms.extend(rule.add(self))
        if detailed:
            for key, items in self.busy.items():
                if len(items) > 0:
                    self.m.add(lsum(items) <= self.on[key])
        self._symmetry()
        if guard_mode == "assume":
            self.m.add_assumptions(list(self.guards.values()))
        elif guard_mode == "relax":
            weight = self.inst.weights.relaxed_hard_rule * SCALE
            for lit in self.guards.values():
                self.terms.append(Term("relaxed_hard_rule", weight, 1 - lit))
        self.m.minimize(lsum(t.coef * t.expr for t in self.terms if t.coef))

    # ---- building blocks for the rules
    def shifts(self, p: Person, day: int) -> list[tuple[Shift, cp_model.IntVar]]:
        return self.x[p.index, day]

    def all_shifts(self, p: Person) -> list[tuple[Shift, cp_model.IntVar]]:
        return [pair for d in range(7) for pair in self.x[p.index, d]]

    def days_with_shifts(self, p: Person) -> list[int]:
        return [d for d in range(7) if self.x[p.index, d]]

    def slots(self, p: Person, day: int) -> list[int]:
        """Intervals of a person's day where any candidate shift could place them."""
        return sorted({t for (pi, d, t) in self.on if pi == p.index and d == day})

    def on_shift_at(self, p: Person, t: int) -> list[cp_model.IntVar]:
        """Shift variables of p that contain interval t (works without activities too)."""
        cache = self._on_cache.get(p.index)
        if cache is None:
            cache = {}
            for s, v in self.all_shifts(p):
                for u in range(s.start // self.step, s.end // self.step):
                    cache.setdefault(u, []).append(v)
            self._on_cache[p.index] = cache
        return cache.get(t, [])

    def hired(self, p: Person) -> cp_model.LinearExprT:
        """1 if a hire slot is used (works at least one shift)."""
        var = self._hired.get(p.index)
        if var is None:
            days = [self.work[p.index, d] for d in self.days_with_shifts(p)]
            if not days:
                return 0
            var = self.m.new_bool_var(f"hired_{p.index}")
            self.m.add_max_equality(var, days)
            self._hired[p.index] = var
        return var

    def enforce(self, ct: cp_model.Constraint, rule: str, person: Person | None, day: int | None):
        """Make a hard constraint relaxable under a named guard (for explanations)."""
        if self.guard_mode == "off":
            return ct
        key = (rule, person.id if person else None, day)
        lit = self.guards.get(key)
        if lit is None:
            lit = self.m.new_bool_var(f"guard_{len(self.guards)}")
            self.guards[key] = lit
        return ct.only_enforce_if(lit)

    def add_busy(self, key: tuple[int, int, int], expr) -> None:
        self.busy.setdefault(key, []).append(expr)

    def _activities(self) -> None:
        step = self.step
        for p in self.people:
            for d in range(7):
                cover: dict[int, list] = {}
                for s, v in self.x[p.index, d]:
                    for t in range(s.start // step, s.end // step):
                        cover.setdefault(t, []).append(v)
                for t, vs in sorted(cover.items()):
                    key = (p.index, d, t)
                    self.on[key] = vs[0] if len(vs) == 1 else lsum(vs)
                    self.busy[key] = []
                    if p.counsellor and t in self.week.required:
                        lv = self.m.new_bool_var(f"line_{p.index}_{t}")
                        self.line[key] = lv
                        self.busy[key].append(lv)

    def _symmetry(self) -> None:
        """Interchangeable people (same skills, contract, availability, no wishes or history):
        order them by which days they work, so the solver does not explore permutations."""
        groups: dict[tuple, list[Person]] = {}
        for p in self.people:
            if p.signature:
                groups.setdefault(p.signature, []).append(p)
        for members in groups.values():
            for a, b in itertools.pairwise(members):
                key_a = lsum((1 << d) * self.work[a.index, d] for d in range(7))
                key_b = lsum((1 << d) * self.work[b.index, d] for d in range(7))
                self.m.add(key_a >= key_b)


def add_hint(rm: RosterModel, shifts: dict[int, list[Shift]], line: set[tuple[int, int]]) -> None:
    """Warm start: the chosen shifts and line intervals of an earlier roster."""
    for (pi, _d), pairs in rm.x.items():
        mine = set(shifts.get(pi, []))
        for s, v in pairs:
            rm.m.add_hint(v, s in mine)
    for (pi, _d, t), v in rm.line.items():
        rm.m.add_hint(v, (pi, t) in line)


def solver_for(time_limit: float, workers: int, seed: int = 0) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    return solver
