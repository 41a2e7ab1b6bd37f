"""The decomposed solve for large weeks, and the covering bound.

1. cover:  how many shifts of each kind (day, start, length) cover the requirement, with the
           people's limits only in aggregate (heads per day, days per week, contract hours).
           It is a relaxation of the full model with the same weights, so its bound is a valid
           lower bound of the roster's objective.
2. assign: who works which of those shifts, with every person rule (availability, rest, days in
           a row, days off, contract hours, skills, fairness, wishes, stability), filling the
           counts; interchangeable people are ordered to break symmetry.
3. place:  with each person's shifts fixed, the full model places meal breaks, line time,
           decompression and debriefs interval by interval.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduling.roster.model import SCALE, RosterModel, lsum, solver_for
from scheduling.roster.rules.coverage import estimated_line_minutes
from scheduling.roster.week import Person, Shift, Week


@dataclass
class Cover:
    counts: dict[tuple[tuple, Shift], int]  # (class, shift) -> people
    status: str
    objective: float | None
    bound: float | None
    seconds: float
    uncoverable: int  # counsellor-intervals no shift can reach


def person_class(p: Person) -> tuple:
    """People who look alike to the cover stage: counsellor or not, contract minimum, hire."""
    return (p.counsellor, p.contract_min, p.contract_max, p.hire.key if p.hire else None)


def cover(
    week: Week,
    *,
    time_limit: float,
    workers: int,
    people_limits: bool = True,
    line_rules: bool = True,
) -> Cover:
    """Shift counts per class of people covering the requirement. With people_limits and
    line_rules off it is the plain covering bound: the fewest shift-hours that put the
    requirement on the line, with no person rules at all."""
    inst = week.inst
    r = week.rules
    w = inst.weights
    step = week.step
    m = cp_model.CpModel()
    most_days = min(7 - r.min_days_off_week, 7)
    big = max(week.required.values(), default=0) + inst.min_on_duty + 1

    # n[class, shift]: how many people of the class work that shift
    n: dict[tuple[tuple, Shift], cp_model.IntVar] = {}
    classes: dict[tuple, list[Person]] = {}
    if people_limits:
        for p in week.people:
            classes.setdefault(person_class(p), []).append(p)
        for key, members in classes.items():
            heads: dict[Shift, int] = {}
            for p in members:
                for d in range(7):
                    for s in week.candidates(p, d):
                        heads[s] = heads.get(s, 0) + 1
            for s, k in heads.items():
                n[key, s] = m.new_int_var(0, k, f"n_{len(n)}")
    else:
        key = (True, 0, 0, None)
        classes[key] = []
        for d in range(7):
            for s in week.shift_types[d]:
                n[key, s] = m.new_int_var(0, big, f"n_{len(n)}")

    on_all: dict[int, list] = {}
    on_line: dict[int, list] = {}
    for (key, s), v in n.items():
        for t in range(s.start // step, s.end // step):
            on_all.setdefault(t, []).append(v)
            if key[0]:
                on_line.setdefault(t, []).append(v)
    terms = []
    uncoverable = 0
    line_total = []
    for t, need in week.required.items():
        if not on_line.get(t):
            uncoverable += need
        on = lsum(on_line.get(t, []))
        if line_rules:
            line = m.new_int_var(0, big, f"line_{t}")
            m.add(line <= on)
            line_total.append(line)
        else:
            line = on
        if need > 0:
            short = m.new_int_var(0, need, f"short_{t}")
            m.add(line + short >= need)
            terms.append(w.shortfall_per_hour * step * short)
        if people_limits and inst.min_on_duty > 0:
            below = m.new_int_var(0, inst.min_on_duty, f"below_{t}")
            m.add(lsum(on_all.get(t, [])) + below >= inst.min_on_duty)
            terms.append(w.below_min_on_duty_per_hour * step * below)
    if line_rules:
        capacity = lsum(
            estimated_line_minutes_of(week, s) * v for (key, s), v in n.items() if key[0]
        )
        m.add(lsum(line_total) * step <= capacity)
    minutes = lsum(s.length * v for (_k, s), v in n.items())
    terms.append(w.rostered_hour * minutes if people_limits else minutes)
    if people_limits:
        for key, members in classes.items():
            mine = [(s, v) for (k, s), v in n.items() if k == key]
            total = lsum(s.length * v for s, v in mine)
            if key[3] is None:
                size = lsum([len(members)])
                heads_on = {d: sum(1 for p in members if week.candidates(p, d)) for d in range(7)}
                days = sum(
                    min(most_days, len([d for d in range(7) if week.candidates(p, d)]))
                    for p in members
                )
                m.add(lsum(v for _s, v in mine) <= days)
                # soft with a cost no roster pays (every roster keeps contracts), so the
                # bound stays valid and an empty cover is a first solution found at once
                deficit = m.new_int_var(0, sum(p.contract_min for p in members), "deficit")
                m.add(total + deficit >= sum(p.contract_min for p in members))
                terms.append(w.shortfall_per_hour * deficit)
                m.add(total <= sum(p.contract_max for p in members))
            else:
                tpl = members[0].hire
                size = m.new_int_var(0, len(members), f"hired_{tpl.key}")
                heads_on = {d: size for d in range(7)}
                m.add(lsum(v for _s, v in mine) <= most_days * size)
                m.add(total >= tpl.contract_minutes_min * size)
                m.add(total <= tpl.contract_minutes_max * size)
                terms.append(tpl.cost * SCALE * size)
            for d in range(7):
                m.add(lsum(v for s, v in mine if s.day == d) <= heads_on[d])
            del size
    m.minimize(lsum(terms))
    solver = solver_for(time_limit, workers, inst.options.seed)
    solver.parameters.relative_gap_limit = 0.005  # a cover within 0.5% is as good as any
    t0 = time.monotonic()
    status = solver.solve(m)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    counts: dict[tuple[tuple, Shift], int] = {}
    if found:
        counts = {ks: int(solver.value(v)) for ks, v in n.items()}
    scale = SCALE if people_limits else 60
    return Cover(
        counts={ks: k for ks, k in counts.items() if k > 0},
        status=solver.status_name(status),
        objective=solver.objective_value / scale if found else None,
        bound=solver.best_objective_bound / scale if found else None,
        seconds=time.monotonic() - t0,
        uncoverable=uncoverable,
    )


def estimated_line_minutes_of(week: Week, s: Shift) -> int:
    class _Ctx:
        inst = week.inst

    return estimated_line_minutes(_Ctx, s)


def assignment_candidates(week: Week, counts: dict[tuple[tuple, Shift], int]):
    """Each person's shifts for the assignment stage: the kinds the cover chose for their class
    that they can work, plus any pinned shift. Specialists who cover set windows are few, so
    they keep all their shifts; so does anyone none of whose chosen kinds fit on a day."""
    chosen: dict[tuple[tuple, int], set[Shift]] = {}
    for (key, s), _k in counts.items():
        chosen.setdefault((key, s.day), set()).add(s)
    throughout = {c.skill for c in week.inst.skill_covers if c.mode == "throughout"}
    cache: dict[tuple[int, int], list[Shift]] = {}

    def pick(p: Person, d: int) -> list[Shift]:
        key = (p.index, d)
        if key not in cache:
            own = week.candidates(p, d)
            pinned = any(s.day == d for s in week.pinned(p))
            if pinned or (throughout & p.skills and not p.counsellor):
                cache[key] = own
            else:
                mine = chosen.get((person_class(p), d), set())
                cache[key] = [s for s in own if s in mine]
        return cache[key]

    return pick


def class_counts(counts: dict[tuple[tuple, Shift], int]) -> dict[Shift, int]:
    out: dict[Shift, int] = {}
    for (_key, s), k in counts.items():
        out[s] = out.get(s, 0) + k
    return out


def placement_candidates(shifts: dict[int, list[Shift]]):
    def pick(p: Person, d: int) -> list[Shift]:
        return [s for s in shifts.get(p.index, []) if s.day == d]

    return pick


def fix_all(rm: RosterModel) -> None:
    for pairs in rm.x.values():
        for _s, v in pairs:
            rm.m.add(v == 1)


def solve_decomposed(week: Week, *, limit: float, workers: int, started: float, progress):
    from scheduling.roster.extract import chosen_shifts
    from scheduling.roster.solve import (
        StageResult,
        empty_solution,
        explain_infeasible,
        run_stage,
    )

    seed = week.inst.options.seed

    def left() -> float:
        return max(0.5, limit - (time.monotonic() - started))

    c = cover(week, time_limit=max(left() * 0.25, min(15.0, left() * 0.5)), workers=workers)
    stages = [StageResult("cover", c.status, c.objective, c.bound, c.seconds, None, None)]
    if c.objective is None:
        return empty_solution(
            week,
            stages,
            method="decomposed",
            workers=workers,
            limit=limit,
            started=started,
            status=c.status,
        )

    pick = assignment_candidates(week, c.counts)
    assign = RosterModel(week, candidates=pick, detailed=False, counts=class_counts(c.counts))
    solver, res = run_stage(
        "assign",
        assign.m,
        time_limit=left() * 0.6,
        workers=workers,
        seed=seed,
        started=started,
        progress=progress,
    )
    stages.append(res)
    if res.status == "INFEASIBLE":
        return explain_infeasible(
            week,
            stages,
            method="decomposed",
            workers=workers,
            limit=limit,
            started=started,
            progress=progress,
            candidates=pick,
            detailed=False,
            counts=class_counts(c.counts),
        )
    if res.status not in ("OPTIMAL", "FEASIBLE"):
        return empty_solution(
            week,
            stages,
            method="decomposed",
            workers=workers,
            limit=limit,
            started=started,
            status=res.status,
        )
    shifts = chosen_shifts(assign, solver)
    return place(
        week,
        shifts,
        stages,
        limit=limit,
        workers=workers,
        started=started,
        progress=progress,
        bound=c.bound,
    )


def place(
    week,
    shifts,
    stages,
    *,
    limit,
    workers,
    started,
    progress,
    bound,
    infeasibility=None,
    status=None,
):
    from scheduling.roster.solve import empty_solution, finish, run_stage

    placing = RosterModel(week, candidates=placement_candidates(shifts))
    fix_all(placing)
    left = max(0.5, limit - (time.monotonic() - started))
    solver, res = run_stage(
        "place",
        placing.m,
        time_limit=left,
        workers=workers,
        seed=week.inst.options.seed,
        started=started,
        progress=progress,
    )
    stages.append(res)
    if res.status not in ("OPTIMAL", "FEASIBLE"):
        return empty_solution(
            week,
            stages,
            method="decomposed",
            workers=workers,
            limit=limit,
            started=started,
            status=res.status,
            infeasibility=infeasibility,
        )
    return finish(
        week,
        placing,
        solver,
        stages,
        method="decomposed",
        workers=workers,
        limit=limit,
        started=started,
        status=status or "FEASIBLE",
        bound=bound,
        infeasibility=infeasibility,
    )
