"""The Staff page on the demo database: the manager adds a member, edits them, enters leave on
the calendar and retires them; bad input (a contract minimum above the maximum, availability
outside opening hours, overlapping leave) is refused by its field with nothing saved; an
administrator reads without forms; other roles are turned away."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from data.db import get_engine, session_scope
from data.planning import roster_inputs_for_week
from data.staff_repo import list_staff_public
from scheduling.domain import Role
from tests.ui.conftest import demo_site_id, page_as

NAME = "Zara Testwala"
WEEK = date(2027, 3, 1)


def _staff(url: str):  # type: ignore[no-untyped-def]
    with session_scope(get_engine(url)) as session:
        return list_staff_public(session=session, site_id=demo_site_id(url), include_inactive=True)


def _errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


def _fill(at: AppTest, form: str, **values: object) -> None:
    for field, value in values.items():
        widget = {
            "name": at.text_input,
            "languages": at.text_input,
            "availability": at.text_area,
            "cmin": at.number_input,
            "cmax": at.number_input,
            "cap": at.number_input,
        }[field]
        widget(key=f"{form}_{field}").set_value(value)


@pytest.fixture(scope="module")
def page(demo_database: str) -> AppTest:
    return page_as("staff.py", Role.MANAGER)


def test_the_manager_sees_the_staff_and_the_calendar(page: AppTest, demo_database: str) -> None:
    at = page
    assert not at.exception and not at.error
    assert at.title[0].value == "Staff"
    table = at.dataframe[0].value
    assert len(table) == len(_staff(demo_database)) > 0
    assert "Urdu" in " ".join(table["Languages"])
    assert "ur" not in table["Languages"].tolist()
    assert at.selectbox(key="staff_pick").value == 0  # a new staff member


def test_bad_input_is_refused_by_field_and_nothing_is_saved(
    page: AppTest, demo_database: str
) -> None:
    at = page
    before = len(_staff(demo_database))
    form = "staff_form_0"
    _fill(at, form, name=NAME, cmin=40.0, cmax=30.0)
    at.button(key=f"FormSubmitter:{form}-Add staff member").click().run()
    assert "Contract minimum (h a week): the contract minimum (40 h) is above the maximum" in (
        _errors(at)
    )
    _fill(at, form, cmin=20.0, cmax=30.0, availability="Monday 07:00-12:00")
    at.button(key=f"FormSubmitter:{form}-Add staff member").click().run()
    assert "Weekly availability: availability row 1 (Monday 07:00-12:00): outside the opening" in (
        _errors(at)
    )
    _fill(at, form, availability="Someday 10-12")
    at.button(key=f"FormSubmitter:{form}-Add staff member").click().run()
    assert "Weekly availability: line 1 ('Someday 10-12')" in _errors(at)
    assert len(_staff(demo_database)) == before


def test_adding_a_member_reaches_the_roster_inputs(page: AppTest, demo_database: str) -> None:
    at = page
    form = "staff_form_0"
    _fill(at, form, name=NAME, languages="ur, en", cmin=20.0, cmax=30.0, cap=18.0)
    _fill(at, form, availability="Monday 10:00-16:00\nTue 09:00-13:00")
    at.button(key=f"FormSubmitter:{form}-Add staff member").click().run()
    assert not at.exception and not at.error
    assert any(f"{NAME} added" in s.value for s in at.success)
    (added,) = [m for m in _staff(demo_database) if m.display_name == NAME]
    assert at.selectbox(key="staff_pick").value == added.id
    with session_scope(get_engine(demo_database)) as session:
        inputs = roster_inputs_for_week(
            session=session, site_id=demo_site_id(demo_database), week_start=WEEK
        )
    (member,) = [m for m in inputs.staff if m.id == str(added.id)]
    assert member.languages == ("ur", "en")
    assert [(w.weekday, w.start_minute, w.end_minute) for w in member.availability] == [
        (0, 600, 960),
        (1, 540, 780),
    ]
    assert member.line_cap_minutes_week == 18 * 60


def test_leave_goes_on_the_calendar_and_overlaps_are_refused(
    page: AppTest, demo_database: str
) -> None:
    at = page
    (added,) = [m for m in _staff(demo_database) if m.display_name == NAME]
    at.date_input(key="staff_leave_first").set_value(WEEK)
    at.date_input(key="staff_leave_last").set_value(date(2027, 3, 5))
    at.button(key=f"FormSubmitter:staff_leave_form_{added.id}-Add to the calendar").click().run()
    assert not at.error
    at.date_input(key="staff_leave_first").set_value(date(2027, 3, 5))
    at.date_input(key="staff_leave_last").set_value(date(2027, 3, 9))
    at.selectbox(key="staff_leave_reason").set_value("training")
    at.button(key=f"FormSubmitter:staff_leave_form_{added.id}-Add to the calendar").click().run()
    assert "Dates: 05 Mar 2027 to 09 Mar 2027 overlaps the leave from 01 Mar 2027" in _errors(at)
    (added,) = [m for m in _staff(demo_database) if m.display_name == NAME]
    assert [(p.first_day, p.last_day) for p in added.leave] == [(WEEK, date(2027, 3, 5))]
    with session_scope(get_engine(demo_database)) as session:
        inputs = roster_inputs_for_week(
            session=session, site_id=demo_site_id(demo_database), week_start=WEEK
        )
    (member,) = [m for m in inputs.staff if m.id == str(added.id)]
    assert member.on_leave(date(2027, 3, 3))


def test_retiring_takes_the_member_out_of_the_next_solve(page: AppTest, demo_database: str) -> None:
    at = page
    (added,) = [m for m in _staff(demo_database) if m.display_name == NAME]
    at.button(key="staff_retire").click().run()  # no published shift: retired at once
    assert not at.exception and not at.error
    (added,) = [m for m in _staff(demo_database) if m.display_name == NAME]
    assert not added.active
    with session_scope(get_engine(demo_database)) as session:
        inputs = roster_inputs_for_week(
            session=session, site_id=demo_site_id(demo_database), week_start=WEEK
        )
    assert str(added.id) not in {m.id for m in inputs.staff}
    assert at.button(key="staff_reinstate").label == f"Reinstate {NAME}"


def test_an_administrator_reads_without_forms(demo_database: str) -> None:
    at = page_as("staff.py", Role.ADMIN)
    assert not at.exception and not at.error
    assert any("Read only" in c.value for c in at.caption)
    assert len(at.dataframe[0].value) == len(_staff(demo_database))
    assert not [b for b in at.button if b.key and b.key.startswith("staff_")]
    assert not at.text_input


@pytest.mark.parametrize("role", [Role.STAFF, Role.SUPERVISOR, Role.LEADERSHIP])
def test_other_roles_are_refused(role: Role, demo_database: str) -> None:
    at = page_as("staff.py", role)
    assert [e.value for e in at.error] == ["This page is not available to your role."]
