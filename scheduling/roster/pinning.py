"""Re-planning a week against what was published: the moment before which published shifts
stay as they are, the shifts that keeps, and how last week's roster carries over into this
one (rest between shifts and days in a row across the Sunday-Monday boundary)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, time, timedelta

from pydantic import BaseModel, ConfigDict

from scheduling.domain import SiteProfile
from scheduling.roster.schema import PlannedShift, RosterSolution


class CarryOver(BaseModel):
    """How a person's previous week ended (from its published roster)."""

    model_config = ConfigDict(frozen=True)

    staff_id: str
    previous_shift_end: datetime
    days_worked_before_week: int


def week_bounds(site: SiteProfile, week_start: date) -> tuple[datetime, datetime]:
    """[Monday 00:00, next Monday 00:00) in the site's zone."""
    start = datetime.combine(week_start, time(0), site.tz)
    return start, datetime.combine(week_start + timedelta(days=7), time(0), site.tz)


def default_pin_moment(site: SiteProfile, week_start: date, now: datetime) -> datetime | None:
    """Re-planning keeps what already happened: published shifts starting before now (rounded
    up to the interval) are pinned while the week is under way, all of them once it is over,
    none before it starts."""
    start, end = week_bounds(site, week_start)
    local = now.astimezone(site.tz)
    if local < start:
        return None
    # Up to the next interval boundary: shifts start on one, so the same shifts are pinned
    # and the moment reads as a time the manager would pick.
    step = site.interval_minutes * 60
    elapsed = (local - start).total_seconds()
    return min(start + timedelta(seconds=-(-elapsed // step) * step), end)


def pinned_shifts(
    shifts: Sequence[PlannedShift], pin_before: datetime | None
) -> list[PlannedShift]:
    """The published shifts a re-plan keeps as they are: those starting before pin_before."""
    if pin_before is None:
        return []
    return [s for s in shifts if s.start < pin_before]


def published_shifts(
    solution: RosterSolution, staff_ids: Collection[str]
) -> tuple[list[PlannedShift], list[str]]:
    """The published roster's shifts a re-plan can keep, in time order, and a note for each
    person whose shifts it cannot (a proposed hire, someone no longer on the active staff)."""
    shifts: list[PlannedShift] = []
    left_out: list[str] = []
    for person in solution.people:
        if person.hire_template or person.staff_id not in staff_ids:
            why = "a proposed hire" if person.hire_template else "no longer on the active staff"
            if person.shifts:
                left_out.append(
                    f"{person.display_name}: {len(person.shifts)} shift(s) not pinned ({why})"
                )
            continue
        shifts.extend(
            PlannedShift(
                staff_id=person.staff_id, start=s.start, end=s.end, activities=s.activities
            )
            for s in person.shifts
        )
    return sorted(shifts, key=lambda s: (s.start, s.staff_id)), left_out


def carry_over(
    previous_week: RosterSolution,
    site: SiteProfile,
    week_start: date,
    staff_ids: Collection[str],
) -> list[CarryOver]:
    """For each of the staff who worked the week before `week_start`: when their last shift
    ended and how many days in a row they had worked up to Sunday."""
    sunday = week_start - timedelta(days=1)
    out = []
    for person in previous_week.people:
        if person.hire_template or person.staff_id not in staff_ids or not person.shifts:
            continue
        days = {s.start.astimezone(site.tz).date() for s in person.shifts}
        in_a_row = 0
        while sunday - timedelta(days=in_a_row) in days:
            in_a_row += 1
        out.append(
            CarryOver(
                staff_id=person.staff_id,
                previous_shift_end=max(s.end for s in person.shifts).astimezone(site.tz),
                days_worked_before_week=min(in_a_row, 7),
            )
        )
    return out
