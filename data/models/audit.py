"""The audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from data.db import utcnow


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
