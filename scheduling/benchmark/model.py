"""A CP-SAT model of a Curtois & Qu instance: one boolean per employee, day and shift type.

The benchmark is days x shift types over 2-52 weeks, the helpline engine minutes within one
week, so this is a model of its own. Where a rule means the same thing as a roster rule it
uses that rule's constraint: runs of working days and days off (scheduling.roster.runs, as the
weekly rules `consecutive_days`, `min_working_run` and `min_days_off_run` do), the cap on
weekends worked (`weekends_worked`) and the per-type cap (`shift_type_cap`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduling.benchmark.instance import Instance
from scheduling.roster.rules.shift_type_cap import cap_shift_count
from scheduling.roster.rules.weekends_worked import cap_weekends
from scheduling.roster.runs import cap_runs, forbid_short_runs

Key = tuple[str, int, str]  # employee, day, shift type


def lsum(items) -> cp_model.LinearExpr:
    return cp_model.LinearExpr.sum(list(items))


@dataclass
class BenchModel:
    inst: Instance
    m: cp_model.CpModel
    x: dict[Key, cp_model.IntVar]
    work: dict[tuple[str, int], cp_model.IntVar]
    objective: cp_model.LinearExpr


def build_model(inst: Instance, *, symmetry: bool = True) -> BenchModel:
    m = cp_model.CpModel()
    x: dict[Key, cp_model.IntVar] = {}
    work: dict[tuple[str, int], cp_model.IntVar] = {}
    for e, emp in inst.staff.items():
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

    for e, emp in inst.staff.items():
        days = [work[e, d] for d in range(inst.days)]
        # no forbidden succession
        for d in range(inst.days - 1):
            for t, st in inst.shifts.items():
                first = x.get((e, d, t))
                if first is None:
                    continue
                # one constraint per shift instead of one clause per pair: at most one of the
                # next day's shifts is worked anyway, so this is as tight and far smaller
                banned = [x[e, d + 1, u] for u in st.not_followed_by if (e, d + 1, u) in x]
                if banned:
                    m.add(first + lsum(banned) <= 1)
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

    terms = []
    for r in inst.on_requests:
        want = x.get((r.employee, r.day, r.shift))
        terms.append(r.weight * (1 - want) if want is not None else r.weight)
    for r in inst.off_requests:
        avoid = x.get((r.employee, r.day, r.shift))
        if avoid is not None:
            terms.append(r.weight * avoid)
    for c in inst.cover:
        count = lsum(x[e, c.day, c.shift] for e in inst.staff if (e, c.day, c.shift) in x)
        n = len(inst.staff)
        under = m.new_int_var(0, c.requirement, f"under_{c.day}_{c.shift}")
        over = m.new_int_var(0, n, f"over_{c.day}_{c.shift}")
        m.add(count - c.requirement == over - under)
        # exact, not just at the optimum: a roster's objective is its true cost. Linear (no
        # max constraint), so CP-SAT's feasibility-jump first-solution worker still runs.
        short = m.new_bool_var(f"short_{c.day}_{c.shift}")
        m.add(under <= c.requirement * short)
        m.add(over <= n * (1 - short))
        terms.append(c.under_weight * under)
        terms.append(c.over_weight * over)
    objective = lsum(terms)
    m.minimize(objective)
    bm = BenchModel(inst, m, x, work, objective)
    if symmetry:
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
