"""Call intervals: upsert never duplicates, loads are half-open, weekly totals for Home."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from data.call_history import (
    history_fingerprint,
    history_span,
    load_call_history,
    upsert_call_intervals,
    weekly_totals,
)
from data.db import session_scope
from data.models import CallInterval
from scheduling.domain import CallIntervalRecord

MONDAY_0900_PKT = datetime(2026, 11, 16, 4, 0, tzinfo=UTC)  # 09:00 in Asia/Karachi


def _record(start: datetime, offered: int = 3, answered: int = 2, abandoned: int = 1):
    return CallIntervalRecord(
        start_utc=start,
        offered=offered,
        answered=answered,
        abandoned=abandoned,
        handle_seconds=answered * 1500,
        difficult=min(1, answered),
    )


def _day(start: datetime, n: int = 16) -> list[CallIntervalRecord]:
    return [_record(start + timedelta(minutes=30 * i)) for i in range(n)]


def _rows(engine) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(CallInterval)).one()


def test_reimporting_the_same_intervals_updates_never_duplicates(engine, site_id) -> None:
    records = _day(MONDAY_0900_PKT)
    with session_scope(engine) as session:
        first = upsert_call_intervals(session=session, site_id=site_id, records=records)
    with session_scope(engine) as session:
        again = upsert_call_intervals(session=session, site_id=site_id, records=records)
    changed = [*records[:-1], _record(records[-1].start_utc, offered=9, answered=7)]
    with session_scope(engine) as session:
        third = upsert_call_intervals(session=session, site_id=site_id, records=changed)
    assert (first.inserted, first.updated, first.unchanged) == (16, 0, 0)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 16)
    assert (third.inserted, third.updated, third.unchanged) == (0, 1, 15)
    assert _rows(engine) == 16
    with session_scope(engine) as session:
        loaded = load_call_history(session=session, site_id=site_id)
    assert loaded == changed


def test_load_is_half_open_and_utc(engine, site_id) -> None:
    records = _day(MONDAY_0900_PKT)
    with session_scope(engine) as session:
        upsert_call_intervals(session=session, site_id=site_id, records=records)
        loaded = load_call_history(
            session=session,
            site_id=site_id,
            start_utc=records[2].start_utc,
            end_utc=records[5].start_utc,
        )
        span = history_span(session=session, site_id=site_id)
    assert [r.start_utc for r in loaded] == [r.start_utc for r in records[2:5]]
    assert all(r.start_utc.utcoffset() == timedelta(0) for r in loaded)
    assert span == (records[0].start_utc, records[-1].start_utc)


def test_a_start_off_the_site_interval_is_refused(engine, site_id) -> None:
    with pytest.raises(ValueError, match="30-minute boundary"), session_scope(engine) as session:
        upsert_call_intervals(
            session=session,
            site_id=site_id,
            records=[_record(MONDAY_0900_PKT + timedelta(minutes=10))],
        )
    assert _rows(engine) == 0


def test_database_checks_keep_counts_consistent(engine, site_id) -> None:
    bad = {
        "site_id": site_id,
        "interval_start_utc": MONDAY_0900_PKT,
        "offered": 1,
        "answered": 1,
        "abandoned": 1,
        "handle_seconds": 0,
        "difficult": 0,
    }
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.execute(insert(CallInterval), [bad])
    assert _rows(engine) == 0


def test_weekly_totals_for_home(engine, site_id) -> None:
    # Two weeks apart: the week between is listed with zeros.
    with session_scope(engine) as session:
        upsert_call_intervals(session=session, site_id=site_id, records=_day(MONDAY_0900_PKT))
        upsert_call_intervals(
            session=session,
            site_id=site_id,
            records=_day(MONDAY_0900_PKT - timedelta(weeks=2) + timedelta(days=6), n=2),
        )
        weeks = weekly_totals(session=session, site_id=site_id, weeks=4)
        later = weekly_totals(session=session, site_id=site_id, weeks=2, through=date(2026, 11, 30))
    assert [w.week_start for w in weeks] == [
        date(2026, 10, 26),
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
    ]
    assert [w.offered for w in weeks] == [0, 6, 0, 48]
    assert (weeks[-1].answered, weeks[-1].abandoned, weeks[-1].difficult) == (32, 16, 16)
    assert [(w.week_start, w.offered) for w in later] == [
        (date(2026, 11, 23), 0),
        (date(2026, 11, 30), 0),
    ]


def test_fingerprint_changes_when_counts_inside_the_same_span_change(engine, site_id) -> None:
    with session_scope(engine) as session:
        upsert_call_intervals(session=session, site_id=site_id, records=_day(MONDAY_0900_PKT))
        before = history_fingerprint(session=session, site_id=site_id)
        span = history_span(session=session, site_id=site_id)
    recount = [_record(MONDAY_0900_PKT + timedelta(hours=2), offered=5, answered=4)]
    with session_scope(engine) as session:
        upsert_call_intervals(session=session, site_id=site_id, records=recount)
        assert history_span(session=session, site_id=site_id) == span
        after = history_fingerprint(session=session, site_id=site_id)
    assert after != before
    with session_scope(engine) as session:  # the same counts again: nothing changed
        upsert_call_intervals(session=session, site_id=site_id, records=recount)
        assert history_fingerprint(session=session, site_id=site_id) == after
