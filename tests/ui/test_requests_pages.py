"""Requests on the demo helpline, page by page: demo-staff asks for leave and offers a shift on
My shift (bad input refused by its field, nothing sent), the colleague answers, demo-manager
sees the coverage effect on the Requests page and decides (a decline needs a reason).

The module works on its own copy of the demo database with the clock frozen on a Tuesday
(PLANNER_DEMO_NOW), and a hand-made published roster for that week."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from data.db import dispose_engine, get_engine, session_scope
from data.demo import TIMEZONE
from data.models import Account, StaffLeaveCreate
from data.requests_repo import my_requests
from data.rosters import list_rosters, publish_roster, published_roster, save_roster
from data.staff_repo import add_leave, get_staff, list_staff
from scheduling.domain import Role
from scheduling.roster.result import coverage_rows
from scheduling.roster.schema import (
    ActivitySegment,
    IntervalSlot,
    PersonRoster,
    RosteredShift,
    RosterInstance,
    RosterSolution,
    SolveStats,
    StaffEntry,
)
from scheduling.roster.week import Week
from tests.ui.conftest import demo_site_id, page_as
from wellbeing.privacy import Actor

TZ = ZoneInfo(TIMEZONE)
WEEK = date(2026, 11, 30)
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=TZ)  # Tuesday 10:00
THURSDAY = datetime(2026, 12, 3, 9, 0, tzinfo=TZ)


def _shift(start: datetime, hours: int) -> RosteredShift:
    end = start + timedelta(hours=hours)
    return RosteredShift(
        start=start,
        end=end,
        activities=(ActivitySegment(activity="line", start=start, end=end),),
    )


def publish(url: str, owner: dict[str, list[datetime]]) -> None:
    """A published roster of WEEK: {staff name: shift starts (4 h each)}."""
    with session_scope(get_engine(url)) as session:
        site_id = demo_site_id(url)
        staff = {m.display_name: m for m in list_staff(session=session, site_id=site_id)}
        inst = RosterInstance(
            site_name="Demo",
            timezone=TIMEZONE,
            week_start=WEEK,
            intervals=tuple(
                IntervalSlot(start=day + timedelta(minutes=30 * i), required=1)
                for day in (THURSDAY - timedelta(days=2), THURSDAY)
                for i in range(8)
            ),
            staff=tuple(StaffEntry(member=m) for m in staff.values()),
        )
        people = [
            PersonRoster(
                staff_id=staff[name].id,
                display_name=name,
                shifts=tuple(_shift(s, 4) for s in starts),
                shift_minutes=240 * len(starts),
                line_minutes=240 * len(starts),
            )
            for name, starts in owner.items()
        ]
        sol = RosterSolution(
            site_name="Demo",
            timezone=TIMEZONE,
            week_start=WEEK,
            interval_minutes=30,
            stats=SolveStats(
                status="FEASIBLE",
                objective=0,
                best_bound=0,
                gap=0,
                wall_time_seconds=0,
                first_solution_seconds=0,
                method="full",
                workers=1,
                time_limit_seconds=1,
            ),
            people=tuple(people),
            coverage=tuple(coverage_rows(Week(inst), people)),
        )
        roster = save_roster(
            session=session, site_id=site_id, instance=inst, solution=sol, actor="t"
        )
        publish_roster(session=session, roster_id=roster.id, actor="t")


@pytest.fixture(scope="module")
def db(demo_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    source = Path(demo_database.removeprefix("sqlite:///"))
    copy = tmp_path_factory.mktemp("requests-db") / "planner.db"
    with sqlite3.connect(source) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)  # the WAL's pages too, which a file copy would miss
    url = f"sqlite:///{copy}"
    saved = {k: os.environ.get(k) for k in ("PLANNER_DATABASE_URL", "PLANNER_DEMO_NOW")}
    os.environ["PLANNER_DATABASE_URL"] = url
    os.environ["PLANNER_DEMO_NOW"] = NOW.isoformat()
    publish(url, {"Bilal Ahmed": [THURSDAY - timedelta(days=2), THURSDAY]})
    yield url
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    dispose_engine(url)


def _errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


def _staff_actor(url: str, username: str = "demo-staff") -> Actor:
    with session_scope(get_engine(url)) as session:
        account = session.exec(select(Account).where(Account.username == username)).one()
        return Actor(account.username, Role(account.role), account.staff_id)


def _ask_leave(at: AppTest, first: date, last: date, kind: str = "leave") -> AppTest:
    at.date_input(key="leave_first").set_value(first)
    at.date_input(key="leave_last").set_value(last)
    at.selectbox(key="leave_kind").set_value(kind)
    form_button = next(b for b in at.button if b.label == "Ask for leave")
    return form_button.click().run()


@pytest.mark.parametrize("role", [Role.STAFF, Role.SUPERVISOR, Role.LEADERSHIP])
def test_the_requests_page_is_for_managers_and_administrators(db: str, role: Role) -> None:
    at = page_as("requests.py", role)
    assert any("not available to your role" in e.value for e in at.error)
    assert not at.button


def test_an_administrator_may_read_and_decide(db: str) -> None:
    at = page_as("requests.py", Role.ADMIN)
    assert not at.exception and not at.error
    assert at.title[0].value == "Requests"


def test_bad_leave_is_refused_by_its_field_and_nothing_is_sent(db: str) -> None:
    me = _staff_actor(db)
    assert me.staff_id is not None
    with session_scope(get_engine(db)) as session:
        add_leave(
            session=session,
            leave_in=StaffLeaveCreate(
                staff_id=me.staff_id, first_day=date(2027, 1, 4), last_day=date(2027, 1, 8)
            ),
            actor="demo-manager",
        )
    at = page_as("my_shift.py", Role.STAFF)
    assert not at.exception
    at = _ask_leave(at, date(2027, 2, 10), date(2027, 2, 8))
    assert "Nothing was sent" in _errors(at) and "Last day" in _errors(at)
    at = _ask_leave(at, date(2027, 1, 7), date(2027, 1, 12))
    assert "overlaps your leave from 04 Jan 2027" in _errors(at)
    at = _ask_leave(at, date(2026, 11, 20), date(2026, 11, 21))
    assert "is past" in _errors(at)
    with session_scope(get_engine(db)) as session:
        assert my_requests(session=session, actor=me) == []


def _ask_availability(at: AppTest, from_day: date, text: str) -> AppTest:
    at.date_input(key="availability_from").set_value(from_day)
    at.text_area(key="availability_windows").input(text)
    return next(b for b in at.button if b.label == "Ask for this availability").click().run()


def test_availability_outside_opening_hours_is_refused_and_a_good_one_can_be_withdrawn(
    db: str,
) -> None:
    at = page_as("my_shift.py", Role.SUPERVISOR)
    at = _ask_availability(at, date(2027, 3, 1), "Monday 07:00-12:00\nTuesday 09:00-13:00")
    assert "availability row 1 (Monday 07:00-12:00): outside the opening hours 09:00-17:00" in (
        _errors(at)
    )
    at = _ask_availability(at, date(2027, 3, 1), "Someday 09:00-12:00")
    assert "line 1 ('Someday 09:00-12:00'): expected a weekday and two times" in _errors(at)
    at = _ask_availability(at, date(2027, 3, 1), "Monday 09:00-12:00\nTuesday 13:00-17:00")
    assert not _errors(at)
    mine = next(d.value for d in at.dataframe if "What" in d.value.columns)
    assert mine["What"].tolist() == [
        "Availability from Mon 01 Mar 2027: Mon 09:00-12:00, Tue 13:00-17:00"
    ]
    at = next(b for b in at.button if b.label == "Withdraw").click().run()
    mine = next(d.value for d in at.dataframe if "What" in d.value.columns)
    assert mine["State"].tolist() == ["Withdrawn"]
    assert not [b for b in at.button if b.label == "Withdraw"]


def test_a_swap_of_a_shift_already_started_or_no_longer_mine_is_refused(db: str) -> None:
    at = page_as("my_shift.py", Role.STAFF)
    shifts = at.selectbox(key="swap_shift")
    assert shifts.options == ["Thu 03 Dec 09:00-13:00"]  # Tuesday's has started: not offered

    os.environ["PLANNER_DEMO_NOW"] = (THURSDAY + timedelta(minutes=5)).isoformat()
    try:
        at = next(b for b in at.button if b.label == "Offer this shift").click().run()
    finally:
        os.environ["PLANNER_DEMO_NOW"] = NOW.isoformat()
    assert "already started" in _errors(at)

    at = page_as("my_shift.py", Role.STAFF)
    publish(db, {"Hina Malik": [THURSDAY]})  # a new version gives the shift to someone else
    at = next(b for b in at.button if b.label == "Offer this shift").click().run()
    assert "not one of your shifts" in _errors(at)
    publish(db, {"Bilal Ahmed": [THURSDAY - timedelta(days=2), THURSDAY]})


def test_staff_asks_manager_sees_sickness_as_leave_with_its_effect_and_decides(db: str) -> None:
    me = _staff_actor(db)
    at = page_as("my_shift.py", Role.STAFF)
    at = _ask_leave(at, THURSDAY.date(), THURSDAY.date(), kind="sick")
    assert not _errors(at)
    assert any("Leave asked for" in s.value for s in at.success)
    mine = next(d.value for d in at.dataframe if "What" in d.value.columns)
    assert mine["What"].tolist() == ["Sickness: Thu 03 Dec 2026"]
    assert mine["State"].tolist() == ["Waiting for a manager"]

    page = page_as("requests.py", Role.MANAGER)
    assert not page.exception
    shown = " ".join(m.value for m in page.markdown)
    assert "Bilal Ahmed" in shown and "Leave: Thu 03 Dec 2026" in shown
    assert "Sickness" not in shown
    assert "Shifts that fall away:** Thu 03 Dec 09:00-13:00" in shown
    assert "0 on the line for 1 needed (was 1)" in shown

    decline = next(b for b in page.button if b.label == "Decline")
    page = decline.click().run()
    assert "reason" in _errors(page).lower() and "Nothing was decided" in _errors(page)

    page = next(b for b in page.button if b.label == "Approve").click().run()
    assert any("Approved: the leave is on the staff calendar" in s.value for s in page.success)
    with session_scope(get_engine(db)) as session:
        assert me.staff_id is not None
        leave = get_staff(session=session, staff_id=me.staff_id).leave
        assert (THURSDAY.date(), "leave") in [(p.first_day, p.reason) for p in leave]
    assert "No request is waiting" in " ".join(i.value for i in page.info)


def test_a_swap_offered_accepted_and_approved_publishes_a_new_version(db: str) -> None:
    at = page_as("my_shift.py", Role.STAFF)
    colleague = at.selectbox(key="swap_colleague")
    their_name = get_staff_name(db, "demo-supervisor")
    colleague.select_index(colleague.options.index(their_name))
    at = next(b for b in at.button if b.label == "Offer this shift").click().run()
    assert not _errors(at), _errors(at)

    supervisor = page_as("my_shift.py", Role.SUPERVISOR)
    assert any("Bilal Ahmed's shift Thu 03 Dec 09:00-13:00" in m.value for m in supervisor.markdown)
    supervisor = next(b for b in supervisor.button if b.label == "Accept").click().run()
    assert any("Accepted" in s.value for s in supervisor.success)

    page = page_as("requests.py", Role.MANAGER)
    shown = " ".join(m.value for m in page.markdown)
    assert "Swap: Bilal Ahmed's shift Thu 03 Dec 09:00-13:00" in shown
    page = next(b for b in page.button if b.label == "Approve").click().run()
    assert any("published again as a new version" in s.value for s in page.success)
    with session_scope(get_engine(db)) as session:
        site_id = demo_site_id(db)
        saved = published_roster(session=session, site_id=site_id, week_start=WEEK)
        versions = list_rosters(session=session, site_id=site_id, week_start=WEEK)
    assert saved is not None and saved.roster.version == max(v.version for v in versions)
    owners = [
        p.display_name for p in saved.solution.people if any(s.start == THURSDAY for s in p.shifts)
    ]
    assert owners == [their_name]


def get_staff_name(url: str, username: str) -> str:
    actor = _staff_actor(url, username)
    assert actor.staff_id is not None
    with session_scope(get_engine(url)) as session:
        return get_staff(session=session, staff_id=actor.staff_id).display_name
