"""Staff wellbeing: difficult-call logs, debrief requests (with an encrypted private note) and
check-in answers. Health data: read only through data.wellbeing, which applies the access
rules of wellbeing.privacy and writes the audit log. No field here ever describes a caller."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import field_validator
from sqlalchemy import CheckConstraint, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from data.db import utcnow
from data.models.base import json_column, require_aware

DIFFICULT_CALL_CATEGORIES = (
    "threats",
    "sexual extortion",
    "self-harm risk",
    "abuse of a child",
    "other",
)
DEBRIEF_URGENCIES = ("before_shift_end", "within_24h")
DEBRIEF_STATUSES = ("open", "done")

Category = Literal["threats", "sexual extortion", "self-harm risk", "abuse of a child", "other"]
Urgency = Literal["before_shift_end", "within_24h"]


class DifficultCallBase(SQLModel):
    at: datetime
    category: str | None = Field(default=None, max_length=24)
    distress: int | None = Field(default=None, ge=1, le=5)


class DifficultCall(DifficultCallBase, table=True):
    """One difficult call a counsellor logged: when, and optionally a category and their own
    distress 1-5. Nothing about the caller."""

    __tablename__ = "difficult_call"
    __table_args__ = (
        CheckConstraint(
            "category IS NULL OR category IN "
            "('threats', 'sexual extortion', 'self-harm risk', 'abuse of a child', 'other')",
            name="category",
        ),
        CheckConstraint("distress IS NULL OR (distress >= 1 AND distress <= 5)", name="distress"),
        Index("ix_difficult_call_staff_at", "staff_id", "at"),
        Index("ix_difficult_call_site_at", "site_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", ondelete="CASCADE")
    site_id: int = Field(foreign_key="site.id", ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)


class DifficultCallCreate(SQLModel):
    staff_id: int
    site_id: int
    at: datetime

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return require_aware(value, "difficult call time")


class DifficultCallUpdate(SQLModel):
    """What the person adds after the tap, never before it."""

    category: Category | None = None
    distress: int | None = Field(default=None, ge=1, le=5)


class DifficultCallPublic(DifficultCallBase):
    id: int
    staff_id: int
    site_id: int
    category: Category | None


class DebriefRequestBase(SQLModel):
    urgency: str = Field(max_length=20)
    requested_at: datetime
    deadline: datetime


class DebriefRequest(DebriefRequestBase, table=True):
    __tablename__ = "debrief_request"
    __table_args__ = (
        CheckConstraint("urgency IN ('before_shift_end', 'within_24h')", name="urgency"),
        CheckConstraint("status IN ('open', 'done')", name="status"),
        CheckConstraint("deadline > requested_at", name="ordered"),
        Index("ix_debrief_request_site_status", "site_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", ondelete="CASCADE", index=True)
    site_id: int = Field(foreign_key="site.id", ondelete="CASCADE")
    status: str = Field(default="open", max_length=8)
    done_by: str | None = Field(default=None, max_length=64)
    done_at: datetime | None = None
    # A Fernet token (MultiFernet): the plaintext never reaches the database.
    note_token: str | None = Field(default=None, sa_type=Text)


class DebriefRequestCreate(SQLModel):
    staff_id: int
    site_id: int
    urgency: Urgency
    requested_at: datetime
    deadline: datetime
    note: str | None = Field(default=None, max_length=2000)

    @field_validator("requested_at", "deadline")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return require_aware(value, "debrief times")


class DebriefRequestUpdate(SQLModel):
    status: Literal["done"]
    done_by: str = Field(min_length=1, max_length=64)
    done_at: datetime


class DebriefRequestPublic(DebriefRequestBase):
    """A request as a supervisor (or the person) reads it; `note` is decrypted only for them."""

    id: int
    staff_id: int
    site_id: int
    display_name: str
    urgency: Urgency
    status: Literal["open", "done"]
    done_by: str | None
    done_at: datetime | None
    note: str | None = None
    has_note: bool = False


class CheckinAnswerBase(SQLModel):
    quarter: str = Field(max_length=7)  # "2026-Q4"
    answered_at: datetime
    personal: float | None = None
    work: float | None = None
    client: float | None = None


class CheckinAnswer(CheckinAnswerBase, table=True):
    """One person's Copenhagen Burnout Inventory for one quarter: the answers and the scores."""

    __tablename__ = "checkin_answer"
    __table_args__ = (UniqueConstraint("staff_id", "quarter"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", ondelete="CASCADE", index=True)
    site_id: int = Field(foreign_key="site.id", ondelete="CASCADE")
    answers: dict[str, int] = Field(default_factory=dict, sa_column=json_column())


class CheckinAnswerCreate(SQLModel):
    staff_id: int
    site_id: int
    quarter: str = Field(regex=r"^\d{4}-Q[1-4]$")
    answered_at: datetime
    answers: dict[str, int]
    personal: float | None = Field(default=None, ge=0, le=100)
    work: float | None = Field(default=None, ge=0, le=100)
    client: float | None = Field(default=None, ge=0, le=100)

    @field_validator("answered_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return require_aware(value, "answered_at")


class CheckinAnswerPublic(CheckinAnswerBase):
    id: int
    staff_id: int
