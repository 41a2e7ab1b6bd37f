"""A migrated database per test: SQLite (a temp file) always, PostgreSQL when
PLANNER_TEST_POSTGRES_URL is set (each test in a schema of its own, dropped afterwards)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from data.db import dispose_engine, get_engine
from data.migrations_runner import upgrade_to_head
from tests.support.services import NO_POSTGRES, postgres_url

POSTGRES_URL = postgres_url()
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@dataclass(frozen=True)
class MigratedDatabase:
    url: str
    engine: Engine
    backend: str


def _postgres_schema_url(schema: str) -> str:
    url = make_url(POSTGRES_URL)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MigratedDatabase]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'planner.db'}"
        upgrade_to_head(url)
        yield MigratedDatabase(url, get_engine(url), "sqlite")
        dispose_engine(url)
        return
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _postgres_schema_url(schema)
    try:
        upgrade_to_head(url)
        yield MigratedDatabase(url, get_engine(url), "postgres")
    finally:
        dispose_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(database: MigratedDatabase) -> Engine:
    return database.engine


@pytest.fixture
def site_id(engine: Engine) -> int:
    """A 30-minute site in Asia/Karachi, open 09:00-17:00 every day."""
    from data.db import session_scope
    from data.models import SiteCreate
    from data.sites import create_site
    from scheduling.domain import DailyWindow

    hours = [DailyWindow(weekday=d, start_minute=540, end_minute=1020) for d in range(7)]
    with session_scope(engine) as session:
        site = create_site(
            session=session,
            site_in=SiteCreate(name="Test helpline", timezone="Asia/Karachi", opening_hours=hours),
            actor="test",
        )
    return site.id


def member_of(
    engine: Engine,
    site_id: int,
    username: str,
    role: str = "manager",
    *,
    staff_id: int | None = None,
) -> str:
    """An account of `role` (linked to the staff row `staff_id`, if given) that belongs to the
    centre `site_id`; its username."""
    from data.access import set_memberships
    from data.accounts import create_account
    from data.db import session_scope
    from data.models import AccountCreate
    from scheduling.domain import Role

    with session_scope(engine) as session:
        create_account(
            session=session,
            account_in=AccountCreate(
                username=username,
                password="a long test passphrase",
                role=Role(role),
                staff_id=staff_id,
            ),
            actor="test",
        )
        set_memberships(session=session, username=username, site_ids=[site_id], actor="test")
    return username


@pytest.fixture
def manager(engine: Engine, site_id: int) -> str:
    """The username of a manager of the test site."""
    return member_of(engine, site_id, "test-manager")
