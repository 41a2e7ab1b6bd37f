"""What the sign-in, My account and Admin pages do, one function per user action: each opens
and closes its own transaction, returns public objects, and raises ActionRefused with a
message for the person when the action is refused (nothing of it is saved then)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import Engine

from data.access import require_role
from data.accounts import (
    authenticate,
    create_account,
    disable_account,
    enable_account,
    end_sessions,
    list_accounts,
    reset_password,
    set_role,
)
from data.audit import distinct_actions, list_audit, write_audit
from data.auth_sessions import NewSession, open_session_counts, start_session
from data.db import session_scope
from data.errors import ConflictError, NotFoundError
from data.models import AccountCreate, AccountPublic, AuditLogPublic
from data.sites import demo_only, get_site
from data.staff_repo import list_staff_public
from scheduling.domain import Role

ADMINISTRATORS = (Role.ADMIN,)
MANAGE_ACCOUNTS = "manage accounts"
READ_ACCOUNTS = "list the accounts"
READ_AUDIT = "read the audit log"


class ActionRefused(Exception):
    """The action was refused; the message says why, in words for the person."""


class SignInOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    message: str
    session: NewSession | None = None


class AccountRow(BaseModel):
    """One line of the Admin page's account table, times in the site's timezone."""

    model_config = ConfigDict(frozen=True)

    username: str
    role: str
    staff_member: str
    disabled: bool
    locked_until: str
    failed_logins: int
    last_login: str
    open_sessions: int


def _refusal(exc: Exception) -> ActionRefused:
    if isinstance(exc, ValidationError):
        return ActionRefused(
            "; ".join(str(err["msg"]).removeprefix("Value error, ") for err in exc.errors())
        )
    return ActionRefused(str(exc))


def password_sign_in(
    *, engine: Engine, username: str, password: str, source: str | None = None
) -> SignInOutcome:
    """Check a password and, when right, start a session. The attempt's counts and audit
    rows are committed whatever the outcome."""
    if not username.strip() or not password:
        return SignInOutcome(message="Enter both a username and a password.")
    with session_scope(engine) as session:
        result = authenticate(
            session=session, username=username[:200], password=password[:1024], source=source
        )
    if not result.ok or result.account is None:
        return SignInOutcome(message=result.message)
    return SignInOutcome(
        message=result.message,
        session=start_session(engine=engine, account_id=result.account.id),
    )


def change_own_password(
    *,
    engine: Engine,
    username: str,
    current: str,
    new: str,
    repeat: str,
    keep_token: str | None,
) -> None:
    """A person's own password change: the current password is checked (and a wrong one
    counted towards the lockout); the person's other sessions end, this one stays."""
    if new != repeat:
        raise ActionRefused("The two new passwords differ.")
    with session_scope(engine) as session:
        check = authenticate(session=session, username=username, password=current)
    if not check.ok:
        raise ActionRefused(check.message)
    try:
        with session_scope(engine) as session:
            reset_password(
                session=session,
                username=username,
                new_password=new,
                actor=username,
                keep_session_token=keep_token,
            )
    except (ValueError, ConflictError, NotFoundError) as exc:
        raise _refusal(exc) from None


def _when(value: datetime | None, tz: ZoneInfo) -> str:
    return "" if value is None else value.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def account_rows(
    *, engine: Engine, actor: str, site_id: int | None, timezone: str
) -> list[AccountRow]:
    tz = ZoneInfo(timezone)
    with session_scope(engine) as session:
        require_role(session, actor=actor, roles=ADMINISTRATORS, doing=READ_ACCOUNTS)
        accounts = list_accounts(session=session)
        staff = list_staff_public(session=session, site_id=site_id) if site_id else []
        sessions = open_session_counts(session=session)
    names = {s.id: s.display_name for s in staff}
    return [
        AccountRow(
            username=a.username,
            role=a.role.value,
            staff_member=names.get(a.staff_id, "") if a.staff_id else "",
            disabled=a.disabled,
            locked_until=_when(a.locked_until, tz),
            failed_logins=a.failed_login_count,
            last_login=_when(a.last_login_at, tz),
            open_sessions=sessions.get(a.id, 0),
        )
        for a in accounts
    ]


def site_timezone(*, engine: Engine, site_id: int | None) -> str:
    """The timezone times are shown in: the site's, or UTC when there is no site."""
    if site_id is None:
        return "UTC"
    with session_scope(engine) as session:
        site = get_site(session=session, site_id=site_id)
    return site.timezone if site is not None else "UTC"


def staff_choices(*, engine: Engine, site_id: int | None) -> dict[int, str]:
    with session_scope(engine) as session:
        staff = list_staff_public(session=session, site_id=site_id) if site_id else []
    return {s.id: s.display_name for s in staff}


def admin_create_account(
    *,
    engine: Engine,
    actor: str,
    username: str,
    password: str,
    role: Role,
    staff_id: int | None,
) -> AccountPublic:
    try:
        account_in = AccountCreate(
            username=username, password=password, role=role, staff_id=staff_id
        )
        with session_scope(engine) as session:
            require_role(session, actor=actor, roles=ADMINISTRATORS, doing=MANAGE_ACCOUNTS)
            return create_account(session=session, account_in=account_in, actor=actor)
    except (ValidationError, ValueError, ConflictError, NotFoundError) as exc:
        raise _refusal(exc) from None


def admin_disable(*, engine: Engine, actor: str, username: str) -> AccountPublic:
    if username == actor:
        raise ActionRefused("You cannot disable your own account.")
    try:
        with session_scope(engine) as session:
            require_role(session, actor=actor, roles=ADMINISTRATORS, doing=MANAGE_ACCOUNTS)
            return disable_account(session=session, username=username, actor=actor)
    except (ValueError, ConflictError, NotFoundError) as exc:
        raise _refusal(exc) from None


def admin_enable(*, engine: Engine, actor: str, username: str) -> AccountPublic:
    try:
        with session_scope(engine) as session:
            require_role(session, actor=actor, roles=ADMINISTRATORS, doing=MANAGE_ACCOUNTS)
            return enable_account(session=session, username=username, actor=actor)
    except (ValueError, ConflictError, NotFoundError) as exc:
        raise _refusal(exc) from None


def admin_set_role(*, engine: Engine, actor: str, username: str, role: Role) -> AccountPublic:
    try:
        with session_scope(engine) as session:
            require_role(session, actor=actor, roles=ADMINISTRATORS, doing=MANAGE_ACCOUNTS)
            return set_role(session=session, username=username, role=role, actor=actor)
    except (ValueError, ConflictError, NotFoundError) as exc:
        raise _refusal(exc) from None


def admin_reset_password(
    *, engine: Engine, actor: str, username: str, new_password: str
) -> AccountPublic:
    try:
        with session_scope(engine) as session:
            require_role(session, actor=actor, roles=ADMINISTRATORS, doing=MANAGE_ACCOUNTS)
            return reset_password(
                session=session, username=username, new_password=new_password, actor=actor
            )
    except (ValueError, ConflictError, NotFoundError) as exc:
        raise _refusal(exc) from None


def admin_end_sessions(*, engine: Engine, actor: str, username: str) -> int:
    try:
        with session_scope(engine) as session:
            require_role(session, actor=actor, roles=ADMINISTRATORS, doing=MANAGE_ACCOUNTS)
            return end_sessions(session=session, username=username, actor=actor)
    except (ValueError, NotFoundError) as exc:
        raise _refusal(exc) from None


def audit_entries(
    *,
    engine: Engine,
    reader: str,
    actor: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 500,
) -> list[AuditLogPublic]:
    """The audit log, newest first, for an administrator (`reader`); `actor` and `action`
    filter it."""
    with session_scope(engine) as session:
        require_role(session, actor=reader, roles=ADMINISTRATORS, doing=READ_AUDIT)
        return list_audit(
            session=session, limit=limit, actor=actor, action=action, since=since, until=until
        )


def audit_actions(*, engine: Engine, reader: str) -> list[str]:
    with session_scope(engine) as session:
        require_role(session, actor=reader, roles=ADMINISTRATORS, doing=READ_AUDIT)
        return distinct_actions(session=session)


def record(*, engine: Engine, actor: str, action: str, target: str = "", detail: str = "") -> None:
    """One audit row in a transaction of its own (page refusals, downloads)."""
    with session_scope(engine) as session:
        write_audit(session=session, actor=actor, action=action, target=target, detail=detail)


def demo_accounts_shown(*, engine: Engine) -> bool:
    """The sign-in page lists the demo accounts while the demo site is the only site."""
    with session_scope(engine) as session:
        return demo_only(session=session)
