"""Staff and their leave, mapped to scheduling.domain.StaffMember for the roster."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlmodel import Session, col, select

from data.audit import write_audit
from data.db import utcnow
from data.errors import NotFoundError
from data.models import (
    Site,
    Staff,
    StaffCreate,
    StaffLeave,
    StaffLeaveCreate,
    StaffLeavePublic,
    StaffPublic,
    StaffUpdate,
)
from data.models.staff import OPENING_HOURS, OTHER_LEAVE
from data.sites import get_site_profile
from scheduling.domain import LeavePeriod, StaffMember


def _leave_by_staff(session: Session, staff_ids: Sequence[int]) -> dict[int, list[StaffLeave]]:
    grouped: dict[int, list[StaffLeave]] = defaultdict(list)
    if not staff_ids:
        return grouped
    query = (
        select(StaffLeave)
        .where(col(StaffLeave.staff_id).in_(staff_ids))
        .order_by(col(StaffLeave.first_day))
    )
    for leave in session.exec(query):
        grouped[leave.staff_id].append(leave)
    return grouped


def _public(staff: Staff, leave: Sequence[StaffLeave]) -> StaffPublic:
    return StaffPublic.model_validate(
        staff, update={"leave": [StaffLeavePublic.model_validate(p) for p in leave]}
    )


def _staff(session: Session, staff_id: int) -> Staff:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise NotFoundError(f"no staff member with id {staff_id}")
    return staff


def list_staff_public(
    *, session: Session, site_id: int, include_inactive: bool = False
) -> list[StaffPublic]:
    query = select(Staff).where(Staff.site_id == site_id)
    if not include_inactive:
        query = query.where(col(Staff.active).is_(True))
    rows = list(session.exec(query.order_by(col(Staff.display_name), col(Staff.id))))
    leave = _leave_by_staff(session, [s.id for s in rows if s.id is not None])
    return [_public(s, leave.get(s.id or 0, [])) for s in rows]


def list_staff(
    *, session: Session, site_id: int, include_inactive: bool = False
) -> list[StaffMember]:
    """The site's (active) staff as domain objects, leave included; id = str(row id)."""
    staff = list_staff_public(session=session, site_id=site_id, include_inactive=include_inactive)
    return [s.member() for s in staff]


def get_staff(*, session: Session, staff_id: int) -> StaffPublic:
    staff = _staff(session, staff_id)
    return _public(staff, _leave_by_staff(session, [staff_id]).get(staff_id, []))


def _row_values(staff_in: StaffCreate | StaffUpdate) -> dict[str, object]:
    values = staff_in.model_dump(exclude_unset=isinstance(staff_in, StaffUpdate), mode="json")
    return values


def _site_context(session: Session, site_id: int) -> dict[str, object]:
    return {OPENING_HOURS: get_site_profile(session=session, site_id=site_id).opening_hours}


def create_staff(*, session: Session, staff_in: StaffCreate, actor: str) -> StaffPublic:
    """Raises pydantic.ValidationError naming the field (availability outside the site's
    opening hours, a contract minimum above the maximum...)."""
    if session.get(Site, staff_in.site_id) is None:
        raise NotFoundError(f"no site with id {staff_in.site_id}")
    StaffCreate.model_validate(
        staff_in.model_dump(), context=_site_context(session, staff_in.site_id)
    )
    staff = Staff.model_validate(_row_values(staff_in))
    session.add(staff)
    session.flush()
    write_audit(session=session, actor=actor, action="staff.create", target=f"staff {staff.id}")
    return _public(staff, [])


def update_staff(
    *, session: Session, staff_id: int, staff_in: StaffUpdate, actor: str
) -> StaffPublic:
    staff = _staff(session, staff_id)
    changes = _row_values(staff_in)
    merged = StaffPublic.model_validate(staff, update={"leave": []}).model_dump(mode="json")
    merged.update(changes)
    # The whole record must still be valid, against its site's opening hours too.
    StaffCreate.model_validate(merged, context=_site_context(session, staff.site_id))
    staff.sqlmodel_update(changes)
    staff.updated_at = utcnow()
    session.add(staff)
    session.flush()
    write_audit(
        session=session,
        actor=actor,
        action="staff.update",
        target=f"staff {staff_id}",
        detail=", ".join(sorted(changes)),
    )
    return get_staff(session=session, staff_id=staff_id)


def add_leave(*, session: Session, leave_in: StaffLeaveCreate, actor: str) -> StaffLeavePublic:
    """Raises pydantic.ValidationError when the period overlaps one the person already has."""
    _staff(session, leave_in.staff_id)
    others = [
        StaffLeavePublic.model_validate(p).period()
        for p in _leave_by_staff(session, [leave_in.staff_id]).get(leave_in.staff_id, [])
    ]
    StaffLeaveCreate.model_validate(leave_in.model_dump(), context={OTHER_LEAVE: others})
    leave = StaffLeave.model_validate(leave_in)
    session.add(leave)
    session.flush()
    write_audit(
        session=session,
        actor=actor,
        action="staff.leave.add",
        target=f"staff {leave.staff_id}",
        detail=f"{leave.first_day}..{leave.last_day}",
    )
    return StaffLeavePublic.model_validate(leave)


def add_leave_period(
    *, session: Session, staff_id: int, period: LeavePeriod, actor: str
) -> StaffLeavePublic:
    leave_in = StaffLeaveCreate(staff_id=staff_id, **period.model_dump())
    return add_leave(session=session, leave_in=leave_in, actor=actor)


def delete_leave(*, session: Session, leave_id: int, actor: str) -> None:
    leave = session.get(StaffLeave, leave_id)
    if leave is None:
        raise NotFoundError(f"no leave with id {leave_id}")
    session.delete(leave)
    session.flush()
    write_audit(
        session=session,
        actor=actor,
        action="staff.leave.delete",
        target=f"staff {leave.staff_id}",
        detail=f"{leave.first_day}..{leave.last_day}",
    )
