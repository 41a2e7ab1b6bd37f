"""Sign-in accounts, usernames and password strength."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import field_validator, model_validator
from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from data.db import utcnow
from scheduling.domain import (
    Role,
)

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
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
