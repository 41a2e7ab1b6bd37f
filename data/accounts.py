"""Accounts: argon2id password hashes, login with lockout, and the admin actions.

5 failed logins lock an account for 15 minutes, and 20 from one source lock that source:
each attempt is counted in one SQL statement before the password is checked, so parallel
guesses get no extra tries. Every refusal gets the same message (and the same hashing work),
so a login form does not reveal who exists or who is locked. Every admin action, sign-in,
refusal and lockout is written to the audit log. Admin actions that remove access also end
the account's sessions (data/auth_sessions.py).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from pydantic import BaseModel, ConfigDict
from sqlalchemy import case, or_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, func, select

from data.audit import write_audit
from data.auth_sessions import (
    CHANGED,
    DISABLED,
    ENDED_BY_ADMIN,
    PASSWORD_RESET,
    revoke_sessions,
)
from data.db import lock_rows, utcnow
from data.errors import ConflictError, NotFoundError
from data.models import (
    Account,
    AccountCreate,
    AccountPublic,
    SignInSource,
    Staff,
    check_password_strength,
)
from scheduling.domain import Role

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
# Failed sign-ins from one source (an address) within LOCKOUT, whatever usernames they try,
# before that source is refused too.
MAX_FAILED_PER_SOURCE = 20
# One message for every refusal before the password is known to be right, so that the form
# never tells whether an account exists or is locked.
GENERIC_LOGIN_FAILURE = (
    f"Wrong username or password, or too many failed sign-ins: after {MAX_FAILED_LOGINS} "
    f"sign-ins are refused for {int(LOCKOUT.total_seconds() // 60)} minutes."
)

# argon2id with argon2-cffi's current recommended parameters. Hashes made with other
# parameters still verify and are re-hashed on the next successful login.
PASSWORD_HASHER = PasswordHasher(type=Type.ID)


@cache
def _dummy_hash() -> str:
    # Verified against when the username is unknown, so both failures cost the same time.
    return PASSWORD_HASHER.hash("no account has this password, ever")


class LoginResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    ok: bool
    account: AccountPublic | None = None
    message: str
    locked_until: datetime | None = None


def hash_password(password: str) -> str:
    return PASSWORD_HASHER.hash(password)


def _public(account: Account) -> AccountPublic:
    return AccountPublic.model_validate(account)


def _now(now: datetime | None) -> datetime:
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        raise ValueError("now must carry a timezone")
    return now.astimezone(UTC)


def _account(session: Session, username: str) -> Account:
    account = session.exec(
        select(Account).where(Account.username == username.strip().lower())
    ).first()
    if account is None:
        raise NotFoundError(f"no account named {username!r}")
    return account


def _verify(password_hash: str, password: str) -> bool:
    try:
        return PASSWORD_HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _reserve_attempt(session: Session, account_id: int, now: datetime) -> int | None:
    """Count one attempt on the account before its password is checked, in one UPDATE, so
    that parallel guesses cannot read the same count: returns the new count, or None when the
    account is locked (then no password may be checked). The MAX_FAILED_LOGINS-th attempt
    locks the account; a right password then unlocks it again."""
    expired = col(Account.locked_until).is_not(None)
    count = case((expired, 1), else_=Account.failed_login_count + 1)
    row = session.execute(
        update(Account)
        .where(
            col(Account.id) == account_id,
            or_(col(Account.locked_until).is_(None), col(Account.locked_until) <= now),
        )
        .values(
            failed_login_count=count,
            locked_until=case((count >= MAX_FAILED_LOGINS, now + LOCKOUT), else_=None),
        )
        .returning(Account.failed_login_count)
    ).first()
    return None if row is None else int(row[0])


def _source_key(source: str) -> str:
    # The address itself is not kept: a hash is enough to count failures per source.
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def _source_allowed(session: Session, source: str | None, now: datetime) -> bool:
    if not source:
        return True
    key = _source_key(source)
    row = session.exec(select(SignInSource).where(SignInSource.source == key)).first()
    return row is None or row.locked_until is None or row.locked_until <= now


def _count_source_failure(session: Session, source: str | None, now: datetime) -> None:
    """One more failure from `source` (an upsert in one statement on both databases)."""
    if not source:
        return
    dialect = session.get_bind().dialect.name
    insert_fn = sqlite_insert if dialect == "sqlite" else postgresql_insert
    table = SignInSource.__table__  # type: ignore[attr-defined]
    fresh = table.c.window_start <= now - LOCKOUT
    count = case((fresh, 1), else_=table.c.failed_count + 1)
    statement = insert_fn(table).values(
        source=_source_key(source), failed_count=1, window_start=now, locked_until=None
    )
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.source],
        set_={
            "failed_count": count,
            "window_start": case((fresh, now), else_=table.c.window_start),
            "locked_until": case(
                (count >= MAX_FAILED_PER_SOURCE, now + LOCKOUT), else_=table.c.locked_until
            ),
        },
    )
    session.execute(statement)


def authenticate(
    *,
    session: Session,
    username: str,
    password: str,
    now: datetime | None = None,
    source: str | None = None,
) -> LoginResult:
    """Check a sign-in. Writes the outcome (counts, lock, last login, audit) to the session.

    `source` names where the attempt comes from (the browser's address); failures are
    counted per account and per source, each in one statement, so parallel guesses are
    counted exactly. Run it in a session of its own: its writes must commit even when the
    sign-in is refused."""
    now = _now(now)
    name = username.strip().lower()[:64]
    account = session.exec(select(Account).where(Account.username == name)).first()
    if not _source_allowed(session, source, now):
        _verify(_dummy_hash(), password)
        write_audit(
            session=session, actor=name or "?", action="sign_in.refused", detail="source locked"
        )
        return LoginResult(ok=False, message=GENERIC_LOGIN_FAILURE)
    if account is None or account.id is None:
        _verify(_dummy_hash(), password)
        _count_source_failure(session, source, now)
        write_audit(
            session=session, actor=name or "?", action="sign_in.failed", detail="unknown user"
        )
        return LoginResult(ok=False, message=GENERIC_LOGIN_FAILURE)

    attempts = _reserve_attempt(session, account.id, now)
    if attempts is None:
        _verify(_dummy_hash(), password)
        _count_source_failure(session, source, now)
        write_audit(session=session, actor=name, action="sign_in.refused", detail="locked")
        session.refresh(account)
        return LoginResult(
            ok=False, message=GENERIC_LOGIN_FAILURE, locked_until=account.locked_until
        )

    if not _verify(account.password_hash, password):
        _count_source_failure(session, source, now)
        write_audit(
            session=session,
            actor=name,
            action="sign_in.failed",
            detail=f"wrong password ({attempts} in a row)",
        )
        if attempts >= MAX_FAILED_LOGINS:
            write_audit(
                session=session,
                actor=name,
                action="account.locked",
                target=name,
                detail=f"{attempts} failed logins",
            )
        session.refresh(account)
        return LoginResult(
            ok=False, message=GENERIC_LOGIN_FAILURE, locked_until=account.locked_until
        )

    session.refresh(account)
    account.failed_login_count = 0
    account.locked_until = None
    if account.disabled:
        session.add(account)
        session.flush()
        write_audit(session=session, actor=name, action="sign_in.refused", detail="disabled")
        return LoginResult(
            ok=False, message="This account is disabled; ask an administrator to enable it."
        )

    if PASSWORD_HASHER.check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    account.last_login_at = now
    session.add(account)
    session.flush()
    write_audit(session=session, actor=name, action="account.login", target=name)
    return LoginResult(ok=True, account=_public(account), message="Logged in.")


# ------------------------------------------------------------------------------ admin actions


def get_account(*, session: Session, username: str) -> AccountPublic:
    return _public(_account(session, username))


def list_accounts(*, session: Session) -> list[AccountPublic]:
    return [_public(a) for a in session.exec(select(Account).order_by(col(Account.username)))]


def count_accounts(*, session: Session, role: Role | None = None) -> int:
    query = select(func.count()).select_from(Account)
    if role is not None:
        query = query.where(Account.role == role.value)
    return session.exec(query).one()


def create_account(*, session: Session, account_in: AccountCreate, actor: str) -> AccountPublic:
    """Create an account (validated by AccountCreate); refuse a username already taken."""
    taken = session.exec(select(Account.id).where(Account.username == account_in.username))
    if taken.first() is not None:
        raise ConflictError(f"the username {account_in.username!r} is already taken")
    if account_in.staff_id is not None and session.get(Staff, account_in.staff_id) is None:
        raise NotFoundError(f"no staff member with id {account_in.staff_id}")
    account = Account(
        username=account_in.username,
        role=account_in.role.value,
        staff_id=account_in.staff_id,
        password_hash=hash_password(account_in.password),
    )
    session.add(account)
    session.flush()
    write_audit(
        session=session,
        actor=actor,
        action="account.create",
        target=account.username,
        detail=f"role {account.role}",
    )
    return _public(account)


def _active_admins(session: Session) -> int:
    return session.exec(
        select(func.count())
        .select_from(Account)
        .where(Account.role == Role.ADMIN.value, col(Account.disabled).is_(False))
    ).one()


def _locked_account(session: Session, username: str) -> Account:
    """The account, read after every enabled admin row is locked: two admins removing each
    other at once are then served one after the other, and the second sees the first's
    change (the last-admin check cannot be raced)."""
    lock_rows(
        session, Account, col(Account.role) == Role.ADMIN.value, col(Account.disabled).is_(False)
    )
    account = _account(session, username)
    session.refresh(account)
    return account


def _keep_an_admin(session: Session, account: Account) -> None:
    if account.role == Role.ADMIN.value and not account.disabled and _active_admins(session) <= 1:
        raise ConflictError("at least one enabled admin account must remain")


def disable_account(*, session: Session, username: str, actor: str) -> AccountPublic:
    account = _locked_account(session, username)
    if account.disabled:
        raise ConflictError(f"{account.username} is already disabled")
    _keep_an_admin(session, account)
    account.disabled = True
    session.add(account)
    session.flush()
    write_audit(session=session, actor=actor, action="account.disable", target=account.username)
    assert account.id is not None
    revoke_sessions(session=session, account_id=account.id, reason=DISABLED, actor=actor)
    return _public(account)


def enable_account(*, session: Session, username: str, actor: str) -> AccountPublic:
    account = _account(session, username)
    if not account.disabled:
        raise ConflictError(f"{account.username} is already enabled")
    account.disabled = False
    session.add(account)
    session.flush()
    write_audit(session=session, actor=actor, action="account.enable", target=account.username)
    return _public(account)


def end_sessions(*, session: Session, username: str, actor: str) -> int:
    """End every open session of an account (it must sign in again); returns how many."""
    account = _account(session, username)
    assert account.id is not None
    return revoke_sessions(
        session=session, account_id=account.id, reason=ENDED_BY_ADMIN, actor=actor
    )


def reset_password(
    *,
    session: Session,
    username: str,
    new_password: str,
    actor: str,
    keep_session_token: str | None = None,
) -> AccountPublic:
    """Set a new password (strength-checked); also unlocks the account and ends its sessions
    (but the one holding `keep_session_token`, when a person changes their own)."""
    account = _account(session, username)
    check_password_strength(new_password, account.username)
    account.password_hash = hash_password(new_password)
    account.password_changed_at = utcnow()
    account.failed_login_count = 0
    account.locked_until = None
    session.add(account)
    session.flush()
    write_audit(
        session=session, actor=actor, action="account.reset_password", target=account.username
    )
    assert account.id is not None
    revoke_sessions(
        session=session,
        account_id=account.id,
        reason=PASSWORD_RESET,
        actor=actor,
        keep_token=keep_session_token,
    )
    return _public(account)


def set_role(*, session: Session, username: str, role: Role, actor: str) -> AccountPublic:
    account = _locked_account(session, username)
    if role != Role.ADMIN:
        _keep_an_admin(session, account)
    old = account.role
    account.role = Role(role).value
    session.add(account)
    session.flush()
    write_audit(
        session=session,
        actor=actor,
        action="account.set_role",
        target=account.username,
        detail=f"{old} -> {account.role}",
    )
    if old != account.role:
        assert account.id is not None
        revoke_sessions(session=session, account_id=account.id, reason=CHANGED, actor=actor)
    return _public(account)


def link_staff(
    *, session: Session, username: str, staff_id: int | None, actor: str
) -> AccountPublic:
    account = _account(session, username)
    if staff_id is not None and session.get(Staff, staff_id) is None:
        raise NotFoundError(f"no staff member with id {staff_id}")
    account.staff_id = staff_id
    session.add(account)
    session.flush()
    write_audit(
        session=session,
        actor=actor,
        action="account.link_staff",
        target=account.username,
        detail=f"staff {staff_id}",
    )
    return _public(account)
