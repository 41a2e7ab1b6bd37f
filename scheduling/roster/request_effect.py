"""What a staff request would do to a saved roster, worked out before a manager decides.

- Leave: the person's shifts on the days asked for fall away; the coverage is recounted and the
  roster re-validated, so the manager reads the shifts lost, the intervals that would go below
  the requirement or the floor, and each rule that would newly break.
- Swap: one shift moves from one person to a colleague, activities and all; the roster is
  re-validated and the rules the swap would break are listed in the manager's words.

Everything here is pure: the roster's instance and solution in, a new solution and a report
out. The coverage is counted by scheduling.roster.result.coverage_rows and the rules checked by
scheduling.roster.validate, the same code a solve uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from scheduling.roster import explain, pinning
from scheduling.roster.result import coverage_rows
from scheduling.roster.schema import (
    CoverageRow,
    PersonRoster,
    RosteredShift,
    RosterInstance,
    RosterSolution,
    RuleBreak,
)
from scheduling.roster.validate import validate
from scheduling.roster.week import Week


class RequestEffectError(ValueError):
    """The request cannot be applied to this roster (the shift is not there, the colleague was
    not on the staff the roster was made for)."""


class CoverageDrop(BaseModel):
    """A run of intervals where approving the request leaves fewer on the line (or on duty)
    than needed."""

    model_config = ConfigDict(frozen=True)

    start: datetime
    end: datetime
    required: int
    on_line_before: int
    on_line_after: int
    below: str  # "requirement" or "floor"

    def message(self) -> str:
        when = f"{self.start:%a %d %b %H:%M}-{self.end:%H:%M}"
        if self.below == "floor":
            return (
                f"{when}: {self.on_line_after} on duty, below the minimum of {self.required} "
                f"(was {self.on_line_before})"
            )
        return (
            f"{when}: {self.on_line_after} on the line for {self.required} needed "
            f"(was {self.on_line_before})"
        )


class LostShift(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: datetime
    end: datetime

    def label(self) -> str:
        return f"{self.start:%a %d %b %H:%M}-{self.end:%H:%M}"


class RequestEffect(BaseModel):
    """The effect on one week's roster."""

    model_config = ConfigDict(frozen=True)

    week_start: date
    lost_shifts: tuple[LostShift, ...] = ()
    coverage_drops: tuple[CoverageDrop, ...] = ()
    new_breaks: tuple[RuleBreak, ...] = ()
    shortfall_hours_before: float = 0.0
    shortfall_hours_after: float = 0.0

    @property
    def harmless(self) -> bool:
        return not self.coverage_drops and not self.new_breaks


def _for_checking(inst: RosterInstance) -> RosterInstance:
    # The change itself is what is being judged: the published roster the solve started from
    # and its pins would only repeat "this shift moved".
    return inst.model_copy(update={"published": (), "pin_before": None, "replan_until": None})


def revalidated(
    inst: RosterInstance, sol: RosterSolution, people: Sequence[PersonRoster]
) -> RosterSolution:
    """`sol` with `people` in place of its own: coverage recounted, rules re-checked, flags and
    the objective as the validator counts them. The solver's bound no longer applies."""
    week = Week(inst)
    fixed: list[PersonRoster] = []
    for person in people:
        shifts = tuple(sorted(person.shifts, key=lambda s: s.start))
        fixed.append(
            person.model_copy(
                update={
                    "shifts": shifts,
                    "shift_minutes": sum(_minutes(s.start, s.end) for s in shifts),
                    "line_minutes": sum(
                        _minutes(a.start, a.end)
                        for s in shifts
                        for a in s.activities
                        if a.activity == "line"
                    ),
                }
            )
        )
    draft = sol.model_copy(
        update={
            "people": tuple(fixed),
            "coverage": tuple(coverage_rows(week, fixed)),
            "broken_rules": (),
            "flags": (),
        }
    )
    report = validate(inst, draft)
    stats = sol.stats.model_copy(
        update={
            "objective": round(report.objective, 4),
            "best_bound": None,
            "gap": None,
            "objective_by_rule": {k: round(v, 4) for k, v in sorted(report.points.items()) if v},
        }
    )
    return draft.model_copy(
        update={
            "stats": stats,
            "broken_rules": tuple(report.breaks),
            "flags": tuple(explain.flags(week, draft, report)),
        }
    )


def _minutes(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds() // 60)


# Rules whose breaks the coverage drops already say, a span at a time rather than an interval.
SAID_BY_DROPS = frozenset({"coverage", "min_on_duty"})


def _break_key(b: RuleBreak) -> tuple[object, ...]:
    return (b.rule, b.staff_id, b.day, b.start, b.message)


def new_breaks(
    before: Iterable[RuleBreak], after: Iterable[RuleBreak], *, ignore_staff: str | None = None
) -> tuple[RuleBreak, ...]:
    """The breaks in `after` that `before` did not have, hard ones first. `ignore_staff`
    leaves out the person's own rules (their hours fall with their leave, as asked)."""
    known = {_break_key(b) for b in before}
    fresh = [
        b
        for b in after
        if _break_key(b) not in known and (ignore_staff is None or b.staff_id != ignore_staff)
    ]
    return tuple(sorted(fresh, key=lambda b: (not b.hard, b.start or b.day or date.min)))


def _drops(
    inst: RosterInstance, before: Sequence[CoverageRow], after: Sequence[CoverageRow]
) -> list[CoverageDrop]:
    old = {r.start: r for r in before}
    singles: list[CoverageDrop] = []
    for row in after:
        was = old.get(row.start)
        if was is None:
            continue
        if row.on_line < was.on_line and row.on_line < row.required:
            singles.append(
                CoverageDrop(
                    start=row.start,
                    end=row.end,
                    required=row.required,
                    on_line_before=was.on_line,
                    on_line_after=row.on_line,
                    below="requirement",
                )
            )
        if row.on_duty < was.on_duty and row.on_duty < inst.min_on_duty:
            singles.append(
                CoverageDrop(
                    start=row.start,
                    end=row.end,
                    required=inst.min_on_duty,
                    on_line_before=was.on_duty,
                    on_line_after=row.on_duty,
                    below="floor",
                )
            )
    return _merged(singles)


def _merged(drops: list[CoverageDrop]) -> list[CoverageDrop]:
    """Consecutive intervals with the same numbers read as one span."""
    out: list[CoverageDrop] = []
    for drop in sorted(drops, key=lambda d: (d.below, d.start)):
        last = out[-1] if out else None
        if (
            last is not None
            and last.below == drop.below
            and last.end == drop.start
            and (last.required, last.on_line_before, last.on_line_after)
            == (drop.required, drop.on_line_before, drop.on_line_after)
        ):
            out[-1] = last.model_copy(update={"end": drop.end})
        else:
            out.append(drop)
    return sorted(out, key=lambda d: (d.start, d.below))


def _effect(
    inst: RosterInstance,
    before: RosterSolution,
    after: RosterSolution,
    *,
    lost: Sequence[RosteredShift] = (),
    ignore_staff: str | None = None,
) -> RequestEffect:
    return RequestEffect(
        week_start=inst.week_start,
        lost_shifts=tuple(LostShift(start=s.start, end=s.end) for s in lost),
        coverage_drops=tuple(_drops(inst, before.coverage, after.coverage)),
        new_breaks=tuple(
            b
            for b in new_breaks(before.broken_rules, after.broken_rules, ignore_staff=ignore_staff)
            if b.rule not in SAID_BY_DROPS
        ),
        shortfall_hours_before=before.shortfall_hours(),
        shortfall_hours_after=after.shortfall_hours(),
    )


def leave_effect(
    inst: RosterInstance, sol: RosterSolution, *, staff_id: str, first_day: date, last_day: date
) -> RequestEffect:
    """What the roster loses if `staff_id` is away from first_day to last_day (inclusive; a
    shift belongs to the day it starts on, in the site's time)."""
    checking = _for_checking(inst)
    tz = checking.tz
    before = revalidated(checking, sol, sol.people)
    lost: list[RosteredShift] = []
    people: list[PersonRoster] = []
    for person in sol.people:
        if person.staff_id != staff_id:
            people.append(person)
            continue
        kept = []
        for shift in person.shifts:
            if first_day <= shift.start.astimezone(tz).date() <= last_day:
                lost.append(shift)
            else:
                kept.append(shift)
        people.append(person.model_copy(update={"shifts": tuple(kept)}))
    after = revalidated(checking, sol, people)
    return _effect(checking, before, after, lost=lost, ignore_staff=staff_id)


def find_shift(sol: RosterSolution, staff_id: str, start: datetime) -> RosteredShift | None:
    for person in sol.people:
        if person.staff_id == staff_id:
            return next((s for s in person.shifts if s.start == start), None)
    return None


def swap_people(
    inst: RosterInstance, sol: RosterSolution, *, staff_id: str, start: datetime, colleague: str
) -> list[PersonRoster]:
    """The roster's people with `staff_id`'s shift starting at `start` given to `colleague`.
    Raises RequestEffectError when the shift is not there or the colleague was not on the
    staff this roster was made for."""
    shift = find_shift(sol, staff_id, start)
    if shift is None:
        raise RequestEffectError(
            f"the shift starting {start.astimezone(inst.tz):%a %d %b %H:%M} is not in this "
            "roster any more"
        )
    member = next((s.member for s in inst.staff if s.id == colleague), None)
    if member is None:
        raise RequestEffectError(
            "the colleague was not on the staff when this roster was made; solve the week again"
        )
    moved = shift.model_copy(update={"pinned": False})
    people: list[PersonRoster] = []
    found = False
    for person in sol.people:
        if person.staff_id == staff_id:
            person = person.model_copy(
                update={"shifts": tuple(s for s in person.shifts if s.start != start)}
            )
        if person.staff_id == colleague:
            found = True
            person = person.model_copy(update={"shifts": (*person.shifts, moved)})
        people.append(person)
    if not found:
        people.append(
            PersonRoster(
                staff_id=colleague,
                display_name=member.display_name,
                shifts=(moved,),
                shift_minutes=0,
                line_minutes=0,
            )
        )
    return people


def swap_effect(
    inst: RosterInstance, sol: RosterSolution, *, staff_id: str, start: datetime, colleague: str
) -> RequestEffect:
    """What the swap changes: the coverage it moves and the rules it would newly break."""
    checking = _for_checking(inst)
    before = revalidated(checking, sol, sol.people)
    people = swap_people(inst, sol, staff_id=staff_id, start=start, colleague=colleague)
    return _effect(checking, before, revalidated(checking, sol, people))


def swapped_roster(
    inst: RosterInstance, sol: RosterSolution, *, staff_id: str, start: datetime, colleague: str
) -> tuple[RosterInstance, RosterSolution]:
    """The next version of the roster with the swap made: its instance records the version it
    replaces as the published roster (nothing pinned), and its solution is re-validated."""
    shifts, _left_out = pinning.published_shifts(sol, {s.id for s in inst.staff})
    next_inst = inst.model_copy(
        update={"published": tuple(shifts), "pin_before": None, "replan_until": None}
    )
    people = swap_people(inst, sol, staff_id=staff_id, start=start, colleague=colleague)
    return next_inst, revalidated(next_inst, sol, people)
