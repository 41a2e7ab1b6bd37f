"""Today's re-check: who is on the line for every remaining interval of today, given the
published roster and everyone off the queue now; flags where an interval falls below its
requirement or the floor; cover suggestions, ranked.

Counting rule: a counsellor is on the line in an interval when the roster has them on the line
for the whole of what remains of it and they are not off the queue at any moment of that
remainder (someone back at 14:40 does not count for 14:30-14:45: the floor is about never
being alone, so the check errs towards a flag).

Suggestions, best first:
1. on shift, doing off-line work in the flagged interval, with line time left today;
2. off shift, with line time left this week and today, and rest kept (available from a time
   at or before the interval).
Within a group: who covers more of the flagged intervals, then who has more line time left.
People off the queue are never suggested while they are off it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Literal

from pydantic import AwareDatetime, Field, model_validator

from scheduling.domain import Frozen
from scheduling.roster.schema import Activity, PlannedShift
from scheduling.staffing.requirement_types import IntervalRequirement
from wellbeing.decompression import OffQueue

DEFAULT_FLOOR = 2


class IntervalNeed(Frozen):
    """Today's requirement for one interval [start, end). `floor` is the staffing floor (2 by
    default; more where decompression cover is needed, see scheduling.staffing)."""

    start: AwareDatetime
    end: AwareDatetime
    required: int = Field(ge=0)
    floor: int = Field(default=DEFAULT_FLOOR, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> IntervalNeed:
        if self.end <= self.start:
            raise ValueError(f"interval {self.start}: end must be after start")
        return self


def needs_from_requirements(
    requirements: Sequence[IntervalRequirement], day_start: datetime, day_end: datetime, floor: int
) -> tuple[IntervalNeed, ...]:
    """Today's needs from the saved requirement (times of [day_start, day_end)). `required`
    already holds the expected decompression cover (scheduling.staffing.never_alone); the
    floor is `floor` (min_on_line) counsellors free, and the re-check counts only those not
    off the queue, so it is the same never-alone rule with what is known now."""
    return tuple(
        IntervalNeed(start=r.start, end=r.end, required=r.required, floor=floor)
        for r in requirements
        if day_start <= r.start < day_end and r.binding != "closed"
    )


class PersonToday(Frozen):
    """What a cover suggestion needs to know of a person (hours and rest left)."""

    staff_id: str = Field(min_length=1)
    display_name: str = Field(min_length=1)
    counsellor: bool = True
    line_minutes_left_today: int = Field(default=6 * 60, ge=0)
    line_minutes_left_week: int = Field(default=30 * 60, ge=0)
    # Earliest start that keeps the rest between shifts (None: no constraint).
    available_from: AwareDatetime | None = None
    # When an off-shift person can no longer be asked to start (e.g. their availability ends).
    available_until: AwareDatetime | None = None


class IntervalCheck(Frozen):
    start: AwareDatetime
    end: AwareDatetime
    required: int
    floor: int
    on_line: int
    on_line_ids: tuple[str, ...]
    # Rostered on the line but off the queue in this interval.
    off_queue_ids: tuple[str, ...]
    below_requirement: bool
    below_floor: bool

    @property
    def needed(self) -> int:
        return max(self.required, self.floor)

    @property
    def shortfall(self) -> int:
        return max(0, self.needed - self.on_line)


class CoverageFlag(Frozen):
    start: AwareDatetime
    end: AwareDatetime
    kind: Literal["below_floor", "below_requirement"]
    on_line: int
    needed: int
    message: str


class CoverSuggestion(Frozen):
    rank: int = Field(ge=1)
    staff_id: str
    display_name: str
    kind: Literal["on_shift_offline", "off_shift"]
    covers: tuple[AwareDatetime, ...] = Field(description="starts of flagged intervals covered")
    why: str


class TodayCheck(Frozen):
    now: AwareDatetime
    intervals: tuple[IntervalCheck, ...]
    flags: tuple[CoverageFlag, ...]
    off_queue: tuple[OffQueue, ...]
    suggestions: tuple[CoverSuggestion, ...]

    @property
    def ok(self) -> bool:
        return not self.flags


def _hm(moment: datetime, tz: tzinfo | None) -> str:
    local = moment.astimezone(tz) if tz is not None else moment
    return local.strftime("%H:%M")


def _activity_over(shift: PlannedShift, start: datetime, end: datetime) -> Activity | None:
    """The one activity covering all of [start, end) within the shift, else None (mixed or
    not covered). A shift without activities is all on the line."""
    if not (shift.start <= start and end <= shift.end):
        return None
    if not shift.activities:
        return Activity.LINE
    kinds = {seg.activity for seg in shift.activities if seg.start < end and start < seg.end}
    covered = sum(
        (min(seg.end, end) - max(seg.start, start)).total_seconds()
        for seg in shift.activities
        if seg.start < end and start < seg.end
    )
    if len(kinds) != 1 or covered < (end - start).total_seconds():
        return None
    return kinds.pop()


def recheck_today(
    needs: Sequence[IntervalNeed],
    roster: Sequence[PlannedShift],
    off_queue: Sequence[OffQueue],
    now: datetime,
    people: Sequence[PersonToday] = (),
    display_tz: tzinfo | None = None,
) -> TodayCheck:
    """Re-check every interval of today that has not ended by `now`.

    `roster`: today's published shifts (with activities); `off_queue`: everyone off the queue
    now; `people`: everyone who could be asked to cover (staff on and off shift);
    `display_tz`: a zoneinfo for the times in messages (else the datetimes' own)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    off = {o.staff_id: o.until for o in off_queue if o.until > now}
    by_person: dict[str, list[PlannedShift]] = {}
    for s in roster:
        by_person.setdefault(s.staff_id, []).append(s)

    checks: list[IntervalCheck] = []
    flags: list[CoverageFlag] = []
    for need in sorted(needs, key=lambda n: n.start):
        if need.end <= now:
            continue
        begin = max(need.start, now)
        on: list[str] = []
        away: list[str] = []
        for sid, shifts in by_person.items():
            if not any(_activity_over(s, begin, need.end) == Activity.LINE for s in shifts):
                continue
            (away if off.get(sid, begin) > begin else on).append(sid)
        check = IntervalCheck(
            start=need.start,
            end=need.end,
            required=need.required,
            floor=need.floor,
            on_line=len(on),
            on_line_ids=tuple(sorted(on)),
            off_queue_ids=tuple(sorted(away)),
            below_requirement=len(on) < need.required,
            below_floor=len(on) < need.floor,
        )
        checks.append(check)
        span = f"{_hm(need.start, display_tz)}-{_hm(need.end, display_tz)}"
        if check.below_floor:
            flags.append(
                CoverageFlag(
                    start=need.start,
                    end=need.end,
                    kind="below_floor",
                    on_line=len(on),
                    needed=check.needed,
                    message=f"{span}: {len(on)} on the line, fewer than the floor of "
                    f"{need.floor} (nobody should be alone)",
                )
            )
        elif check.below_requirement:
            flags.append(
                CoverageFlag(
                    start=need.start,
                    end=need.end,
                    kind="below_requirement",
                    on_line=len(on),
                    needed=check.needed,
                    message=f"{span}: {len(on)} on the line, {need.required} needed",
                )
            )

    suggestions = _suggest(checks, flags, by_person, off, people, now, display_tz)
    return TodayCheck(
        now=now,
        intervals=tuple(checks),
        flags=tuple(flags),
        off_queue=tuple(
            sorted((o for o in off_queue if o.until > now), key=lambda o: (o.until, o.staff_id))
        ),
        suggestions=suggestions,
    )


def _hours(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return f"{h} h {m:02d}" if m else f"{h} h"


def _suggest(
    checks: Sequence[IntervalCheck],
    flags: Sequence[CoverageFlag],
    by_person: dict[str, list[PlannedShift]],
    off: dict[str, datetime],
    people: Sequence[PersonToday],
    now: datetime,
    tz: tzinfo | None,
) -> tuple[CoverSuggestion, ...]:
    flagged = [c for c in checks if c.shortfall > 0]
    if not flagged or not people:
        return ()
    ranked: list[tuple[tuple[int, int, int, str], CoverSuggestion]] = []
    for person in people:
        if not person.counsellor or person.line_minutes_left_today <= 0:
            continue
        if person.line_minutes_left_week <= 0:
            continue
        shifts = by_person.get(person.staff_id, [])
        offline: list[datetime] = []
        free: list[datetime] = []
        for c in flagged:
            begin = max(c.start, now)
            if off.get(person.staff_id, begin) > begin:
                continue
            acts = [_activity_over(s, begin, c.end) for s in shifts]
            on_shift = any(s.start < c.end and begin < s.end for s in shifts)
            if Activity.OFFLINE in acts:
                offline.append(c.start)
            elif not on_shift:
                if person.available_from is not None and person.available_from > begin:
                    continue
                if person.available_until is not None and person.available_until < c.end:
                    continue
                free.append(c.start)
        left = min(person.line_minutes_left_today, person.line_minutes_left_week)
        kind: Literal["on_shift_offline", "off_shift"]
        if offline:
            first = _hm(offline[0], tz)
            why = (
                f"on shift doing off-line work from {first}; {_hours(left)} of line time left today"
            )
            order, kind, covers = 0, "on_shift_offline", offline
        elif free:
            rest = "" if person.available_from is None else ", rest between shifts kept"
            why = (
                f"off shift{rest}; {_hours(person.line_minutes_left_week)} of line time left "
                f"this week, {_hours(person.line_minutes_left_today)} today"
            )
            order, kind, covers = 1, "off_shift", free
        else:
            continue
        suggestion = CoverSuggestion(
            rank=1,
            staff_id=person.staff_id,
            display_name=person.display_name,
            kind=kind,
            covers=tuple(covers),
            why=why,
        )
        ranked.append(((order, -len(covers), -left, person.display_name), suggestion))
    ranked.sort(key=lambda item: item[0])
    return tuple(s.model_copy(update={"rank": n}) for n, (_key, s) in enumerate(ranked, start=1))
