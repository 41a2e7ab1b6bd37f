"""Call history per interval. Nothing here describes a caller: counts, durations and a
difficult count per interval only; tests/data/test_schema_privacy.py keeps it that way."""

from __future__ import annotations

from datetime import datetime

from pydantic import field_validator, model_validator
from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from data.models.base import require_aware


class CallIntervalBase(SQLModel):
    interval_start_utc: datetime
    offered: int = Field(ge=0)
    # NULL: unknown (a file with offered counts only), never taken as zero.
    answered: int | None = Field(default=None, ge=0)
    abandoned: int | None = Field(default=None, ge=0)
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
        return require_aware(value, "interval_start_utc")

    @model_validator(mode="after")
    def _consistent(self) -> CallIntervalCreate:
        if (self.answered or 0) + (self.abandoned or 0) > self.offered:
            raise ValueError("answered + abandoned exceeds offered")
        if self.answered is not None and self.difficult > self.answered:
            raise ValueError("difficult exceeds answered")
        return self


class CallIntervalPublic(CallIntervalBase):
    id: int
    site_id: int
