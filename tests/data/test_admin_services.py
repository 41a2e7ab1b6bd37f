"""Account administration and the audit log are for administrators, checked in data/ with the
acting account's role as the database holds it, whatever page called."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine

from data import accounts
from data.access import RoleDenied
from data.accounts import get_account
from data.audit import list_audit
from data.db import session_scope
from data.services.accounts import (
    account_rows,
    admin_create_account,
    admin_disable,
    admin_set_role,
    audit_entries,
)
from scheduling.domain import Role
from tests.data.conftest import member_of


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        accounts, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


def _denials(engine: Engine) -> list[tuple[str, str]]:
    with session_scope(engine) as session:
        rows = list_audit(session=session, limit=50, action="role.denied")
    return [(r.actor, r.target) for r in rows]


def test_a_manager_cannot_change_roles_nor_create_accounts_and_the_attempt_is_audited(
    engine: Engine, site_id: int, manager: str
) -> None:
    colleague = member_of(engine, site_id, "colleague", "staff")
    with pytest.raises(RoleDenied, match="admin"):
        admin_set_role(engine=engine, actor=manager, username=manager, role=Role.ADMIN)
    with pytest.raises(RoleDenied):
        admin_disable(engine=engine, actor=manager, username=colleague)
    with pytest.raises(RoleDenied):
        admin_create_account(
            engine=engine,
            actor=manager,
            username="mallory",
            password="a long test passphrase",
            role=Role.ADMIN,
            staff_id=None,
        )
    with session_scope(engine) as session:
        assert get_account(session=session, username=manager).role is Role.MANAGER
        assert not get_account(session=session, username=colleague).disabled
        with pytest.raises(Exception, match="mallory"):
            get_account(session=session, username="mallory")
    assert _denials(engine) == [(manager, "manage accounts")] * 3


def test_only_an_administrator_lists_accounts_and_reads_the_audit_log(
    engine: Engine, site_id: int, manager: str
) -> None:
    admin = member_of(engine, site_id, "the-admin", "admin")
    with pytest.raises(RoleDenied):
        account_rows(engine=engine, actor=manager, site_id=site_id, timezone="Asia/Karachi")
    with pytest.raises(RoleDenied):
        audit_entries(engine=engine, reader=manager)
    listed = account_rows(engine=engine, actor=admin, site_id=site_id, timezone="Asia/Karachi")
    assert {r.username for r in listed} >= {admin, manager}
    assert {(e.actor, e.target) for e in audit_entries(engine=engine, reader=admin)} >= {
        (manager, "list the accounts"),
        (manager, "read the audit log"),
    }


def test_a_disabled_administrator_can_no_longer_administer(engine: Engine, site_id: int) -> None:
    first = member_of(engine, site_id, "first-admin", "admin")
    second = member_of(engine, site_id, "second-admin", "admin")
    admin_disable(engine=engine, actor=first, username=second)
    with pytest.raises(RoleDenied):
        admin_set_role(engine=engine, actor=second, username=second, role=Role.ADMIN)
