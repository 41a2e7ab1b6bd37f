"""Saved rosters: versions, publishing, and a faithful round trip of the RosterSolution."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from data.db import session_scope
from data.errors import ConflictError
from data.models import StaffCreate
from data.rosters import list_rosters, load_roster, publish_roster, published_roster, save_roster
from data.staff_repo import create_staff
from scheduling.domain import StaffMember
from scheduling.roster.schema import (
    ActivitySegment,
    CoverageRow,
    Flag,
    HireAdvice,
    HireShift,
    IntervalSlot,
    PersonRoster,
    RosteredShift,
    RosterInstance,
    RosterSolution,
    RuleBreak,
    SolveStats,
    StaffEntry,
)

TZ = ZoneInfo("Asia/Karachi")
WEEK = date(2026, 11, 23)


def _at(day: int, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2026, 11, 23 + day, hour, minute, tzinfo=TZ)


def _instance(staff_key: str) -> RosterInstance:
    return RosterInstance(
        site_name="Test helpline",
        timezone="Asia/Karachi",
        week_start=WEEK,
        intervals=tuple(
            IntervalSlot(start=_at(0, "09:00") + timedelta(minutes=30 * i), required=1)
            for i in range(4)
        ),
        staff=(StaffEntry(member=StaffMember(id=staff_key, display_name="Sana")),),
    )


def _solution() -> RosterSolution:
    shift = RosteredShift(
        start=_at(0, "09:00"),
        end=_at(0, "11:00"),
        activities=(
            ActivitySegment(activity="line", start=_at(0, "09:00"), end=_at(0, "10:30")),
            ActivitySegment(activity="decompression", start=_at(0, "10:30"), end=_at(0, "11:00")),
        ),
        pinned=True,
    )
    hire_shift = RosteredShift(
        start=_at(0, "09:00"),
        end=_at(0, "11:00"),
        activities=(ActivitySegment(activity="line", start=_at(0, "09:00"), end=_at(0, "11:00")),),
    )
    return RosterSolution(
        site_name="Test helpline",
        timezone="Asia/Karachi",
        week_start=WEEK,
        interval_minutes=30,
        stats=SolveStats(
            status="FEASIBLE",
            objective=1500.0,
            best_bound=1400.0,
            gap=0.0667,
            wall_time_seconds=1.5,
            first_solution_seconds=0.2,
            method="full",
            workers=2,
            time_limit_seconds=10,
        ),
        people=(
            PersonRoster(
                staff_id="STAFF",
                display_name="Sana",
                shifts=(shift,),
                shift_minutes=120,
                line_minutes=90,
            ),
            PersonRoster(
                staff_id="hire-1",
                display_name="Full-time counsellor (hire 1)",
                hire_template="counsellor_ft",
                shifts=(hire_shift,),
                shift_minutes=120,
                line_minutes=120,
            ),
        ),
        coverage=tuple(
            CoverageRow(
                start=_at(0, "09:00") + timedelta(minutes=30 * i),
                end=_at(0, "09:30") + timedelta(minutes=30 * i),
                required=2,
                on_line=2 if i < 3 else 1,
                on_duty=2,
                shortfall=0 if i < 3 else 1,
            )
            for i in range(4)
        ),
        flags=(
            Flag(
                severity="warning",
                kind="shortfall",
                message="Monday 10:30-11:00: 1 counsellor short",
                start=_at(0, "10:30"),
                end=_at(0, "11:00"),
            ),
        ),
        broken_rules=(
            RuleBreak(
                rule="line_hours",
                title="At most 6 hours a day on the line",
                hard=True,
                staff_id="STAFF",
                day=WEEK,
                amount=30,
                unit="min",
                message="Sana: 30 min over",
            ),
        ),
        hires=(
            HireAdvice(
                template="counsellor_ft",
                name="Full-time counsellor",
                count=1,
                cost=800,
                shifts=(
                    HireShift(
                        day=WEEK, start=_at(0, "09:00"), end=_at(0, "11:00"), line_minutes=120
                    ),
                ),
                line_hours_covered=2.0,
                shortfall_hours_with=0.5,
                shortfall_hours_without=2.5,
                message="1 full-time counsellor would cover Monday 09:00-11:00",
            ),
        ),
    )


def _staff_row(engine: Engine, site_id: int) -> str:
    with session_scope(engine) as session:
        staff = create_staff(
            session=session,
            staff_in=StaffCreate(site_id=site_id, display_name="Sana"),
            actor="test",
        )
    return str(staff.id)


def _with_key(solution: RosterSolution, key: str) -> RosterSolution:
    people = tuple(
        p.model_copy(update={"staff_id": key}) if p.staff_id == "STAFF" else p
        for p in solution.people
    )
    breaks = tuple(b.model_copy(update={"staff_id": key}) for b in solution.broken_rules)
    return solution.model_copy(update={"people": people, "broken_rules": breaks})


def test_roster_round_trip_gives_back_the_same_solution(engine: Engine, site_id: int) -> None:
    key = _staff_row(engine, site_id)
    instance, solution = _instance(key), _with_key(_solution(), key)
    with session_scope(engine) as session:
        saved = save_roster(
            session=session, site_id=site_id, instance=instance, solution=solution, actor="mgr"
        )
    assert saved.status == "draft" and saved.version == 1
    assert saved.hard_rules_broken == 1 and saved.shortfall_hours == pytest.approx(0.5)
    with session_scope(engine) as session:
        loaded = load_roster(session=session, roster_id=saved.id)
    assert loaded.instance == instance
    assert loaded.solution.model_dump(mode="json") == solution.model_dump(mode="json")


def test_each_solve_is_a_new_draft_version_and_publishing_supersedes(
    engine: Engine, site_id: int
) -> None:
    key = _staff_row(engine, site_id)
    instance, solution = _instance(key), _with_key(_solution(), key)
    with session_scope(engine) as session:
        first = save_roster(
            session=session, site_id=site_id, instance=instance, solution=solution, actor="mgr"
        )
        second = save_roster(
            session=session, site_id=site_id, instance=instance, solution=solution, actor="mgr"
        )
    assert (first.version, second.version) == (1, 2)
    with session_scope(engine) as session:
        assert published_roster(session=session, site_id=site_id, week_start=WEEK) is None
        publish_roster(session=session, roster_id=first.id, actor="mgr")
    with session_scope(engine) as session:
        publish_roster(session=session, roster_id=second.id, actor="mgr")
    with session_scope(engine) as session:
        statuses = {r.version: r.status for r in list_rosters(session=session, site_id=site_id)}
        current = published_roster(session=session, site_id=site_id, week_start=WEEK)
    assert statuses == {1: "superseded", 2: "published"}
    assert current is not None and current.roster.id == second.id
    with pytest.raises(ConflictError, match="only a draft"), session_scope(engine) as session:
        publish_roster(session=session, roster_id=first.id, actor="mgr")


def test_a_roster_for_another_week_than_its_instance_is_refused_and_nothing_saved(
    engine: Engine, site_id: int
) -> None:
    key = _staff_row(engine, site_id)
    wrong = _with_key(_solution(), key).model_copy(update={"week_start": date(2026, 11, 30)})
    with pytest.raises(ValueError, match="does not match"), session_scope(engine) as session:
        save_roster(
            session=session, site_id=site_id, instance=_instance(key), solution=wrong, actor="m"
        )
    with session_scope(engine) as session:
        assert list_rosters(session=session, site_id=site_id) == []


def test_two_versions_published_at_the_same_moment_leave_one_published(
    engine: Engine, site_id: int
) -> None:
    key = _staff_row(engine, site_id)
    instance, solution = _instance(key), _with_key(_solution(), key)
    for round_ in range(5):
        with session_scope(engine) as session:
            ids = [
                save_roster(
                    session=session,
                    site_id=site_id,
                    instance=instance,
                    solution=solution,
                    actor="mgr",
                ).id
                for _ in range(2)
            ]
        barrier = threading.Barrier(2)

        def publish(roster_id: int, barrier: threading.Barrier = barrier) -> str:
            barrier.wait()
            try:
                with session_scope(engine) as session:
                    publish_roster(session=session, roster_id=roster_id, actor="mgr")
            except ConflictError:
                return "refused"
            return "published"

        with ThreadPoolExecutor(2) as pool:
            outcomes = list(pool.map(publish, ids))
        assert "published" in outcomes, f"round {round_}"
        with session_scope(engine) as session:
            statuses = [r.status for r in list_rosters(session=session, site_id=site_id)]
        assert statuses.count("published") == 1, f"round {round_}: {statuses}"


def test_two_drafts_saved_at_the_same_moment_get_consecutive_versions(
    engine: Engine, site_id: int
) -> None:
    key = _staff_row(engine, site_id)
    instance, solution = _instance(key), _with_key(_solution(), key)
    barrier = threading.Barrier(2)

    def save(_: int) -> int:
        barrier.wait()
        with session_scope(engine) as session:
            return save_roster(
                session=session, site_id=site_id, instance=instance, solution=solution, actor="m"
            ).version

    with ThreadPoolExecutor(2) as pool:
        versions = sorted(pool.map(save, range(2)))
    assert versions == [1, 2]


def test_a_roster_read_again_has_the_same_contents_and_its_current_status(
    engine: Engine, site_id: int
) -> None:
    key = _staff_row(engine, site_id)
    instance, solution = _instance(key), _with_key(_solution(), key)
    with session_scope(engine) as session:
        saved = save_roster(
            session=session, site_id=site_id, instance=instance, solution=solution, actor="mgr"
        )
    with session_scope(engine) as session:
        first = load_roster(session=session, roster_id=saved.id)
    with session_scope(engine) as session:
        publish_roster(session=session, roster_id=saved.id, actor="mgr")
    with session_scope(engine) as session:
        again = published_roster(session=session, site_id=site_id, week_start=WEEK)
    assert first.roster.status == "draft"
    assert again is not None and again.roster.status == "published"
    assert again.roster.published_by == "mgr"
    assert again.solution.model_dump(mode="json") == solution.model_dump(mode="json")
    assert again.instance == instance
