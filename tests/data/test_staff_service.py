"""The Staff page's actions: managers write and administrators only read; availability outside
opening hours, a contract minimum above the maximum and overlapping leave are refused by field
with nothing saved; retiring someone with published shifts warns with the shifts first; the
roster's inputs read what was entered."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from data.db import session_scope
from data.planning import roster_inputs_for_week
from data.rosters import publish_roster, save_roster
from data.services.staff import (
    add_staff_leave,
    published_shifts_of,
    retire_staff_member,
    save_staff_member,
    staff_page,
)
from scheduling.domain import DailyWindow, LeavePeriod, Role, Skill
from scheduling.roster.schema import (
    ActivitySegment,
    CoverageRow,
    IntervalSlot,
    PersonRoster,
    RosteredShift,
    RosterInstance,
    RosterSolution,
    SolveStats,
)
from scheduling.staff_rules import availability_problems, overlapping_leave
from tests.data.conftest import member_of

WEEK = date(2026, 12, 7)
MANAGER = "test-manager"


@pytest.fixture(autouse=True)
def _manager(manager: str) -> None:
    assert manager == MANAGER


VALUES = {
    "display_name": "Hina Baig",
    "skills": [Skill.COUNSELLOR],
    "languages": ["ur", "pa"],
    "contract_minutes_min": 20 * 60,
    "contract_minutes_max": 30 * 60,
    "line_cap_minutes_week": 18 * 60,
    "availability": [{"weekday": 0, "start_minute": 600, "end_minute": 960}],
}


def _add(engine, site_id, **changes) -> int:  # type: ignore[no-untyped-def]
    saved = save_staff_member(
        engine=engine,
        site_id=site_id,
        staff_id=None,
        values={**VALUES, **changes},
        actor=MANAGER,
        role=Role.MANAGER,
    )
    return saved.id


def test_a_member_entered_is_what_the_roster_reads(engine, site_id) -> None:
    staff_id = _add(engine, site_id)
    add_staff_leave(
        engine=engine,
        staff_id=staff_id,
        period=LeavePeriod(first_day=WEEK, last_day=WEEK + timedelta(days=1), reason="training"),
        actor=MANAGER,
        role=Role.MANAGER,
    )
    with session_scope(engine) as session:
        inputs = roster_inputs_for_week(session=session, site_id=site_id, week_start=WEEK)
    (member,) = [m for m in inputs.staff if m.id == str(staff_id)]
    assert member.languages == ("ur", "pa")
    assert (member.contract_minutes_min, member.contract_minutes_max) == (1200, 1800)
    assert member.line_cap_minutes_week == 1080
    assert member.availability == (DailyWindow(weekday=0, start_minute=600, end_minute=960),)
    assert member.on_leave(WEEK) and not member.on_leave(WEEK + timedelta(days=2))


def test_bad_records_are_refused_by_field_and_nothing_is_saved(engine, site_id) -> None:
    with pytest.raises(ValidationError, match="contract_minutes_min: the contract minimum"):
        _add(engine, site_id, contract_minutes_min=40 * 60)
    with pytest.raises(ValidationError, match=r"availability row 1 \(Monday 07:00-12:00\)"):
        _add(engine, site_id, availability=[{"weekday": 0, "start_minute": 420, "end_minute": 720}])
    assert staff_page(engine=engine, site_id=site_id, role=Role.MANAGER, actor=MANAGER).staff == []

    staff_id = _add(engine, site_id)
    period = LeavePeriod(first_day=WEEK, last_day=WEEK + timedelta(days=4))
    add_staff_leave(
        engine=engine, staff_id=staff_id, period=period, actor=MANAGER, role=Role.MANAGER
    )
    clash = LeavePeriod(first_day=WEEK + timedelta(days=4), last_day=WEEK + timedelta(days=8))
    with pytest.raises(ValidationError, match="overlaps the leave from 07 Dec 2026"):
        add_staff_leave(
            engine=engine, staff_id=staff_id, period=clash, actor=MANAGER, role=Role.MANAGER
        )
    (member,) = staff_page(engine=engine, site_id=site_id, role=Role.MANAGER, actor=MANAGER).staff
    assert len(member.leave) == 1


def test_administrators_read_but_do_not_write(engine, site_id) -> None:
    staff_id = _add(engine, site_id)
    admin = member_of(engine, site_id, "test-admin", "admin")
    assert len(staff_page(engine=engine, site_id=site_id, role=Role.ADMIN, actor=admin).staff) == 1
    with pytest.raises(PermissionError):
        save_staff_member(
            engine=engine,
            site_id=site_id,
            staff_id=staff_id,
            values={"display_name": "x"},
            actor=admin,
            role=Role.ADMIN,
        )
    with pytest.raises(PermissionError):
        staff_page(engine=engine, site_id=site_id, role=Role.STAFF, actor=MANAGER)


def _publish_a_shift(engine, site_id: int, staff_id: int) -> None:  # type: ignore[no-untyped-def]
    tz = ZoneInfo("Asia/Karachi")
    start = datetime.combine(WEEK, time(9), tz)
    end = start + timedelta(hours=4)
    slots = (IntervalSlot(start=start, required=1),)
    instance = RosterInstance(
        site_name="Test", timezone="Asia/Karachi", week_start=WEEK, intervals=slots, staff=()
    )
    solution = RosterSolution(
        site_name="Test",
        timezone="Asia/Karachi",
        week_start=WEEK,
        interval_minutes=30,
        stats=SolveStats(
            status="OPTIMAL",
            objective=0.0,
            best_bound=0.0,
            gap=0.0,
            wall_time_seconds=1.0,
            first_solution_seconds=0.1,
            method="full",
            workers=2,
            time_limit_seconds=5,
        ),
        people=(
            PersonRoster(
                staff_id=str(staff_id),
                display_name="Hina Baig",
                shifts=(
                    RosteredShift(
                        start=start,
                        end=end,
                        activities=(ActivitySegment(activity="line", start=start, end=end),),
                    ),
                ),
                shift_minutes=240,
                line_minutes=240,
            ),
        ),
        coverage=(
            CoverageRow(start=start, end=end, required=1, on_line=1, on_duty=1, shortfall=0),
        ),
    )
    with session_scope(engine) as session:
        saved = save_roster(
            session=session, site_id=site_id, instance=instance, solution=solution, actor="m"
        )
        publish_roster(session=session, roster_id=saved.id, actor="m")


def test_retiring_someone_with_published_shifts_warns_with_the_shifts_first(
    engine, site_id
) -> None:
    staff_id = _add(engine, site_id)
    _publish_a_shift(engine, site_id, staff_id)
    today = WEEK - timedelta(days=3)
    assert published_shifts_of(
        engine=engine, site_id=site_id, staff_id=staff_id, today=today, actor=MANAGER
    ) == ["Mon 07 Dec 09:00-13:00"]
    kw = {"engine": engine, "site_id": site_id, "staff_id": staff_id, "actor": MANAGER}
    first = retire_staff_member(**kw, today=today, confirmed=False, role=Role.MANAGER)
    assert not first.retired and first.shifts == ["Mon 07 Dec 09:00-13:00"]
    (member,) = staff_page(engine=engine, site_id=site_id, role=Role.MANAGER, actor=MANAGER).staff
    assert member.active
    second = retire_staff_member(**kw, today=today, confirmed=True, role=Role.MANAGER)
    assert second.retired
    (member,) = staff_page(engine=engine, site_id=site_id, role=Role.MANAGER, actor=MANAGER).staff
    assert not member.active
    # A week already over is no reason to warn.
    later = WEEK + timedelta(days=14)
    assert (
        published_shifts_of(
            engine=engine, site_id=site_id, staff_id=staff_id, today=later, actor=MANAGER
        )
        == []
    )


def test_domain_rules_for_availability_and_leave() -> None:
    hours = [DailyWindow(weekday=d, start_minute=540, end_minute=1020) for d in range(6)]
    inside = DailyWindow(weekday=1, start_minute=540, end_minute=1020)
    early = DailyWindow(weekday=2, start_minute=480, end_minute=600)
    sunday = DailyWindow(weekday=6, start_minute=600, end_minute=700)
    problems = availability_problems([inside, early, sunday], hours)
    assert problems == [
        "availability row 2 (Wednesday 08:00-10:00): outside the opening hours 09:00-17:00",
        "availability row 3 (Sunday 10:00-11:40): the helpline is closed on Sundays",
    ]
    a = LeavePeriod(first_day=date(2026, 12, 1), last_day=date(2026, 12, 3))
    touching = LeavePeriod(first_day=date(2026, 12, 3), last_day=date(2026, 12, 9))
    after = LeavePeriod(first_day=date(2026, 12, 4), last_day=date(2026, 12, 9))
    assert overlapping_leave(touching, [a]) == a  # the last day is inclusive
    assert overlapping_leave(after, [a]) is None
