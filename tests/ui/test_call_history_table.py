"""The Call history table: an interval with no answered call shows a dash for its mean handle
time (never a literal "None"), and times are the site's."""

from __future__ import annotations

from datetime import timedelta

from data.call_history import load_call_history
from data.db import get_engine, session_scope
from data.sites import get_site_profile
from scheduling.domain import Role
from tests.ui.conftest import demo_site_id, page_as


def test_mean_handle_is_a_dash_when_nothing_was_answered(demo_database: str) -> None:
    site_id = demo_site_id(demo_database)
    with session_scope(get_engine(demo_database)) as session:
        tz = get_site_profile(session=session, site_id=site_id).tz
        records = load_call_history(session=session, site_id=site_id)
    quiet = next(r for r in reversed(records) if r.answered == 0)
    day = quiet.start_utc.astimezone(tz).date()

    at = page_as("call_history.py", Role.MANAGER)
    at.date_input(key="history_range").set_value((day, day + timedelta(days=1))).run()
    assert not at.exception
    table = at.dataframe[0].value
    handle = table["mean handle (min)"].tolist()
    assert "—" in handle
    assert all(v is not None and str(v) not in ("None", "nan") for v in handle)
    starts = [t.to_pydatetime() for t in table["interval start"]]
    assert quiet.start_utc.astimezone(tz).replace(tzinfo=None) in starts
