"""Accounts: argon2id hashes, lockout after 5 failures for 15 minutes, admin actions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher, Type
from pydantic import ValidationError
from sqlmodel import select

from data import accounts
from data.accounts import (
    GENERIC_LOGIN_FAILURE,
    authenticate,
    create_account,
    disable_account,
    enable_account,
    list_accounts,
    reset_password,
    set_role,
)
from data.audit import list_audit
from data.db import session_scope
from data.errors import ConflictError
from data.models import Account, AccountCreate
from scheduling.domain import Role

T0 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch) -> None:
    # Cheap argon2id parameters keep the suite quick; the real ones are tested below.
    monkeypatch.setattr(
        accounts, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


def _create(engine, username: str = "amina", role: Role = Role.MANAGER) -> None:
    with session_scope(engine) as session:
        create_account(
            session=session,
            account_in=AccountCreate(username=username, password=PASSWORD, role=role),
            actor="admin",
        )


def _login(engine, password: str, now: datetime, username: str = "amina"):
    with session_scope(engine) as session:
        return authenticate(session=session, username=username, password=password, now=now)


def _stored_hash(engine, username: str = "amina") -> str:
    with session_scope(engine) as session:
        return session.exec(select(Account).where(Account.username == username)).one().password_hash


def test_password_is_stored_as_an_argon2id_hash_and_rehashed_when_parameters_change(
    engine, monkeypatch
) -> None:
    _create(engine)
    cheap = _stored_hash(engine)
    assert cheap.startswith("$argon2id$")
    assert PASSWORD not in cheap
    monkeypatch.setattr(accounts, "PASSWORD_HASHER", PasswordHasher(type=Type.ID))
    assert _login(engine, PASSWORD, T0).ok
    rehashed = _stored_hash(engine)
    assert rehashed.startswith("$argon2id$") and rehashed != cheap
    assert not accounts.PASSWORD_HASHER.check_needs_rehash(rehashed)


def test_unknown_user_and_wrong_password_get_the_same_message(engine) -> None:
    _create(engine)
    unknown = _login(engine, PASSWORD, T0, username="nobody")
    wrong = _login(engine, "not the password", T0)
    assert not unknown.ok and not wrong.ok
    assert unknown.message == wrong.message == GENERIC_LOGIN_FAILURE


def test_five_failures_lock_for_fifteen_minutes_then_unlock(engine) -> None:
    _create(engine)
    for attempt in range(4):
        assert _login(engine, "wrong password!", T0 + timedelta(seconds=attempt)).message == (
            GENERIC_LOGIN_FAILURE
        )
    fifth = _login(engine, "wrong password!", T0 + timedelta(seconds=5))
    assert not fifth.ok and fifth.locked_until == T0 + timedelta(minutes=15, seconds=5)
    # Even the right password is refused while locked, with the message an unknown user
    # gets: the form never tells that an account exists or is locked.
    locked = _login(engine, PASSWORD, T0 + timedelta(minutes=5))
    assert not locked.ok and locked.message == GENERIC_LOGIN_FAILURE
    assert "15 minutes" in GENERIC_LOGIN_FAILURE
    assert _login(engine, PASSWORD, T0 + timedelta(minutes=15, seconds=6)).ok
    with session_scope(engine) as session:
        (account,) = list_accounts(session=session)
        assert (account.failed_login_count, account.locked_until) == (0, None)
        assert list_audit(session=session, action="account.locked")


def test_a_success_resets_the_count(engine) -> None:
    _create(engine)
    for _ in range(4):
        _login(engine, "wrong password!", T0)
    assert _login(engine, PASSWORD, T0).ok
    for _ in range(4):
        assert not _login(engine, "wrong password!", T0).locked_until


def test_disabled_accounts_are_refused_and_every_admin_action_is_audited(engine) -> None:
    _create(engine, "root", Role.ADMIN)
    _create(engine)
    with session_scope(engine) as session:
        disable_account(session=session, username="amina", actor="root")
    refused = _login(engine, PASSWORD, T0)
    assert not refused.ok and "disabled" in refused.message
    with session_scope(engine) as session:
        enable_account(session=session, username="amina", actor="root")
        reset_password(
            session=session, username="amina", new_password="another fine one", actor="root"
        )
        set_role(session=session, username="amina", role=Role.LEADERSHIP, actor="root")
    result = _login(engine, "another fine one", T0)
    assert result.ok and result.account is not None and result.account.role == Role.LEADERSHIP
    with session_scope(engine) as session:
        actions = {e.action for e in list_audit(session=session, actor="root")}
    assert {
        "account.disable",
        "account.enable",
        "account.reset_password",
        "account.set_role",
    } <= actions


def test_reset_password_unlocks(engine) -> None:
    _create(engine)
    for _ in range(5):
        _login(engine, "wrong password!", T0)
    with session_scope(engine) as session:
        reset_password(session=session, username="amina", new_password="a new password", actor="a")
    assert _login(engine, "a new password", T0 + timedelta(minutes=1)).ok


def test_the_last_admin_cannot_be_disabled_or_demoted(engine) -> None:
    _create(engine, "root", Role.ADMIN)
    with pytest.raises(ConflictError), session_scope(engine) as session:
        disable_account(session=session, username="root", actor="root")
    with pytest.raises(ConflictError), session_scope(engine) as session:
        set_role(session=session, username="root", role=Role.MANAGER, actor="root")


def test_duplicate_usernames_are_refused(engine) -> None:
    _create(engine)
    with pytest.raises(ConflictError, match="already taken"):
        _create(engine, "Amina")


@pytest.mark.parametrize(
    ("username", "password", "expected"),
    [
        ("ab", PASSWORD, "username"),
        ("has space", PASSWORD, "username"),
        ("amina", "short", "at least 10 characters"),
        ("amina", "1234567890", "too easy"),
        ("amina", "aaaaaaaaaaaa", "too easy"),
        ("amina", "amina-is-great", "must not contain the username"),
    ],
)
def test_weak_or_malformed_accounts_are_refused(username, password, expected) -> None:
    with pytest.raises(ValidationError, match=expected):
        AccountCreate(username=username, password=password, role=Role.STAFF)


def test_role_must_be_known() -> None:
    with pytest.raises(ValidationError):
        AccountCreate(username="amina", password=PASSWORD, role="boss")
