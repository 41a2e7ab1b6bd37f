"""Signing in and changing one's own password."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from data.accounts import LoginResult, authenticate, reset_password
from data.db import session_scope
from data.sites import demo_only


def sign_in_with_password(
    *, engine: Engine | None = None, username: str, password: str
) -> LoginResult:
    """Check a login; the outcome (failed count, lock, last login, audit) is saved."""
    with session_scope(engine) as session:
        return authenticate(session=session, username=username, password=password)


def change_own_password(
    *, engine: Engine | None = None, username: str, current_password: str, new_password: str
) -> None:
    """Raises ValueError saying why the password was not changed (wrong current password,
    locked account, weak new one)."""
    # The check is a transaction of its own so that a wrong guess counts towards the lockout
    # even though the change then fails.
    check = sign_in_with_password(engine=engine, username=username, password=current_password)
    if not check.ok:
        raise ValueError(check.message)
    with session_scope(engine) as session:
        reset_password(
            session=session, username=username, new_password=new_password, actor=username
        )


def demo_accounts_shown(*, engine: Engine | None = None) -> bool:
    """The sign-in page lists the demo accounts while the demo site is the only site."""
    with session_scope(engine) as session:
        return demo_only(session=session)
