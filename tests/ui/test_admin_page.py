"""Admin page: creating accounts (validated), disabling and enabling them."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data.accounts import get_account
from data.db import get_engine, session_scope
from data.errors import NotFoundError
from scheduling.domain import Role
from tests.ui.conftest import page_as


def _admin_page() -> AppTest:
    return page_as("admin.py", Role.ADMIN)


def _create(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def test_admin_creates_an_account(demo_database: str) -> None:
    at = _create(_admin_page(), "New-Counsellor", "a long enough phrase")
    assert not at.exception
    assert at.success[0].value == "Account new-counsellor created."
    with session_scope(get_engine(demo_database)) as session:
        assert get_account(session=session, username="new-counsellor").role is Role.STAFF


def test_a_weak_password_is_refused_and_nothing_saved(demo_database: str) -> None:
    at = _create(_admin_page(), "weak-one", "short")
    assert "at least 10 characters" in at.error[0].value
    with pytest.raises(NotFoundError), session_scope(get_engine(demo_database)) as session:
        get_account(session=session, username="weak-one")


def test_admin_disables_and_enables_an_account(demo_database: str) -> None:
    at = _admin_page()
    at.selectbox(key="admin_account").select("demo-leadership").run()
    next(b for b in at.button if b.label == "Disable").click().run()
    with session_scope(get_engine(demo_database)) as session:
        assert get_account(session=session, username="demo-leadership").disabled
    next(b for b in at.button if b.label == "Enable").click().run()
    with session_scope(get_engine(demo_database)) as session:
        assert not get_account(session=session, username="demo-leadership").disabled


def _table_row(at: AppTest, username: str) -> dict:
    table = at.dataframe[0].value
    return table[table["username"] == username].iloc[0].to_dict()


def test_the_table_refreshes_after_an_action_and_enable_on_enabled_says_so(
    demo_database: str,
) -> None:
    at = _admin_page()
    at.selectbox(key="admin_account").select("demo-supervisor").run()
    next(b for b in at.button if b.label == "Enable").click().run()
    assert at.error[0].value == "demo-supervisor is already enabled"
    next(b for b in at.button if b.label == "Disable").click().run()
    assert "disabled" in at.success[0].value
    assert bool(_table_row(at, "demo-supervisor")["disabled"]) is True
    next(b for b in at.button if b.label == "Enable").click().run()
    assert bool(_table_row(at, "demo-supervisor")["disabled"]) is False


def test_admin_ends_a_persons_sessions_and_the_audit_filters(demo_database: str) -> None:
    from data.auth_sessions import check_session, start_session

    engine = get_engine(demo_database)
    with session_scope(engine) as session:
        account = get_account(session=session, username="demo-leadership")
    token = start_session(engine=engine, account_id=account.id).token
    at = _admin_page()
    at.selectbox(key="admin_account").select("demo-leadership").run()
    next(b for b in at.button if b.label == "End sessions").click().run()
    assert "session(s) of demo-leadership ended" in at.success[0].value
    assert check_session(engine=engine, token=token).user is None
    at.selectbox(key="audit_action").select("session.ended").run()
    log = at.dataframe[-1].value
    assert set(log["action"]) == {"session.ended"}
    assert "demo-leadership" in set(log["target"])


def test_admin_assigns_the_centres_of_an_account(demo_database: str) -> None:
    from data.access import allowed_site_ids, set_memberships
    from tests.ui.conftest import demo_site_id

    lahore = demo_site_id(demo_database)
    at = _admin_page()
    table = at.dataframe[1].value
    centres = dict(zip(table["username"], table["centres"], strict=True))
    assert centres["demo-manager"] == "Demo: Lahore cyber-harassment helpline"
    assert centres["demo-leadership"] == "every centre"
    at.selectbox(key="centres_account").select("demo-manager-isb").run()
    chosen = at.multiselect(key="centres_of_demo-manager-isb")
    isb = chosen.value[0]
    chosen.select(lahore)
    at.button(key="FormSubmitter:centres_demo-manager-isb-Save centres").click().run()
    assert not at.exception
    assert "demo-manager-isb now belongs to" in at.success[0].value
    engine = get_engine(demo_database)
    with session_scope(engine) as session:
        assert allowed_site_ids(session=session, username="demo-manager-isb") == sorted(
            [lahore, isb]
        )
        set_memberships(session=session, username="demo-manager-isb", site_ids=[isb], actor="t")
