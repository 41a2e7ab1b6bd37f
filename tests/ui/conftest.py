"""A seeded demo database for page tests, and a way to run the app as a given role."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data.accounts import get_account
from data.auth_sessions import start_session
from data.db import dispose_engine, get_engine, session_scope
from data.demo import DEMO_ACCOUNTS, SITE_NAME, seed_demo
from data.migrations_runner import upgrade_to_head
from data.sites import list_sites
from scheduling.domain import Role

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "planner_app.py")
DEMO_LAST_DAY = date(2026, 11, 22)


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo helpline in a SQLite file; PLANNER_DATABASE_URL points the app at it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('ui-db') / 'planner.db'}"
    upgrade_to_head(url)
    with session_scope(get_engine(url)) as session:
        seed_demo(session=session, last_day=DEMO_LAST_DAY)
    previous = os.environ.get("PLANNER_DATABASE_URL")
    os.environ["PLANNER_DATABASE_URL"] = url
    yield url
    if previous is None:
        os.environ.pop("PLANNER_DATABASE_URL", None)
    else:
        os.environ["PLANNER_DATABASE_URL"] = previous
    dispose_engine(url)


def demo_account(role: Role):  # type: ignore[no-untyped-def]
    return next(a for a in DEMO_ACCOUNTS if a.role is role)


def demo_site_id(url: str, name: str = SITE_NAME) -> int:
    """The demo centre named `name` (Lahore unless told)."""
    with session_scope(get_engine(url)) as session:
        return next(s.id for s in list_sites(session=session) if s.name == name)


def page_as(page: str, role: Role, *, username: str | None = None, timeout: float = 120) -> AppTest:
    """One page file (relative to ui/pages/) run as a signed-in user of `role` (a real session
    of that account, checked on every run); the username defaults to the demo account of that
    role."""
    engine = get_engine(os.environ["PLANNER_DATABASE_URL"])
    with session_scope(engine) as session:
        account = get_account(session=session, username=username or demo_account(role).username)
    assert account.role is role, f"{account.username} is {account.role}, not {role}"
    new = start_session(engine=engine, account_id=account.id)
    at = AppTest.from_file(str(REPO / "ui" / "pages" / page), default_timeout=timeout)
    at.session_state["session_token"] = new.token
    at.session_state["signed_in_user"] = new.user
    return at.run()


def signed_in_app(role: Role) -> AppTest:
    """The app after the demo account of `role` signed in through the login form."""
    account = demo_account(role)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input[0].input(account.username)
    at.text_input[1].input(account.password)
    at.button[0].click().run()
    return at
