"""Load per person: a documented score over the last 7 and 28 days, its band, and what the
next roster does about it.

The score is the sum of five parts, each 0-20 points (so 0-100 in all). A part grows linearly
from 0 at its `ordinary` value to 20 at its `heavy` value and stays at 20 beyond:

    part(x) = 20 * clamp((x - ordinary) / (heavy - ordinary), 0, 1)

| part               | x                                                              |
|--------------------|----------------------------------------------------------------|
| difficult calls    | the larger of: calls in the last 7 days, calls in 28 days / 4   |
| line hours         | the larger of: line hours in the last 7 days, in 28 days / 4    |
| reported distress  | mean distress (1-5) reported in the last 7 days (else 28 days)  |
| days without a     | days since the person last had two days off in a row            |
|   proper rest      |                                                                 |
| open debriefs      | debrief requests not yet done                                   |

Taking the larger of the week and the four-week average means a heavy week counts at once and
a heavy month still counts in a lighter week. Bands: "high" from `high_from` points, "watch"
from `watch_from`, else "normal" (thresholds are settings).

"High" feeds the next roster: a lower weekly line cap and a wish for an off-line day. A
manager sees only the cap and the reason "wellbeing", never the score or its parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, Field, model_validator

from scheduling.domain import Frozen

Band = Literal["normal", "watch", "high"]
PART_POINTS = 20.0
WELLBEING_REASON = "wellbeing"


class PartScale(Frozen):
    """Where a part starts to count (`ordinary`) and where it is full (`heavy`)."""

    ordinary: float = Field(ge=0)
    heavy: float = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> PartScale:
        if self.heavy <= self.ordinary:
            raise ValueError(f"heavy ({self.heavy}) must be above ordinary ({self.ordinary})")
        return self

    def points(self, x: float) -> float:
        share = (x - self.ordinary) / (self.heavy - self.ordinary)
        return PART_POINTS * min(1.0, max(0.0, share))


class LoadSettings(Frozen):
    """Thresholds of the load score (a site setting; the defaults are ours, DOMAIN.md)."""

    difficult_calls_per_week: PartScale = PartScale(ordinary=5, heavy=15)
    line_hours_per_week: PartScale = PartScale(ordinary=20, heavy=30)
    distress: PartScale = PartScale(ordinary=2, heavy=4)
    days_without_two_off: PartScale = PartScale(ordinary=6, heavy=12)
    open_debriefs: PartScale = PartScale(ordinary=0, heavy=2)
    watch_from: float = Field(default=25, gt=0, le=100)
    high_from: float = Field(default=50, gt=0, le=100)
    # What "high" does to the next roster.
    high_line_cap_minutes_week: int = Field(default=20 * 60, ge=0, le=7 * 24 * 60)
    high_wants_offline_day: bool = True

    @model_validator(mode="after")
    def _ordered(self) -> LoadSettings:
        if self.high_from <= self.watch_from:
            raise ValueError(
                f"high_from ({self.high_from}) must be above watch_from ({self.watch_from})"
            )
        return self


class DifficultCall(Frozen):
    """A logged difficult call: when, and the distress (1-5) if the person gave it."""

    at: AwareDatetime
    distress: int | None = Field(default=None, ge=1, le=5)


class LoadHistory(Frozen):
    """What the score reads for one person. Days are local dates of the site."""

    staff_id: str = Field(min_length=1)
    difficult_calls: tuple[DifficultCall, ...] = ()
    # Line minutes per local day (from the published rosters, or actuals when known).
    line_minutes_by_day: Mapping[date, int] = Field(default_factory=dict)
    # Local days the person worked (any shift); days off are the others.
    worked_days: frozenset[date] = frozenset()
    open_debriefs: int = Field(default=0, ge=0)


class LoadPart(Frozen):
    key: Literal["difficult_calls", "line_hours", "distress", "days_without_rest", "debriefs"]
    title: str
    value: float
    points: float


class LoadScore(Frozen):
    """The person's score: for the person themself (and the data layer's aggregates) only."""

    staff_id: str
    score: float = Field(ge=0, le=100)
    band: Band
    parts: tuple[LoadPart, ...]


class RosterWellbeing(Frozen):
    """What the next roster takes from a "high" band: all a manager sees of it."""

    staff_id: str
    line_cap_minutes_week: int = Field(ge=0)
    offline_day_wanted: bool
    reason: Literal["wellbeing"] = "wellbeing"


def band_of(score: float, settings: LoadSettings | None = None) -> Band:
    settings = settings or LoadSettings()
    if score >= settings.high_from:
        return "high"
    if score >= settings.watch_from:
        return "watch"
    return "normal"


def days_since_two_off(worked_days: Iterable[date], today: date, horizon: int = 28) -> int:
    """Days since the person last had two days off in a row, counting back from today (today
    counts as a working day only if worked). Capped at `horizon` when no such pair is found."""
    worked = set(worked_days)
    for back in range(horizon + 1):
        day = today - timedelta(days=back)
        if day not in worked and day - timedelta(days=1) not in worked:
            return back
    return horizon


def _local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def load_score(
    history: LoadHistory,
    today: date,
    tz: ZoneInfo | str = "UTC",
    settings: LoadSettings | None = None,
) -> LoadScore:
    """The person's score as of the end of `today` (local date of the site's zone)."""
    settings = settings or LoadSettings()
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    since7 = today - timedelta(days=6)
    since28 = today - timedelta(days=27)

    def window(days: int) -> list[DifficultCall]:
        first = today - timedelta(days=days - 1)
        return [c for c in history.difficult_calls if first <= _local_day(c.at, zone) <= today]

    calls7, calls28 = window(7), window(28)
    difficult = max(float(len(calls7)), len(calls28) / 4)

    def line_hours(first: date) -> float:
        minutes = sum(m for d, m in history.line_minutes_by_day.items() if first <= d <= today)
        return minutes / 60

    hours = max(line_hours(since7), line_hours(since28) / 4)

    reports = [c.distress for c in calls7 if c.distress is not None] or [
        c.distress for c in calls28 if c.distress is not None
    ]
    distress = sum(reports) / len(reports) if reports else 0.0
    run = days_since_two_off(history.worked_days, today)

    parts = (
        LoadPart(
            key="difficult_calls",
            title="Difficult calls a week",
            value=difficult,
            points=settings.difficult_calls_per_week.points(difficult),
        ),
        LoadPart(
            key="line_hours",
            title="Line hours a week",
            value=hours,
            points=settings.line_hours_per_week.points(hours),
        ),
        LoadPart(
            key="distress",
            title="Reported distress (1-5)",
            value=distress,
            points=settings.distress.points(distress) if reports else 0.0,
        ),
        LoadPart(
            key="days_without_rest",
            title="Days since two days off in a row",
            value=float(run),
            points=settings.days_without_two_off.points(run),
        ),
        LoadPart(
            key="debriefs",
            title="Open debrief requests",
            value=float(history.open_debriefs),
            points=settings.open_debriefs.points(history.open_debriefs),
        ),
    )
    score = round(sum(p.points for p in parts), 1)
    return LoadScore(
        staff_id=history.staff_id, score=score, band=band_of(score, settings), parts=parts
    )


def roster_wellbeing(
    scores: Sequence[LoadScore],
    current_caps: Mapping[str, int],
    settings: LoadSettings | None = None,
) -> tuple[RosterWellbeing, ...]:
    """For each person in "high": the lowered weekly line cap (never above their current cap,
    `current_caps[staff_id]` in minutes, e.g. the contract's 30 h) and the off-line day wish."""
    settings = settings or LoadSettings()
    out = []
    for s in scores:
        if s.band != "high":
            continue
        current = current_caps.get(s.staff_id, settings.high_line_cap_minutes_week)
        out.append(
            RosterWellbeing(
                staff_id=s.staff_id,
                line_cap_minutes_week=min(current, settings.high_line_cap_minutes_week),
                offline_day_wanted=settings.high_wants_offline_day,
            )
        )
    return tuple(out)
