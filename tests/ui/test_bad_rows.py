"""A row already stored with an absurd date (before the import refused them) takes no page
down: Home, Call history and Forecast & staffing still show the real weeks, and the row can
be deleted from Call history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from data.call_history import upsert_call_intervals
from data.db import get_engine, session_scope
from data.services.history import delete_history_outside_window
from scheduling.domain import CallIntervalRecord, Role
from tests.ui.conftest import demo_site_id, page_as


@pytest.fixture
def far_rows(demo_database: str) -> Iterator[None]:
    site_id = demo_site_id(demo_database)
    starts = [datetime(9999, 12, 31, 4, 0, tzinfo=UTC), datetime(2126, 11, 11, 4, 0, tzinfo=UTC)]
    with session_scope(get_engine(demo_database)) as session:
        upsert_call_intervals(
            session=session,
            site_id=site_id,
            records=[
                CallIntervalRecord(
                    start_utc=s, offered=1, answered=1, abandoned=0, handle_seconds=0, difficult=0
                )
                for s in starts
            ],
        )
    yield
    delete_history_outside_window(
        engine=get_engine(demo_database), site_id=site_id, actor="demo-manager"
    )


@pytest.mark.usefixtures("far_rows")
@pytest.mark.parametrize("page", ["home.py", "call_history.py", "forecast_staffing.py"])
def test_a_far_row_takes_no_page_down(page: str) -> None:
    at = page_as(page, Role.MANAGER)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    if page == "home.py":
        assert "2126" not in at.subheader[0].value and "9999" not in at.subheader[0].value


@pytest.mark.usefixtures("far_rows")
def test_the_far_rows_are_named_and_deleted_from_call_history(demo_database: str) -> None:
    at = page_as("call_history.py", Role.MANAGER)
    assert "2 interval(s) are dated outside" in at.warning[0].value
    at.button(key="delete_far").click().run()
    assert at.success[0].value == "Deleted 2 intervals."
    assert not [w for w in at.warning if "dated outside" in w.value]
