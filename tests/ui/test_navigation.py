"""Role-filtered navigation: each role sees only its pages, and each page checks the role."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col
from streamlit.testing.v1 import AppTest

from data.accounts import (
    create_account,
    disable_account,
    end_sessions,
    get_account,
    reset_password,
    set_role,
)
from data.audit import list_audit
from data.db import get_engine, session_scope, utcnow
from data.models import AccountCreate, AuthSession
from scheduling.domain import Role
from tests.ui.conftest import APP, REPO, page_as, signed_in_app

pytestmark = pytest.mark.usefixtures("demo_database")


def test_login_page_lists_demo_accounts_under_a_demo_banner() -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "Demo data" in at.warning[0].value
    shown = at.table[0].value
    assert "demo-manager" in shown.to_string()


def test_wrong_password_is_refused_with_a_generic_message() -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input[0].input("demo-manager")
    at.text_input[1].input("not the password")
    at.button[0].click().run()
    assert at.error and "username or password" in at.error[0].value.lower()
    assert "signed_in_user" not in at.session_state


def test_manager_signs_in_and_sees_home_with_the_weekly_chart() -> None:
    at = signed_in_app(Role.MANAGER)
    assert not at.exception
    assert at.session_state["signed_in_user"].role is Role.MANAGER
    assert "Demo: Lahore" in at.title[0].value
    assert len(at.get("plotly_chart")) == 1
    assert [m.label for m in at.metric][:3] == ["Offered", "Answered", "Abandoned"]


@pytest.mark.parametrize("page", ["ui/pages/admin.py", "ui/pages/call_history.py"])
def test_staff_cannot_navigate_to_admin_or_call_history(page: str) -> None:
    at = signed_in_app(Role.STAFF)
    assert at.session_state["signed_in_user"].role is Role.STAFF
    with pytest.raises(ValueError):
        at.switch_page(page)


@pytest.mark.parametrize(
    ("role", "page", "allowed"),
    [
        (Role.STAFF, "admin.py", False),
        (Role.STAFF, "call_history.py", False),
        (Role.MANAGER, "admin.py", False),
        (Role.ADMIN, "admin.py", True),
        (Role.MANAGER, "call_history.py", True),
    ],
)
def test_each_page_checks_the_role_itself(role: Role, page: str, allowed: bool) -> None:
    at = page_as(page, role)
    assert not at.exception
    refused = any("not available to your role" in e.value for e in at.error)
    assert refused is not allowed
    if not allowed:
        assert len(at.title) == 0  # stopped before showing anything


def test_page_without_sign_in_shows_nothing() -> None:
    at = AppTest.from_file(str(REPO / "ui" / "pages" / "home.py"), default_timeout=60).run()
    assert [e.value for e in at.error] == ["Please sign in first."]
    assert not at.get("plotly_chart")


def _age_sessions(username: str, minutes: int) -> None:
    """Move the account's sessions' last activity `minutes` into the past."""
    engine = get_engine(os.environ["PLANNER_DATABASE_URL"])
    with session_scope(engine) as session:
        account = get_account(session=session, username=username)
        session.execute(
            update(AuthSession)
            .where(col(AuthSession.account_id) == account.id)
            .values(last_seen_at=utcnow() - timedelta(minutes=minutes))
        )


def test_idle_session_expires() -> None:
    at = signed_in_app(Role.MANAGER)
    _age_sessions("demo-manager", 31)  # a manager's timeout is 30 minutes
    at.run()
    assert "signed_in_user" not in at.session_state
    assert "expired" in at.info[0].value


def test_sign_out_from_the_sidebar_returns_to_the_login_page() -> None:
    at = signed_in_app(Role.MANAGER)
    at.button(key="sidebar_sign_out").click().run()
    assert "signed_in_user" not in at.session_state
    assert [t.value for t in at.title] == ["Helpline planner"]
    assert "signed out" in at.info[0].value


@pytest.mark.parametrize("change", ["demote", "disable", "reset", "end sessions"])
def test_an_account_change_ends_access_on_the_next_run(change: str) -> None:
    username = f"nav-{change.replace(' ', '-')}"
    engine = get_engine(os.environ["PLANNER_DATABASE_URL"])
    with session_scope(engine) as session:
        create_account(
            session=session,
            account_in=AccountCreate(
                username=username, password="a long enough phrase", role=Role.MANAGER
            ),
            actor="test",
        )
    at = page_as("call_history.py", Role.MANAGER, username=username)
    assert [t.value for t in at.title] == ["Call history"]
    with session_scope(engine) as session:
        if change == "demote":
            set_role(session=session, username=username, role=Role.STAFF, actor="admin")
        elif change == "disable":
            disable_account(session=session, username=username, actor="admin")
        elif change == "reset":
            reset_password(
                session=session, username=username, new_password="another long phrase", actor="a"
            )
        else:
            end_sessions(session=session, username=username, actor="admin")
    at.run()
    assert len(at.title) == 0
    assert [e.value for e in at.error] == ["Please sign in first."]
    assert "signed_in_user" not in at.session_state


def test_a_refused_page_is_audited() -> None:
    page_as("admin.py", Role.MANAGER)
    engine = get_engine(os.environ["PLANNER_DATABASE_URL"])
    with session_scope(engine) as session:
        refused = list_audit(session=session, action="page.refused", actor="demo-manager")
    assert refused and "needs admin" in refused[0].detail
