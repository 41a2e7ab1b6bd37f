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

from scheduling.roster.extract import activities, chosen_shifts
from scheduling.roster.greedy import (
    Acts,
    Shifts,
    canonical,
    greedy_activities,
    greedy_roster,
    shift_lengths,
)
from scheduling.roster.infeasible import explain_infeasible
from scheduling.roster.model import RosterModel, solver_for
from scheduling.roster.quality import WHOLE_ROSTER
from scheduling.roster.relaxation import lp_bound
from scheduling.roster.result import contract_bound, empty_solution, final, finish, roster_from
from scheduling.roster.rules import ALL_RULES, model_rules
from scheduling.roster.rules.base import SCALE, Term, lsum
from scheduling.roster.rules.coverage import estimated_line_minutes
from scheduling.roster.rules.days_off import most_working_days
from scheduling.roster.schema import Activity, Conflict, InfeasibilityExplanation
from scheduling.roster.stages import (
    Progress,
    StageResult,
    complete_hint,
    elapsed,
    run_stage,
    time_left,
)
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
    bound_only: bool = False,
) -> Cover:
    """Shift counts per class of people covering the requirement. With people_limits and
    line_rules off it is the plain covering bound: the fewest shift-hours that put the
    requirement on the line, with no person rules at all. bound_only: no counts, only the
    bound of its linear relaxation (a bound of the whole roster's objective, in seconds)."""
    inst = week.inst
    r = week.rules
    w = inst.weights
    step = week.step
    m = cp_model.CpModel()
    most_days = most_working_days(r)
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
        line: cp_model.LinearExprT
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
        capacity = lsum(estimated_line_minutes(week, s) * v for (key, s), v in n.items() if key[0])
        m.add(lsum(line_total) * step <= capacity)
    minutes = lsum(s.length * v for (_k, s), v in n.items())
    terms.append(w.rostered_hour * minutes if people_limits else minutes)
    if people_limits:
        for key, members in classes.items():
            mine = [(s, v) for (k, s), v in n.items() if k == key]
            total = lsum(s.length * v for s, v in mine)
            if key[3] is None:
                size = lsum([len(members)])
                heads_on: dict[int, cp_model.LinearExprT] = {
                    d: sum(1 for p in members if week.candidates(p, d)) for d in range(7)
                }
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
                assert tpl is not None  # a class of hires
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
    scale = SCALE if people_limits else 60
    if bound_only:
        t0 = time.monotonic()
        lb = lp_bound(m, time_limit=time_limit)
        return Cover(
            counts={},
            status="OPTIMAL" if lb is not None else "UNKNOWN",  # the relaxation solved
            objective=None,
            bound=lb / scale if lb is not None else None,
            seconds=time.monotonic() - t0,
            uncoverable=uncoverable,
        )
    solver = solver_for(time_limit, workers, inst.options.seed)
    solver.parameters.relative_gap_limit = 0.005  # a cover within 0.5% is as good as any
    t0 = time.monotonic()
    status = solver.solve(m)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    counts: dict[tuple[tuple, Shift], int] = {}
    if found:
        counts = {ks: int(solver.value(v)) for ks, v in n.items()}
    return Cover(
        counts={ks: k for ks, k in counts.items() if k > 0},
        status=solver.status_name(status),
        objective=solver.objective_value / scale if found else None,
        bound=solver.best_objective_bound / scale if found else None,
        seconds=time.monotonic() - t0,
        uncoverable=uncoverable,
    )


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


def solve_by_cover(
    week: Week, *, limit: float, workers: int, started: float, progress, stages=None
):
    """The cover-then-assign pipeline: kept for weeks the greedy roster cannot keep (it proves
    and explains an impossible week, and it may add hires)."""

    seed = week.inst.options.seed

    def left() -> float:
        return time_left(started, limit, at_least=0.5)

    c = cover(week, time_limit=max(left() * 0.25, min(15.0, left() * 0.5)), workers=workers)
    stages = [
        *(stages or []),
        StageResult("cover", c.status, c.objective, c.bound, c.seconds, None, None),
    ]
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
    assign = RosterModel(
        week,
        candidates=pick,
        detailed=False,
        counts=class_counts(c.counts),
        rules=model_rules(),
    )
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
            place=place,
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

    placing = RosterModel(week, candidates=placement_candidates(shifts), rules=model_rules())
    fix_all(placing)
    left = time_left(started, limit, at_least=0.5)
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


ASSIGN_MAX_PEOPLE = 150
BOUND_SHARE = 0.15  # of the time limit, for the covering bound of a large week


SAFETY = 0.06  # share of the limit kept for reading back, validating and explaining


def solve_decomposed(week: Week, *, limit: float, workers: int, started: float, progress):
    """A greedy roster at once (every hard rule kept by construction), then CP-SAT improves it
    within the time left: (2) assign people to shifts covering a per-interval on-shift profile
    (soft), hinted with the greedy shifts; (3) place activities with the shifts fixed. The best
    roster found is returned; the greedy one whenever nothing better comes in time."""

    inst = week.inst

    def left() -> float:
        return time_left(started, limit * (1 - SAFETY))

    t0 = time.monotonic()
    shifts, acts = greedy_roster(week, deadline=lambda: left() < limit * 0.5)
    shifts = canonical(week, shifts)
    acts = greedy_activities(week, shifts)
    bound = contract_bound(week)
    greedy_sol, report = roster_from(week, shifts, acts)
    seconds = time.monotonic() - t0
    g_stage = StageResult(
        "greedy", "FEASIBLE", report.objective, bound, seconds, elapsed(started), elapsed(started)
    )
    if progress is not None:
        progress(Progress("greedy", report.objective, bound, elapsed(started)))
    hires = inst.options.allow_hires and any(t.max_count for t in inst.hire_templates)
    short = greedy_sol.shortfall_hours() > 0
    if report.hard or (hires and short):
        # an impossible week (or one hires could help): the cover pipeline proves and explains
        # it; the greedy roster stays the answer if that pipeline finds nothing better
        other = solve_by_cover(
            week, limit=limit, workers=workers, started=started, progress=progress, stages=[g_stage]
        )
        if other.people or report.hard:
            if not other.people:
                return _fallback(week, greedy_sol, report, other, limit, workers, started)
            return other
    # a bound a manager can believe: the linear relaxation of the cover stage (same weights,
    # the people's limits in aggregate) proves what no roster can beat, usually far above the
    # contract minimums
    stages = [g_stage]
    if BOUND_SHARE > 0 and left() > 3.0:
        budget = min(left() * 0.5, limit * BOUND_SHARE)
        c = cover(week, time_limit=budget, workers=workers, bound_only=True)
        stages.append(StageResult("bound", c.status, c.objective, c.bound, c.seconds, None, None))
        if c.bound is not None and c.bound > bound:
            bound = c.bound
    best = (report.objective, shifts, acts, elapsed(started))

    def report_whole(objective: float) -> None:
        # The stages below score parts of the roster; the live indicator also hears the whole
        # roster's objective each time one of them improves it.
        if progress is not None:
            progress(Progress(WHOLE_ROSTER, objective, min(bound, objective), elapsed(started)))

    # (2) assignment against the on-shift profile, hinted with the greedy roster
    # (a week of hundreds of people: CP-SAT does not get past the hint in a minute, so the
    # time goes to placement instead; measured with bench/roster.py L)
    if left() > 3.0 and len(week.people) <= ASSIGN_MAX_PEOPLE:
        res = assign_profile(
            week,
            shifts,
            time_limit=left() * 0.5,
            workers=workers,
            started=started,
            progress=progress,
            deadline=lambda: left(),
        )
        if res is not None:
            new_shifts, stage = res
            stages.append(stage)
            if new_shifts is not None and new_shifts != shifts:
                new_acts = greedy_activities(week, new_shifts)
                _, rep = roster_from(week, new_shifts, new_acts)
                if not rep.hard and rep.objective < best[0] - 1e-9:
                    best = (rep.objective, new_shifts, new_acts, elapsed(started))
                    report_whole(rep.objective)
    # (3) place activities for the best shifts, hinted with the greedy placement
    if left() > 2.0:
        res = place_activities(
            week,
            best[1],
            best[2],
            time_limit=left(),
            workers=workers,
            started=started,
            progress=progress,
        )
        if res is not None:
            new_acts, new_stages = res
            stages.extend(new_stages)
            if new_acts is not None:
                _, rep = roster_from(week, best[1], new_acts)
                if not rep.hard and rep.objective < best[0] - 1e-9:
                    best = (rep.objective, best[1], new_acts, elapsed(started))
                    report_whole(rep.objective)
    return final(
        week,
        best[1],
        best[2],
        stages,
        limit=limit,
        workers=workers,
        started=started,
        bound=bound,
        best_at=best[3],
    )


def _fallback(week, greedy_sol, report, other, limit, workers, started):
    """The cover pipeline found no roster for a week the greedy roster could not keep either:
    return the greedy roster, naming the hard rules it breaks."""

    dropped = tuple(
        Conflict(rule=b.rule, title=b.title, staff_id=b.staff_id, day=b.day, message=b.message)
        for b in report.hard
    )
    info = other.infeasibility
    if info is None:
        info = InfeasibilityExplanation(
            message="No roster keeps every hard rule was found in time; the roster below "
            "breaks the rules listed.",
            conflicts=dropped,
            relaxed=dropped,
        )
    else:
        info = info.model_copy(update={"relaxed": dropped})
    stages = [
        StageResult(s.name, s.status, s.objective, s.best_bound, s.wall_time_seconds, None, None)
        for s in other.stats.stages
    ]
    shifts: Shifts = {}
    acts: Acts = {}
    index = {p.id: p.index for p in week.people}
    for pr in greedy_sol.people:
        pi = index[pr.staff_id]
        for rs in pr.shifts:
            shifts.setdefault(pi, []).append(Shift(week.minute(rs.start), week.minute(rs.end)))
            for seg in rs.activities:
                a, b = week.minute(seg.start), week.minute(seg.end)
                for t in range(a // week.step, b // week.step):
                    acts[pi, t] = seg.activity
    status = "INFEASIBLE" if other.stats.status == "INFEASIBLE" else "UNKNOWN"
    return final(
        week,
        shifts,
        acts,
        stages,
        limit=limit,
        workers=workers,
        started=started,
        bound=None,
        best_at=None,
        status=status,
        infeasibility=info,
    )


def profile_candidates(week: Week, shifts: Shifts, grid: int):
    """Shifts for the assignment stage: each person's usual length(s) on a grid of starts, plus
    every shift the greedy roster gave anyone interchangeable with them (same sets within a
    group, so ordering the group breaks symmetry without losing rosters)."""
    group_of: dict[int, tuple] = {}
    extra: dict[tuple, set[Shift]] = {}
    for p in week.people:
        key = p.signature or ("person", p.index)
        group_of[p.index] = key
        extra.setdefault(key, set()).update(shifts.get(p.index, []))
    cache: dict[tuple[int, int], list[Shift]] = {}

    def pick(p: Person, d: int) -> list[Shift]:
        key = (p.index, d)
        if key not in cache:
            own = week.candidates(p, d)
            if any(s.day == d for s in week.pinned(p)):
                cache[key] = own
            else:
                lengths = shift_lengths(week, p)
                mine = extra[group_of[p.index]]
                cache[key] = [
                    s for s in own if s in mine or (s.length in lengths and s.start % grid == 0)
                ]
        return cache[key]

    return pick


def assign_profile(week, shifts, *, time_limit, workers, started, progress, deadline):
    """Who works which shift, every person rule kept, covering a per-interval profile of
    counsellors on shift (soft, penalised like a shortfall) instead of fixed shift counts."""

    inst = week.inst
    step = week.step
    t_build = time.monotonic()
    grid = 60 if len(week.people) <= 120 else 120
    pick = profile_candidates(week, shifts, grid)
    rules = [r for r in ALL_RULES if r.key != "coverage"]
    rm = RosterModel(week, candidates=pick, detailed=False, rules=rules)
    on_greedy = [0] * week.n_intervals
    for p in week.people:
        if p.counsellor:
            for s in shifts.get(p.index, []):
                for t in range(s.start // step, s.end // step):
                    on_greedy[t] += 1
    # on shift: the requirement plus room for meal breaks and the daily line cap, but never
    # more than the greedy roster has (so its shifts are a hint with no penalty)
    w = inst.weights.shortfall_per_hour * step
    for t, need in week.required.items():
        if need <= 0:
            continue
        target = min(on_greedy[t], need + -(-need // 4) + 1)
        on = lsum(v for p in week.people if p.counsellor for v in rm.on_shift_at(p, t))
        short = rm.m.new_int_var(0, target, f"profile_short_{t}")
        rm.m.add(on + short >= target)
        rm.terms.append(Term("coverage", w, short))
    rm.m.minimize(lsum(t.coef * t.expr for t in rm.terms if t.coef))
    complete_hint(rm, shifts, set(), workers=workers, seed=inst.options.seed)
    built = time.monotonic() - t_build
    limit = min(time_limit, deadline())
    if limit < 1.0:
        return None
    solver, res = run_stage(
        "assign",
        rm.m,
        time_limit=limit,
        workers=workers,
        seed=inst.options.seed,
        started=started,
        progress=progress,
    )
    res.seconds += built
    if res.status not in ("OPTIMAL", "FEASIBLE"):
        return None, res
    return chosen_shifts(rm, solver), res


def placement_model(week: Week, shifts: Shifts, acts: Acts, *, workers: int) -> RosterModel:
    """The placement model of fixed shifts, hinted with a whole roster built from `acts`."""
    rm = RosterModel(
        week, candidates=placement_candidates(shifts), rules=model_rules(line_blocks=True)
    )
    fix_all(rm)
    # pinned activities (published or hand-placed) may already put more on the line than needed
    if not week.inst.language_covers and not week.inst.published and not week.inst.hand_pinned:
        per: dict[int, list] = {}
        for (_pi, _d, t), v in rm.line.items():
            per.setdefault(t, []).append(v)
        for t, vs in per.items():
            rm.m.add(lsum(vs) <= week.required.get(t, 0))
    line = {(pi, t) for (pi, t), a in acts.items() if a == Activity.LINE}
    complete_hint(rm, shifts, line, workers=workers, seed=week.inst.options.seed)
    return rm


def place_activities(week, shifts, acts, *, time_limit, workers, started, progress):
    """Meal breaks, line time, decompression and debriefs with the shifts fixed, hinted with
    the greedy placement; never more counsellors on the line than required (nothing gains from
    it) unless language cover asks for speakers. The switches on and off the line are in the
    same objective: solved in a second, lexicographic stage, the first stage's placement left so
    many that the rest of the time did not bring them back to the greedy roster's (bench/roster.py
    at 60 s: M 2492.5 points against 1915.5 in one stage; L kept the greedy roster, 11562.5,
    against 9615)."""

    t_build = time.monotonic()
    rm = placement_model(week, shifts, acts, workers=workers)
    built = time.monotonic() - t_build
    limit = time_limit - built
    if limit < 1.0:
        return None
    solver, res = run_stage(
        "place",
        rm.m,
        time_limit=limit,
        workers=workers,
        seed=week.inst.options.seed,
        started=started,
        progress=progress,
    )
    res.seconds += built
    if res.status not in ("OPTIMAL", "FEASIBLE"):
        return None, [res]
    return activities(rm, solver), [res]
