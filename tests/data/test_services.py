"""The user actions pages call: each opens and closes its own transaction and returns domain
objects (run on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine

from data import accounts
from data.accounts import get_account
from data.db import session_scope
from data.errors import ConflictError
from data.models import AccountCreate, SiteCreate
from data.services.accounts import (
    ActionRefused,
    change_own_password,
    demo_accounts_shown,
    password_sign_in,
)
from data.services.home import site_overview
from data.services.roster import (
    open_roster_version,
    open_roster_week,
    publish_roster_version,
    roster_overview,
    save_solved_roster,
)
from data.services.sites import sites_to_work_on
from data.sites import create_site
from scheduling.domain import Role
from scheduling.roster.schema import RosterInstance, RosterSolution
from tests.data.conftest import member_of

PASSWORD = "correct horse battery"
WEEK = date(2027, 1, 4)


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        accounts, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@pytest.fixture
def username(engine: Engine) -> str:
    with session_scope(engine) as session:
        accounts.create_account(
            session=session,
            account_in=AccountCreate(username="sana", password=PASSWORD, role=Role.MANAGER),
            actor="test",
        )
    return "sana"


def test_a_wrong_current_password_changes_nothing_but_counts_as_a_failed_sign_in(
    engine: Engine, username: str
) -> None:
    with pytest.raises(ActionRefused):
        change_own_password(
            engine=engine,
            username=username,
            current="not the password",
            new="a brand new passphrase",
            repeat="a brand new passphrase",
            keep_token=None,
        )
    with session_scope(engine) as session:
        assert get_account(session=session, username=username).failed_login_count == 1
    assert password_sign_in(engine=engine, username=username, password=PASSWORD).session is not None


def test_the_new_password_replaces_the_old_one(engine: Engine, username: str) -> None:
    new = "a brand new passphrase"
    change_own_password(
        engine=engine, username=username, current=PASSWORD, new=new, repeat=new, keep_token=None
    )
    assert (
        not password_sign_in(engine=engine, username=username, password=PASSWORD).session
        is not None
    )
    assert password_sign_in(engine=engine, username=username, password=new).session is not None


def test_demo_accounts_are_shown_only_while_every_site_is_a_demo(engine: Engine) -> None:
    assert not demo_accounts_shown(engine=engine)  # no site at all
    with session_scope(engine) as session:
        create_site(session=session, site_in=SiteCreate(name="Demo", is_demo=True), actor="test")
    assert demo_accounts_shown(engine=engine)
    with session_scope(engine) as session:
        create_site(session=session, site_in=SiteCreate(name="Real"), actor="test")
    assert not demo_accounts_shown(engine=engine)


def test_the_home_overview_names_the_site_and_gives_twelve_weeks(
    engine: Engine, site_id: int, manager: str
) -> None:
    overview = site_overview(engine=engine, site_id=site_id, actor=manager)
    assert overview.site is not None and overview.site.name == "Test helpline"
    assert len(overview.weeks) == 12


def _solved_week(week: date) -> tuple[RosterInstance, RosterSolution]:
    tz = ZoneInfo("Asia/Karachi")
    start = datetime.combine(week, time(9, 0), tz)
    instance = RosterInstance.model_validate(
        {
            "site_name": "Test helpline",
            "timezone": "Asia/Karachi",
            "week_start": week,
            "intervals": [{"start": start, "required": 1}],
            "staff": [],
        }
    )
    solution = RosterSolution.model_validate(
        {
            "site_name": "Test helpline",
            "timezone": "Asia/Karachi",
            "week_start": week,
            "interval_minutes": 30,
            "stats": {
                "status": "FEASIBLE",
                "objective": 1000.0,
                "best_bound": 0.0,
                "gap": 1.0,
                "wall_time_seconds": 1.0,
                "first_solution_seconds": 0.5,
                "method": "full",
                "workers": 2,
                "time_limit_seconds": 5,
            },
            "people": [],
            "coverage": [
                {
                    "start": start,
                    "end": start + timedelta(minutes=30),
                    "required": 1,
                    "on_line": 0,
                    "on_duty": 0,
                    "shortfall": 1,
                }
            ],
        }
    )
    return instance, solution


def test_a_week_is_opened_solved_saved_and_published(
    engine: Engine, site_id: int, manager: str
) -> None:
    mgr = manager
    opened = open_roster_week(engine=engine, site_id=site_id, week_start=WEEK, actor_username=mgr)
    assert opened.inputs.requirements is None and opened.versions == []
    assert roster_overview(engine=engine, site_id=site_id, actor=mgr).saved_weeks == []

    instance, solution = _solved_week(WEEK)
    draft = save_solved_roster(
        engine=engine,
        site_id=site_id,
        instance=instance,
        solution=solution,
        actor=mgr,
        forecast_run_id=None,
    )
    assert (draft.version, draft.status, draft.shortfall_hours) == (1, "draft", 0.5)
    assert roster_overview(engine=engine, site_id=site_id, actor=mgr).saved_weeks == [WEEK]
    again = open_roster_week(engine=engine, site_id=site_id, week_start=WEEK, actor_username=mgr)
    assert [v.id for v in again.versions] == [draft.id]
    assert open_roster_version(engine=engine, roster_id=draft.id, actor=mgr).solution == solution

    published = publish_roster_version(engine=engine, roster_id=draft.id, actor=mgr)
    assert published.status == "published" and published.published_by == mgr
    with pytest.raises(ConflictError):
        publish_roster_version(engine=engine, roster_id=draft.id, actor=mgr)
    week = open_roster_week(engine=engine, site_id=site_id, week_start=WEEK, actor_username=mgr)
    assert week.inputs.published


def test_the_sites_to_work_on_are_the_accounts_centres_first_set_up_first(
    engine: Engine,
) -> None:
    assert sites_to_work_on(engine=engine, username="nobody") == []
    with session_scope(engine) as session:
        ids = [
            create_site(session=session, site_in=SiteCreate(name=name), actor="test").id
            for name in ("Lahore", "Karachi", "Islamabad")
        ]
    member_of(engine, ids[0], "lahore-manager")
    member_of(engine, ids[1], "karachi-leader", "leadership")
    assert [s.name for s in sites_to_work_on(engine=engine, username="lahore-manager")] == [
        "Lahore"
    ]
    assert [s.name for s in sites_to_work_on(engine=engine, username="karachi-leader")] == [
        "Lahore",
        "Karachi",
        "Islamabad",
    ]
    assert sites_to_work_on(engine=engine, username="nobody") == []
