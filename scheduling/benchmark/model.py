"""A CP-SAT model of a Curtois & Qu instance: one boolean per employee, day and shift type.

The benchmark is days x shift types over 2-52 weeks, the helpline engine minutes within one
week, so this is a model of its own. Where a rule means the same thing as a roster rule it
uses that rule's constraint: runs of working days and days off (scheduling.roster.runs, as the
weekly rules `consecutive_days`, `min_working_run` and `min_days_off_run` do), the cap on
weekends worked (`weekends_worked`) and the per-type cap (`shift_type_cap`).
"""

from __future__ import annotations

import itertools
from collections.abc import Collection
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduling.benchmark.instance import Instance
from scheduling.roster.rules.shift_type_cap import cap_shift_count
from scheduling.roster.rules.weekends_worked import cap_weekends
from scheduling.roster.runs import cap_runs, forbid_short_runs

Key = tuple[str, int, str]  # employee, day, shift type
Assignment = dict[tuple[str, int], str]  # (employee, day) -> shift type


def lsum(items) -> cp_model.LinearExpr:
    return cp_model.LinearExpr.sum(list(items))


@dataclass
class BenchModel:
    inst: Instance
    m: cp_model.CpModel
    x: dict[Key, cp_model.IntVar]
    work: dict[tuple[str, int], cp_model.IntVar]
    objective: cp_model.LinearExpr

    def roster(self, solver: cp_model.CpSolver) -> Assignment:
        """The solved shifts of the people in this model."""
        return {(e, d): t for (e, d, t), v in self.x.items() if solver.boolean_value(v)}

    def hint(self, roster: Assignment) -> None:
        """Replace the model's hint with `roster` (a day not in it: off)."""
        self.m.clear_hints()
        for (e, d, t), v in self.x.items():
            self.m.add_hint(v, roster.get((e, d)) == t)


def build_model(
    inst: Instance,
    *,
    symmetry: bool = True,
    people: Collection[str] | None = None,
    fixed: Assignment | None = None,
) -> BenchModel:
    """The whole instance, or only `people` (each with all their rules) while everyone else
    works as `fixed` says: their requests and their part of each cover count are constants,
    so the objective is still the whole roster's cost."""
    m = cp_model.CpModel()
    x: dict[Key, cp_model.IntVar] = {}
    work: dict[tuple[str, int], cp_model.IntVar] = {}
    free = inst.staff if people is None else {e: inst.staff[e] for e in people}
    outside = {k: t for k, t in (fixed or {}).items() if k[0] not in free}
    for e, emp in free.items():
        off = inst.days_off[e]
        for d in range(inst.days):
            mine = []
            if d not in off:
                for t in inst.shifts:
                    if emp.max_shifts.get(t, 0) > 0:
                        v = m.new_bool_var(f"x_{e}_{d}_{t}")
                        x[e, d, t] = v
                        mine.append(v)
            w = m.new_bool_var(f"w_{e}_{d}")
            m.add(lsum(mine) == w)  # at most one shift a day
            work[e, d] = w

    for e, emp in free.items():
        days = [work[e, d] for d in range(inst.days)]
        # no forbidden succession: one constraint per day and set of banned followers (the
        # shifts banning the same followers share it; at most one shift a day is worked anyway,
        # so this is as tight as one clause per pair and far smaller)
        for d in range(inst.days - 1):
            banning: dict[frozenset[str], list[cp_model.IntVar]] = {}
            for t, st in inst.shifts.items():
                if (e, d, t) in x and st.not_followed_by:
                    banning.setdefault(st.not_followed_by, []).append(x[e, d, t])
            for followers, firsts in banning.items():
                banned = [x[e, d + 1, u] for u in followers if (e, d + 1, u) in x]
                if banned:
                    m.add(lsum(firsts) + lsum(banned) <= 1)
        for t in inst.shifts:
            lits = [x[e, d, t] for d in range(inst.days) if (e, d, t) in x]
            cap_shift_count(m, lits, emp.max_shifts.get(t, 0))
        total = lsum(inst.shifts[t].minutes * v for (ee, _, t), v in x.items() if ee == e)
        m.add(total <= emp.max_minutes)
        m.add(total >= emp.min_minutes)
        cap_runs(m, days, emp.max_consecutive_shifts)
        forbid_short_runs(m, days, emp.min_consecutive_shifts)
        forbid_short_runs(m, [v.Not() for v in days], emp.min_consecutive_days_off)
        weekends = [[work[e, d] for d in wk] for wk in inst.weekends()]
        cap_weekends(m, weekends, emp.max_weekends)

    terms: list = []
    for r in inst.on_requests:
        if r.employee not in free:
            terms.append(r.weight * int(outside.get((r.employee, r.day)) != r.shift))
            continue
        want = x.get((r.employee, r.day, r.shift))
        terms.append(r.weight * (1 - want) if want is not None else r.weight)
    for r in inst.off_requests:
        if r.employee not in free:
            terms.append(r.weight * int(outside.get((r.employee, r.day)) == r.shift))
            continue
        avoid = x.get((r.employee, r.day, r.shift))
        if avoid is not None:
            terms.append(r.weight * avoid)
    already: dict[tuple[int, str], int] = {}
    for (_, d), t in outside.items():
        already[d, t] = already.get((d, t), 0) + 1
    for c in inst.cover:
        mine = [x[e, c.day, c.shift] for e in free if (e, c.day, c.shift) in x]
        need = c.requirement - already.get((c.day, c.shift), 0)  # what the free people face
        n = len(mine)
        if need <= 0:  # every one of them is over-cover (a constant when there are none)
            terms.append(c.over_weight * (lsum(mine) - need))
            continue
        if need >= n:  # every one of them lowers the under-cover
            terms.append(c.under_weight * (need - lsum(mine)))
            continue
        under = m.new_int_var(0, max(0, need), f"under_{c.day}_{c.shift}")
        over = m.new_int_var(0, n + max(0, -need), f"over_{c.day}_{c.shift}")
        m.add(lsum(mine) - need == over - under)
        # exact, not just at the optimum: a roster's objective is its true cost. Linear (no
        # max constraint), so CP-SAT's feasibility-jump first-solution worker still runs.
        short = m.new_bool_var(f"short_{c.day}_{c.shift}")
        m.add(under <= max(0, need) * short)
        m.add(over <= (n + max(0, -need)) * (1 - short))
        terms.append(c.under_weight * under)
        terms.append(c.over_weight * over)
    objective = lsum(terms)
    m.minimize(objective)
    bm = BenchModel(inst, m, x, work, objective)
    if symmetry and people is None:
        break_symmetry(bm)
    return bm


def break_symmetry(bm: BenchModel) -> int:
    """Employees with the same limits and no days off or requests of their own are
    interchangeable: order them by the days they work (lexicographically, first day most
    significant, compared week by week). Returns the number of ordered pairs."""
    inst = bm.inst
    personal = {r.employee for r in inst.on_requests + inst.off_requests}
    groups: dict[tuple, list[str]] = {}
    for e, emp in inst.staff.items():
        if e in personal or inst.days_off[e]:
            continue
        sig = (
            tuple(sorted(emp.max_shifts.items())),
            emp.max_minutes,
            emp.min_minutes,
            emp.max_consecutive_shifts,
            emp.min_consecutive_shifts,
            emp.min_consecutive_days_off,
            emp.max_weekends,
        )
        groups.setdefault(sig, []).append(e)
    pairs = 0
    for members in groups.values():
        for a, b in itertools.pairwise(members):
            # first week's pattern as a number: a's is at least b's
            week = range(min(7, inst.days))
            key_a = lsum((1 << (6 - d)) * bm.work[a, d] for d in week)
            key_b = lsum((1 << (6 - d)) * bm.work[b, d] for d in week)
            bm.m.add(key_a >= key_b)
            pairs += 1
    return pairs
