"""What a roster solve reads from the database, on the seeded demo helpline: the staff, rules and
the week's saved requirements; the published roster pinned before a moment; how last week
ended; and a fresh forecast saved when the week has none."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from data.db import dispose_engine, get_engine, session_scope
from data.demo import seed_demo
from data.forecasts import list_forecast_runs, save_forecast_run
from data.migrations_runner import upgrade_to_head
from data.models import ForecastRunCreate
from data.planning import (
    MissingRequirementsError,
    instance_for_week,
    roster_inputs_for_week,
    save_fresh_forecast,
    weeks_with_rosters,
)
from data.rosters import publish_roster, save_roster
from data.sites import get_site_profile, get_staffing_settings, list_sites
from scheduling.domain import Floors, Skill, StaffingSettings
from scheduling.roster.pinning import pinned_shifts
from scheduling.roster.schema import (
    ActivitySegment,
    CoverageRow,
    PersonRoster,
    RosteredShift,
    RosterInstance,
    RosterSolution,
    SolveOptions,
    SolveStats,
)
from scheduling.staffing.requirement_types import IntervalRequirement

TZ = ZoneInfo("Asia/Karachi")
LAST_DAY = date(2026, 11, 22)  # the demo history ends on this Sunday
WEEK = date(2026, 11, 30)  # Hina Malik is on leave Tuesday-Thursday of this week


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('planning')) / 'planner.db'}"
    upgrade_to_head(url)
    with session_scope(get_engine(url)) as session:
        seed_demo(session=session, last_day=LAST_DAY)
    yield get_engine(url)
    dispose_engine(url)


@pytest.fixture(scope="module")
def site_id(engine: Engine) -> int:
    with session_scope(engine) as session:
        return next(s.id for s in list_sites(session=session) if "Lahore" in s.name)


def at(day: date, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), TZ)


def _requirements(week: date, required: int = 2) -> list[IntervalRequirement]:
    """A whole week of 30-minute intervals, `required` while open 09:00-17:00."""
    rows = []
    for i in range(7 * 48):
        start = at(week, "00:00") + timedelta(minutes=30 * i)
        open_ = 9 <= start.hour < 17
        rows.append(
            IntervalRequirement(
                start=start,
                end=start + timedelta(minutes=30),
                forecast_calls=1.0 if open_ else 0.0,
                band_low=0.0,
                band_high=2.0,
                required=required if open_ else 0,
                queue_required=1 if open_ else 0,
                workload_erlangs=0.5 if open_ else 0.0,
                binding="floor" if open_ else "closed",
            )
        )
    return rows


def _save_run(engine: Engine, site_id: int, week: date, settings: object | None = None) -> int:
    inputs = {} if settings is None else {"settings": settings}
    with session_scope(engine) as session:
        run = save_forecast_run(
            session=session,
            run_in=ForecastRunCreate(
                site_id=site_id, week_start=week, created_by="test", method="test", inputs=inputs
            ),
            requirements=_requirements(week),
        )
    return run.id


def _shift(day: date, start: str, end: str) -> RosteredShift:
    return RosteredShift(
        start=at(day, start),
        end=at(day, end),
        activities=(ActivitySegment(activity="line", start=at(day, start), end=at(day, end)),),
    )


def _publish(
    engine: Engine, site_id: int, instance: RosterInstance, people: tuple[PersonRoster, ...]
) -> int:
    solution = RosterSolution(
        site_name=instance.site_name,
        timezone=instance.timezone,
        week_start=instance.week_start,
        interval_minutes=instance.interval_minutes,
        stats=SolveStats(
            status="FEASIBLE",
            objective=10.0,
            best_bound=5.0,
            gap=0.5,
            wall_time_seconds=1.0,
            first_solution_seconds=0.1,
            method="full",
            workers=2,
            time_limit_seconds=5,
        ),
        people=people,
        coverage=(
            CoverageRow(
                start=at(instance.week_start, "09:00"),
                end=at(instance.week_start, "09:30"),
                required=2,
                on_line=1,
                on_duty=1,
                shortfall=1,
            ),
        ),
    )
    with session_scope(engine) as session:
        saved = save_roster(
            session=session, site_id=site_id, instance=instance, solution=solution, actor="mgr"
        )
        publish_roster(session=session, roster_id=saved.id, actor="mgr")
    return saved.id


def _person(staff_id: str, name: str, *shifts: RosteredShift, hire: str | None = None):
    minutes = sum(int((s.end - s.start).total_seconds() // 60) for s in shifts)
    return PersonRoster(
        staff_id=staff_id,
        display_name=name,
        hire_template=hire,
        shifts=shifts,
        shift_minutes=minutes,
        line_minutes=minutes,
    )


# ---------------------------------------------------------------------------------- tests


def test_a_week_without_a_saved_forecast_has_no_requirements_and_says_so(
    engine: Engine, site_id: int
) -> None:
    week = date(2027, 3, 1)
    with session_scope(engine) as session:
        inputs = roster_inputs_for_week(session=session, site_id=site_id, week_start=week)
    assert inputs.requirements is None and inputs.forecast_run is None
    assert inputs.settings_from_forecast is False
    assert [m.display_name for m in inputs.staff][:2] == ["Ayesha Khan", "Bilal Ahmed"]
    assert len(inputs.staff) == 10
    # Supervisor every open day, lawyer on weekdays, digital security Tuesday and Thursday.
    skills = [s.skill for s in inputs.skill_requirements]
    assert skills.count(Skill.SUPERVISOR) == 7
    assert skills.count(Skill.LAWYER) == 5
    assert skills.count(Skill.DIGITAL_SECURITY) == 2
    with pytest.raises(MissingRequirementsError, match="week of 01 March 2027"):
        instance_for_week(inputs=inputs)


def test_the_latest_saved_forecast_is_rostered_with_the_settings_it_was_made_with(
    engine: Engine, site_id: int
) -> None:
    week = date(2027, 3, 8)
    with session_scope(engine) as session:
        site_settings = get_staffing_settings(session=session, site_id=site_id)
    assert site_settings.floors.specialist_cover  # the demo asks for lawyer cover
    _save_run(engine, site_id, week, settings=site_settings)
    plain = StaffingSettings(floors=Floors(languages_required=("en",)))
    latest = _save_run(engine, site_id, week, settings=plain)

    with session_scope(engine) as session:
        inputs = roster_inputs_for_week(session=session, site_id=site_id, week_start=week)
    assert inputs.forecast_run_id == latest
    assert inputs.settings_from_forecast and inputs.settings == plain
    assert {s.skill for s in inputs.skill_requirements} == {Skill.SUPERVISOR}
    assert inputs.required_hours == 7 * 16 * 2 / 2 and inputs.peak_required == 2

    options = SolveOptions(time_limit_seconds=7, workers=2, allow_hires=False)
    instance = instance_for_week(inputs=inputs, options=options)
    assert instance.week_start == week and instance.timezone == "Asia/Karachi"
    assert len(instance.intervals) == 7 * 16  # open intervals only
    assert {i.required for i in instance.intervals} == {2}
    assert instance.intervals[0].start == at(week, "09:00")
    assert len(instance.staff) == 10 and instance.options == options
    assert {c.language for c in instance.language_covers} == {"en"}
    assert instance.published == () and instance.pin_before is None


def test_a_run_without_recorded_settings_uses_the_site_settings(
    engine: Engine, site_id: int
) -> None:
    week = date(2027, 3, 15)
    _save_run(engine, site_id, week)
    with session_scope(engine) as session:
        inputs = roster_inputs_for_week(session=session, site_id=site_id, week_start=week)
        site_settings = get_staffing_settings(session=session, site_id=site_id)
    assert inputs.requirements is not None and not inputs.settings_from_forecast
    assert inputs.settings == site_settings


def test_the_published_roster_is_pinned_before_the_moment_and_hires_are_left_out(
    engine: Engine, site_id: int
) -> None:
    week = date(2027, 3, 22)
    _save_run(engine, site_id, week)
    with session_scope(engine) as session:
        inputs = roster_inputs_for_week(session=session, site_id=site_id, week_start=week)
    instance = instance_for_week(inputs=inputs)
    monday, wednesday = week, week + timedelta(days=2)
    _publish(
        engine,
        site_id,
        instance,
        (
            _person("1", "Ayesha Khan", _shift(monday, "09:00", "15:00")),
            _person("2", "Bilal Ahmed", _shift(wednesday, "11:00", "17:00")),
            _person(
                "hire:part_time_counsellor:1",
                "Part-time counsellor (hire 1)",
                _shift(monday, "13:00", "17:00"),
                hire="part_time_counsellor",
            ),
        ),
    )
    tuesday_noon = at(week + timedelta(days=1), "12:00")
    with session_scope(engine) as session:
        inputs = roster_inputs_for_week(
            session=session, site_id=site_id, week_start=week, now=tuesday_noon.astimezone(UTC)
        )
    assert inputs.published is not None and inputs.published.status == "published"
    assert [(s.staff_id, s.start) for s in inputs.published_shifts] == [
        ("1", at(monday, "09:00")),
        ("2", at(wednesday, "11:00")),
    ]
    assert inputs.published_shifts[0].activities  # pinned with its activities
    assert len(inputs.published_left_out) == 1
    assert "Part-time counsellor (hire 1)" in inputs.published_left_out[0]
    assert "a proposed hire" in inputs.published_left_out[0]
    assert inputs.default_pin_before == tuesday_noon

    replan = instance_for_week(inputs=inputs)
    assert replan.pin_before == tuesday_noon and len(replan.published) == 2
    assert [s.staff_id for s in pinned_shifts(replan.published, replan.pin_before)] == ["1"]
    # The manager may choose another moment, or none.
    later = instance_for_week(inputs=inputs, pin_before=at(wednesday, "12:00"))
    assert len(pinned_shifts(later.published, later.pin_before)) == 2
    assert instance_for_week(inputs=inputs, pin_before=None).pin_before is None


def test_rest_and_days_in_a_row_continue_from_last_weeks_published_roster(
    engine: Engine, site_id: int
) -> None:
    before, week = date(2027, 4, 5), date(2027, 4, 12)
    _save_run(engine, site_id, before)
    _save_run(engine, site_id, week)
    with session_scope(engine) as session:
        previous = roster_inputs_for_week(session=session, site_id=site_id, week_start=before)
    friday, saturday, sunday = (before + timedelta(days=d) for d in (4, 5, 6))
    _publish(
        engine,
        site_id,
        instance_for_week(inputs=previous),
        (
            _person(
                "3",
                "Hina Malik",
                _shift(friday, "09:00", "17:00"),
                _shift(saturday, "09:00", "17:00"),
                _shift(sunday, "13:00", "17:00"),
            ),
            _person("4", "Usman Tariq", _shift(friday, "09:00", "13:00")),
        ),
    )
    with session_scope(engine) as session:
        inputs = roster_inputs_for_week(session=session, site_id=site_id, week_start=week)
    carry = {c.staff_id: c for c in inputs.carry_over}
    assert carry["3"].previous_shift_end == at(sunday, "17:00")
    assert carry["3"].days_worked_before_week == 3
    assert carry["4"].days_worked_before_week == 0
    entries = {e.id: e for e in instance_for_week(inputs=inputs).staff}
    assert entries["3"].previous_shift_end == at(sunday, "17:00")
    assert entries["3"].days_worked_before_week == 3
    assert entries["1"].previous_shift_end is None
    assert inputs.published is None  # nothing published for this week itself

    with session_scope(engine) as session:
        weeks = weeks_with_rosters(session=session, site_id=site_id)
    assert weeks[0] == before and weeks == sorted(weeks, reverse=True)


def test_weeks_start_on_monday(engine: Engine, site_id: int) -> None:
    with (
        session_scope(engine) as session,
        pytest.raises(ValueError, match="2027-03-03 is a Wednesday"),
    ):
        roster_inputs_for_week(session=session, site_id=site_id, week_start=date(2027, 3, 3))


def test_a_fresh_forecast_is_computed_saved_and_then_rostered(engine: Engine, site_id: int) -> None:
    with session_scope(engine) as session:
        saved = save_fresh_forecast(
            session=session, site_id=site_id, week_start=WEEK, actor="demo-manager"
        )
        profile = get_site_profile(session=session, site_id=site_id)
    assert len(saved.requirements) == 7 * 24 * 60 // profile.interval_minutes
    assert saved.run.created_by == "demo-manager"
    assert saved.run.inputs["history"] == {"from": "2024-11-23", "to": "2026-11-22"}
    with session_scope(engine) as session:
        runs = list_forecast_runs(session=session, site_id=site_id, week_start=WEEK)
        inputs = roster_inputs_for_week(session=session, site_id=site_id, week_start=WEEK)
    assert [r.id for r in runs] == [saved.run.id]
    assert inputs.forecast_run_id == saved.run.id and inputs.settings_from_forecast
    instance = instance_for_week(inputs=inputs)
    assert len(instance.intervals) == 7 * 16
    assert all(i.required >= 2 for i in instance.intervals)
    hina = next(e for e in instance.staff if e.member.display_name == "Hina Malik")
    assert hina.member.on_leave(WEEK + timedelta(days=1))  # leave reaches the roster
