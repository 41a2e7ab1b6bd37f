"""Centre isolation: a manager of one centre can neither read nor change another centre's staff,
call history, forecasts, rosters or wellbeing views, whatever a page offers; the refusal is
audited and nothing is changed. Leadership sees every centre. (SQLite and PostgreSQL.)"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlmodel import func, select

from data import accounts
from data.access import SiteAccessDenied, set_memberships
from data.audit import list_audit
from data.call_history import upsert_call_intervals
from data.db import session_scope
from data.forecasting import (
    forecast_page_context,
    latest_run_for_week,
    save_site_staffing_settings,
)
from data.models import (
    AccountCreate,
    CallInterval,
    SiteCreate,
    Staff,
    StaffCreate,
    StaffLeave,
)
from data.rosters import save_roster
from data.services.history import (
    delete_history_days,
    history_overview,
    history_records,
    import_history_file,
)
from data.services.home import site_overview
from data.services.jobs import find_job, start_roster_solve
from data.services.requests import requests_of_site
from data.services.roster import (
    compute_week_forecast,
    open_roster_version,
    open_roster_week,
    publish_roster_version,
    roster_overview,
    save_solved_roster,
)
from data.services.scenarios import saved_scenarios
from data.services.sites import sites_to_work_on
from data.services.staff import (
    add_staff_leave,
    reinstate_staff_member,
    retire_staff_member,
    save_staff_member,
    staff_member,
    staff_page,
)
from data.services.today import today_view
from data.services.wellbeing import open_debrief_queue
from data.sites import create_site
from data.staff_repo import create_staff
from scheduling.domain import CallIntervalRecord, DailyWindow, LeavePeriod, Role, StaffingSettings
from scheduling.roster.schema import RosterInstance, RosterSolution

WEEK = date(2026, 12, 7)
TZ = ZoneInfo("Asia/Karachi")
PASSWORD = "a long test passphrase"


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        accounts, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@dataclass(frozen=True)
class Network:
    lahore: int
    islamabad: int
    isb_staff: int
    isb_roster: int


def _account(engine: Engine, username: str, role: Role, sites: list[int], staff: int | None = None):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        accounts.create_account(
            session=session,
            account_in=AccountCreate(
                username=username, password=PASSWORD, role=role, staff_id=staff
            ),
            actor="test",
        )
        set_memberships(session=session, username=username, site_ids=sites, actor="test")


def _roster(site_name: str) -> tuple[RosterInstance, RosterSolution]:
    start = datetime.combine(WEEK, time(10), TZ)
    instance = RosterInstance.model_validate(
        {
            "site_name": site_name,
            "timezone": "Asia/Karachi",
            "week_start": WEEK,
            "intervals": [{"start": start, "required": 1}],
            "staff": [],
        }
    )
    solution = RosterSolution.model_validate(
        {
            "site_name": site_name,
            "timezone": "Asia/Karachi",
            "week_start": WEEK,
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


@pytest.fixture
def network(engine: Engine) -> Network:
    hours = [DailyWindow(weekday=d, start_minute=600, end_minute=960) for d in range(7)]
    with session_scope(engine) as session:
        lahore, islamabad = (
            create_site(
                session=session,
                site_in=SiteCreate(name=name, timezone="Asia/Karachi", opening_hours=hours),
                actor="test",
            ).id
            for name in ("Lahore", "Islamabad")
        )
        staff = create_staff(
            session=session,
            staff_in=StaffCreate(site_id=islamabad, display_name="Omar Farooq"),
            actor="test",
        ).id
        start = datetime.combine(WEEK - timedelta(days=7), time(10), TZ).astimezone(UTC)
        upsert_call_intervals(
            session=session,
            site_id=islamabad,
            records=[
                CallIntervalRecord(
                    start_utc=start,
                    offered=3,
                    answered=3,
                    abandoned=0,
                    handle_seconds=900,
                    difficult=1,
                )
            ],
        )
        instance, solution = _roster("Islamabad")
        roster = save_roster(
            session=session, site_id=islamabad, instance=instance, solution=solution, actor="t"
        ).id
    _account(engine, "lahore-manager", Role.MANAGER, [lahore])
    _account(engine, "isb-manager", Role.MANAGER, [islamabad])
    _account(engine, "lahore-supervisor", Role.SUPERVISOR, [lahore])
    _account(engine, "network-lead", Role.LEADERSHIP, [])
    return Network(lahore, islamabad, staff, roster)


def _counts(engine: Engine) -> tuple[int, int, int, str]:
    with session_scope(engine) as session:
        staff = session.exec(select(Staff)).all()
        return (
            session.exec(select(func.count()).select_from(CallInterval)).one(),
            len(staff),
            session.exec(select(func.count()).select_from(StaffLeave)).one(),
            ",".join(f"{s.display_name}:{s.active}" for s in sorted(staff, key=lambda s: s.id)),
        )


def _attempts(engine: Engine, n: Network) -> dict[str, Callable[[], Any]]:
    me, isb = "lahore-manager", n.islamabad
    period = LeavePeriod(first_day=WEEK, last_day=WEEK)
    csv = b"start,offered,answered,abandoned,handle_seconds\n2026-11-30 10:00,1,1,0,600\n"
    instance, solution = _roster("Islamabad")
    return {
        # staff
        "staff list": lambda: staff_page(engine=engine, site_id=isb, role=Role.MANAGER, actor=me),
        "staff member": lambda: staff_member(engine=engine, staff_id=n.isb_staff, actor=me),
        "add staff": lambda: save_staff_member(
            engine=engine,
            site_id=isb,
            staff_id=None,
            values={"display_name": "Planted"},
            actor=me,
            role=Role.MANAGER,
        ),
        "edit staff through own centre": lambda: save_staff_member(
            engine=engine,
            site_id=n.lahore,
            staff_id=n.isb_staff,
            values={"display_name": "Renamed"},
            actor=me,
            role=Role.MANAGER,
        ),
        "retire staff": lambda: retire_staff_member(
            engine=engine,
            site_id=n.lahore,
            staff_id=n.isb_staff,
            today=WEEK,
            confirmed=True,
            actor=me,
            role=Role.MANAGER,
        ),
        "reinstate staff": lambda: reinstate_staff_member(
            engine=engine, staff_id=n.isb_staff, actor=me, role=Role.MANAGER
        ),
        "add leave": lambda: add_staff_leave(
            engine=engine, staff_id=n.isb_staff, period=period, actor=me, role=Role.MANAGER
        ),
        # call history
        "history overview": lambda: history_overview(engine=engine, site_id=isb, actor=me),
        "history records": lambda: history_records(
            engine=engine, site_id=isb, first_day=WEEK - timedelta(days=30), last_day=WEEK, actor=me
        ),
        "import history": lambda: import_history_file(
            engine=engine, site_id=isb, content=csv, filename="x.csv", actor=me
        ),
        "delete history": lambda: delete_history_days(
            engine=engine,
            site_id=isb,
            first_day=WEEK - timedelta(days=30),
            last_day=WEEK,
            actor=me,
        ),
        "home overview": lambda: site_overview(engine=engine, site_id=isb, actor=me),
        # forecasts and settings
        "forecast page": lambda: forecast_page_context(engine=engine, site_id=isb, actor=me),
        "latest forecast": lambda: latest_run_for_week(
            engine=engine, site_id=isb, week=WEEK, actor=me
        ),
        "forecast a week": lambda: compute_week_forecast(
            engine=engine, site_id=isb, week_start=WEEK, actor=me
        ),
        "staffing settings": lambda: save_site_staffing_settings(
            engine=engine, site_id=isb, settings=StaffingSettings(), actor=me
        ),
        # rosters
        "roster weeks": lambda: roster_overview(engine=engine, site_id=isb, actor=me),
        "roster week": lambda: open_roster_week(
            engine=engine, site_id=isb, week_start=WEEK, actor_username=me
        ),
        "roster version": lambda: open_roster_version(
            engine=engine, roster_id=n.isb_roster, actor=me
        ),
        "save roster": lambda: save_solved_roster(
            engine=engine,
            site_id=isb,
            instance=instance,
            solution=solution,
            actor=me,
            forecast_run_id=None,
        ),
        "publish roster": lambda: publish_roster_version(
            engine=engine, roster_id=n.isb_roster, actor=me
        ),
        # wellbeing views and scenarios
        "today (off the queue)": lambda: today_view(
            engine=engine, username=me, site_id=isb, now=datetime(2026, 12, 7, 6, tzinfo=UTC)
        ),
        "debrief queue": lambda: open_debrief_queue(
            engine=engine, username="lahore-supervisor", site_id=isb
        ),
        "scenarios": lambda: saved_scenarios(engine=engine, site_id=isb, actor=me),
        # jobs and staff requests
        "start a solve": lambda: start_roster_solve(
            engine=engine, site_id=isb, instance=instance, username=me, forecast_run_id=None
        ),
        "find a running solve": lambda: find_job(
            engine=engine, username=me, site_id=isb, kind="roster_solve", week_start=WEEK
        ),
        "requests to decide": lambda: requests_of_site(engine=engine, username=me, site_id=isb),
    }


ATTEMPTS = [
    "staff list",
    "staff member",
    "add staff",
    "edit staff through own centre",
    "retire staff",
    "reinstate staff",
    "add leave",
    "history overview",
    "history records",
    "import history",
    "delete history",
    "home overview",
    "forecast page",
    "latest forecast",
    "forecast a week",
    "staffing settings",
    "roster weeks",
    "roster week",
    "roster version",
    "save roster",
    "publish roster",
    "today (off the queue)",
    "debrief queue",
    "scenarios",
    "start a solve",
    "find a running solve",
    "requests to decide",
]


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_a_manager_of_one_centre_can_neither_read_nor_change_another(
    engine: Engine, network: Network, attempt: str
) -> None:
    before = _counts(engine)
    with pytest.raises(SiteAccessDenied, match="Islamabad"):
        _attempts(engine, network)[attempt]()
    assert _counts(engine) == before
    with session_scope(engine) as session:
        denied = [(a.actor, a.target) for a in list_audit(session=session, action="centre.denied")]
    assert len(denied) == 1 and denied[0][1] == "Islamabad"
    # The roster version stays a draft.
    opened = open_roster_version(engine=engine, roster_id=network.isb_roster, actor="isb-manager")
    assert opened.roster.status == "draft"


CHECKS = (
    "require_site_access",
    "require_staff_access",
    "require_roster_access",
    "require_request_access",
    "_site(",
    "_queue(",  # data.services.jobs: every job is queued through the one check
)
# Installation-wide, for the Admin page: accounts are not a centre's data.
NOT_A_CENTRES_DATA = {"account_rows", "admin_create_account", "site_timezone", "staff_choices"}


def test_every_action_on_a_centres_rows_checks_the_centre_first() -> None:
    """A new action that takes a site (or a row of one) and forgets the check fails here."""
    import data.forecasting
    import data.services

    modules = [data.forecasting] + [
        importlib.import_module(f"data.services.{m.name}")
        for m in pkgutil.iter_modules(data.services.__path__)
    ]
    keyed = {"site_id", "staff_id", "roster_id", "leave_id", "request_id"}
    unchecked = []
    for module in modules:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            if name in NOT_A_CENTRES_DATA or not keyed & set(inspect.signature(fn).parameters):
                continue
            if not any(check in inspect.getsource(fn) for check in CHECKS):
                unchecked.append(f"{module.__name__}.{name}")
    assert unchecked == []


def test_each_manager_works_on_their_own_centre_and_leadership_sees_both(
    engine: Engine, network: Network
) -> None:
    mine = staff_page(
        engine=engine, site_id=network.islamabad, role=Role.MANAGER, actor="isb-manager"
    )
    assert [s.display_name for s in mine.staff] == ["Omar Farooq"]
    assert history_overview(engine=engine, site_id=network.islamabad, actor="isb-manager")[1]
    assert [s.name for s in sites_to_work_on(engine=engine, username="lahore-manager")] == [
        "Lahore"
    ]
    assert [s.name for s in sites_to_work_on(engine=engine, username="isb-manager")] == [
        "Islamabad"
    ]
    assert [s.name for s in sites_to_work_on(engine=engine, username="network-lead")] == [
        "Lahore",
        "Islamabad",
    ]
    for site in (network.lahore, network.islamabad):
        assert site_overview(engine=engine, site_id=site, actor="network-lead").site is not None


def test_a_changed_membership_takes_effect_at_the_next_action(
    engine: Engine, network: Network
) -> None:
    with pytest.raises(SiteAccessDenied):
        roster_overview(engine=engine, site_id=network.islamabad, actor="lahore-manager")
    with session_scope(engine) as session:
        set_memberships(
            session=session,
            username="lahore-manager",
            site_ids=[network.lahore, network.islamabad],
            actor="admin",
        )
    overview = roster_overview(engine=engine, site_id=network.islamabad, actor="lahore-manager")
    assert overview.saved_weeks == [WEEK]
    with session_scope(engine) as session:
        set_memberships(
            session=session, username="lahore-manager", site_ids=[network.lahore], actor="admin"
        )
        changes = [a.detail for a in list_audit(session=session, action="centre.members")]
    both = sorted([network.lahore, network.islamabad])
    assert f"centres [{network.lahore}] -> {both}" in changes
    assert f"centres {both} -> [{network.lahore}]" in changes
    with pytest.raises(SiteAccessDenied):
        roster_overview(engine=engine, site_id=network.islamabad, actor="lahore-manager")


def test_a_disabled_or_unknown_account_works_on_no_centre(engine: Engine, network: Network) -> None:
    with pytest.raises(SiteAccessDenied):
        staff_page(engine=engine, site_id=network.lahore, role=Role.MANAGER, actor="nobody")
    assert sites_to_work_on(engine=engine, username="nobody") == []
