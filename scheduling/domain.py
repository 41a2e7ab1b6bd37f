"""Typed objects shared by the whole planner: the site, its staff, call history and settings.

Everything here is pure data (pydantic). The data layer maps its tables to these objects and
the domain modules (forecast, staffing, roster, wellbeing) take and return them. Durations
that must add up are whole minutes or seconds; shares and rates are floats.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Skill(StrEnum):
    COUNSELLOR = "counsellor"
    SUPERVISOR = "supervisor"  # psychologist or clinical supervisor: runs debriefs
    LAWYER = "lawyer"
    DIGITAL_SECURITY = "digital_security"


class Role(StrEnum):
    STAFF = "staff"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"
    LEADERSHIP = "leadership"
    ADMIN = "admin"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def zone(name: str) -> ZoneInfo:
    """The IANA zone of that name, or ValueError naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown IANA timezone {name!r}") from exc


def monday_of(day: date) -> date:
    """The Monday of the week holding `day`: weeks run Monday to Sunday."""
    return day - timedelta(days=day.weekday())


def coming_monday(today: date) -> date:
    """The Monday after `today` (a week later when today is a Monday): the week to plan next."""
    return today + timedelta(days=7 - today.weekday())


def minutes_of(t: time) -> int:
    return t.hour * 60 + t.minute


class DailyWindow(Frozen):
    """A window on one weekday (0 = Monday), local time, half-open [start, end).

    end_minute may be 1440 (midnight at the end of the day), so 24-hour days are expressible.
    """

    weekday: int = Field(ge=0, le=6)
    start_minute: int = Field(ge=0, le=1440)
    end_minute: int = Field(ge=0, le=1440)

    @model_validator(mode="after")
    def _ordered(self) -> DailyWindow:
        if self.end_minute <= self.start_minute:
            raise ValueError(
                f"{WEEKDAY_NAMES[self.weekday]}: end {self.end_minute} min must be after "
                f"start {self.start_minute} min"
            )
        return self


class SiteProfile(Frozen):
    name: str = Field(min_length=1, max_length=120)
    timezone: str = "Asia/Karachi"
    interval_minutes: Literal[15, 30] = 30
    opening_hours: tuple[DailyWindow, ...] = ()  # at most one window per weekday; none = closed

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        zone(value)
        return value

    @model_validator(mode="after")
    def _one_window_per_day(self) -> SiteProfile:
        days = [w.weekday for w in self.opening_hours]
        if len(days) != len(set(days)):
            raise ValueError("opening_hours: at most one window per weekday")
        for w in self.opening_hours:
            if w.start_minute % self.interval_minutes or w.end_minute % self.interval_minutes:
                raise ValueError(
                    f"opening_hours {WEEKDAY_NAMES[w.weekday]}: times must fall on "
                    f"{self.interval_minutes}-minute interval boundaries"
                )
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def hours_on(self, weekday: int) -> DailyWindow | None:
        return next((w for w in self.opening_hours if w.weekday == weekday), None)


class LeavePeriod(Frozen):
    first_day: date
    last_day: date  # inclusive
    reason: Literal["leave", "training", "sick", "other"] = "leave"

    @model_validator(mode="after")
    def _ordered(self) -> LeavePeriod:
        if self.last_day < self.first_day:
            raise ValueError("leave: last_day is before first_day")
        return self


class Employment(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    VOLUNTEER = "volunteer"


class StaffMember(Frozen):
    """A person who can be rostered. Minutes are whole minutes per week."""

    id: str = Field(min_length=1, max_length=64)
    display_name: str = Field(min_length=1, max_length=120)
    skills: frozenset[Skill] = frozenset({Skill.COUNSELLOR})
    languages: tuple[str, ...] = ()
    employment: Employment = Employment.FULL_TIME
    contract_minutes_min: int = Field(default=0, ge=0, le=7 * 24 * 60)
    contract_minutes_max: int = Field(default=40 * 60, ge=0, le=7 * 24 * 60)
    line_cap_minutes_week: int = Field(default=30 * 60, ge=0, le=7 * 24 * 60)
    # Windows when the person can work; empty means any time the site is open.
    availability: tuple[DailyWindow, ...] = ()
    leave: tuple[LeavePeriod, ...] = ()

    @model_validator(mode="after")
    def _contract_range(self) -> StaffMember:
        if self.contract_minutes_max < self.contract_minutes_min:
            raise ValueError(
                f"staff {self.id}: contract maximum {self.contract_minutes_max} min is below "
                f"the minimum {self.contract_minutes_min} min"
            )
        return self

    def on_leave(self, day: date) -> bool:
        return any(p.first_day <= day <= p.last_day for p in self.leave)


class CallIntervalRecord(Frozen):
    """Counts for one interval of call history. No caller data exists anywhere."""

    start_utc: datetime
    offered: int = Field(ge=0)
    # None: unknown (a file with offered counts only), never taken as zero.
    answered: int | None = Field(default=None, ge=0)
    abandoned: int | None = Field(default=None, ge=0)
    handle_seconds: int = Field(ge=0)  # total talk + wrap-up over the answered calls
    difficult: int = Field(ge=0)  # answered calls flagged difficult

    @field_validator("start_utc")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("start_utc must carry a timezone")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> CallIntervalRecord:
        if (self.answered or 0) + (self.abandoned or 0) > self.offered:
            raise ValueError("answered + abandoned exceeds offered")
        if self.answered is not None and self.difficult > self.answered:
            raise ValueError("difficult exceeds answered")
        return self


class ServiceTargets(Frozen):
    model: Literal["erlang_a", "erlang_c"] = "erlang_a"
    patience_seconds: float = Field(default=120.0, gt=0)
    answered_share_min: float = Field(default=0.90, ge=0, le=1)
    service_level: float = Field(default=0.80, ge=0, le=1)
    target_answer_seconds: float = Field(default=60.0, ge=0)
    max_occupancy: float | None = Field(default=None, gt=0, le=1)


class HandleTimes(Frozen):
    talk_minutes: float = Field(default=20.0, gt=0)
    wrapup_minutes: float = Field(default=5.0, ge=0)
    difficult_share: float = Field(default=0.30, ge=0, le=1)
    decompression_minutes: float = Field(default=10.0, ge=5)
    # after a second difficult call in a row (two in one shift with no full break between)
    long_decompression_minutes: float = Field(default=30.0, ge=5)

    @property
    def effective_handle_seconds(self) -> float:
        """Talk + wrap-up + share difficult x decompression (DOMAIN.md): decompression is load."""
        return 60.0 * (
            self.talk_minutes
            + self.wrapup_minutes
            + self.difficult_share * self.decompression_minutes
        )


class SpecialistCover(Frozen):
    """A skill that must be on shift during a window of a weekday (local time)."""

    skill: Skill
    window: DailyWindow
    count: int = Field(default=1, ge=1)


class Floors(Frozen):
    min_on_line: int = Field(default=2, ge=0)
    # Keep min_on_line free to answer or talking (not decompressing) with this probability at
    # a random moment; None counts decompressing counsellors towards the floor.
    free_probability: float | None = Field(default=0.998, gt=0, lt=1)
    supervisor_every_open_day: bool = True
    specialist_cover: tuple[SpecialistCover, ...] = ()
    languages_required: tuple[str, ...] = ()  # at least one speaker on the line while open


class ForecastSettings(Frozen):
    """How the forecast is made for a site: whose public holidays it knows (an ISO 3166 code
    the `holidays` package supports; "" for none) and how many weeks its backtest scores."""

    holiday_country: str = Field(default="PK", max_length=8)
    backtest_weeks: int = Field(default=8, ge=1, le=52)

    @field_validator("holiday_country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        from scheduling.holiday_calendar import check_country

        return check_country(value) if value.strip() else ""


class StaffingSettings(Frozen):
    targets: ServiceTargets = ServiceTargets()
    handle: HandleTimes = HandleTimes()
    floors: Floors = Floors()
    shrinkage: float = Field(default=0.30, ge=0, lt=1)
    forecast: ForecastSettings = ForecastSettings()
