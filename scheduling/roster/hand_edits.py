"""A manager's hand edits of a solved roster: move, add or remove a shift, or change what a
shift does for a while. Each edit is checked (times on the grid, inside opening hours, a known
person, no overlap with the person's other shifts) and the edited roster is scored again by the
validator, so its broken rules, coverage, flags and hire advice are those of the roster as
edited. A bad edit raises EditError and changes nothing.

"Re-optimise around my edits" solves again with the shifts the edits placed kept as they are
(RosterInstance.hand_pinned) and no shift where one was removed (hand_removed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from scheduling.domain import Frozen
from scheduling.roster import explain
from scheduling.roster.extract import segments
from scheduling.roster.greedy import greedy_activities
from scheduling.roster.quality import relative_gap
from scheduling.roster.result import coverage_rows
from scheduling.roster.schema import (
    Activity,
    PersonRoster,
    PlannedShift,
    RosteredShift,
    RosterInstance,
    RosterSolution,
    RuleBreak,
    SolveOptions,
    SolveStatus,
)
from scheduling.roster.validate import validate
from scheduling.roster.week import WEEK, Shift, Week

ACTIVITY_WORDS = {
    Activity.LINE: "on the line",
    Activity.MEAL: "meal break",
    Activity.OFFLINE: "off-line work",
    Activity.DECOMPRESSION: "decompression",
    Activity.DEBRIEF: "debrief",
}


class EditError(ValueError):
    """An edit that cannot be made, in a manager's words; the roster is left as it was."""


class MoveShift(Frozen):
    kind: Literal["move"] = "move"
    staff_id: str
    shift_start: AwareDatetime = Field(description="start of the shift to move")
    start: AwareDatetime
    end: AwareDatetime


class AddShift(Frozen):
    kind: Literal["add"] = "add"
    staff_id: str
    start: AwareDatetime
    end: AwareDatetime


class RemoveShift(Frozen):
    kind: Literal["remove"] = "remove"
    staff_id: str
    shift_start: AwareDatetime


class ChangeActivity(Frozen):
    """[start, end) of the shift starting at shift_start becomes `activity`."""

    kind: Literal["activity"] = "activity"
    staff_id: str
    shift_start: AwareDatetime
    start: AwareDatetime
    end: AwareDatetime
    activity: Activity


HandEdit = Annotated[
    MoveShift | AddShift | RemoveShift | ChangeActivity, Field(discriminator="kind")
]


class EditedRoster(Frozen):
    """The roster after the edits that still apply, in order; `refused` holds each edit that
    no longer applies (an edit it depended on was undone) with the reason."""

    solution: RosterSolution
    applied: tuple[HandEdit, ...]
    refused: tuple[tuple[HandEdit, str], ...] = ()


class HandPins(Frozen):
    """What a re-solve keeps of the edits: shifts kept as edited, shifts kept away, and a note
    for each edited shift it cannot keep (a proposed hire's)."""

    pinned: tuple[PlannedShift, ...]
    removed: tuple[PlannedShift, ...]
    notes: tuple[str, ...] = ()


# ---------------------------------------------------------------- words


def staff_names(inst: RosterInstance, sol: RosterSolution) -> dict[str, str]:
    """Display names by staff id: the week's staff and everyone in the roster (hires too)."""
    names = {e.id: e.member.display_name for e in inst.staff}
    names.update({p.staff_id: p.display_name for p in sol.people})
    return names


def _at(moment: datetime, inst: RosterInstance) -> str:
    return f"{moment.astimezone(inst.tz):%a %d %b %H:%M}"


def _span(start: datetime, end: datetime, inst: RosterInstance) -> str:
    a, b = start.astimezone(inst.tz), end.astimezone(inst.tz)
    return f"{a:%a %d %b %H:%M}-{b:%H:%M}" + ("" if a.date() == b.date() else f" ({b:%a})")


def describe(edit: HandEdit, inst: RosterInstance, sol: RosterSolution) -> str:
    """The edit as a manager would say it."""
    name = staff_names(inst, sol).get(edit.staff_id, edit.staff_id)
    if isinstance(edit, MoveShift):
        return (
            f"Move {name}'s shift of {_at(edit.shift_start, inst)} to "
            f"{_span(edit.start, edit.end, inst)}"
        )
    if isinstance(edit, AddShift):
        return f"Add a shift for {name}: {_span(edit.start, edit.end, inst)}"
    if isinstance(edit, RemoveShift):
        return f"Remove {name}'s shift of {_at(edit.shift_start, inst)}"
    return (
        f"{name}'s shift of {_at(edit.shift_start, inst)}: "
        f"{ACTIVITY_WORDS[edit.activity]} {_span(edit.start, edit.end, inst)}"
    )


def break_line(brk: RuleBreak, names: dict[str, str]) -> str:
    """A broken rule in a manager's words: the rule, then who, which day and what is wrong."""
    parts = [names.get(brk.staff_id, brk.staff_id)] if brk.staff_id else []
    if brk.day is not None:
        parts.append(f"{brk.day:%A %d %b}")
    where = f" ({', '.join(parts)})" if parts else ""
    return f"{brk.title}{where}: {brk.message}"


def break_lines(breaks: Sequence[RuleBreak], names: dict[str, str], most: int = 2) -> list[str]:
    """Breaks as lines; more than `most` of one rule for one person (or the line) on one day
    are one line, the first with how many more."""
    groups: dict[tuple, list[RuleBreak]] = {}
    for b in breaks:
        groups.setdefault((b.rule, b.staff_id, b.day), []).append(b)
    out: list[str] = []
    for group in groups.values():
        if len(group) <= most:
            out.extend(break_line(b, names) for b in group)
        else:
            out.append(f"{break_line(group[0], names)}, and {len(group) - 1} more like it")
    return out


def _key(brk: RuleBreak) -> tuple:
    return (brk.rule, brk.staff_id, brk.day, brk.start, brk.message)


def new_breaks(before: Sequence[RuleBreak], after: Sequence[RuleBreak]) -> list[RuleBreak]:
    """The breaks of `after` that `before` did not have (what an edit broke)."""
    had = {_key(b) for b in before}
    return [b for b in after if _key(b) not in had]


# ---------------------------------------------------------------- applying an edit


def _grid_minute(week: Week, moment: datetime, what: str) -> int:
    m = week.minute(moment)
    if m % week.step:
        raise EditError(
            f"{what} {_at(moment, week.inst)} is not on a {week.step}-minute boundary "
            f"(for example :00 or :{week.step:02d})"
        )
    return m


def _check_span(week: Week, start: datetime, end: datetime) -> Shift:
    inst = week.inst
    if end <= start:
        raise EditError(f"the end ({_at(end, inst)}) must be after the start ({_at(start, inst)})")
    a, b = _grid_minute(week, start, "the start"), _grid_minute(week, end, "the end")
    if a < 0 or b > WEEK:
        raise EditError(
            f"{_span(start, end, inst)} is not inside the week of Monday {inst.week_start:%d %B %Y}"
        )
    open_set = set(week.open)
    closed = [t for t in week.intervals_of(a, b) if t not in open_set]
    if closed:
        t = closed[0]
        raise EditError(
            f"{_span(start, end, inst)} is outside opening hours: the helpline is closed at "
            f"{_at(week.at(t * week.step), inst)}"
        )
    return Shift(a, b)


def _person(
    inst: RosterInstance, sol: RosterSolution, staff_id: str
) -> tuple[int | None, PersonRoster]:
    """The person's index in sol.people (None: on the staff, with no shift in this roster)."""
    for n, p in enumerate(sol.people):
        if p.staff_id == staff_id:
            return n, p
    entry = next((e for e in inst.staff if e.id == staff_id), None)
    if entry is None:
        raise EditError(f"no one with id {staff_id!r} is on this week's staff")
    return None, PersonRoster(
        staff_id=staff_id,
        display_name=entry.member.display_name,
        shifts=(),
        shift_minutes=0,
        line_minutes=0,
    )


def _find_shift(week: Week, person: PersonRoster, shift_start: datetime) -> int:
    at = week.minute(shift_start)
    for n, s in enumerate(person.shifts):
        if week.minute(s.start) == at:
            return n
    raise EditError(
        f"{person.display_name} has no shift starting {_at(shift_start, week.inst)} in this roster"
    )


def _no_overlap(week: Week, person: PersonRoster, shift: Shift, skip: int | None) -> None:
    for n, s in enumerate(person.shifts):
        if n == skip:
            continue
        if shift.overlaps(week.minute(s.start), week.minute(s.end)):
            raise EditError(
                f"{_span(week.at(shift.start), week.at(shift.end), week.inst)} overlaps "
                f"{person.display_name}'s shift {_span(s.start, s.end, week.inst)}"
            )


def _acts_of(week: Week, shift: RosteredShift) -> dict[int, Activity]:
    out: dict[int, Activity] = {}
    for seg in shift.activities:
        for t in week.intervals_of(week.minute(seg.start), week.minute(seg.end)):
            out[t] = seg.activity
    return out


def _laid_out(week: Week, staff_id: str, shift: Shift) -> dict[int, Activity]:
    """Activities for a new shift, as the greedy roster would place them in it alone: a meal
    break and decompression where the rules ask, the line up to the person's caps."""
    person = week.person(staff_id)
    if person is None:  # a proposed hire when hires are off: line throughout
        return {t: Activity.LINE for t in range(shift.start // week.step, shift.end // week.step)}
    acts = greedy_activities(week, {person.index: [shift]})
    return {
        t: acts[person.index, t]
        for t in range(shift.start // week.step, shift.end // week.step)
        if (person.index, t) in acts
    }


def _rostered(week: Week, shift: Shift, acts: dict[int, Activity]) -> RosteredShift:
    return RosteredShift(
        start=week.at(shift.start),
        end=week.at(shift.end),
        activities=tuple(segments(week, shift, acts)),
    )


def _with_shifts(week: Week, person: PersonRoster, shifts: list[RosteredShift]) -> PersonRoster:
    shifts.sort(key=lambda s: s.start)
    line = sum(
        week.minute(seg.end) - week.minute(seg.start)
        for s in shifts
        for seg in s.activities
        if seg.activity == Activity.LINE
    )
    return person.model_copy(
        update={
            "shifts": tuple(shifts),
            "shift_minutes": sum(week.minute(s.end) - week.minute(s.start) for s in shifts),
            "line_minutes": line,
        }
    )


def _edited_person(week: Week, person: PersonRoster, edit: HandEdit) -> PersonRoster:
    shifts = list(person.shifts)
    if isinstance(edit, AddShift):
        new = _check_span(week, edit.start, edit.end)
        _no_overlap(week, person, new, None)
        shifts.append(_rostered(week, new, _laid_out(week, person.staff_id, new)))
    elif isinstance(edit, MoveShift):
        n = _find_shift(week, person, edit.shift_start)
        new = _check_span(week, edit.start, edit.end)
        _no_overlap(week, person, new, n)
        old = shifts[n]
        a, b = week.minute(old.start), week.minute(old.end)
        if b - a == new.length:  # same length: the activities move with it
            delta = (new.start - a) // week.step
            acts = {t + delta: act for t, act in _acts_of(week, old).items()}
        else:
            acts = _laid_out(week, person.staff_id, new)
        shifts[n] = _rostered(week, new, acts)
    elif isinstance(edit, RemoveShift):
        shifts.pop(_find_shift(week, person, edit.shift_start))
    else:
        n = _find_shift(week, person, edit.shift_start)
        old = shifts[n]
        a, b = _grid_minute(week, edit.start, "the start"), _grid_minute(week, edit.end, "the end")
        if b <= a:
            raise EditError(
                f"the end ({_at(edit.end, week.inst)}) must be after the start "
                f"({_at(edit.start, week.inst)})"
            )
        if a < week.minute(old.start) or b > week.minute(old.end):
            raise EditError(
                f"{_span(edit.start, edit.end, week.inst)} is not inside "
                f"{person.display_name}'s shift {_span(old.start, old.end, week.inst)}"
            )
        acts = _acts_of(week, old)
        for t in week.intervals_of(a, b):
            acts[t] = edit.activity
        shifts[n] = _rostered(week, Shift(week.minute(old.start), week.minute(old.end)), acts)
    return _with_shifts(week, person, shifts)


def rescore(inst: RosterInstance, sol: RosterSolution) -> RosterSolution:
    """The roster's report worked out again from its shifts: coverage, the validator's broken
    rules and points, flags and hire advice; the week's infeasibility explanation is kept. The
    solve's bound still holds (the instance is the same), so the gap is measured against it."""
    week = Week(inst)
    people = [p for p in sol.people if p.shifts or not p.hire_template]
    base = sol.model_copy(
        update={
            "people": tuple(people),
            "coverage": tuple(coverage_rows(week, people)),
        }
    )
    base = explain.with_short_reasons(week, base)
    report = validate(inst, base)
    objective = report.objective
    bound = sol.stats.best_bound
    gap = relative_gap(objective, bound) if bound is not None else None
    # A week that cannot keep every hard rule stays so whatever the edits; otherwise the
    # edited roster is a roster found, proven best only when it meets the bound.
    status: SolveStatus = "FEASIBLE"
    if sol.stats.status == "INFEASIBLE":
        status = "INFEASIBLE"
    elif gap is not None and gap < 1e-9:
        status = "OPTIMAL"
    stats = sol.stats.model_copy(
        update={
            "status": status,
            "objective": round(objective, 4),
            "gap": round(gap, 6) if gap is not None else None,
            "objective_by_rule": {k: round(v, 4) for k, v in sorted(report.points.items()) if v},
        }
    )
    scored = base.model_copy(update={"stats": stats, "broken_rules": tuple(report.breaks)})
    return scored.model_copy(
        update={
            "hires": tuple(explain.hire_advice(week, scored)),
            "flags": tuple(explain.flags(week, scored, report)),
        }
    )


def _edited_people(
    week: Week, sol: RosterSolution, edit: HandEdit
) -> tuple[tuple[PersonRoster, ...], RosteredShift | None]:
    """The people with one edit made, and the shift a removal took away."""
    n, person = _person(week.inst, sol, edit.staff_id)
    gone = (
        person.shifts[_find_shift(week, person, edit.shift_start)]
        if isinstance(edit, RemoveShift)
        else None
    )
    edited = _edited_person(week, person, edit)
    people = list(sol.people)
    if n is None:
        people.append(edited)
    else:
        people[n] = edited
    return tuple(people), gone


def apply_edit(inst: RosterInstance, sol: RosterSolution, edit: HandEdit) -> RosterSolution:
    """The roster with one edit made and scored again; EditError (nothing changed) when the
    edit cannot be made."""
    people, _gone = _edited_people(Week(inst), sol, edit)
    return rescore(inst, sol.model_copy(update={"people": people}))


def apply_edits(
    inst: RosterInstance, sol: RosterSolution, edits: Sequence[HandEdit]
) -> EditedRoster:
    """The edits made in order; one that no longer applies is left out with its reason."""
    applied: list[HandEdit] = []
    refused: list[tuple[HandEdit, str]] = []
    current = sol
    for edit in edits:
        try:
            current = apply_edit(inst, current, edit)
        except EditError as exc:
            refused.append((edit, str(exc)))
        else:
            applied.append(edit)
    return EditedRoster(solution=current, applied=tuple(applied), refused=tuple(refused))


# ---------------------------------------------------------------- re-optimising around edits


def _planned(staff_id: str, shift: RosteredShift) -> PlannedShift:
    return PlannedShift(
        staff_id=staff_id, start=shift.start, end=shift.end, activities=shift.activities
    )


def hand_pins(inst: RosterInstance, base: RosterSolution, edited: EditedRoster) -> HandPins:
    """The shifts the edits placed or changed (kept as edited by a re-solve) and those they
    removed (kept away). A moved shift's old place stays open to the solver."""

    def key(s: RosteredShift) -> tuple:
        return (s.start, s.end, s.activities)

    before = {p.staff_id: {key(s) for s in p.shifts} for p in base.people}
    staff = {e.id for e in inst.staff}
    pinned: list[PlannedShift] = []
    notes: list[str] = []
    for person in edited.solution.people:
        touched = [s for s in person.shifts if key(s) not in before.get(person.staff_id, set())]
        if not touched:
            continue
        if person.staff_id not in staff:
            notes.append(
                f"{person.display_name}: {len(touched)} edited shift(s) not kept (a proposed "
                "hire is planned by the solver)"
            )
            continue
        pinned.extend(_planned(person.staff_id, s) for s in touched)
    removed: list[PlannedShift] = []
    week = Week(inst)
    current = base
    for edit in edited.applied:
        people, gone = _edited_people(week, current, edit)
        if gone is not None and edit.staff_id in staff:
            removed.append(_planned(edit.staff_id, gone))
        current = current.model_copy(update={"people": people})
    # a shift placed by hand where one was removed (removed, then added back later) wins
    removed = [
        r
        for r in removed
        if not any(p.staff_id == r.staff_id and p.start < r.end and r.start < p.end for p in pinned)
    ]
    return HandPins(pinned=tuple(pinned), removed=tuple(removed), notes=tuple(notes))


def reoptimise_instance(
    inst: RosterInstance, pins: HandPins, options: SolveOptions
) -> RosterInstance:
    """The week's instance for a re-solve that keeps the hand edits."""
    return inst.model_copy(
        update={
            "hand_pinned": pins.pinned,
            "hand_removed": pins.removed,
            "options": options,
        }
    )
