"""Server-side sign-in sessions and the failed-sign-in count per source.

A session row holds only the token's hash: the token lives in the browser's HttpOnly cookie
(and in the server's memory for the open tab), so a copy of the database signs nobody in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from data.db import utcnow


class AuthSessionBase(SQLModel):
    account_id: int
    role: str = Field(max_length=20)
    expires_at: datetime


class AuthSession(AuthSessionBase, table=True):
    """One sign-in of one account on one browser, until it is revoked or expires."""

    __tablename__ = "auth_session"
    __table_args__ = (
        UniqueConstraint("token_hash"),
        Index("ix_auth_session_account_id", "account_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE")
    token_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    # When the password was last given for this session (compared with password_changed_at).
    authenticated_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None
    revoked_reason: str | None = Field(default=None, max_length=120)


class AuthSessionCreate(AuthSessionBase):
    token_hash: str = Field(min_length=64, max_length=64)


class SignInSource(SQLModel, table=True):
    """Failed sign-ins from one source (an address), whatever username they tried."""

    __tablename__ = "sign_in_source"
    __table_args__ = (
        UniqueConstraint("source"),
        CheckConstraint("failed_count >= 0", name="failed_count"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=64)
    failed_count: int = 0
    window_start: datetime = Field(default_factory=utcnow)
    locked_until: datetime | None = None
