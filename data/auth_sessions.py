"""Sign-in sessions kept on the server: started by a right password, checked against the
account on every page run, ended by sign-out, inactivity, an admin, or a change to the
account (disabled, role changed, password reset).

The token is 256 random bits shown to nobody but the browser; the database holds its SHA-256
(a token that long needs no slow hash). Each function opens and closes its own database
session, so a page calls one of them per user action.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine, update
from sqlmodel import Session, col, func, select

from data.audit import write_audit
from data.db import session_scope, utcnow
from data.models import Account, AuthSession, AuthSessionCreate
from data.settings import Settings, settings
from scheduling.domain import Role

# last_seen_at is written at most this often, not on every click.
TOUCH_EVERY = timedelta(seconds=30)

SIGNED_OUT = "signed out"
EXPIRED = "expired after inactivity"
TOO_OLD = "reached its longest allowed length"
CHANGED = "the account changed"
DISABLED = "the account was disabled"
PASSWORD_RESET = "the password was changed"
ENDED_BY_ADMIN = "ended by an administrator"

_MESSAGES = {
    SIGNED_OUT: "You are signed out.",
    EXPIRED: "Your session expired after inactivity. Please sign in again.",
    TOO_OLD: "Your session has reached its longest allowed length. Please sign in again.",
    CHANGED: "Your access has changed. Please sign in again.",
    DISABLED: "Your account has been disabled. Ask an administrator.",
    PASSWORD_RESET: "Your password was changed. Please sign in again.",
    ENDED_BY_ADMIN: "An administrator ended your session. Please sign in again.",
}


class SessionUser(BaseModel):
    """Who a valid session belongs to, as read from the account on this run."""

    model_config = ConfigDict(frozen=True)

    account_id: int
    username: str
    role: Role
    staff_id: int | None = None


class SessionCheck(BaseModel):
    model_config = ConfigDict(frozen=True)

    user: SessionUser | None = None
    # Why the session is not valid (None when it is), in words for the sign-in page.
    message: str | None = None
    reason: str | None = None


class NewSession(BaseModel):
    model_config = ConfigDict(frozen=True)

    token: str
    user: SessionUser


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def start_session(
    *, engine: Engine, account_id: int, now: datetime | None = None, config: Settings | None = None
) -> NewSession:
    """A new session for an account whose password was just checked."""
    now = now or utcnow()
    config = config or settings()
    token = secrets.token_urlsafe(32)
    with session_scope(engine) as session:
        account = session.get(Account, account_id)
        if account is None or account.disabled:
            raise ValueError("no enabled account to sign in")
        row = AuthSession.model_validate(
            AuthSessionCreate(
                account_id=account_id,
                role=account.role,
                expires_at=now + timedelta(hours=config.session_max_hours),
                token_hash=token_hash(token),
            )
        )
        row.created_at = row.authenticated_at = row.last_seen_at = now
        session.add(row)
        session.flush()
        user = _user(account)
    return NewSession(token=token, user=user)


def _user(account: Account) -> SessionUser:
    assert account.id is not None
    return SessionUser(
        account_id=account.id,
        username=account.username,
        role=Role(account.role),
        staff_id=account.staff_id,
    )


def _end(session: Session, row: AuthSession, reason: str, now: datetime, actor: str) -> None:
    row.revoked_at = now
    row.revoked_reason = reason
    session.add(row)
    session.flush()
    action = {SIGNED_OUT: "session.sign_out", EXPIRED: "session.expired"}.get(
        reason, "session.ended"
    )
    account = session.get(Account, row.account_id)
    write_audit(
        session=session,
        actor=actor,
        action=action,
        target=account.username if account else str(row.account_id),
        detail=f"session {row.id}: {reason}",
    )


def check_session(
    *, engine: Engine, token: str, now: datetime | None = None, config: Settings | None = None
) -> SessionCheck:
    """Whether `token` still signs someone in, read against the account now: a session ends
    when it was revoked, has been idle longer than its role's timeout, has reached the longest
    allowed length, or when its account was disabled, changed role or had its password reset
    since. A valid session's last activity is moved to now."""
    now = now or utcnow()
    config = config or settings()
    with session_scope(engine) as session:
        row = session.exec(
            select(AuthSession).where(AuthSession.token_hash == token_hash(token))
        ).first()
        if row is None:
            return SessionCheck(message=_MESSAGES[SIGNED_OUT], reason=SIGNED_OUT)
        if row.revoked_at is not None:
            reason = row.revoked_reason or SIGNED_OUT
            return SessionCheck(message=_MESSAGES.get(reason, _MESSAGES[CHANGED]), reason=reason)
        account = session.get(Account, row.account_id)
        reason = None
        if account is None or account.disabled:
            reason = DISABLED
        elif account.role != row.role:
            reason = CHANGED
        elif _aware(account.password_changed_at) > _aware(row.authenticated_at):
            reason = PASSWORD_RESET
        elif now - _aware(row.last_seen_at) > timedelta(
            seconds=config.timeout_seconds(Role(row.role))
        ):
            reason = EXPIRED
        elif now >= _aware(row.expires_at):
            reason = TOO_OLD
        if reason is not None:
            _end(session, row, reason, now, actor=account.username if account else "system")
            return SessionCheck(message=_MESSAGES[reason], reason=reason)
        assert account is not None
        if now - _aware(row.last_seen_at) >= TOUCH_EVERY:
            row.last_seen_at = now
            session.add(row)
        return SessionCheck(user=_user(account))


def end_session(*, engine: Engine, token: str, reason: str = SIGNED_OUT) -> None:
    """Sign-out: the session ends now (nothing happens for an unknown or ended token)."""
    now = utcnow()
    with session_scope(engine) as session:
        row = session.exec(
            select(AuthSession).where(AuthSession.token_hash == token_hash(token))
        ).first()
        if row is not None and row.revoked_at is None:
            account = session.get(Account, row.account_id)
            _end(session, row, reason, now, actor=account.username if account else "system")


def revoke_sessions(
    *,
    session: Session,
    account_id: int,
    reason: str,
    actor: str,
    keep_token: str | None = None,
) -> int:
    """End every open session of an account (inside the caller's transaction); returns how
    many were ended. `keep_token` spares the session that asked (a person changing their
    own password stays signed in on that tab)."""
    now = utcnow()
    query = update(AuthSession).where(
        col(AuthSession.account_id) == account_id, col(AuthSession.revoked_at).is_(None)
    )
    if keep_token is not None:
        query = query.where(col(AuthSession.token_hash) != token_hash(keep_token))
    ended = session.execute(query.values(revoked_at=now, revoked_reason=reason)).rowcount
    if keep_token is not None:
        session.execute(
            update(AuthSession)
            .where(col(AuthSession.token_hash) == token_hash(keep_token))
            .values(authenticated_at=now)
        )
    if ended:
        account = session.get(Account, account_id)
        write_audit(
            session=session,
            actor=actor,
            action="session.ended",
            target=account.username if account else str(account_id),
            detail=f"{ended} session(s): {reason}",
        )
    return int(ended or 0)


def open_session_counts(*, session: Session, now: datetime | None = None) -> dict[int, int]:
    """Open (not revoked, not past their longest length) sessions per account id."""
    now = now or utcnow()
    rows = session.exec(
        select(AuthSession.account_id, func.count())
        .where(col(AuthSession.revoked_at).is_(None), col(AuthSession.expires_at) > now)
        .group_by(col(AuthSession.account_id))
    )
    return {account_id: int(count) for account_id, count in rows}
