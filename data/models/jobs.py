"""Jobs: a roster solve, a re-plan of today or a scenario run, stored so that any worker (a
thread of an app server, a worker process, a Dask worker) can run it and any app server can
show its progress and result."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import field_validator
from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from data.db import utcnow
from data.models.base import json_column, jsonable

JOB_KINDS = ("roster_solve", "replan", "scenario_run", "pool_solve")
JOB_STATUSES = ("queued", "running", "done", "failed", "cancelled")
ACTIVE_STATUSES = ("queued", "running")
JobKind = Literal["roster_solve", "replan", "scenario_run", "pool_solve"]
JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]


class JobBase(SQLModel):
    kind: str = Field(max_length=16)
    site_id: int
    requested_by: str = Field(max_length=64)
    # The week a roster solve or a re-plan writes a version of (None for a scenario run).
    week_start: date | None = None


class Job(JobBase, table=True):
    __tablename__ = "job"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('roster_solve', 'replan', 'scenario_run', 'pool_solve')",
            name="kind",
        ),
        CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed', 'cancelled')",
            name="status",
        ),
        # Set while the job is queued or running, cleared when it ends: two jobs writing the
        # same site-week cannot be active at once (NULLs never clash).
        UniqueConstraint("active_key"),
        Index("ix_job_status_created", "status", "created_at"),
        Index("ix_job_site_kind", "site_id", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", ondelete="CASCADE")
    status: str = Field(default="queued", max_length=12)
    active_key: str | None = Field(default=None, max_length=80)
    # What the job runs on (the RosterInstance, the scenarios...), as JSON.
    inputs: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    attempts: int = 0
    max_attempts: int = 2
    cancel_requested: bool = False
    # The latest progress points (compact: a few dozen numbers) and one line of text.
    progress: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    worker: str | None = Field(default=None, max_length=120)
    heartbeat_at: datetime | None = None
    roster_id: int | None = Field(default=None, foreign_key="roster.id", ondelete="SET NULL")
    roster_version: int | None = None
    # A scenario run's results (and a re-plan's changes): small, so they stay with the job.
    result: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    summary: str = Field(default="", max_length=500)
    error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None


class JobCreate(JobBase):
    kind: JobKind
    requested_by: str = Field(min_length=1, max_length=64)
    inputs: dict[str, Any]
    max_attempts: int = Field(default=2, ge=1, le=10)
    active_key: str | None = Field(default=None, max_length=80)

    @field_validator("inputs")
    @classmethod
    def _json(cls, value: Any) -> Any:
        return jsonable(value)


class JobPublic(JobBase):
    id: int
    kind: JobKind
    status: JobStatus
    attempts: int
    max_attempts: int
    cancel_requested: bool
    progress: dict[str, Any]
    worker: str | None
    heartbeat_at: datetime | None
    roster_id: int | None
    roster_version: int | None
    result: dict[str, Any]
    summary: str
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES
