"""Importing a history file: all or nothing, identifying columns dropped and audited."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from data.audit import list_audit
from data.call_history import import_call_history, load_call_history
from data.db import session_scope
from data.demo import SAMPLE_LAST_DAY, SAMPLES_DIR, demo_history
from data.models import CallInterval
from scheduling.history import HistoryFileError, write_call_history_csv

GOOD = (
    "Interval_Start,Offered,Answered,Abandoned,Handle_Seconds,Difficult,Caller_Phone,Notes\n"
    "2026-11-16 09:00,3,2,1,3000,1,03001234567,said a thing\n"
    "2026-11-16 09:30,1,1,0,1400,0,03007654321,\n"
)


def _count(engine) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(CallInterval)).one()


def test_import_drops_identifying_columns_and_audits_it(engine, site_id) -> None:
    with session_scope(engine) as session:
        result = import_call_history(
            session=session, site_id=site_id, source=io.StringIO(GOOD), actor="mgr"
        )
    assert result.counts.inserted == 2
    assert result.history.dropped_columns == ["Caller_Phone", "Notes"]
    with session_scope(engine) as session:
        (entry,) = list_audit(session=session, action="history.import")
    assert entry.actor == "mgr"
    assert "2 rows read" in entry.detail
    assert "caller-identifying columns dropped: Caller_Phone, Notes" in entry.detail


def test_reimport_updates_rather_than_duplicates(engine, site_id) -> None:
    for _ in range(2):
        with session_scope(engine) as session:
            result = import_call_history(
                session=session, site_id=site_id, source=io.StringIO(GOOD), actor="mgr"
            )
    assert (result.counts.inserted, result.counts.unchanged) == (0, 2)
    assert _count(engine) == 2


def test_nothing_is_saved_when_any_row_is_bad(engine, site_id) -> None:
    bad = GOOD + "2026-11-16 10:00,1,2,0,0,0,,\n"  # line 4: answered > offered
    with pytest.raises(HistoryFileError, match="line 4"), session_scope(engine) as session:
        import_call_history(session=session, site_id=site_id, source=io.StringIO(bad), actor="m")
    assert _count(engine) == 0
    with session_scope(engine) as session:
        assert list_audit(session=session, action="history.import") == []


def test_the_demo_sample_round_trips(engine, site_id, tmp_path: Path) -> None:
    sample = SAMPLES_DIR / "demo_call_history.csv"
    with session_scope(engine) as session:
        result = import_call_history(session=session, site_id=site_id, source=sample, actor="m")
    expected = demo_history(SAMPLE_LAST_DAY)
    assert result.counts.inserted == len(expected)
    assert result.history.dropped_columns == []
    with session_scope(engine) as session:
        loaded = load_call_history(session=session, site_id=site_id)
    assert loaded == expected
    again = tmp_path / "again.csv"
    write_call_history_csv(loaded, again, "Asia/Karachi")
    assert again.read_bytes() == sample.read_bytes()


def test_offered_only_history_is_stored_as_unknown_and_weeks_say_so(engine, site_id) -> None:
    from data.call_history import weekly_totals

    text = "interval_start,offered\n2026-11-16 09:00,3\n2026-11-16 09:30,2\n"
    with session_scope(engine) as session:
        import_call_history(session=session, site_id=site_id, source=io.StringIO(text), actor="m")
    with session_scope(engine) as session:
        records = load_call_history(session=session, site_id=site_id)
        (week,) = weekly_totals(session=session, site_id=site_id, weeks=1)
    assert [(r.offered, r.answered, r.abandoned) for r in records] == [
        (3, None, None),
        (2, None, None),
    ]
    assert (week.offered, week.answered, week.abandoned) == (5, None, None)
