"""Re-planning against a published roster, alone: the default pin moment, the shifts it pins,
the published shifts a re-plan can keep, and how last week carries over."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduling.domain import SiteProfile
from scheduling.roster.pinning import (
    carry_over,
    default_pin_moment,
    pinned_shifts,
    published_shifts,
    week_bounds,
)
from scheduling.roster.schema import PlannedShift, RosterSolution

TZ = ZoneInfo("Asia/Karachi")
SITE = SiteProfile(name="Helpline", timezone="Asia/Karachi", interval_minutes=30)
WEEK = date(2026, 11, 30)


def at(day: date, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), TZ)


def _shift(day: date, start: str, end: str) -> dict:
    return {
        "start": at(day, start),
        "end": at(day, end),
        "activities": [{"activity": "line", "start": at(day, start), "end": at(day, end)}],
    }


def _person(staff_id: str, name: str, *shifts: dict, hire: str | None = None) -> dict:
    return {
        "staff_id": staff_id,
        "display_name": name,
        "hire_template": hire,
        "shifts": list(shifts),
        "shift_minutes": 0,
        "line_minutes": 0,
    }


def _roster(week: date, *people: dict) -> RosterSolution:
    return RosterSolution.model_validate(
        {
            "site_name": "Helpline",
            "timezone": "Asia/Karachi",
            "week_start": week,
            "interval_minutes": 30,
            "stats": {
                "status": "OPTIMAL",
                "objective": 0.0,
                "best_bound": 0.0,
                "gap": 0.0,
                "wall_time_seconds": 1.0,
                "first_solution_seconds": 0.1,
                "method": "full",
                "workers": 2,
                "time_limit_seconds": 5,
            },
            "people": list(people),
            "coverage": [],
        }
    )


def test_default_pin_moment_is_now_inside_the_week_none_before_all_after() -> None:
    inside = at(WEEK + timedelta(days=3), "10:15")
    # Rounded up to the interval: a shift starting at 10:00 is pinned, one at 10:30 is not.
    assert default_pin_moment(SITE, WEEK, inside.astimezone(UTC)) == at(inside.date(), "10:30")
    on_the_boundary = at(WEEK + timedelta(days=3), "10:00")
    assert default_pin_moment(SITE, WEEK, on_the_boundary) == on_the_boundary
    assert default_pin_moment(SITE, WEEK, at(WEEK, "00:00") - timedelta(minutes=1)) is None
    after = at(WEEK + timedelta(days=9), "08:00")
    assert default_pin_moment(SITE, WEEK, after) == at(WEEK + timedelta(days=7), "00:00")


def test_the_week_runs_from_monday_midnight_to_the_next_in_the_sites_zone() -> None:
    assert week_bounds(SITE, WEEK) == (at(WEEK, "00:00"), at(WEEK + timedelta(days=7), "00:00"))


def test_shifts_starting_before_the_moment_are_pinned_and_none_without_one() -> None:
    shifts = [
        PlannedShift(staff_id="1", start=at(WEEK, "09:00"), end=at(WEEK, "13:00")),
        PlannedShift(staff_id="2", start=at(WEEK, "12:00"), end=at(WEEK, "16:00")),
    ]
    assert [s.staff_id for s in pinned_shifts(shifts, at(WEEK, "12:00"))] == ["1"]
    assert pinned_shifts(shifts, at(WEEK, "12:30")) == shifts
    assert pinned_shifts(shifts, None) == []


def test_hires_and_people_who_left_are_not_kept_and_each_is_named() -> None:
    tuesday = WEEK + timedelta(days=1)
    monday = _shift(WEEK, "09:00", "13:00")
    published = _roster(
        WEEK,
        _person("2", "Bilal Ahmed", _shift(tuesday, "09:00", "13:00")),
        _person("1", "Ayesha Khan", _shift(tuesday, "09:00", "17:00"), monday),
        _person("hire-1", "Full-time counsellor 1", monday, hire="full_time"),
        _person("9", "Gone Person", _shift(WEEK, "13:00", "17:00")),
        _person("8", "Nobody Worked"),
    )
    shifts, left_out = published_shifts(published, {"1", "2", "8"})
    assert [(s.staff_id, s.start) for s in shifts] == [
        ("1", at(WEEK, "09:00")),
        ("1", at(tuesday, "09:00")),
        ("2", at(tuesday, "09:00")),
    ]
    assert shifts[0].activities[0].activity == "line"
    assert left_out == [
        "Full-time counsellor 1: 1 shift(s) not pinned (a proposed hire)",
        "Gone Person: 1 shift(s) not pinned (no longer on the active staff)",
    ]


def test_last_weeks_end_and_days_in_a_row_carry_over() -> None:
    before = WEEK - timedelta(days=7)
    friday, saturday, sunday = (before + timedelta(days=d) for d in (4, 5, 6))
    previous = _roster(
        before,
        _person("3", "Hina Malik", _shift(friday, "09:00", "17:00"),
                _shift(saturday, "09:00", "17:00"), _shift(sunday, "13:00", "17:00")),
        _person("4", "Usman Tariq", _shift(friday, "09:00", "13:00")),
        _person("5", "Left Since", _shift(sunday, "09:00", "13:00")),
        _person("hire-1", "Hire", _shift(sunday, "09:00", "13:00"), hire="part_time"),
    )  # fmt: skip
    carry = {c.staff_id: c for c in carry_over(previous, SITE, WEEK, {"3", "4"})}
    assert set(carry) == {"3", "4"}
    assert carry["3"].previous_shift_end == at(sunday, "17:00")
    assert carry["3"].days_worked_before_week == 3
    assert carry["4"].previous_shift_end == at(friday, "13:00")
    assert carry["4"].days_worked_before_week == 0
