"""Sign-in in a real browser: a reload keeps it, a sign-out ends it, and a demotion or a
disabled account takes effect in a tab that is already open."""

from __future__ import annotations

import pytest

from data.accounts import create_account, set_role
from data.db import get_engine, session_scope
from data.models import AccountCreate
from scheduling.domain import Role
from tests.ui.browser.helpers import SIDEBAR_NAV, open_page, sign_in

pytestmark = pytest.mark.browser
PASSWORD = "a long browser phrase"


def _new_manager(database_url: str, username: str) -> None:
    with session_scope(get_engine(database_url)) as session:
        create_account(
            session=session,
            account_in=AccountCreate(username=username, password=PASSWORD, role=Role.MANAGER),
            actor="test",
        )


def _signed_in_as(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_text(f"Signed in as {username}").wait_for()


def test_a_reload_keeps_the_sign_in_and_a_sign_out_ends_it(page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, app_url, "demo-manager", "manager-demo-pass")
    _signed_in_as(page, "demo-manager")
    page.wait_for_timeout(1500)  # the cookie is handed over in the background
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["planner_session"]["httpOnly"]
    assert cookies["planner_session"]["sameSite"] == "Strict"
    assert page.evaluate("document.cookie").find("planner_session") == -1

    page.reload()
    _signed_in_as(page, "demo-manager")
    page.goto(app_url + "/call_history")  # a typed URL
    _signed_in_as(page, "demo-manager")

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for()
    page.reload()
    page.get_by_role("button", name="Sign in").wait_for()
    assert page.get_by_text("Signed in as").count() == 0


def test_a_demotion_takes_effect_in_an_open_tab(  # type: ignore[no-untyped-def]
    page, app_url: str, app_database_url: str
) -> None:
    _new_manager(app_database_url, "tab-manager")
    sign_in(page, app_url, "tab-manager", PASSWORD)
    _signed_in_as(page, "tab-manager")
    open_page(page, "Call history")
    page.get_by_role("heading", name="Call history").wait_for()

    with session_scope(get_engine(app_database_url)) as session:
        set_role(session=session, username="tab-manager", role=Role.STAFF, actor="test")

    # The next interaction in the open tab finds the access gone.
    open_page(page, "Home")
    page.get_by_text("Your access has changed").wait_for()
    page.get_by_role("button", name="Sign in").wait_for()
    page.reload()
    page.get_by_role("button", name="Sign in").wait_for()
    assert page.locator(SIDEBAR_NAV).get_by_text("Call history").count() == 0
