"""Saving hand edits: a new draft version in one transaction, the edited version untouched
(a published one too), the edit audited, and a bad edit saving nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from data.audit import list_audit
from data.db import session_scope
from data.models import StaffCreate
from data.rosters import list_rosters, load_roster, publish_roster, save_roster
from data.services.roster import save_edited_roster
from data.staff_repo import create_staff
from scheduling.domain import StaffMember
from scheduling.roster.hand_edits import ChangeActivity, EditError, MoveShift, rescore
from scheduling.roster.schema import (
    Activity,
    ActivitySegment,
    CoverageRow,
    IntervalSlot,
    PersonRoster,
    RosteredShift,
    RosterInstance,
    RosterSolution,
    SolveStats,
    StaffEntry,
)

TZ = ZoneInfo("Asia/Karachi")
WEEK = date(2026, 11, 23)


def _at(day: int, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2026, 11, 23 + day, hour, minute, tzinfo=TZ)


def _published_version(engine: Engine, site_id: int, manager: str) -> tuple[int, str]:
    with session_scope(engine) as session:
        row = create_staff(
            session=session, staff_in=StaffCreate(site_id=site_id, display_name="Sana"), actor="t"
        )
    key = str(row.id)
    instance = RosterInstance(
        site_name="Test helpline",
        timezone="Asia/Karachi",
        week_start=WEEK,
        intervals=tuple(
            IntervalSlot(start=_at(0, "09:00") + timedelta(minutes=30 * i), required=1)
            for i in range(4)
        ),
        staff=(StaffEntry(member=StaffMember(id=key, display_name="Sana")),),
    )
    shift = RosteredShift(
        start=_at(0, "09:00"),
        end=_at(0, "11:00"),
        activities=(ActivitySegment(activity="line", start=_at(0, "09:00"), end=_at(0, "11:00")),),
    )
    person = PersonRoster(
        staff_id=key, display_name="Sana", shifts=(shift,), shift_minutes=120, line_minutes=120
    )
    stats = SolveStats(
        status="OPTIMAL",
        objective=0.0,
        best_bound=0.0,
        gap=0.0,
        wall_time_seconds=1.0,
        first_solution_seconds=0.1,
        method="full",
        workers=2,
        time_limit_seconds=10,
    )
    empty: tuple[CoverageRow, ...] = ()
    solution = rescore(
        instance,
        RosterSolution(
            site_name="Test helpline",
            timezone="Asia/Karachi",
            week_start=WEEK,
            interval_minutes=30,
            stats=stats,
            people=(person,),
            coverage=empty,
        ),
    )
    with session_scope(engine) as session:
        saved = save_roster(
            session=session, site_id=site_id, instance=instance, solution=solution, actor=manager
        )
        publish_roster(session=session, roster_id=saved.id, actor=manager)
    return saved.id, key


def test_hand_edits_are_saved_as_a_new_draft_and_the_published_version_stays(
    engine: Engine, site_id: int, manager: str
) -> None:
    first_id, key = _published_version(engine, site_id, manager)
    edit = ChangeActivity(
        staff_id=key,
        shift_start=_at(0, "09:00"),
        start=_at(0, "10:00"),
        end=_at(0, "10:30"),
        activity=Activity.OFFLINE,
    )
    saved = save_edited_roster(engine=engine, roster_id=first_id, edits=[edit], actor=manager)
    assert saved.version == 2 and saved.status == "draft"
    assert saved.shortfall_hours == pytest.approx(0.5)
    with session_scope(engine) as session:
        first = load_roster(session=session, roster_id=first_id)
        second = load_roster(session=session, roster_id=saved.id)
        audit = list_audit(session=session, action="roster.hand_edit")
    assert first.roster.status == "published"
    assert [s.activity for s in first.solution.people[0].shifts[0].activities] == ["line"]
    acts = [(s.activity, s.start) for s in second.solution.people[0].shifts[0].activities]
    assert acts == [
        (Activity.LINE, _at(0, "09:00")),
        (Activity.OFFLINE, _at(0, "10:00")),
        (Activity.LINE, _at(0, "10:30")),
    ]
    assert second.solution.people[0].line_minutes == 90
    assert [c.on_line for c in second.solution.coverage] == [1, 1, 0, 1]
    assert len(audit) == 1 and "version 2 from version 1" in audit[0].detail
    assert "off-line work" in audit[0].detail


def test_a_bad_edit_saves_nothing(engine: Engine, site_id: int, manager: str) -> None:
    first_id, key = _published_version(engine, site_id, manager)
    outside = MoveShift(
        staff_id=key, shift_start=_at(0, "09:00"), start=_at(0, "13:00"), end=_at(0, "15:00")
    )
    with pytest.raises(EditError, match="outside opening hours"):
        save_edited_roster(engine=engine, roster_id=first_id, edits=[outside], actor=manager)
    with pytest.raises(ValueError, match="no hand edits"):
        save_edited_roster(engine=engine, roster_id=first_id, edits=[], actor=manager)
    with session_scope(engine) as session:
        versions = list_rosters(session=session, site_id=site_id, week_start=WEEK)
    assert [v.version for v in versions] == [1]
