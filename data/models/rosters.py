"""Rosters: versions, assignments, activities, flags and hire advice."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import field_validator, model_validator
from sqlalchemy import CheckConstraint, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from data.db import utcnow
from data.models.base import json_column, jsonable, require_aware

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
        # At most one published version per week, whatever two managers do at once.
        Index(
            "uq_roster_one_published",
            "site_id",
            "week_start",
            unique=True,
            sqlite_where=text("status = 'published'"),
            postgresql_where=text("status = 'published'"),
        ),
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
    instance: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    report: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())


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
        return jsonable(value)


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
        return require_aware(value, "shift times")

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
        return require_aware(value, "activity times")


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
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())


class RosterHireCreate(RosterHireBase):
    roster_id: int
    detail: dict[str, Any]

    @field_validator("detail")
    @classmethod
    def _json(cls, value: Any) -> Any:
        return jsonable(value)
