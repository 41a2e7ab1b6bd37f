"""The full model for small weeks: one CP-SAT model of who works when and what each person does
in every interval, warm-started with the greedy roster, then the lexicographic line-blocks
stage; hires only when the staff cannot cover the week."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TypedDict

from scheduling.roster.greedy import canonical, greedy_activities, greedy_shifts
from scheduling.roster.infeasible import explain_infeasible
from scheduling.roster.model import RosterModel
from scheduling.roster.quality import relative_gap
from scheduling.roster.result import contract_bound, empty_solution, final, finish, roster_from
from scheduling.roster.rules import model_rules
from scheduling.roster.schema import Activity, RosterSolution
from scheduling.roster.stages import (
    LINE_BLOCKS_SHARE,
    Hint,
    Progress,
    ProgressFn,
    StageResult,
    complete_hint,
    elapsed,
    line_blocks_reserve,
    line_blocks_stage,
    run_stage,
    time_left,
)
from scheduling.roster.week import Shift, Week


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
    def hint(self) -> Hint:
        return self.shifts, {k for k, a in self.acts.items() if a == Activity.LINE}


def greedy_start(
    week: Week,
    *,
    name: str,
    started: float,
    progress: ProgressFn | None,
    hires: bool = False,
) -> GreedyStart:

    t0 = time.monotonic()
    shifts = canonical(week, greedy_shifts(week, hires=hires))
    acts = greedy_activities(week, shifts)
    _sol, report = roster_from(week, shifts, acts)
    now = elapsed(started)
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


class _PhaseArgs(TypedDict):
    limit: float
    workers: int
    started: float
    progress: ProgressFn | None


class _RunArgs(TypedDict):
    method: str
    workers: int
    limit: float
    started: float


def solve_full(
    week: Week, *, limit: float, workers: int, started: float, progress: ProgressFn | None
) -> RosterSolution:
    """Staff first; hires only when the staff leave a shortfall or cannot keep the hard rules
    (hire slots make the model much harder, and a hire only ever pays for cover). The greedy
    roster warm-starts the staff phase at once, and tells whether hires may help: if not, the
    staff phase gets the whole time limit."""
    inst = week.inst
    kw: _PhaseArgs = {"limit": limit, "workers": workers, "started": started, "progress": progress}
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
        return time_left(started, limit)

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
    update: dict[str, object] = {"stages": a.stats.stages + b.stats.stages}
    firsts = [x.stats.first_solution_seconds for x in (a, b)]
    known = [t for t in firsts if t is not None]
    if known:  # the whole solve's first roster, whichever phase's roster is returned
        update["first_solution_seconds"] = min(known)
    bounds = [x.stats.best_bound for x in (a, b) if x.stats.best_bound is not None]
    obj = chosen.stats.objective
    if both_bounds and bounds and obj is not None:
        bound = min(max(bounds), obj)
        gap = relative_gap(obj, bound)
        update.update(best_bound=round(bound, 4), gap=round(gap, 6))
        if chosen.stats.status == "FEASIBLE" and gap < 1e-9:
            update["status"] = "OPTIMAL"
    return chosen.model_copy(update={"stats": chosen.stats.model_copy(update=update)})


def hint_from_solution(week: Week, sol: RosterSolution) -> Hint:
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
    week: Week,
    *,
    end: float,
    limit: float,
    workers: int,
    started: float,
    progress: ProgressFn | None,
    greedy: GreedyStart | None = None,
    hint: Hint | None = None,
    name: str = "full",
    prefix: str = "",
    floor: float | None = None,
) -> RosterSolution:
    """One CP-SAT solve of the full model until `end` (seconds after the start), warm-started
    with the hint or the greedy roster (its whole assignment, so CP-SAT starts from a roster at
    once). The greedy roster is returned if CP-SAT finds nothing better in time."""

    seed = week.inst.options.seed
    kw: _RunArgs = {"method": "full", "workers": workers, "limit": limit, "started": started}
    stages: list[StageResult] = []

    def left() -> float:
        return time_left(started, end)

    fallback = None
    if greedy is not None:
        stages.append(greedy.stage)
        if greedy.keeps_rules:
            fallback = greedy
        if hint is None:
            hint = greedy.hint
    rm = RosterModel(week, rules=model_rules())
    if hint is not None:
        complete_hint(
            rm,
            *hint,
            workers=workers,
            seed=seed,
            time_limit=min(3.0, left() * 0.2),
            best_activities=True,
        )
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
    if (
        res.objective is not None
        and res.bound is not None
        and (fallback is None or res.objective <= fallback.objective + 1e-9)
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
        objective = sol.stats.objective
        if stages[-1] is res and progress is not None and objective is not None:
            # no line-blocks stage came back: the roster's switches are counted on top of the
            # objective the first stage reported
            now = elapsed(started)
            progress(Progress(name, objective, min(bound, objective), now))
        if fallback is None or (objective is not None and objective <= fallback.objective + 1e-9):
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
        return final(
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
