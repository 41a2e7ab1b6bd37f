"""My account: changing one's own password; wrong guesses count towards the lockout."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data.accounts import authenticate, create_account, get_account
from data.db import get_engine, session_scope
from data.models import AccountCreate
from scheduling.domain import Role
from tests.ui.conftest import page_as


@pytest.fixture
def account(demo_database: str, request: pytest.FixtureRequest) -> str:
    username = f"acct-{request.node.name[-20:].lower().replace('_', '-')}"
    with session_scope(get_engine(demo_database)) as session:
        create_account(
            session=session,
            account_in=AccountCreate(
                username=username, password="first long phrase", role=Role.STAFF
            ),
            actor="test",
        )
    return username


def _page(username: str) -> AppTest:
    return page_as("account.py", Role.STAFF, username=username)


def _change(at: AppTest, current: str, new: str, repeat: str) -> AppTest:
    at.text_input[0].input(current)
    at.text_input[1].input(new)
    at.text_input[2].input(repeat)
    return at.button[0].click().run()


def test_password_change_takes_effect(demo_database: str, account: str) -> None:
    at = _change(_page(account), "first long phrase", "second long phrase", "second long phrase")
    assert at.success[0].value == "Password changed."
    with session_scope(get_engine(demo_database)) as session:
        assert authenticate(session=session, username=account, password="second long phrase").ok


def test_wrong_current_password_is_refused_and_counted(demo_database: str, account: str) -> None:
    at = _change(_page(account), "a wrong guess", "second long phrase", "second long phrase")
    assert at.error and not at.success
    with session_scope(get_engine(demo_database)) as session:
        assert get_account(session=session, username=account).failed_login_count == 1
        assert authenticate(session=session, username=account, password="first long phrase").ok


def test_mismatched_new_passwords_change_nothing(demo_database: str, account: str) -> None:
    at = _change(_page(account), "first long phrase", "second long phrase", "other long phrase")
    assert at.error[0].value == "The two new passwords differ."
    with session_scope(get_engine(demo_database)) as session:
        assert authenticate(session=session, username=account, password="first long phrase").ok
