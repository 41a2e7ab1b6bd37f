"""The Staff page's actions: list a site's staff (retired ones too), add or edit a member,
retire one (warned about their shifts in published weeks first), add and remove leave,
training and sickness. Managers write; administrators read."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy.engine import Engine

from data.access import require_site_access, require_staff_access, site_of_leave
from data.db import session_scope
from data.models import StaffCreate, StaffLeaveCreate, StaffLeavePublic, StaffPublic, StaffUpdate
from data.planning import weeks_with_rosters
from data.rosters import published_roster
from data.sites import get_site_profile
from data.staff_repo import (
    add_leave,
    delete_leave,
    get_staff,
    list_staff_public,
    update_staff,
)
from data.staff_repo import (
    create_staff as create_staff_row,
)
from scheduling.domain import LeavePeriod, Role, SiteProfile, monday_of

WRITERS = frozenset({Role.MANAGER})
READERS = frozenset({Role.MANAGER, Role.ADMIN})


class StaffPage(BaseModel):
    model_config = ConfigDict(frozen=True)

    site: SiteProfile
    staff: list[StaffPublic]  # active first, then retired; by name


class RetireOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    retired: bool
    # The person's shifts in published weeks from this week on, in the site's words.
    shifts: list[str]


def _require(role: Role, allowed: frozenset[Role], what: str) -> None:
    if role not in allowed:
        raise PermissionError(f"Only a manager can {what}.")


def staff_page(*, engine: Engine | None = None, site_id: int, role: Role, actor: str) -> StaffPage:
    if role not in READERS:
        raise PermissionError("Staff records are for managers and administrators.")
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_id)
        staff = list_staff_public(session=session, site_id=site_id, include_inactive=True)
        return StaffPage(
            site=get_site_profile(session=session, site_id=site_id),
            staff=sorted(staff, key=lambda s: (not s.active, s.display_name.lower())),
        )


def save_staff_member(
    *,
    engine: Engine | None = None,
    site_id: int,
    staff_id: int | None,
    values: dict[str, Any],
    actor: str,
    role: Role,
) -> StaffPublic:
    """Add (staff_id None) or edit a member. Raises pydantic.ValidationError naming each bad
    field; nothing is saved then."""
    _require(role, WRITERS, "add or edit staff")
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_id)
        if staff_id is not None:
            require_staff_access(session, actor=actor, staff_id=staff_id)
        if staff_id is None:
            staff_in = StaffCreate.model_validate({**values, "site_id": site_id})
            return create_staff_row(session=session, staff_in=staff_in, actor=actor)
        return update_staff(
            session=session,
            staff_id=staff_id,
            staff_in=StaffUpdate.model_validate(values),
            actor=actor,
        )


def published_shifts_of(
    *, engine: Engine | None = None, site_id: int, staff_id: int, today: date, actor: str
) -> list[str]:
    """The person's shifts in published rosters of this week and later, as a manager reads
    them ("Mon 07 Dec 09:00-17:00")."""
    this_week = monday_of(today)
    out: list[str] = []
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_id)
        tz = get_site_profile(session=session, site_id=site_id).tz
        for week in sorted(weeks_with_rosters(session=session, site_id=site_id)):
            if week < this_week:
                continue
            saved = published_roster(session=session, site_id=site_id, week_start=week)
            if saved is None:
                continue
            for person in saved.solution.people:
                if person.staff_id != str(staff_id):
                    continue
                for shift in sorted(person.shifts, key=lambda s: s.start):
                    start, end = shift.start.astimezone(tz), shift.end.astimezone(tz)
                    out.append(f"{start:%a %d %b %H:%M}-{end:%H:%M}")
    return out


def retire_staff_member(
    *,
    engine: Engine | None = None,
    site_id: int,
    staff_id: int,
    today: date,
    confirmed: bool,
    actor: str,
    role: Role,
) -> RetireOutcome:
    """Retire a member (they leave the next solves; history stays). With shifts in a published
    week and not `confirmed`, nothing changes and the shifts are returned to warn about."""
    _require(role, WRITERS, "retire staff")
    shifts = published_shifts_of(
        engine=engine, site_id=site_id, staff_id=staff_id, today=today, actor=actor
    )
    if shifts and not confirmed:
        return RetireOutcome(retired=False, shifts=shifts)
    with session_scope(engine) as session:
        require_staff_access(session, actor=actor, staff_id=staff_id)
        update_staff(
            session=session, staff_id=staff_id, staff_in=StaffUpdate(active=False), actor=actor
        )
    return RetireOutcome(retired=True, shifts=shifts)


def reinstate_staff_member(
    *, engine: Engine | None = None, staff_id: int, actor: str, role: Role
) -> StaffPublic:
    _require(role, WRITERS, "reinstate staff")
    with session_scope(engine) as session:
        require_staff_access(session, actor=actor, staff_id=staff_id)
        return update_staff(
            session=session, staff_id=staff_id, staff_in=StaffUpdate(active=True), actor=actor
        )


def add_staff_leave(
    *, engine: Engine | None = None, staff_id: int, period: LeavePeriod, actor: str, role: Role
) -> StaffLeavePublic:
    """Raises pydantic.ValidationError when the period overlaps one the person has."""
    _require(role, WRITERS, "enter leave")
    with session_scope(engine) as session:
        require_staff_access(session, actor=actor, staff_id=staff_id)
        leave_in = StaffLeaveCreate(staff_id=staff_id, **period.model_dump())
        return add_leave(session=session, leave_in=leave_in, actor=actor)


def remove_staff_leave(
    *, engine: Engine | None = None, leave_id: int, actor: str, role: Role
) -> None:
    _require(role, WRITERS, "remove leave")
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_of_leave(session, leave_id))
        delete_leave(session=session, leave_id=leave_id, actor=actor)


def staff_member(*, engine: Engine | None = None, staff_id: int, actor: str) -> StaffPublic:
    with session_scope(engine) as session:
        require_staff_access(session, actor=actor, staff_id=staff_id)
        return get_staff(session=session, staff_id=staff_id)
