"""The life of a staff request, what others read of it, and availability changes by date."""

from __future__ import annotations

from datetime import date, timedelta

from scheduling.domain import DailyWindow, StaffMember
from scheduling.requests import (
    AvailabilityChange,
    RequestKind,
    RequestStatus,
    awaits_manager,
    calendar_reason,
    leave_kind_for_manager,
    may_answer,
    may_withdraw,
    member_for_week,
)

MONDAY = date(2026, 12, 7)
HOURS = tuple(DailyWindow(weekday=d, start_minute=540, end_minute=1020) for d in range(7))


def _w(day: int, start: int, end: int) -> DailyWindow:
    return DailyWindow(weekday=day, start_minute=start * 60, end_minute=end * 60)


def test_a_swap_waits_for_the_colleague_before_a_manager_sees_it() -> None:
    assert not awaits_manager(RequestKind.SWAP, RequestStatus.PENDING)
    assert may_answer(RequestKind.SWAP, RequestStatus.PENDING)
    assert awaits_manager(RequestKind.SWAP, RequestStatus.ACCEPTED)
    assert not may_answer(RequestKind.SWAP, RequestStatus.ACCEPTED)
    assert awaits_manager(RequestKind.LEAVE, RequestStatus.PENDING)
    assert not may_answer(RequestKind.LEAVE, RequestStatus.PENDING)


def test_only_an_undecided_request_can_be_withdrawn_or_decided() -> None:
    for done in (RequestStatus.APPROVED, RequestStatus.DECLINED, RequestStatus.WITHDRAWN):
        assert not may_withdraw(done)
        for kind in RequestKind:
            assert not awaits_manager(kind, done)
    assert may_withdraw(RequestStatus.PENDING) and may_withdraw(RequestStatus.ACCEPTED)


def test_managers_read_sickness_as_leave_and_the_calendar_stores_it_so() -> None:
    assert leave_kind_for_manager("sick") == "leave"
    assert calendar_reason("sick") == "leave"
    assert leave_kind_for_manager("training") == "training"


def test_an_approved_change_counts_from_its_date_within_the_week() -> None:
    old = (_w(0, 9, 17), _w(1, 9, 17), _w(2, 9, 17))
    new = (_w(2, 13, 17), _w(3, 9, 13))
    person = StaffMember(id="1", display_name="Sana", availability=new)
    change = AvailabilityChange(from_day=MONDAY + timedelta(days=2), previous=old)

    week = member_for_week(person, [change], MONDAY, HOURS)
    assert sorted(week.availability, key=lambda w: w.weekday) == [
        _w(0, 9, 17),  # Monday, Tuesday: before the change, the old windows
        _w(1, 9, 17),
        _w(2, 13, 17),  # from Wednesday: the new ones
        _w(3, 9, 13),
    ]
    # The week before: all old; the week after: all new.
    assert member_for_week(person, [change], MONDAY - timedelta(days=7), HOURS).availability == old
    assert member_for_week(person, [change], MONDAY + timedelta(days=7), HOURS) == person


def test_no_windows_before_a_change_means_any_open_hour() -> None:
    person = StaffMember(id="1", display_name="Sana", availability=(_w(4, 9, 12),))
    change = AvailabilityChange(from_day=MONDAY + timedelta(days=1), previous=())
    week = member_for_week(person, [change], MONDAY, HOURS)
    assert sorted(week.availability, key=lambda w: w.weekday) == [HOURS[0], _w(4, 9, 12)]


def test_a_week_with_no_available_day_is_leave_not_any_time() -> None:
    person = StaffMember(id="1", display_name="Sana", availability=(_w(0, 9, 12),))
    change = AvailabilityChange(from_day=MONDAY + timedelta(days=1), previous=(_w(6, 9, 12),))
    week = member_for_week(person, [change], MONDAY, HOURS)
    assert week.availability == ()
    assert all(week.on_leave(MONDAY + timedelta(days=d)) for d in range(7))
