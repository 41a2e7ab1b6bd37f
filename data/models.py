"""SQLModel tables and their write/read schemas.

Per entity: <X>Base (shared columns), <X> (table=True), <X>Create / <X>Update (every write goes
through one of these, since table models skip validation) and <X>Public (what callers read).
All datetimes are stored in UTC (sqlmodel maps aware `datetime` fields to a UTC column type).

Privacy: nothing here describes a caller. CallInterval holds counts, durations and a
difficult count per interval; tests/data/test_schema_privacy.py keeps it that way.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

from pydantic import field_validator, model_validator
from pydantic_core import to_jsonable_python
from sqlalchemy import JSON, CheckConstraint, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from data.db import utcnow
from scheduling.domain import (
    DailyWindow,
    Employment,
    LeavePeriod,
    Role,
    SiteProfile,
    Skill,
    StaffingSettings,
    StaffMember,
    WorkRules,
)

# Named constraints keep SQLite batch migrations and PostgreSQL alike and diffable.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}$")
PASSWORD_MIN_LENGTH = 10
_COMMON_PASSWORDS = frozenset(
    {
        "password123",
        "password1234",
        "1234567890",
        "12345678910",
        "qwertyuiop",
        "0123456789",
        "iloveyou123",
        "administrator",
        "changeme123",
        "letmein1234",
        "welcome1234",
        "pakistan123",
    }
)


def _json_column() -> Any:
    return Column(JSON, nullable=False)


def _aware(value: datetime, field: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{field} must carry a timezone (store UTC)")
    return value


# --------------------------------------------------------------------------------------- site


class SiteBase(SQLModel):
    name: str = Field(min_length=1, max_length=120)
    timezone: str = Field(default="Asia/Karachi", max_length=64)
    interval_minutes: int = Field(default=30)
    is_demo: bool = False


class Site(SiteBase, table=True):
    __tablename__ = "site"
    __table_args__ = (
        UniqueConstraint("name"),
        CheckConstraint("interval_minutes IN (15, 30)", name="interval_minutes"),
    )

    id: int | None = Field(default=None, primary_key=True)
    opening_hours: list[dict[str, int]] = Field(default_factory=list, sa_column=_json_column())
    created_at: datetime = Field(default_factory=utcnow)


class SiteCreate(SiteBase):
    interval_minutes: Literal[15, 30] = 30
    opening_hours: list[DailyWindow] = Field(default_factory=list)

    @model_validator(mode="after")
    def _valid_profile(self) -> SiteCreate:
        # SiteProfile holds the rules (known zone, one window a day, on interval boundaries).
        SiteProfile(
            name=self.name,
            timezone=self.timezone,
            interval_minutes=self.interval_minutes,
            opening_hours=tuple(self.opening_hours),
        )
        return self


class SiteUpdate(SQLModel):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    timezone: str | None = Field(default=None, max_length=64)
    interval_minutes: Literal[15, 30] | None = None
    opening_hours: list[DailyWindow] | None = None


class SitePublic(SiteBase):
    id: int
    interval_minutes: Literal[15, 30]
    opening_hours: list[DailyWindow]
    created_at: datetime

    def profile(self) -> SiteProfile:
        return SiteProfile(
            name=self.name,
            timezone=self.timezone,
            interval_minutes=self.interval_minutes,
            opening_hours=tuple(sorted(self.opening_hours, key=lambda w: w.weekday)),
        )


# ------------------------------------------------------------------------------ site settings


class SiteSettings(SQLModel, table=True):
    __tablename__ = "site_settings"

    site_id: int = Field(foreign_key="site.id", primary_key=True, ondelete="CASCADE")
    staffing: dict[str, Any] = Field(default_factory=dict, sa_column=_json_column())
    work_rules: dict[str, Any] = Field(default_factory=dict, sa_column=_json_column())
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: str = Field(default="system", max_length=64)


class SiteSettingsUpdate(SQLModel):
    staffing: StaffingSettings | None = None
    work_rules: WorkRules | None = None


class SiteSettingsPublic(SQLModel):
    site_id: int
    staffing: StaffingSettings
    work_rules: WorkRules
    updated_at: datetime | None
    updated_by: str | None


# -------------------------------------------------------------------------------------- staff


class StaffBase(SQLModel):
    display_name: str = Field(min_length=1, max_length=120)
    employment: str = Field(default=Employment.FULL_TIME.value, max_length=20)
    contract_minutes_min: int = Field(default=0, ge=0, le=7 * 24 * 60)
    contract_minutes_max: int = Field(default=40 * 60, ge=0, le=7 * 24 * 60)
    line_cap_minutes_week: int = Field(default=30 * 60, ge=0, le=7 * 24 * 60)
    active: bool = True


class Staff(StaffBase, table=True):
    __tablename__ = "staff"
    __table_args__ = (
        CheckConstraint("contract_minutes_max >= contract_minutes_min", name="contract_range"),
        CheckConstraint("line_cap_minutes_week >= 0", name="line_cap"),
    )

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", index=True, ondelete="CASCADE")
    skills: list[str] = Field(default_factory=list, sa_column=_json_column())
    languages: list[str] = Field(default_factory=list, sa_column=_json_column())
    availability: list[dict[str, int]] = Field(default_factory=list, sa_column=_json_column())
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


def _clean_languages(value: list[str] | None) -> list[str] | None:
    if value is None:
        return None
    cleaned: list[str] = []
    for code in value:
        code = code.strip().lower()
        if not LANGUAGE_PATTERN.match(code):
            raise ValueError(f"language {code!r}: expected a 2- or 3-letter code such as 'ur'")
        if code not in cleaned:
            cleaned.append(code)
    return cleaned


class StaffCreate(StaffBase):
    site_id: int
    employment: Employment = Employment.FULL_TIME
    skills: list[Skill] = Field(default_factory=lambda: [Skill.COUNSELLOR], min_length=1)
    languages: list[str] = Field(default_factory=list)
    availability: list[DailyWindow] = Field(default_factory=list)

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str] | None) -> list[str] | None:
        return _clean_languages(value)

    @model_validator(mode="after")
    def _contract_range(self) -> StaffCreate:
        if self.contract_minutes_max < self.contract_minutes_min:
            raise ValueError(
                f"contract maximum {self.contract_minutes_max} min is below the minimum "
                f"{self.contract_minutes_min} min"
            )
        return self


class StaffUpdate(SQLModel):
    display_name: str | None = Field(default=None, min_length=1, max_length=120)
    employment: Employment | None = None
    skills: list[Skill] | None = Field(default=None, min_length=1)
    languages: list[str] | None = None
    contract_minutes_min: int | None = Field(default=None, ge=0, le=7 * 24 * 60)
    contract_minutes_max: int | None = Field(default=None, ge=0, le=7 * 24 * 60)
    line_cap_minutes_week: int | None = Field(default=None, ge=0, le=7 * 24 * 60)
    availability: list[DailyWindow] | None = None
    active: bool | None = None

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str] | None) -> list[str] | None:
        return _clean_languages(value)


class StaffLeaveBase(SQLModel):
    first_day: date
    last_day: date
    reason: str = Field(default="leave", max_length=20)


class StaffLeave(StaffLeaveBase, table=True):
    __tablename__ = "staff_leave"
    __table_args__ = (CheckConstraint("last_day >= first_day", name="ordered"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True, ondelete="CASCADE")


class StaffLeaveCreate(StaffLeaveBase):
    staff_id: int
    reason: Literal["leave", "training", "sick", "other"] = "leave"

    @model_validator(mode="after")
    def _ordered(self) -> StaffLeaveCreate:
        if self.last_day < self.first_day:
            raise ValueError("leave: last_day is before first_day")
        return self


class StaffLeavePublic(StaffLeaveBase):
    id: int
    staff_id: int
    reason: Literal["leave", "training", "sick", "other"]

    def period(self) -> LeavePeriod:
        return LeavePeriod(first_day=self.first_day, last_day=self.last_day, reason=self.reason)


class StaffPublic(StaffBase):
    id: int
    site_id: int
    employment: Employment
    skills: list[Skill]
    languages: list[str]
    availability: list[DailyWindow]
    leave: list[StaffLeavePublic] = Field(default_factory=list)

    def member(self) -> StaffMember:
        return StaffMember(
            id=str(self.id),
            display_name=self.display_name,
            skills=frozenset(self.skills),
            languages=tuple(self.languages),
            employment=self.employment,
            contract_minutes_min=self.contract_minutes_min,
            contract_minutes_max=self.contract_minutes_max,
            line_cap_minutes_week=self.line_cap_minutes_week,
            availability=tuple(self.availability),
            leave=tuple(p.period() for p in self.leave),
        )


# ------------------------------------------------------------------------------ call history


class CallIntervalBase(SQLModel):
    interval_start_utc: datetime
    offered: int = Field(ge=0)
    answered: int = Field(ge=0)
    abandoned: int = Field(ge=0)
    handle_seconds: int = Field(ge=0)
    difficult: int = Field(ge=0)


class CallInterval(CallIntervalBase, table=True):
    """Counts for one interval of one site. Deliberately nothing about any caller."""

    __tablename__ = "call_interval"
    __table_args__ = (
        UniqueConstraint("site_id", "interval_start_utc"),
        CheckConstraint("offered >= 0", name="offered"),
        CheckConstraint("answered >= 0", name="answered"),
        CheckConstraint("abandoned >= 0", name="abandoned"),
        CheckConstraint("handle_seconds >= 0", name="handle_seconds"),
        CheckConstraint("difficult >= 0 AND difficult <= answered", name="difficult"),
        CheckConstraint("answered + abandoned <= offered", name="outcomes"),
    )

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", ondelete="CASCADE")


class CallIntervalCreate(CallIntervalBase):
    site_id: int

    @field_validator("interval_start_utc")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return _aware(value, "interval_start_utc")

    @model_validator(mode="after")
    def _consistent(self) -> CallIntervalCreate:
        if self.answered + self.abandoned > self.offered:
            raise ValueError("answered + abandoned exceeds offered")
        if self.difficult > self.answered:
            raise ValueError("difficult exceeds answered")
        return self


class CallIntervalPublic(CallIntervalBase):
    id: int
    site_id: int


# ----------------------------------------------------------------------------------- accounts


class AccountBase(SQLModel):
    username: str = Field(max_length=40)
    role: str = Field(max_length=20)
    staff_id: int | None = Field(default=None)


class Account(AccountBase, table=True):
    __tablename__ = "account"
    __table_args__ = (
        UniqueConstraint("username"),
        CheckConstraint(
            "role IN ('staff', 'supervisor', 'manager', 'leadership', 'admin')", name="role"
        ),
        CheckConstraint("failed_login_count >= 0", name="failed_login_count"),
    )

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id", ondelete="SET NULL")
    password_hash: str = Field(max_length=255)
    failed_login_count: int = 0
    locked_until: datetime | None = None
    disabled: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None
    password_changed_at: datetime = Field(default_factory=utcnow)


def check_username(value: str) -> str:
    value = value.strip().lower()
    if not USERNAME_PATTERN.match(value):
        raise ValueError(
            "username: expected 3-40 characters, lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return value


def check_password_strength(password: str, username: str | None = None) -> str:
    """Return the password or raise ValueError saying why it is too weak."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise ValueError(f"password: expected at least {PASSWORD_MIN_LENGTH} characters")
    if len(password) > 256:
        raise ValueError("password: expected at most 256 characters")
    lowered = password.lower()
    if lowered in _COMMON_PASSWORDS or len(set(password)) < 4:
        raise ValueError("password: too easy to guess; use a longer phrase")
    if username and username.lower() in lowered:
        raise ValueError("password: must not contain the username")
    return password


class AccountCreate(SQLModel):
    username: str
    password: str
    role: Role
    staff_id: int | None = None

    @field_validator("username")
    @classmethod
    def _username(cls, value: str) -> str:
        return check_username(value)

    @model_validator(mode="after")
    def _strong(self) -> AccountCreate:
        check_password_strength(self.password, self.username)
        return self


class AccountUpdate(SQLModel):
    role: Role | None = None
    staff_id: int | None = None
    disabled: bool | None = None


class AccountPublic(AccountBase):
    id: int
    role: Role
    disabled: bool
    failed_login_count: int
    locked_until: datetime | None
    created_at: datetime
    last_login_at: datetime | None


# -------------------------------------------------------------------------------------- audit


class AuditLogBase(SQLModel):
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64)
    target: str = Field(default="", max_length=200)
    detail: str = Field(default="", sa_type=Text)


class AuditLog(AuditLogBase, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)


class AuditLogCreate(AuditLogBase):
    actor: str = Field(min_length=1, max_length=64)
    action: str = Field(min_length=1, max_length=64)
    detail: str = Field(default="", max_length=4000)


class AuditLogPublic(AuditLogBase):
    id: int
    at: datetime


# ---------------------------------------------------------------------- forecasts (issue 3)


class ForecastRunBase(SQLModel):
    site_id: int
    week_start: date
    created_by: str = Field(max_length=64)
    method: str = Field(max_length=64)


class ForecastRun(ForecastRunBase, table=True):
    __tablename__ = "forecast_run"
    __table_args__ = (Index("ix_forecast_run_site_week", "site_id", "week_start"),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    # The settings, history range and adjustments that made this run, as JSON.
    inputs: dict[str, Any] = Field(default_factory=dict, sa_column=_json_column())
    backtest: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


def _jsonable(value: Any) -> Any:
    return None if value is None else to_jsonable_python(value)


class ForecastRunCreate(ForecastRunBase):
    created_by: str = Field(min_length=1, max_length=64)
    method: str = Field(min_length=1, max_length=64)
    inputs: dict[str, Any] = Field(default_factory=dict)
    backtest: dict[str, Any] | None = None

    @field_validator("inputs", "backtest")
    @classmethod
    def _json(cls, value: Any) -> Any:
        return _jsonable(value)


class ForecastRunPublic(ForecastRunBase):
    id: int
    created_at: datetime
    inputs: dict[str, Any]
    backtest: dict[str, Any] | None


class RequirementRowBase(SQLModel):
    interval_start_utc: datetime
    interval_end_utc: datetime
    forecast_calls: float = Field(ge=0)
    band_low: float = Field(ge=0)
    band_high: float = Field(ge=0)
    required: int = Field(ge=0)
    queue_required: int = Field(ge=0)
    workload_erlangs: float = Field(ge=0)
    service_level: float | None = None
    answered_share: float | None = None
    abandon_share: float | None = None
    binding: str = Field(default="", sa_type=Text)


class RequirementRow(RequirementRowBase, table=True):
    __tablename__ = "requirement_row"
    __table_args__ = (
        UniqueConstraint("forecast_run_id", "interval_start_utc"),
        CheckConstraint("required >= 0 AND queue_required >= 0", name="required"),
    )

    id: int | None = Field(default=None, primary_key=True)
    forecast_run_id: int = Field(foreign_key="forecast_run.id", ondelete="CASCADE")


class RequirementRowCreate(RequirementRowBase):
    forecast_run_id: int

    @field_validator("interval_start_utc", "interval_end_utc")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return _aware(value, "interval times")


# ------------------------------------------------------------------------ rosters (issue 4)

ROSTER_STATUSES = ("draft", "published", "superseded")


class RosterBase(SQLModel):
    site_id: int
    week_start: date
    created_by: str = Field(max_length=64)


class Roster(RosterBase, table=True):
    """One solve of one week: a draft until a manager publishes it. Publishing a newer
    version of the same week marks the older published one superseded."""

    __tablename__ = "roster"
    __table_args__ = (
        UniqueConstraint("site_id", "week_start", "version"),
        CheckConstraint("status IN ('draft', 'published', 'superseded')", name="status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", ondelete="CASCADE")
    version: int = Field(ge=1)
    status: str = Field(default="draft", max_length=12)
    created_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None
    published_by: str | None = Field(default=None, max_length=64)
    forecast_run_id: int | None = Field(
        default=None, foreign_key="forecast_run.id", ondelete="SET NULL"
    )
    solver_status: str = Field(max_length=16)
    objective: float | None = None
    best_bound: float | None = None
    gap: float | None = None
    wall_time_seconds: float = 0.0
    shortfall_hours: float = 0.0
    hard_rules_broken: int = 0
    # The RosterInstance that was solved (the inputs), and the parts of the RosterSolution
    # that are reports rather than assignments (stats, coverage, broken rules, infeasibility).
    instance: dict[str, Any] = Field(default_factory=dict, sa_column=_json_column())
    report: dict[str, Any] = Field(default_factory=dict, sa_column=_json_column())


class RosterCreate(RosterBase):
    created_by: str = Field(min_length=1, max_length=64)
    version: int = Field(ge=1)
    forecast_run_id: int | None = None
    solver_status: str = Field(min_length=1, max_length=16)
    objective: float | None = None
    best_bound: float | None = None
    gap: float | None = None
    wall_time_seconds: float = Field(ge=0)
    shortfall_hours: float = Field(ge=0)
    hard_rules_broken: int = Field(ge=0)
    instance: dict[str, Any]
    report: dict[str, Any]

    @field_validator("instance", "report")
    @classmethod
    def _json(cls, value: Any) -> Any:
        return _jsonable(value)


class RosterPublic(RosterBase):
    id: int
    version: int
    status: Literal["draft", "published", "superseded"]
    created_at: datetime
    published_at: datetime | None
    published_by: str | None
    forecast_run_id: int | None
    solver_status: str
    objective: float | None
    best_bound: float | None
    gap: float | None
    wall_time_seconds: float
    shortfall_hours: float
    hard_rules_broken: int


class RosterAssignmentBase(SQLModel):
    staff_key: str = Field(max_length=64)  # the staff id used in the RosterInstance
    display_name: str = Field(max_length=120)
    hire_template: str | None = Field(default=None, max_length=40)
    start_utc: datetime
    end_utc: datetime
    pinned: bool = False


class RosterAssignment(RosterAssignmentBase, table=True):
    """One shift of one person (or of a proposed hire, with staff_id null)."""

    __tablename__ = "roster_assignment"
    __table_args__ = (
        CheckConstraint("end_utc > start_utc", name="ordered"),
        Index("ix_roster_assignment_roster_start", "roster_id", "start_utc"),
    )

    id: int | None = Field(default=None, primary_key=True)
    roster_id: int = Field(foreign_key="roster.id", ondelete="CASCADE")
    staff_id: int | None = Field(default=None, foreign_key="staff.id", ondelete="SET NULL")


class RosterAssignmentCreate(RosterAssignmentBase):
    roster_id: int
    staff_id: int | None = None

    @field_validator("start_utc", "end_utc")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return _aware(value, "shift times")

    @model_validator(mode="after")
    def _ordered(self) -> RosterAssignmentCreate:
        if self.end_utc <= self.start_utc:
            raise ValueError("shift end must be after its start")
        return self


class RosterActivityBase(SQLModel):
    activity: str = Field(max_length=16)
    start_utc: datetime
    end_utc: datetime


class RosterActivity(RosterActivityBase, table=True):
    __tablename__ = "roster_activity"
    __table_args__ = (
        CheckConstraint("end_utc > start_utc", name="ordered"),
        CheckConstraint(
            "activity IN ('line', 'meal', 'offline', 'decompression', 'debrief')",
            name="activity",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="roster_assignment.id", ondelete="CASCADE", index=True)


class RosterActivityCreate(RosterActivityBase):
    assignment_id: int

    @field_validator("start_utc", "end_utc")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return _aware(value, "activity times")


class RosterFlagBase(SQLModel):
    severity: str = Field(max_length=12)
    kind: str = Field(max_length=24)
    message: str = Field(sa_type=Text)
    start_utc: datetime | None = None
    end_utc: datetime | None = None
    staff_key: str | None = Field(default=None, max_length=64)


class RosterFlag(RosterFlagBase, table=True):
    __tablename__ = "roster_flag"

    id: int | None = Field(default=None, primary_key=True)
    roster_id: int = Field(foreign_key="roster.id", ondelete="CASCADE", index=True)


class RosterFlagCreate(RosterFlagBase):
    roster_id: int


class RosterHireBase(SQLModel):
    template: str = Field(max_length=40)
    name: str = Field(max_length=120)
    count: int = Field(ge=0)
    cost: int = Field(ge=0)
    message: str = Field(sa_type=Text)


class RosterHire(RosterHireBase, table=True):
    """Hire advice: how many of which template, and (in detail) the shifts they would cover."""

    __tablename__ = "roster_hire"

    id: int | None = Field(default=None, primary_key=True)
    roster_id: int = Field(foreign_key="roster.id", ondelete="CASCADE", index=True)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=_json_column())


class RosterHireCreate(RosterHireBase):
    roster_id: int
    detail: dict[str, Any]

    @field_validator("detail")
    @classmethod
    def _json(cls, value: Any) -> Any:
        return _jsonable(value)
