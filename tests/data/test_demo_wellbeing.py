"""The demo helpline's wellbeing history: something on every page at first run, and
consistent with its call history."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import func, select

from data.db import session_scope
from data.demo import TIMEZONE, demo_history, seed_demo
from data.demo_wellbeing import HIGH_LOAD, WEEKS
from data.models import CheckinAnswer, DebriefRequest, DifficultCall, Staff
from data.wellbeing_load import load_of
from scheduling.domain import Role
from wellbeing.privacy import Actor

LAST_DAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # Wednesday 14:00 in Lahore


@pytest.fixture
def seeded(engine, monkeypatch: pytest.MonkeyPatch, tmp_path) -> object:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PLANNER_SECRET_KEY", raising=False)
    with session_scope(engine) as session:
        seed_demo(session=session, last_day=LAST_DAY, now=NOW)
    return engine


def test_every_kind_of_wellbeing_data_is_there(seeded) -> None:  # type: ignore[no-untyped-def]
    with session_scope(seeded) as session:
        staff = session.exec(select(Staff)).all()
        open_requests = session.exec(
            select(DebriefRequest).where(DebriefRequest.status == "open")
        ).all()
        answered = {c.staff_id for c in session.exec(select(CheckinAnswer)).all()}
        names = {s.id: s.display_name for s in staff}
        bands = {
            names[s.id]: load_of(
                session=session, actor=Actor("me", Role.STAFF, s.id), staff_id=s.id, now=NOW
            ).band
            for s in staff
            if "counsellor" in s.skills
        }
    assert len(open_requests) == 2
    assert all(r.note_token is None or "Demo note" not in r.note_token for r in open_requests)
    assert answered == {s.id for s in staff}  # every staff member answered a check-in
    assert [n for n, band in bands.items() if band == "high"] == [HIGH_LOAD]


def test_logged_difficult_calls_follow_the_call_history(seeded) -> None:  # type: ignore[no-untyped-def]
    tz = ZoneInfo(TIMEZONE)
    history_end = datetime.combine(LAST_DAY + timedelta(days=1), time(0), tz)
    first = history_end - timedelta(weeks=WEEKS)
    expected = sum(
        r.difficult for r in demo_history(LAST_DAY) if first <= r.start_utc < history_end
    )
    with session_scope(seeded) as session:
        logged = session.exec(
            select(func.count())
            .select_from(DifficultCall)
            .where(DifficultCall.at >= first, DifficultCall.at < history_end)
        ).one()
        later = session.exec(
            select(func.count()).select_from(DifficultCall).where(DifficultCall.at >= history_end)
        ).one()
    assert logged == expected
    assert later > 0  # the current week so far
