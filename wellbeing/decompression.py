"""Decompression: how long a counsellor is off the queue after a difficult call.

Rules (DOMAIN.md, defaults are site settings):
- a logged difficult call takes the person off the queue at once, from the logged time, for
  `minutes` (10 by default, never below 5);
- the second (and any later) difficult call *in a row* gives `after_second_minutes` (30) instead.
  Two calls are in a row when they fall inside the same shift with no full break (a break of at
  least `full_break_minutes`, the meal break) lying between them;
- windows never shorten each other: the person is off the queue until the latest end.

Everything is UTC-aware datetimes; intervals are half-open [start, end). Pure: no clock is read,
`now` is always passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from pydantic import AwareDatetime, Field, model_validator

from scheduling.domain import Frozen, HandleTimes

MIN_DECOMPRESSION_MINUTES = 5


class DecompressionSettings(Frozen):
    """The site's decompression setting (minutes are whole minutes)."""

    minutes: int = Field(
        default=10,
        ge=MIN_DECOMPRESSION_MINUTES,
        description="off the queue after a difficult call (never below 5)",
    )
    after_second_minutes: int = Field(
        default=30,
        ge=MIN_DECOMPRESSION_MINUTES,
        description="off the queue after a second difficult call in a row",
    )
    full_break_minutes: int = Field(
        default=30, ge=1, description="a break at least this long ends a run of difficult calls"
    )

    @classmethod
    def from_handle(cls, handle: HandleTimes) -> DecompressionSettings:
        """The site's staffing settings hold the decompression times (staffing counts them in
        the handle time): one home for the setting, read here."""
        minutes = round(handle.decompression_minutes)
        return cls(
            minutes=minutes,
            after_second_minutes=max(minutes, round(handle.long_decompression_minutes)),
        )

    @model_validator(mode="after")
    def _longer_after_second(self) -> DecompressionSettings:
        if self.after_second_minutes < self.minutes:
            raise ValueError(
                f"after_second_minutes ({self.after_second_minutes}) must be at least "
                f"minutes ({self.minutes})"
            )
        return self


class Span(Frozen):
    """A half-open time span [start, end), UTC-aware (a shift or a break)."""

    start: AwareDatetime
    end: AwareDatetime

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end <= self.start:
            raise ValueError(f"span: end {self.end} must be after start {self.start}")
        return self

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


class DecompressionWindow(Frozen):
    """One difficult call's time off the queue. `in_a_row` is the call's place in its run
    (1 = first); it is the reason, which only the person and their supervisor may see."""

    call_at: AwareDatetime
    start: AwareDatetime
    end: AwareDatetime
    in_a_row: int = Field(ge=1)

    @property
    def minutes(self) -> int:
        return round((self.end - self.start).total_seconds() / 60)


class OffQueue(Frozen):
    """A person off the queue now and until when: what a manager may see (no reason)."""

    staff_id: str = Field(min_length=1)
    until: AwareDatetime


def _shift_of(moment: datetime, shifts: Sequence[Span]) -> Span | None:
    return next((s for s in shifts if s.contains(moment)), None)


def _full_break_between(
    a: datetime, b: datetime, breaks: Sequence[Span], settings: DecompressionSettings
) -> bool:
    return any(
        a <= br.start and br.end <= b and br.minutes >= settings.full_break_minutes for br in breaks
    )


def in_a_row(
    earlier: datetime,
    later: datetime,
    shifts: Sequence[Span],
    breaks: Sequence[Span],
    settings: DecompressionSettings,
) -> bool:
    """Whether two difficult calls count as "in a row": the same shift, no full break between.
    Calls outside every known shift are never in a row with anything."""
    shift = _shift_of(earlier, shifts)
    if shift is None or not shift.contains(later):
        return False
    return not _full_break_between(earlier, later, breaks, settings)


def decompression_windows(
    calls: Sequence[datetime],
    shifts: Sequence[Span] = (),
    breaks: Sequence[Span] = (),
    settings: DecompressionSettings | None = None,
) -> tuple[DecompressionWindow, ...]:
    """One window per difficult call (times in any order), oldest first."""
    settings = settings or DecompressionSettings()
    for moment in calls:
        if moment.tzinfo is None:
            raise ValueError(f"difficult call time {moment} has no timezone (expected UTC)")
    ordered = sorted(calls)
    out: list[DecompressionWindow] = []
    run = 0
    for n, call in enumerate(ordered):
        run = run + 1 if n and in_a_row(ordered[n - 1], call, shifts, breaks, settings) else 1
        length = settings.minutes if run == 1 else settings.after_second_minutes
        out.append(
            DecompressionWindow(
                call_at=call, start=call, end=call + timedelta(minutes=length), in_a_row=run
            )
        )
    return tuple(out)


def off_queue_until(
    calls: Sequence[datetime],
    now: datetime,
    shifts: Sequence[Span] = (),
    breaks: Sequence[Span] = (),
    settings: DecompressionSettings | None = None,
) -> datetime | None:
    """When the person is back on the queue, if they are off it at `now` (else None).
    Calls logged after `now` are ignored."""
    windows = decompression_windows([c for c in calls if c <= now], shifts, breaks, settings)
    ends = [w.end for w in windows if w.start <= now < w.end]
    return max(ends) if ends else None


def next_decompression_minutes(
    previous_calls: Sequence[datetime],
    call_at: datetime,
    shifts: Sequence[Span] = (),
    breaks: Sequence[Span] = (),
    settings: DecompressionSettings | None = None,
) -> int:
    """Minutes off the queue a call logged at `call_at` gives, after the earlier ones."""
    earlier = [c for c in previous_calls if c < call_at]
    return decompression_windows([*earlier, call_at], shifts, breaks, settings)[-1].minutes
