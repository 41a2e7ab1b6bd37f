"""Centres in one installation: which centres an account belongs to, and which centres share
a number (a pooled queue: a call goes to whichever centre has a free counsellor)."""

from __future__ import annotations

from datetime import datetime

from pydantic import field_validator
from sqlmodel import Field, SQLModel

from data.db import utcnow


class CentreMembership(SQLModel, table=True):
    __tablename__ = "centre_membership"

    account_id: int = Field(foreign_key="account.id", primary_key=True, ondelete="CASCADE")
    site_id: int = Field(foreign_key="site.id", primary_key=True, ondelete="CASCADE", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(default="system", max_length=64)


class CentreMembershipCreate(SQLModel):
    account_id: int = Field(ge=1)
    site_id: int = Field(ge=1)


class CentreMembershipPublic(SQLModel):
    account_id: int
    site_id: int
    created_at: datetime
    created_by: str


class QueuePool(SQLModel, table=True):
    """A centre's place in a pool: the centres with the same `pool` (the shared number's
    label, e.g. "National helpline") answer one queue."""

    __tablename__ = "queue_pool"

    site_id: int = Field(foreign_key="site.id", primary_key=True, ondelete="CASCADE")
    pool: str = Field(max_length=80, index=True)


class QueuePoolCreate(SQLModel):
    site_id: int = Field(ge=1)
    pool: str = Field(min_length=1, max_length=80)

    @field_validator("pool")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("pool: expected the label of the shared number")
        return value
