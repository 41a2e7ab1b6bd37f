"""Server-side sessions: checked against the account on every run, revocable, per-role
inactivity timeouts, and stored as hashes only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from data.accounts import create_account, get_account, reset_password, set_role
from data.auth_sessions import check_session, end_session, start_session, token_hash
from data.db import session_scope, utcnow
from data.models import AccountCreate, AuthSession
from data.settings import load_settings
from scheduling.domain import Role

T0 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def _account(engine, username: str, role: Role) -> int:
    with session_scope(engine) as session:
        create_account(
            session=session,
            account_in=AccountCreate(username=username, password="a long phrase here", role=role),
            actor="test",
        )
        return get_account(session=session, username=username).id


def test_only_the_tokens_hash_is_stored(engine) -> None:
    new = start_session(engine=engine, account_id=_account(engine, "sana", Role.STAFF), now=T0)
    with session_scope(engine) as session:
        (row,) = session.exec(select(AuthSession)).all()
    assert row.token_hash == token_hash(new.token) and new.token not in row.token_hash


def test_timeouts_are_per_role(engine) -> None:
    config = load_settings({})
    staff_id, manager_id = (
        _account(engine, "sana", Role.STAFF),
        _account(engine, "amina", Role.MANAGER),
    )
    t0 = utcnow()  # after the accounts' passwords were set
    staff = start_session(engine=engine, account_id=staff_id, now=t0, config=config)
    manager = start_session(engine=engine, account_id=manager_id, now=t0, config=config)
    later = t0 + timedelta(hours=7)  # inside a shift, far past a manager's 30 minutes
    assert check_session(engine=engine, token=staff.token, now=later, config=config).user
    expired = check_session(engine=engine, token=manager.token, now=later, config=config)
    assert expired.user is None and "inactivity" in (expired.message or "")
    # An ended session stays ended.
    assert check_session(engine=engine, token=manager.token, now=t0, config=config).user is None


def test_role_change_reset_and_sign_out_end_a_session(engine) -> None:
    account_id = _account(engine, "amina", Role.MANAGER)
    first = start_session(engine=engine, account_id=account_id)
    with session_scope(engine) as session:
        set_role(session=session, username="amina", role=Role.STAFF, actor="admin")
    assert check_session(engine=engine, token=first.token).user is None
    second = start_session(engine=engine, account_id=account_id)
    with session_scope(engine) as session:
        reset_password(
            session=session, username="amina", new_password="another long phrase", actor="a"
        )
    assert check_session(engine=engine, token=second.token).user is None
    third = start_session(engine=engine, account_id=account_id)
    kept = start_session(engine=engine, account_id=account_id)
    with session_scope(engine) as session:
        reset_password(
            session=session,
            username="amina",
            new_password="a third long phrase",
            actor="amina",
            keep_session_token=kept.token,
        )
    assert check_session(engine=engine, token=third.token).user is None
    assert check_session(engine=engine, token=kept.token).user is not None
    end_session(engine=engine, token=kept.token)
    assert check_session(engine=engine, token=kept.token).user is None
