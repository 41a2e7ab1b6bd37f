"""Accounts: argon2id password hashes, login with lockout, and the admin actions.

5 failed logins lock an account for 15 minutes. An unknown user and a wrong password get
the same message (and the same hashing work), so a login form does not reveal who exists.
Every admin action and every lockout is written to the audit log. Session expiry after
inactivity is the UI's job.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, func, select

from data.audit import write_audit
from data.db import utcnow
from data.errors import ConflictError, NotFoundError
from data.models import (
    Account,
    AccountCreate,
    AccountPublic,
    Staff,
    check_password_strength,
)
from scheduling.domain import Role

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
GENERIC_LOGIN_FAILURE = "Wrong username or password."

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


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 60))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return PASSWORD_HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def authenticate(
    *, session: Session, username: str, password: str, now: datetime | None = None
) -> LoginResult:
    """Check a login. Writes the outcome (counts, lock, last login, audit) to the session."""
    now = _now(now)
    name = username.strip().lower()
    account = session.exec(select(Account).where(Account.username == name)).first()
    if account is None:
        _verify(_dummy_hash(), password)
        return LoginResult(ok=False, message=GENERIC_LOGIN_FAILURE)

    locked_until = account.locked_until
    if locked_until is not None:
        if locked_until > now:
            minutes = _minutes_left(locked_until, now)
            return LoginResult(
                ok=False,
                message=(
                    f"This account is locked after {MAX_FAILED_LOGINS} failed logins; "
                    f"try again in {minutes} minute{'s' if minutes != 1 else ''}."
                ),
                locked_until=locked_until,
            )
        # The lock has run out: the count starts again.
        account.locked_until = None
        account.failed_login_count = 0

    if not _verify(account.password_hash, password):
        account.failed_login_count += 1
        message = GENERIC_LOGIN_FAILURE
        if account.failed_login_count >= MAX_FAILED_LOGINS:
            account.locked_until = now + LOCKOUT
            message = (
                f"Too many failed logins: this account is locked for "
                f"{int(LOCKOUT.total_seconds() // 60)} minutes."
            )
            write_audit(
                session=session,
                actor=name,
                action="account.locked",
                target=name,
                detail=f"{account.failed_login_count} failed logins",
            )
        session.add(account)
        session.flush()
        return LoginResult(ok=False, message=message, locked_until=account.locked_until)

    if account.disabled:
        session.add(account)
        session.flush()
        return LoginResult(
            ok=False, message="This account is disabled; ask an administrator to enable it."
        )

    if PASSWORD_HASHER.check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    account.failed_login_count = 0
    account.locked_until = None
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


def _keep_an_admin(session: Session, account: Account) -> None:
    if account.role == Role.ADMIN.value and not account.disabled and _active_admins(session) <= 1:
        raise ConflictError("at least one enabled admin account must remain")


def disable_account(*, session: Session, username: str, actor: str) -> AccountPublic:
    account = _account(session, username)
    _keep_an_admin(session, account)
    account.disabled = True
    session.add(account)
    session.flush()
    write_audit(session=session, actor=actor, action="account.disable", target=account.username)
    return _public(account)


def enable_account(*, session: Session, username: str, actor: str) -> AccountPublic:
    account = _account(session, username)
    account.disabled = False
    session.add(account)
    session.flush()
    write_audit(session=session, actor=actor, action="account.enable", target=account.username)
    return _public(account)


def reset_password(
    *, session: Session, username: str, new_password: str, actor: str
) -> AccountPublic:
    """Set a new password (strength-checked); also unlocks the account."""
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
    return _public(account)


def set_role(*, session: Session, username: str, role: Role, actor: str) -> AccountPublic:
    account = _account(session, username)
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
