"""Hand edits on the Roster page: the manager moves a shift, reads the rule it breaks with the
person and the day, undoes it, is refused a bad edit with the reason, saves edits as a new draft
(the version edited stays), and re-optimises around an edit, which the new version keeps."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from streamlit.testing.v1 import AppTest

from data.db import get_engine, session_scope
from data.rosters import list_rosters, load_roster, save_roster
from scheduling.domain import Role, StaffMember
from scheduling.roster.hand_edits import rescore
from scheduling.roster.schema import (
    ActivitySegment,
    IntervalSlot,
    PersonRoster,
    RosteredShift,
    RosterInstance,
    RosterSolution,
    SolveOptions,
    SolveStats,
    StaffEntry,
)
from tests.ui.conftest import demo_site_id, page_as

WEEK = date(2027, 4, 5)  # no other page test saves a roster for this week
TZ = ZoneInfo("Asia/Karachi")


def _at(day: int, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime.combine(WEEK + timedelta(days=day), time(hour, minute), TZ)


def _shift(day: int, start: str) -> RosteredShift:
    a = _at(day, start)
    segs = [("line", 0, 180), ("meal", 180, 210), ("line", 210, 390), ("offline", 390, 480)]
    return RosteredShift(
        start=a,
        end=a + timedelta(hours=8),
        activities=tuple(
            ActivitySegment(
                activity=kind, start=a + timedelta(minutes=x), end=a + timedelta(minutes=y)
            )
            for kind, x, y in segs
        ),
    )


def _save_version(url: str) -> int:
    """Mon-Wed 06:00-22:00, one counsellor needed: Sana works Mon and Tue lates, Omar Mon early."""
    slots = tuple(
        IntervalSlot(start=_at(d, "06:00") + timedelta(minutes=30 * i), required=1)
        for d in range(3)
        for i in range(32)
    )
    staff = tuple(
        StaffEntry(member=StaffMember(id=sid, display_name=name))
        for sid, name in (("sana", "Sana Malik"), ("omar", "Omar Riaz"))
    )
    instance = RosterInstance(
        site_name="Demo",
        timezone="Asia/Karachi",
        week_start=WEEK,
        intervals=slots,
        staff=staff,
        options=SolveOptions(time_limit_seconds=5, workers=2),
    )
    people = (
        PersonRoster(
            staff_id="sana",
            display_name="Sana Malik",
            shifts=(_shift(0, "14:00"), _shift(1, "14:00")),
            shift_minutes=960,
            line_minutes=720,
        ),
        PersonRoster(
            staff_id="omar",
            display_name="Omar Riaz",
            shifts=(_shift(0, "06:00"),),
            shift_minutes=480,
            line_minutes=360,
        ),
    )
    stats = SolveStats(
        status="FEASIBLE",
        objective=None,
        best_bound=None,
        gap=None,
        wall_time_seconds=1.0,
        first_solution_seconds=0.5,
        method="full",
        workers=2,
        time_limit_seconds=5,
    )
    solution = rescore(
        instance,
        RosterSolution(
            site_name="Demo",
            timezone="Asia/Karachi",
            week_start=WEEK,
            interval_minutes=30,
            stats=stats,
            people=people,
            coverage=(),
        ),
    )
    with session_scope(get_engine(url)) as session:
        saved = save_roster(
            session=session,
            site_id=demo_site_id(url),
            instance=instance,
            solution=solution,
            actor="test",
        )
    return saved.id


def _versions(url: str) -> list:
    with session_scope(get_engine(url)) as session:
        return list_rosters(session=session, site_id=demo_site_id(url), week_start=WEEK)


@pytest.fixture(scope="module")
def page(demo_database: str) -> AppTest:
    roster_id = _save_version(demo_database)
    at = page_as("roster.py", Role.MANAGER)
    at.date_input(key=f"roster_week_{demo_site_id(demo_database)}").set_value(WEEK).run()
    assert not at.exception
    at.session_state["_roster_id"] = roster_id
    return at


def _set_move(at: AppTest, roster_id: int, day: date, start: time, end: time) -> None:
    key = f"hand_edit_{roster_id}"
    at.radio(key=f"{key}_kind").set_value("move").run()
    at.selectbox(key=f"{key}_who").set_value("sana").run()
    at.selectbox(key=f"{key}_shift_sana").set_value(1)
    at.date_input(key=f"{key}_move_day").set_value(day)
    at.time_input(key=f"{key}_move_start").set_value(start)
    at.time_input(key=f"{key}_move_end").set_value(end).run()


def _texts(at: AppTest, kind: str) -> str:
    return " ".join(str(e.value) for e in at.get(kind))


def test_a_move_that_breaks_a_rule_names_it_and_undo_takes_it_back(page: AppTest) -> None:
    at = page
    roster_id = at.session_state["_roster_id"]
    assert "Adjust by hand" in _texts(at, "markdown")
    # Sana's Tuesday late moved to the early: 8 hours after Monday's late ends.
    _set_move(at, roster_id, WEEK + timedelta(days=1), time(6, 0), time(14, 0))
    at.button(key=f"hand_edit_{roster_id}_apply").click().run()
    assert not at.exception
    errors = _texts(at, "error")
    assert "Your edits break" in errors
    assert "At least 11 hours between two shifts (Sana Malik, Tuesday 06 Apr)" in errors
    assert "Sana Malik has 8 h rest before Tuesday 06:00" in errors
    assert "1. Move Sana Malik's shift of Tue 06 Apr 14:00 to Tue 06 Apr 06:00-14:00" in _texts(
        at, "markdown"
    )
    assert [m.value for m in at.metric if m.label == "Hard rules broken"][-1] == "1"
    # the page's reports below show the roster as edited
    assert "8 h rest" in " ".join(str(d.value) for d in at.dataframe)

    at.button(key=f"hand_edit_undo_{roster_id}_0").click().run()
    assert not at.exception and not at.error
    assert "Your edits" not in _texts(at, "markdown")


def test_a_bad_edit_is_refused_with_the_reason_and_nothing_changes(page: AppTest) -> None:
    at = page
    roster_id = at.session_state["_roster_id"]
    _set_move(at, roster_id, WEEK + timedelta(days=2), time(20, 0), time(23, 0))
    at.button(key=f"hand_edit_{roster_id}_apply").click().run()
    assert "not made" in _texts(at, "error") and "outside opening hours" in _texts(at, "error")
    _set_move(at, roster_id, WEEK + timedelta(days=2), time(14, 0), time(10, 0))
    at.button(key=f"hand_edit_{roster_id}_apply").click().run()
    assert "must be after the start" in _texts(at, "error")
    assert at.session_state[f"hand_edits_{roster_id}"] == []


def test_undoing_an_edit_drops_the_edits_built_on_it_and_says_so(page: AppTest) -> None:
    at = page
    roster_id = at.session_state["_roster_id"]
    key = f"hand_edit_{roster_id}"
    at.radio(key=f"{key}_kind").set_value("add").run()
    at.selectbox(key=f"{key}_who").set_value("omar").run()
    at.date_input(key=f"{key}_add_day").set_value(WEEK + timedelta(days=2))
    at.time_input(key=f"{key}_add_start").set_value(time(6, 0))
    at.time_input(key=f"{key}_add_end").set_value(time(14, 0)).run()
    at.button(key=f"{key}_apply").click().run()
    at.radio(key=f"{key}_kind").set_value("move").run()
    at.selectbox(key=f"{key}_who").set_value("omar").run()
    at.selectbox(key=f"{key}_shift_omar").set_value(1)
    at.date_input(key=f"{key}_move_day").set_value(WEEK + timedelta(days=2))
    at.time_input(key=f"{key}_move_start").set_value(time(8, 0))
    at.time_input(key=f"{key}_move_end").set_value(time(16, 0)).run()
    at.button(key=f"{key}_apply").click().run()
    assert len(at.session_state[f"hand_edits_{roster_id}"]) == 2
    at.button(key=f"hand_edit_undo_{roster_id}_0").click().run()
    assert not at.exception
    assert "Move Omar Riaz's shift of Wed 07 Apr 06:00" in _texts(at, "warning")
    assert "dropped, it no longer applies" in _texts(at, "warning")
    assert at.session_state[f"hand_edits_{roster_id}"] == []


def test_saving_edits_makes_a_new_draft_and_the_version_edited_stays(
    page: AppTest, demo_database: str
) -> None:
    at = page
    roster_id = at.session_state["_roster_id"]
    _set_move(at, roster_id, WEEK + timedelta(days=2), time(14, 0), time(22, 0))
    at.button(key=f"hand_edit_{roster_id}_apply").click().run()
    assert "no hard rule broken" in _texts(at, "success")
    at.button(key=f"hand_edit_save_{roster_id}").click().run()
    assert not at.exception
    versions = _versions(demo_database)
    assert [(v.version, v.status) for v in versions] == [(2, "draft"), (1, "draft")]
    with session_scope(get_engine(demo_database)) as session:
        first = load_roster(session=session, roster_id=roster_id)
        second = load_roster(session=session, roster_id=versions[0].id)
    sana = next(p for p in second.solution.people if p.staff_id == "sana")
    assert [s.start for s in sana.shifts] == [_at(0, "14:00"), _at(2, "14:00")]
    sana_before = next(p for p in first.solution.people if p.staff_id == "sana")
    assert [s.start for s in sana_before.shifts] == [_at(0, "14:00"), _at(1, "14:00")]


def test_re_optimising_keeps_the_edit_in_the_new_version(page: AppTest, demo_database: str) -> None:
    at = page
    new_id = _versions(demo_database)[0].id
    key = f"hand_edit_{new_id}"
    at.radio(key=f"{key}_kind").set_value("add").run()
    at.selectbox(key=f"{key}_who").set_value("omar").run()
    at.date_input(key=f"{key}_add_day").set_value(WEEK + timedelta(days=1))
    at.time_input(key=f"{key}_add_start").set_value(time(6, 0))
    at.time_input(key=f"{key}_add_end").set_value(time(14, 0)).run()
    at.button(key=f"{key}_apply").click().run()
    assert not at.exception
    at.slider(key="roster_time_limit").set_value(5)
    at.button(key=f"hand_edit_resolve_{new_id}").click().run()  # returns once it is saved
    assert not at.exception
    versions = _versions(demo_database)
    assert versions[0].version == 3
    with session_scope(get_engine(demo_database)) as session:
        third = load_roster(session=session, roster_id=versions[0].id)
    assert [(p.staff_id, p.start) for p in third.instance.hand_pinned] == [
        ("omar", _at(1, "06:00"))
    ]
    omar = next(p for p in third.solution.people if p.staff_id == "omar")
    kept = [s for s in omar.shifts if s.start == _at(1, "06:00")]
    assert kept and kept[0].end == _at(1, "14:00") and kept[0].pinned
