"""Call history page: a bad file is refused line by line and audited; a range of days can be
deleted after a confirmation; a row dated far away is refused, so it cannot break a page."""

from __future__ import annotations

import os
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from data.audit import list_audit
from data.call_history import history_span
from data.db import get_engine, session_scope
from data.services.history import import_history_file
from scheduling.domain import Role
from scheduling.history import HistoryFileError
from tests.ui.conftest import demo_site_id, page_as


def _engine():  # type: ignore[no-untyped-def]
    return get_engine(os.environ["PLANNER_DATABASE_URL"])


@pytest.mark.parametrize("when", ["9999-12-31T09:00", "2126-11-11T09:00", "0001-01-01T09:00"])
def test_a_row_dated_far_away_is_refused_by_line_and_field(demo_database: str, when: str) -> None:
    site_id = demo_site_id(demo_database)
    content = f"interval_start,offered,answered,abandoned\n{when},1,1,0\n".encode()
    with pytest.raises(HistoryFileError) as refused:
        import_history_file(
            engine=_engine(),
            site_id=site_id,
            content=content,
            filename="far.csv",
            actor="demo-manager",
        )
    problem = refused.value.problems[0]
    assert (problem.line, problem.field) == (2, "interval_start")
    assert "expected a date from" in problem.message
    with session_scope(_engine()) as session:
        assert list_audit(session=session, action="history.import_refused", actor="demo-manager")
    # Home still shows the real weeks.
    at = page_as("home.py", Role.MANAGER)
    assert not at.exception and "2126" not in at.subheader[0].value


def test_a_range_of_days_is_deleted_only_after_confirmation(demo_database: str) -> None:
    site_id = demo_site_id(demo_database)
    content = b"interval_start,offered,answered,abandoned\n2026-11-23T09:00,4,3,1\n"
    import_history_file(
        engine=_engine(), site_id=site_id, content=content, filename="x.csv", actor="demo-manager"
    )
    at = page_as("call_history.py", Role.MANAGER)
    assert not at.exception
    at.date_input(key="history_range").set_value((date(2026, 11, 23), date(2026, 11, 23))).run()
    delete = at.button(key="delete_history")
    assert delete.disabled
    at.checkbox(key="confirm_delete").check().run()
    at.button(key="delete_history").click().run()
    assert "Deleted 1 intervals" in at.success[0].value
    with session_scope(_engine()) as session:
        span = history_span(session=session, site_id=site_id)
        audit = list_audit(session=session, action="history.delete")
    assert span is not None and span[1].date().isoformat() < "2026-11-23"
    assert audit and "1 interval(s) deleted" in audit[0].detail


def test_leadership_may_browse_but_not_delete(demo_database: str) -> None:
    at = page_as("call_history.py", Role.LEADERSHIP)
    assert not at.exception
    assert not [b for b in at.button if b.key == "delete_history"]
    assert isinstance(at, AppTest)
