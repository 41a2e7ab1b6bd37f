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
        # The wellbeing history is Lahore's (the first centre seeded).
        lahore = session.exec(select(Staff.site_id).order_by(Staff.id)).first()
        staff = session.exec(select(Staff).where(Staff.site_id == lahore)).all()
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


def test_the_next_roster_caps_the_high_person_and_places_open_debriefs(seeded) -> None:  # type: ignore[no-untyped-def]
    from data.planning import roster_inputs_for_week
    from data.wellbeing_load import with_wellbeing

    manager = Actor("demo-manager", Role.MANAGER)
    with session_scope(seeded) as session:
        names = {str(s.id): s.display_name for s in session.exec(select(Staff)).all()}
        inputs = roster_inputs_for_week(
            session=session, site_id=1, week_start=date(2026, 11, 30), now=NOW
        )
        inputs = with_wellbeing(session=session, actor=manager, inputs=inputs, now=NOW)
    assert [(names[w.staff_id], w.line_cap_minutes_week, w.reason) for w in inputs.wellbeing] == [
        (HIGH_LOAD, 20 * 60, "wellbeing")
    ]
    assert inputs.wellbeing[0].offline_day_wanted
    assert [names[r.staff_id] for r in inputs.debrief_requests] == [HIGH_LOAD, HIGH_LOAD]
    # Deadlines already past are placed as early in the week as can be.
    assert all(
        r.deadline >= datetime(2026, 11, 30, 19, tzinfo=UTC) for r in inputs.debrief_requests
    )


def test_today_re_check_and_re_plan_on_the_published_demo_week(seeded) -> None:  # type: ignore[no-untyped-def]
    from data.demo_wellbeing import publish_demo_week
    from data.rosters import list_rosters
    from data.today import publish_replan, replan_today, today_check
    from data.wellbeing import log_difficult_call, my_shifts, request_debrief
    from wellbeing.privacy import AccessDenied

    with session_scope(seeded) as session:
        publish_demo_week(session=session, site_id=1, now=NOW, time_limit=3)
    moment = NOW + timedelta(hours=1)  # Wednesday 15:00 in Lahore
    bilal = Actor("demo-staff", Role.STAFF, 2)
    manager = Actor("demo-manager", Role.MANAGER)
    with session_scope(seeded) as session:
        log_difficult_call(session=session, actor=bilal, at=moment - timedelta(minutes=2))
        view = today_check(session=session, actor=manager, site_id=1, now=moment)
    assert view.published and view.problem is None
    assert [(p.display_name, p.until) for p in view.off_queue] == [
        ("Bilal Ahmed", moment + timedelta(minutes=8))
    ]
    assert view.check.intervals[0].start <= moment < view.check.intervals[0].end
    assert all(i.end.astimezone(ZoneInfo(TIMEZONE)).hour <= 17 for i in view.check.intervals)
    with pytest.raises(AccessDenied), session_scope(seeded) as session:
        today_check(session=session, actor=bilal, site_id=1, now=moment)

    with session_scope(seeded) as session:
        shift_end = next(
            (
                s.end
                for s in my_shifts(session=session, actor=bilal, first_day=date(2026, 11, 25))
                if s.start <= moment < s.end
            ),
            None,
        )
        asked = request_debrief(
            session=session, actor=bilal, urgency="before_shift_end", note=None, now=moment
        )
    assert asked.deadline == (shift_end or moment + timedelta(hours=24))

    with session_scope(seeded) as session:
        replan, draft_id = replan_today(
            session=session, actor=manager, site_id=1, now=moment, time_limit=3
        )
    assert replan.pin_before >= moment
    on_line_now = [
        a
        for p in replan.solution.people
        if p.staff_id == "2"
        for s in p.shifts
        for a in s.activities
        if a.activity.value == "line"
        and a.start < moment + timedelta(minutes=8)
        and moment < a.end
        and a.start >= replan.pin_before
    ]
    assert on_line_now == []  # kept off the line while off the queue
    with pytest.raises(AccessDenied), session_scope(seeded) as session:
        publish_replan(session=session, actor=bilal, roster_id=draft_id)
    with session_scope(seeded) as session:
        publish_replan(session=session, actor=manager, roster_id=draft_id)
        statuses = {
            r.id: r.status
            for r in list_rosters(session=session, site_id=1, week_start=date(2026, 11, 23))
        }
    assert statuses[draft_id] == "published" and list(statuses.values()).count("published") == 1
