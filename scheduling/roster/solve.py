"""Solve a RosterInstance: the entry point is `solve(instance, progress=...)`.

Small weeks are solved in one CP-SAT model (the full model) and usually proven optimal. Large
weeks (many people, 24/7, 15-minute intervals) are decomposed (see decompose.py): cover the
requirement with shift counts, assign people to those shifts, then place activities.

A week that cannot keep every hard rule is never returned as a bare INFEASIBLE: the hard rules
get assumption literals, CP-SAT names a set that cannot hold together, and a relaxed solve
returns the best roster that drops as few of them as possible.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduling.roster import explain
from scheduling.roster.extract import activities, chosen_shifts, people_rosters
from scheduling.roster.model import RosterModel, solver_for
from scheduling.roster.rules import RULES_BY_KEY, model_rules
from scheduling.roster.rules.base import SCALE, lsum
from scheduling.roster.rules.line_blocks import switch_points
from scheduling.roster.schema import (
    Activity,
    CoverageRow,
    Flag,
    InfeasibilityExplanation,
    PersonRoster,
    RosterInstance,
    RosterSolution,
    SolveStats,
    StageStats,
)
from scheduling.roster.validate import validate
from scheduling.roster.week import Shift, Week

FULL_MODEL_MAX_SHIFT_VARS = 40_000


@dataclass(frozen=True)
class Progress:
    """One improvement during a solve (for a live indicator on the page)."""

    stage: str
    objective: float
    best_bound: float
    seconds: float


ProgressFn = Callable[[Progress], None]


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

    def on_solution_callback(self) -> None:
        now = time.monotonic() - self.started
        self.first = now if self.first is None else self.first
        self.best = now
        if self.progress is not None:
            bound = self.best_objective_bound / SCALE
            if self.floor is not None:
                bound = min(max(bound, self.floor), self.objective_value / SCALE)
            if self.ceiling is not None:
                bound = min(bound, self.ceiling)
            self.progress(Progress(self.stage, self.objective_value / SCALE, bound, now))


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
            status=self.status,
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


def shift_var_count(week: Week) -> int:
    return sum(len(week.candidates(p, d)) for p in week.people for d in range(7))


def solve(
    instance: RosterInstance,
    *,
    progress: ProgressFn | None = None,
    time_limit: float | None = None,
    workers: int | None = None,
) -> RosterSolution:
    """Roster the week. Time limit and workers default to instance.options."""
    opts = instance.options
    limit = time_limit if time_limit is not None else opts.time_limit_seconds
    workers = workers if workers is not None else opts.workers
    started = time.monotonic()
    week = Week(instance)
    method = opts.method
    if method == "auto":
        method = "full" if shift_var_count(week) <= FULL_MODEL_MAX_SHIFT_VARS else "decomposed"
    if method == "decomposed":
        from scheduling.roster.decompose import solve_decomposed

        sol = solve_decomposed(
            week, limit=limit, workers=workers, started=started, progress=progress
        )
    else:
        sol = _solve_full(week, limit=limit, workers=workers, started=started, progress=progress)
    # the whole solve, whichever phase's roster is returned (first and best are already
    # measured from `started`)
    stats = sol.stats.model_copy(update={"wall_time_seconds": round(time.monotonic() - started, 3)})
    return sol.model_copy(update={"stats": stats})


@dataclass
class GreedyStart:
    """The greedy roster of a week (greedy.py): the first roster, the warm start of the full
    model and its fallback when it keeps every hard rule."""

    shifts: dict[int, list[Shift]]
    acts: dict[tuple[int, int], Activity]
    objective: float
    keeps_rules: bool
    hires_may_help: bool  # it leaves a shortfall or breaks a hard rule
    stage: StageResult

    @property
    def hint(self) -> tuple[dict[int, list[Shift]], set[tuple[int, int]]]:
        return self.shifts, {k for k, a in self.acts.items() if a == Activity.LINE}


def greedy_start(
    week: Week,
    *,
    name: str,
    started: float,
    progress: ProgressFn | None,
    hires: bool = False,
) -> GreedyStart:
    from scheduling.roster.decompose import canonical, contract_bound, roster_from
    from scheduling.roster.greedy import greedy_activities, greedy_shifts

    t0 = time.monotonic()
    shifts = canonical(week, greedy_shifts(week, hires=hires))
    acts = greedy_activities(week, shifts)
    _draft, report = roster_from(week, shifts, acts)
    now = time.monotonic() - started
    keeps = not report.hard
    bound = contract_bound(week)
    stage = StageResult(
        name,
        "FEASIBLE" if keeps else "INFEASIBLE",
        report.objective,
        bound if keeps else None,
        time.monotonic() - t0,
        now if keeps else None,
        now if keeps else None,
    )
    if keeps and progress is not None:
        progress(Progress(name, report.objective, min(bound, report.objective), now))
    helps = any(report.points.get(k, 0) > 0 for k in HIRE_HELPS)
    return GreedyStart(shifts, acts, report.objective, keeps, helps or not keeps, stage)


HIRE_HELPS = ("coverage", "min_on_duty", "skill_cover", "language_cover")
HIRES = "with hires: "  # stage names of the phase with hire slots


def _hires_may_help(sol: RosterSolution) -> bool:
    return (
        sol.infeasibility is not None
        or not sol.people
        or any(sol.stats.objective_by_rule.get(k, 0) > 0 for k in HIRE_HELPS)
    )


def _solve_full(week, *, limit, workers, started, progress) -> RosterSolution:
    """Staff first; hires only when the staff leave a shortfall or cannot keep the hard rules
    (hire slots make the model much harder, and a hire only ever pays for cover). The greedy
    roster warm-starts the staff phase at once, and tells whether hires may help: if not, the
    staff phase gets the whole time limit."""
    inst = week.inst
    kw = {"limit": limit, "workers": workers, "started": started, "progress": progress}
    hires = inst.options.allow_hires and any(t.max_count for t in inst.hire_templates)
    if not hires:
        greedy = greedy_start(week, name="greedy", started=started, progress=progress)
        return _full_phase(week, end=limit, greedy=greedy, **kw)
    opts = inst.options.model_copy(update={"allow_hires": False})
    staff_week = Week(inst.model_copy(update={"options": opts}))
    greedy = greedy_start(staff_week, name="greedy", started=started, progress=progress)
    first = _full_phase(
        staff_week, end=limit * 0.5 if greedy.hires_may_help else limit, greedy=greedy, **kw
    )

    def left() -> float:
        return limit - (time.monotonic() - started)

    if not _hires_may_help(first):
        if first.stats.status != "FEASIBLE" or _proven(first) or left() < 1.0:
            return first
        # the staff's roster needs no hire but is not proven best: go on from it
        more = _full_phase(
            staff_week,
            end=limit,
            hint=hint_from_solution(staff_week, first),
            name="full (continued)",
            floor=first.stats.best_bound,
            **kw,
        )
        return _better(first, more, both_bounds=True)
    if left() < 1.0:
        return first
    hint, hire_greedy = None, None
    if first.infeasibility is None and first.people:
        hint = hint_from_solution(week, first)  # a roster of the staff keeps every rule
    else:
        hire_greedy = greedy_start(
            week, name=HIRES + "greedy", started=started, progress=progress, hires=True
        )
    second = _full_phase(
        week, end=limit, hint=hint, greedy=hire_greedy, name=HIRES + "full", prefix=HIRES, **kw
    )
    stages = first.stats.stages + second.stats.stages
    if first.infeasibility is not None:
        if second.infeasibility is None and second.stats.objective is not None:
            info = first.infeasibility.model_copy(
                update={
                    "message": "With the current staff: "
                    + first.infeasibility.message
                    + " The roster below adds the hires advised to keep every rule.",
                    "relaxed": (),
                }
            )
            return second.model_copy(
                update={
                    "infeasibility": info,
                    "stats": second.stats.model_copy(update={"stages": stages}),
                }
            )
        return first.model_copy(update={"stats": first.stats.model_copy(update={"stages": stages})})
    return _better(first, second)


def _proven(sol: RosterSolution) -> bool:
    """The full model's first stage was proven optimal (only the line-blocks stage was not)."""
    return any(st.name == "full" and st.status == "OPTIMAL" for st in sol.stats.stages)


def _better(a: RosterSolution, b: RosterSolution, *, both_bounds: bool = False) -> RosterSolution:
    """The lower objective of two rosters (a on a tie), with both phases' stages. both_bounds:
    the two solved the same model, so the higher of their bounds holds for either."""
    better = b.stats.objective is not None and (
        a.stats.objective is None or b.stats.objective < a.stats.objective - 1e-9
    )
    chosen = b if better else a
    update = {"stages": a.stats.stages + b.stats.stages}
    bounds = [x.stats.best_bound for x in (a, b) if x.stats.best_bound is not None]
    obj = chosen.stats.objective
    if both_bounds and bounds and obj is not None:
        bound = min(max(bounds), obj)
        gap = max(0.0, (obj - bound) / max(abs(obj), 1e-9))
        update.update(best_bound=round(bound, 4), gap=round(gap, 6))
        if chosen.stats.status == "FEASIBLE" and gap < 1e-9:
            update["status"] = "OPTIMAL"
    return chosen.model_copy(update={"stats": chosen.stats.model_copy(update=update)})


def hint_from_solution(week: Week, sol: RosterSolution):
    index = {p.id: p.index for p in week.people}
    shifts: dict[int, list[Shift]] = {}
    line: set[tuple[int, int]] = set()
    for pr in sol.people:
        pi = index.get(pr.staff_id)
        if pi is None:
            continue
        for rs in pr.shifts:
            shifts.setdefault(pi, []).append(Shift(week.minute(rs.start), week.minute(rs.end)))
            for seg in rs.activities:
                if seg.activity == Activity.LINE:
                    a, b = week.minute(seg.start), week.minute(seg.end)
                    line.update((pi, t) for t in range(a // week.step, b // week.step))
    return shifts, line


def _full_phase(
    week,
    *,
    end,
    limit,
    workers,
    started,
    progress,
    greedy: GreedyStart | None = None,
    hint=None,
    name: str = "full",
    prefix: str = "",
    floor: float | None = None,
):
    """One CP-SAT solve of the full model until `end` (seconds after the start), warm-started
    with the hint or the greedy roster (its whole assignment, so CP-SAT starts from a roster at
    once). The greedy roster is returned if CP-SAT finds nothing better in time."""
    from scheduling.roster.decompose import _final, complete_hint, contract_bound

    seed = week.inst.options.seed
    kw = {"method": "full", "workers": workers, "limit": limit, "started": started}
    stages: list[StageResult] = []

    def left() -> float:
        return end - (time.monotonic() - started)

    fallback = None
    if greedy is not None:
        stages.append(greedy.stage)
        if greedy.keeps_rules:
            fallback = greedy
        if hint is None:
            hint = greedy.hint
    rm = RosterModel(week, rules=model_rules())
    if hint is not None:
        complete_hint(rm, *hint, workers=workers, seed=seed, time_limit=min(3.0, left() * 0.2))
    solver, res = run_stage(
        name,
        rm.m,
        time_limit=max(0.5, left() - line_blocks_reserve(limit)),
        workers=workers,
        seed=seed,
        started=started,
        progress=progress,
        floor=floor,
    )
    stages.append(res)
    if res.status in ("OPTIMAL", "FEASIBLE") and (
        fallback is None or res.objective <= fallback.objective + 1e-9
    ):
        # OPTIMAL when both stages are proven (lexicographic: the gap then shows the switch
        # points), or when the first is and the roster has no switch to count (gap 0)
        status = "FEASIBLE"
        bound = res.bound if floor is None else max(res.bound, floor)
        budget = min(LINE_BLOCKS_SHARE * limit, left())
        if budget >= 0.3:
            second = line_blocks_stage(
                rm,
                solver,
                name=prefix + "line blocks",
                time_limit=budget,
                workers=workers,
                seed=seed,
                started=started,
                progress=progress,
                bound=bound,
            )
            if second is not None:
                solver, res2 = second
                stages.append(res2)
                if res.status == res2.status == "OPTIMAL":
                    status = "OPTIMAL"
        sol = finish(week, rm, solver, stages, status=status, bound=res.bound, **kw)
        if stages[-1] is res and progress is not None and sol.stats.objective is not None:
            # no line-blocks stage came back: the roster's switches are counted on top of the
            # objective the first stage reported
            now = time.monotonic() - started
            progress(Progress(name, sol.stats.objective, min(bound, sol.stats.objective), now))
        if fallback is None or sol.stats.objective <= fallback.objective + 1e-9:
            return sol
    if res.status == "INFEASIBLE":
        return explain_infeasible(
            week,
            stages,
            progress=progress,
            phase_limit=end,
            hint=greedy.hint if greedy is not None else hint,
            prefix=prefix,
            **kw,
        )
    if fallback is not None:
        bound = res.bound if res.bound is not None else contract_bound(week)
        return _final(
            week,
            fallback.shifts,
            fallback.acts,
            stages,
            limit=limit,
            workers=workers,
            started=started,
            bound=min(bound, fallback.objective),
            best_at=fallback.stage.best,
            method="full",
        )
    return empty_solution(week, stages, status=res.status, **kw)


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
    res.bound = bound if bound is None else min(bound, res.objective)
    return second, res


def explain_infeasible(
    week: Week,
    stages: list[StageResult],
    *,
    method: str,
    workers: int,
    limit: float,
    started: float,
    progress: ProgressFn | None,
    candidates=None,
    detailed: bool = True,
    counts=None,
    phase_limit: float | None = None,
    hint=None,
    prefix: str = "",
) -> RosterSolution:
    """Name the hard rules that cannot hold together, then return the best roster without them
    (warm-started with `hint`, a roster that keeps the other rules, when there is one)."""
    seed = week.inst.options.seed
    end = phase_limit if phase_limit is not None else limit
    left = max(1.0, end - (time.monotonic() - started))
    kw = {"candidates": candidates, "detailed": detailed, "counts": counts, "rules": model_rules()}
    guarded = RosterModel(week, guard_mode="assume", **kw)
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
        budget = max(1.0, end - (time.monotonic() - started)) * 0.3
        core = minimize_core(guarded, core, budget=budget, workers=workers, seed=seed)
        core_keys = [by_index[i] for i in core]
    left = max(1.0, end - (time.monotonic() - started))
    relaxed = RosterModel(week, guard_mode="relax", **kw)
    if hint is not None:
        from scheduling.roster.decompose import complete_hint

        complete_hint(relaxed, *hint, workers=workers, seed=seed, time_limit=min(3.0, left * 0.2))
        left = max(1.0, end - (time.monotonic() - started))
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
        from scheduling.roster.decompose import place

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


def coverage_rows(week: Week, people: list[PersonRoster]) -> list[CoverageRow]:
    on_line: dict[int, int] = {}
    on_duty: dict[int, int] = {}
    for pr in people:
        for s in pr.shifts:
            for seg in s.activities:
                a, b = week.minute(seg.start), week.minute(seg.end)
                for t in range(a // week.step, b // week.step):
                    if seg.activity == Activity.LINE:
                        on_line[t] = on_line.get(t, 0) + 1
                    if seg.activity != Activity.MEAL:
                        on_duty[t] = on_duty.get(t, 0) + 1
    rows = []
    for t in week.open:
        need = week.required[t]
        got = on_line.get(t, 0)
        rows.append(
            CoverageRow(
                start=week.at(t * week.step),
                end=week.at((t + 1) * week.step),
                required=need,
                on_line=got,
                on_duty=on_duty.get(t, 0),
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
    week,
    people,
    stages,
    *,
    method,
    workers,
    limit,
    started,
    status,
    objective,
    bound,
    by_rule,
    infeasibility=None,
) -> RosterSolution:
    firsts = [s.first for s in stages if s.first is not None]
    bests = [s.best for s in stages if s.best is not None]
    gap = None
    if objective is not None and bound is not None:
        gap = max(0.0, (objective - bound) / max(abs(objective), 1e-9))
        if status == "FEASIBLE" and gap < 1e-9:
            status = "OPTIMAL"
    draft = RosterSolution(
        site_name=week.inst.site_name,
        timezone=week.inst.timezone,
        week_start=week.inst.week_start,
        interval_minutes=week.step,
        stats=SolveStats(
            status=status,
            objective=round(objective, 4) if objective is not None else None,
            best_bound=round(bound, 4) if bound is not None else None,
            gap=round(gap, 6) if gap is not None else None,
            wall_time_seconds=round(time.monotonic() - started, 3),
            first_solution_seconds=round(min(firsts), 3) if firsts else None,
            best_solution_seconds=round(max(bests), 3) if bests else None,
            method=method,
            workers=workers,
            time_limit_seconds=limit,
            stages=tuple(s.stats() for s in stages),
            objective_by_rule={k: round(v, 4) for k, v in sorted(by_rule.items()) if v},
        ),
        people=tuple(people),
        coverage=tuple(coverage_rows(week, people)),
        infeasibility=infeasibility,
    )
    report = validate(week.inst, draft)
    return draft.model_copy(
        update={
            "broken_rules": tuple(report.breaks),
            "hires": tuple(explain.hire_advice(week, draft)),
            "flags": tuple(explain.flags(week, draft, report)),
        }
    )


def empty_solution(
    week, stages, *, method, workers, limit, started, status, infeasibility=None
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
