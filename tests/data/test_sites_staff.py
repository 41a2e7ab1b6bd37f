"""Sites, their settings and staff: validated writes, domain objects back."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from data.audit import list_audit
from data.db import session_scope
from data.errors import ConflictError
from data.models import SiteCreate, SiteUpdate, StaffCreate, StaffUpdate
from data.sites import (
    create_site,
    demo_only,
    get_site_profile,
    get_staffing_settings,
    get_work_rules,
    save_staffing_settings,
    save_work_rules,
    update_site,
)
from data.staff_repo import add_leave_period, create_staff, delete_leave, list_staff, update_staff
from scheduling.domain import (
    DailyWindow,
    Employment,
    Floors,
    LeavePeriod,
    ServiceTargets,
    Skill,
    StaffingSettings,
)
from scheduling.roster.work_rules import WorkRules


def test_site_profile_and_defaults(engine, site_id) -> None:
    with session_scope(engine) as session:
        profile = get_site_profile(session=session, site_id=site_id)
        assert get_staffing_settings(session=session, site_id=site_id) == StaffingSettings()
        assert get_work_rules(session=session, site_id=site_id) == WorkRules()
        assert not demo_only(session=session)
    assert profile.timezone == "Asia/Karachi" and profile.interval_minutes == 30
    assert profile.hours_on(0) == DailyWindow(weekday=0, start_minute=540, end_minute=1020)


def test_settings_saved_and_read_back(engine, site_id) -> None:
    staffing = StaffingSettings(
        targets=ServiceTargets(model="erlang_c", answered_share_min=0.95),
        floors=Floors(min_on_line=3, languages_required=("ur",)),
    )
    rules = WorkRules(shift_max_minutes=420)
    with session_scope(engine) as session:
        save_staffing_settings(session=session, site_id=site_id, settings=staffing, actor="m")
        save_work_rules(session=session, site_id=site_id, rules=rules, actor="m")
    with session_scope(engine) as session:
        assert get_staffing_settings(session=session, site_id=site_id) == staffing
        assert get_work_rules(session=session, site_id=site_id) == rules
        assert len(list_audit(session=session, action="settings.update")) == 2


def test_site_writes_are_validated(engine, site_id) -> None:
    with pytest.raises(ValidationError, match="unknown IANA timezone"):
        SiteCreate(name="x", timezone="Mars/Olympus")
    with pytest.raises(ValidationError, match="interval boundaries"):
        SiteCreate(
            name="x", opening_hours=[DailyWindow(weekday=0, start_minute=545, end_minute=600)]
        )
    with pytest.raises(ConflictError), session_scope(engine) as session:
        create_site(session=session, site_in=SiteCreate(name="Test helpline"), actor="a")
    with pytest.raises(ValidationError), session_scope(engine) as session:
        # 09:15 is fine at 15 minutes, but then switching back to 30 must be refused.
        update_site(
            session=session, site_id=site_id, site_in=SiteUpdate(interval_minutes=15), actor="a"
        )
        hours = [DailyWindow(weekday=0, start_minute=555, end_minute=1020)]
        update_site(
            session=session, site_id=site_id, site_in=SiteUpdate(opening_hours=hours), actor="a"
        )
        update_site(
            session=session, site_id=site_id, site_in=SiteUpdate(interval_minutes=30), actor="a"
        )
    with session_scope(engine) as session:
        assert (
            get_site_profile(session=session, site_id=site_id).interval_minutes == 30
        )  # rolled back


def test_staff_round_trip_with_leave(engine, site_id) -> None:
    with session_scope(engine) as session:
        created = create_staff(
            session=session,
            staff_in=StaffCreate(
                site_id=site_id,
                display_name="Hina",
                skills=[Skill.COUNSELLOR, Skill.SUPERVISOR],
                languages=["UR", "en"],
                employment=Employment.PART_TIME,
                contract_minutes_min=900,
                contract_minutes_max=1200,
                line_cap_minutes_week=900,
                availability=[DailyWindow(weekday=5, start_minute=540, end_minute=1020)],
            ),
            actor="m",
        )
        leave = add_leave_period(
            session=session,
            staff_id=created.id,
            period=LeavePeriod(
                first_day=date(2026, 12, 1), last_day=date(2026, 12, 3), reason="sick"
            ),
            actor="m",
        )
    with session_scope(engine) as session:
        (member,) = list_staff(session=session, site_id=site_id)
    assert member.id == str(created.id)
    assert member.skills == {Skill.COUNSELLOR, Skill.SUPERVISOR}
    assert member.languages == ("ur", "en")
    assert member.employment == Employment.PART_TIME
    assert member.on_leave(date(2026, 12, 2)) and not member.on_leave(date(2026, 12, 4))
    assert member.availability[0].weekday == 5

    with session_scope(engine) as session:
        update_staff(
            session=session,
            staff_id=created.id,
            staff_in=StaffUpdate(line_cap_minutes_week=600),
            actor="m",
        )
        delete_leave(session=session, leave_id=leave.id, actor="m")
    with (
        pytest.raises(ValidationError, match="below the minimum"),
        session_scope(engine) as session,
    ):
        update_staff(
            session=session,
            staff_id=created.id,
            staff_in=StaffUpdate(contract_minutes_max=60),
            actor="m",
        )
    with session_scope(engine) as session:
        (member,) = list_staff(session=session, site_id=site_id)
        update_staff(
            session=session, staff_id=created.id, staff_in=StaffUpdate(active=False), actor="m"
        )
    assert member.line_cap_minutes_week == 600 and member.contract_minutes_max == 1200
    assert member.leave == ()
    with session_scope(engine) as session:
        assert list_staff(session=session, site_id=site_id) == []
        assert len(list_staff(session=session, site_id=site_id, include_inactive=True)) == 1


def test_staff_writes_are_validated() -> None:
    with pytest.raises(ValidationError, match="language"):
        StaffCreate(site_id=1, display_name="x", languages=["Urdu"])
    with pytest.raises(ValidationError):
        StaffCreate(site_id=1, display_name="x", skills=[])
    with pytest.raises(ValidationError, match="below the minimum"):
        StaffCreate(site_id=1, display_name="x", contract_minutes_min=600, contract_minutes_max=60)
