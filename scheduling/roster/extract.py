"""Read a solved model back into the solution's people, shifts and activity segments."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduling.roster.model import RosterModel
from scheduling.roster.schema import Activity, ActivitySegment, PersonRoster, RosteredShift
from scheduling.roster.week import Shift, Week


def segments(week: Week, shift: Shift, activity_at: dict[int, Activity]) -> list[ActivitySegment]:
    """Merge per-interval activities of a shift into segments (intervals not given: off-line)."""
    out: list[ActivitySegment] = []
    cur: Activity | None = None
    seg_start = shift.start
    for t in range(shift.start // week.step, shift.end // week.step):
        a = activity_at.get(t, Activity.OFFLINE)
        if a != cur:
            if cur is not None:
                out.append(_seg(week, cur, seg_start, t * week.step))
            cur, seg_start = a, t * week.step
    if cur is not None:
        out.append(_seg(week, cur, seg_start, shift.end))
    return out


def _seg(week: Week, activity: Activity, start: int, end: int) -> ActivitySegment:
    return ActivitySegment(activity=activity, start=week.at(start), end=week.at(end))


def chosen_shifts(rm: RosterModel, solver: cp_model.CpSolver) -> dict[int, list[Shift]]:
    out: dict[int, list[Shift]] = {}
    for (pi, _d), pairs in rm.x.items():
        for s, v in pairs:
            if solver.boolean_value(v):
                out.setdefault(pi, []).append(s)
    return out


def activities(rm: RosterModel, solver: cp_model.CpSolver) -> dict[tuple[int, int], Activity]:
    """(person index, interval) -> activity for every non-off-line interval."""
    out: dict[tuple[int, int], Activity] = {}
    for source, act in (
        (rm.line, Activity.LINE),
        (rm.meal, Activity.MEAL),
        (rm.dec, Activity.DECOMPRESSION),
        (rm.deb, Activity.DEBRIEF),
    ):
        for (pi, _d, t), expr in source.items():
            if solver.value(expr) >= 1:
                out[pi, t] = act
    return out


def people_rosters(
    week: Week,
    shifts: dict[int, list[Shift]],
    acts: dict[tuple[int, int], Activity],
) -> list[PersonRoster]:
    pinned = {(p.id, s) for p in week.people for s in week.pinned(p)}
    by_person: dict[int, dict[int, Activity]] = {}
    for (pi, t), a in acts.items():
        by_person.setdefault(pi, {})[t] = a
    rosters = []
    for p in week.people:
        mine = sorted(shifts.get(p.index, []))
        if p.hire is not None and not mine:
            continue
        rostered = []
        line = 0
        for s in mine:
            mine_acts = by_person.get(p.index, {})
            at = {
                t: mine_acts[t]
                for t in range(s.start // week.step, s.end // week.step)
                if t in mine_acts
            }
            line += sum(week.step for a in at.values() if a == Activity.LINE)
            rostered.append(
                RosteredShift(
                    start=week.at(s.start),
                    end=week.at(s.end),
                    activities=tuple(segments(week, s, at)),
                    pinned=(p.id, s) in pinned,
                )
            )
        rosters.append(
            PersonRoster(
                staff_id=p.id,
                display_name=p.name,
                hire_template=p.hire.key if p.hire else None,
                shifts=tuple(rostered),
                shift_minutes=sum(s.length for s in mine),
                line_minutes=line,
            )
        )
    return rosters
