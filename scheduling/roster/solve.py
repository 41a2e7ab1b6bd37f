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
from scheduling.roster.model import SCALE, RosterModel, add_hint, solver_for
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
    def __init__(self, stage: str, started: float, progress: ProgressFn | None) -> None:
        super().__init__()
        self.stage, self.started, self.progress = stage, started, progress
        self.first: float | None = None
        self.best: float | None = None

    def on_solution_callback(self) -> None:
        now = time.monotonic() - self.started
        self.first = now if self.first is None else self.first
        self.best = now
        if self.progress is not None:
            self.progress(
                Progress(
                    self.stage,
                    self.objective_value / SCALE,
                    self.best_objective_bound / SCALE,
                    now,
                )
            )


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
    hint_free: bool = False,
) -> tuple[cp_model.CpSolver, StageResult]:
    solver = solver_for(time_limit, workers, seed)
    watcher = _Watcher(name, started, progress)
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

        return solve_decomposed(
            week, limit=limit, workers=workers, started=started, progress=progress
        )
    return _solve_full(week, limit=limit, workers=workers, started=started, progress=progress)


def warm_start(week: Week, *, limit: float, workers: int):
    """A quick decomposed roster to hint the full model (None if it finds nothing)."""
    from scheduling.roster.decompose import (
        assignment_candidates,
        class_counts,
        cover,
        fix_all,
        placement_candidates,
    )

    t0 = time.monotonic()
    seed = week.inst.options.seed
    c = cover(week, time_limit=limit * 0.4, workers=workers)
    if not c.counts:
        return None
    pick = assignment_candidates(week, c.counts)
    assign = RosterModel(week, candidates=pick, detailed=False, counts=class_counts(c.counts))
    solver = solver_for(limit * 0.3, workers, seed)
    if solver.solve(assign.m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    shifts = chosen_shifts(assign, solver)
    placing = RosterModel(week, candidates=placement_candidates(shifts))
    fix_all(placing)
    solver = solver_for(limit * 0.3, workers, seed)
    status = solver.solve(placing.m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    line = {(pi, t) for (pi, _d, t), v in placing.line.items() if solver.boolean_value(v)}
    stage = StageResult(
        "warm start",
        solver.status_name(status),
        solver.objective_value / SCALE,
        None,
        time.monotonic() - t0,
        None,
        None,
    )
    return shifts, line, stage


HIRE_HELPS = ("coverage", "min_on_duty", "skill_cover", "language_cover")


def _solve_full(week, *, limit, workers, started, progress) -> RosterSolution:
    """Staff first; hires only when the staff leave a shortfall or cannot keep the hard rules
    (hire slots make the model much harder, and a hire only ever pays for cover)."""
    inst = week.inst
    hires = inst.options.allow_hires and any(t.max_count for t in inst.hire_templates)
    if not hires:
        return _full_phase(
            week,
            phase_limit=limit,
            limit=limit,
            workers=workers,
            started=started,
            progress=progress,
        )
    opts = inst.options.model_copy(update={"allow_hires": False})
    staff_week = Week(inst.model_copy(update={"options": opts}))
    first = _full_phase(
        staff_week,
        phase_limit=limit * 0.5,
        limit=limit,
        workers=workers,
        started=started,
        progress=progress,
    )
    helped = first.infeasibility is not None or any(
        first.stats.objective_by_rule.get(k, 0) > 0 for k in HIRE_HELPS
    )
    if not helped or limit - (time.monotonic() - started) < 1.0:
        return first
    second = _full_phase(
        week,
        phase_limit=limit,
        limit=limit,
        workers=workers,
        started=started,
        progress=progress,
        hint=hint_from_solution(week, first),
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
        return first
    better = second.stats.objective is not None and second.stats.objective < first.stats.objective
    chosen = second if better else first
    return chosen.model_copy(update={"stats": chosen.stats.model_copy(update={"stages": stages})})


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


def _full_phase(week, *, phase_limit, limit, workers, started, progress, hint=None):
    """A short plain solve first (small weeks are often proven optimal in seconds); if it is
    not done, a quick decomposed roster (or the caller's hint) warm-starts a second solve."""
    seed = week.inst.options.seed
    kw = {"method": "full", "workers": workers, "limit": limit, "started": started}
    stages: list[StageResult] = []

    def left() -> float:
        return phase_limit - (time.monotonic() - started)

    rm = RosterModel(week)
    if hint is not None:
        add_hint(rm, *hint)
    solver, res = run_stage(
        "full",
        rm.m,
        time_limit=min(left(), max(5.0, 0.25 * left())),
        workers=workers,
        seed=seed,
        started=started,
        progress=progress,
    )
    stages.append(res)
    if res.status == "OPTIMAL" or (res.status != "INFEASIBLE" and left() < 1.0):
        if res.status in ("OPTIMAL", "FEASIBLE"):
            return finish(week, rm, solver, stages, status=res.status, bound=res.bound, **kw)
        return empty_solution(week, stages, status=res.status, **kw)
    if res.status == "INFEASIBLE":
        return explain_infeasible(week, stages, progress=progress, phase_limit=phase_limit, **kw)
    best = res
    best_hint = None
    if res.status == "FEASIBLE":
        best_hint = (
            chosen_shifts(rm, solver),
            {(pi, t) for (pi, _d, t), v in rm.line.items() if solver.boolean_value(v)},
        )
    if hint is None:
        warm = warm_start(week, limit=left() * 0.3, workers=workers)
        if warm is not None:
            shifts, line, stage = warm
            stages.append(stage)
            if best_hint is None or (stage.objective or 0) < (res.objective or 0):
                best_hint = (shifts, line)
    rm2 = RosterModel(week)
    if best_hint is not None:
        add_hint(rm2, *best_hint)
    solver2, res2 = run_stage(
        "full (warm)",
        rm2.m,
        time_limit=left(),
        workers=workers,
        seed=seed,
        started=started,
        progress=progress,
    )
    stages.append(res2)
    bound = (
        max(b for b in (res.bound, res2.bound) if b is not None)
        if (res.bound is not None or res2.bound is not None)
        else None
    )
    if res2.status in ("OPTIMAL", "FEASIBLE") and (
        best.objective is None or res2.objective <= best.objective + 1e-9
    ):
        return finish(week, rm2, solver2, stages, status=res2.status, bound=bound, **kw)
    if best.status == "FEASIBLE":
        return finish(week, rm, solver, stages, status="FEASIBLE", bound=bound, **kw)
    return empty_solution(week, stages, status=res2.status, **kw)


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
) -> RosterSolution:
    """Name the hard rules that cannot hold together, then return the best roster without them."""
    seed = week.inst.options.seed
    end = phase_limit if phase_limit is not None else limit
    left = max(1.0, end - (time.monotonic() - started))
    kw = {"candidates": candidates, "detailed": detailed, "counts": counts}
    guarded = RosterModel(week, guard_mode="assume", **kw)
    solver, res = run_stage(
        "conflict",
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
    solver, res = run_stage(
        "relaxed",
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
    """Deletion filter: drop each assumption whose removal keeps the week infeasible, so the
    conflict names only rules that matter. Stops at the time budget with what it has."""
    deadline = time.monotonic() + budget
    lits = {lit.index: lit for lit in rm.guards.values()}
    keep = list(core)
    for lit in list(core):
        left = deadline - time.monotonic()
        if left <= 0.05 or len(keep) <= 1:
            break
        trial = [i for i in keep if i != lit]
        rm.m.clear_assumptions()
        rm.m.add_assumptions([lits[i] for i in trial])
        solver = solver_for(min(left, 2.0), workers, seed)
        solver.parameters.stop_after_first_solution = True
        if solver.solve(rm.m) == cp_model.INFEASIBLE:
            keep = trial
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
    people = people_rosters(week, shifts, activities(rm, solver))
    by_rule: dict[str, float] = {}
    for term in rm.terms:
        by_rule[term.rule] = (
            by_rule.get(term.rule, 0.0) + term.coef * solver.value(term.expr) / SCALE
        )
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
