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


class SharedNumber(SQLModel, table=True):
    """A centre's place in a pool: the centres with the same `number_name` share one number."""

    __tablename__ = "shared_number"

    site_id: int = Field(foreign_key="site.id", primary_key=True, ondelete="CASCADE")
    number_name: str = Field(max_length=80, index=True)


class SharedNumberCreate(SQLModel):
    site_id: int = Field(ge=1)
    number_name: str = Field(min_length=1, max_length=80)

    @field_validator("number_name")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("number_name: expected the name of the shared number")
        return value
