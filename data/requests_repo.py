"""Staff requests: who may make, answer, withdraw and decide them, and what a decision writes.

- Only the requester (an account linked to a staff row) creates and withdraws their requests.
- Only the named colleague accepts or declines a swap offered to them.
- Only managers and administrators decide, and only for a site they belong to (an account
  linked to a staff row of another site may not). A decided request cannot be decided again:
  the row is locked before its state is read, so of two managers acting at once the second is
  told who decided first.
- Approving writes what the request asked for in the same transaction: leave goes on the staff
  calendar, an availability change replaces the person's windows (the ones it replaced are
  kept for the days before its date), a swap becomes a new published version of the week's
  roster (the old version stays in the history as superseded).

Readers other than the requester see a sickness request as "leave". The requester's note is
stored encrypted (data.crypto, as debrief notes) and decrypted only for its readers: the
requester, the colleague a swap is offered to, and those who decide the site's requests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, or_, select

from data.access import may_work_on
from data.audit import write_audit
from data.crypto import decrypt, encrypt
from data.db import lock_rows
from data.errors import ConflictError, NotFoundError
from data.models import (
    AvailabilityRequestCreate,
    LeaveRequestCreate,
    Staff,
    StaffLeaveCreate,
    StaffRequest,
    StaffRequestPublic,
    StaffRequestUpdate,
    StaffUpdate,
    SwapOfferCreate,
)
from data.models.staff import OPENING_HOURS, OTHER_LEAVE
from data.rosters import (
    SavedRoster,
    list_rosters,
    load_roster,
    publish_roster,
    published_roster,
    save_roster,
)
from data.sites import get_site_profile
from data.staff_repo import add_leave, get_staff, list_staff, update_staff
from scheduling.domain import DailyWindow, LeavePeriod, Role, StaffMember, monday_of
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
from scheduling.roster.request_effect import (
    RequestEffect,
    find_shift,
    leave_effect,
    swap_effect,
    swapped_roster,
)
from wellbeing.privacy import Actor

DECIDERS = frozenset({Role.MANAGER, Role.ADMIN})
REQUESTERS = frozenset({Role.STAFF, Role.SUPERVISOR})
# A leave request reaching further than this is judged on its first weeks only.
EFFECT_WEEKS_MAX = 6


class WeekEffect(BaseModel):
    """The coverage effect of a request on one week, against the roster a manager would check:
    the published version, or the latest draft when nothing is published."""

    model_config = ConfigDict(frozen=True)

    week_start: date
    roster_label: str | None  # "published version 3"; None: no roster saved for the week
    effect: RequestEffect | None


# ------------------------------------------------------------------------------ helpers


def _staff_row(session: Session, staff_id: int) -> Staff:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise NotFoundError(f"no staff member with id {staff_id}")
    return staff


def _requester(session: Session, actor: Actor) -> Staff:
    if actor.role not in REQUESTERS or actor.staff_id is None:
        raise PermissionError(
            "Only counsellors and supervisors with a staff record can make requests."
        )
    staff = _staff_row(session, actor.staff_id)
    if not staff.active:
        raise PermissionError("A retired staff record cannot make requests.")
    return staff


def may_decide(session: Session, actor: Actor, site_id: int) -> bool:
    """A manager who belongs to the site's centre, or an administrator."""
    if actor.role not in DECIDERS:
        return False
    return may_work_on(session=session, username=actor.username, site_id=site_id)


def _require_decider(session: Session, actor: Actor, site_id: int) -> None:
    if not may_decide(session, actor, site_id):
        raise PermissionError("Only a manager of this site (or an administrator) decides requests.")


def _locked(session: Session, request_id: int) -> StaffRequest:
    """The request row, held until the transaction ends, as it is after any other holder's
    commit."""
    lock_rows(session, StaffRequest, col(StaffRequest.id) == request_id)
    row = session.get(StaffRequest, request_id)
    if row is None:
        raise NotFoundError(f"no request with id {request_id}")
    session.refresh(row)
    return row


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Staff.id, Staff.display_name).where(col(Staff.id).in_(ids)))
    return {row_id: name for row_id, name in rows if row_id is not None}


def _sealed(note: str) -> str | None:
    """What the table stores for a (stripped) note: its token, or nothing for no note."""
    return encrypt(note) if note else None


def _public_all(
    session: Session, rows: Sequence[StaffRequest], viewer: Actor
) -> list[StaffRequestPublic]:
    ids = {r.staff_id for r in rows} | {r.colleague_staff_id for r in rows if r.colleague_staff_id}
    names = _names(session, ids)
    deciders: dict[int, bool] = {}

    def reads_note(row: StaffRequest) -> bool:
        if viewer.staff_id is not None and viewer.staff_id in (
            row.staff_id,
            row.colleague_staff_id,
        ):
            return True
        if row.site_id not in deciders:
            deciders[row.site_id] = may_decide(session, viewer, row.site_id)
        return deciders[row.site_id]

    out = []
    for row in rows:
        note = ""
        if row.note_token and reads_note(row):
            note = decrypt(row.note_token)
            if viewer.staff_id != row.staff_id:
                # A note may carry health detail: another person's read of it is audited.
                _audit(session, viewer, "note_read", row)
        public = StaffRequestPublic.model_validate(
            row,
            update={
                "requester": names.get(row.staff_id, "?"),
                "colleague": names.get(row.colleague_staff_id or 0),
                "note": note,
            },
        )
        if public.leave_kind is not None and viewer.staff_id != row.staff_id:
            public = public.model_copy(
                update={"leave_kind": leave_kind_for_manager(row.leave_kind or "")}
            )
        out.append(public)
    return out


def _public(session: Session, row: StaffRequest, viewer: Actor) -> StaffRequestPublic:
    return _public_all(session, [row], viewer)[0]


def _audit(
    session: Session, actor: Actor, action: str, row: StaffRequest, detail: str = ""
) -> None:
    write_audit(
        session=session,
        actor=actor.username,
        action=f"request.{action}",
        target=f"request {row.id} ({row.kind}) of staff {row.staff_id}",
        detail=detail,
    )


def _open_leave_requests(session: Session, staff_id: int) -> list[StaffRequest]:
    return list(
        session.exec(
            select(StaffRequest).where(
                StaffRequest.staff_id == staff_id,
                StaffRequest.kind == RequestKind.LEAVE.value,
                StaffRequest.status == RequestStatus.PENDING.value,
            )
        )
    )


# ------------------------------------------------------------------------------ requester


def create_leave_request(
    *,
    session: Session,
    actor: Actor,
    first_day: date,
    last_day: date,
    leave_kind: str,
    note: str,
    today: date,
) -> StaffRequestPublic:
    """Raises pydantic.ValidationError naming the field: the last day before the first, days
    overlapping leave on the calendar or a pending leave request; ValueError for past days."""
    staff = _requester(session, actor)
    if first_day < today:
        raise ValueError(f"first_day: {first_day:%d %b %Y} is past; leave starts today or later")
    assert staff.id is not None
    others = [p.period() for p in get_staff(session=session, staff_id=staff.id).leave]
    others += [
        LeavePeriod(first_day=r.first_day, last_day=r.last_day or r.first_day)
        for r in _open_leave_requests(session, staff.id)
    ]
    request_in = LeaveRequestCreate.model_validate(
        {
            "site_id": staff.site_id,
            "staff_id": staff.id,
            "created_by": actor.username,
            "first_day": first_day,
            "last_day": last_day,
            "leave_kind": leave_kind,
            "note": note,
        },
        context={OTHER_LEAVE: others},
    )
    row = StaffRequest.model_validate(request_in.model_dump(exclude={"note"}))
    row.note_token = _sealed(request_in.note)
    session.add(row)
    session.flush()
    _audit(session, actor, "leave.create", row, f"{first_day}..{last_day}")
    return _public(session, row, actor)


def create_availability_request(
    *,
    session: Session,
    actor: Actor,
    from_day: date,
    windows: Sequence[DailyWindow],
    note: str,
    today: date,
) -> StaffRequestPublic:
    """Raises pydantic.ValidationError naming each window outside the site's opening hours;
    ValueError for a past date."""
    staff = _requester(session, actor)
    if from_day < today:
        raise ValueError(f"from: {from_day:%d %b %Y} is past; a change starts today or later")
    hours = get_site_profile(session=session, site_id=staff.site_id).opening_hours
    request_in = AvailabilityRequestCreate.model_validate(
        {
            "site_id": staff.site_id,
            "staff_id": staff.id,
            "created_by": actor.username,
            "first_day": from_day,
            "windows": list(windows),
            "note": note,
        },
        context={OPENING_HOURS: hours},
    )
    row = StaffRequest.model_validate(request_in.model_dump(mode="json", exclude={"note"}))
    row.note_token = _sealed(request_in.note)
    session.add(row)
    session.flush()
    _audit(session, actor, "availability.create", row, f"from {from_day}")
    return _public(session, row, actor)


def _published_for(session: Session, site_id: int, week_start: date) -> SavedRoster | None:
    return published_roster(session=session, site_id=site_id, week_start=week_start)


def offer_swap(
    *,
    session: Session,
    actor: Actor,
    shift_start: datetime,
    colleague_staff_id: int,
    note: str,
    now: datetime,
) -> StaffRequestPublic:
    """Offer one of my published shifts to a named colleague. Raises ValueError naming the
    field: a shift that is not mine in the published roster, one already started, a colleague
    who is not an active member of my site; ConflictError when the shift is already offered."""
    staff = _requester(session, actor)
    assert staff.id is not None
    tz = get_site_profile(session=session, site_id=staff.site_id).tz
    local_day = shift_start.astimezone(tz).date()
    saved = _published_for(session, staff.site_id, monday_of(local_day))
    shift = None if saved is None else find_shift(saved.solution, str(staff.id), shift_start)
    if saved is None or shift is None:
        raise ValueError(
            f"shift: {shift_start.astimezone(tz):%a %d %b %H:%M} is not one of your shifts in "
            "the published roster"
        )
    if shift.start <= now:
        raise ValueError(
            f"shift: {shift.start.astimezone(tz):%a %d %b %H:%M} has already started; only "
            "shifts still to come can be swapped"
        )
    colleague = session.get(Staff, colleague_staff_id)
    if colleague is None or colleague.site_id != staff.site_id or not colleague.active:
        raise ValueError("colleague: choose an active colleague at your site")
    clash = session.exec(
        select(StaffRequest.id).where(
            StaffRequest.staff_id == staff.id,
            StaffRequest.kind == RequestKind.SWAP.value,
            StaffRequest.shift_start_utc == shift.start,
            col(StaffRequest.status).in_(
                [RequestStatus.PENDING.value, RequestStatus.ACCEPTED.value]
            ),
        )
    ).first()
    if clash is not None:
        raise ConflictError(
            "shift: you have already offered this shift; withdraw that offer to offer it again"
        )
    request_in = SwapOfferCreate(
        site_id=staff.site_id,
        staff_id=staff.id,
        created_by=actor.username,
        first_day=local_day,
        roster_id=saved.roster.id,
        shift_start_utc=shift.start,
        shift_end_utc=shift.end,
        colleague_staff_id=colleague_staff_id,
        note=note,
    )
    row = StaffRequest.model_validate(request_in.model_dump(exclude={"note"}))
    row.note_token = _sealed(request_in.note)
    session.add(row)
    session.flush()
    _audit(session, actor, "swap.offer", row, f"to staff {colleague_staff_id}")
    return _public(session, row, actor)


def withdraw_request(*, session: Session, actor: Actor, request_id: int) -> StaffRequestPublic:
    row = _locked(session, request_id)
    if actor.staff_id is None or row.staff_id != actor.staff_id:
        raise PermissionError("Only the person who made a request can withdraw it.")
    status = RequestStatus(row.status)
    if not may_withdraw(status):
        raise ConflictError(f"This request is already {status.value}; it cannot be withdrawn.")
    _apply(session, row, StaffRequestUpdate(status=RequestStatus.WITHDRAWN))
    _audit(session, actor, "withdraw", row)
    return _public(session, row, actor)


def _apply(session: Session, row: StaffRequest, change: StaffRequestUpdate) -> None:
    values = change.model_dump(exclude_unset=True, mode="json")
    row.sqlmodel_update(values)
    for field in ("colleague_answered_at", "decided_at"):
        moment = getattr(change, field)
        if moment is not None:
            setattr(row, field, moment)
    session.add(row)
    session.flush()


# ------------------------------------------------------------------------------ colleague


def answer_swap(
    *, session: Session, actor: Actor, request_id: int, accept: bool, now: datetime
) -> StaffRequestPublic:
    row = _locked(session, request_id)
    if actor.staff_id is None or row.colleague_staff_id != actor.staff_id:
        raise PermissionError("Only the colleague a swap is offered to can accept or decline it.")
    status = RequestStatus(row.status)
    if not may_answer(RequestKind(row.kind), status):
        raise ConflictError(f"This offer is already {status.value}.")
    if row.shift_start_utc is not None and row.shift_start_utc <= now:
        raise ConflictError("This shift has already started; the offer has lapsed.")
    new = RequestStatus.ACCEPTED if accept else RequestStatus.REFUSED
    _apply(session, row, StaffRequestUpdate(status=new, colleague_answered_at=now))
    _audit(session, actor, "swap.accept" if accept else "swap.refuse", row)
    return _public(session, row, actor)


# ------------------------------------------------------------------------------ manager


def decide_request(
    *,
    session: Session,
    actor: Actor,
    request_id: int,
    approve: bool,
    reason: str,
    now: datetime,
) -> StaffRequestPublic:
    """Approve or decline (a reason is required to decline). Raises ConflictError when the
    request was decided (or withdrawn) meanwhile, naming who decided it and when; approving
    writes the leave, the windows or the new roster version in the same transaction."""
    row = _locked(session, request_id)
    _require_decider(session, actor, row.site_id)
    kind, status = RequestKind(row.kind), RequestStatus(row.status)
    if not awaits_manager(kind, status):
        raise ConflictError(_why_not_open(session, row))
    decision = StaffRequestUpdate(
        status=RequestStatus.APPROVED if approve else RequestStatus.DECLINED,
        decided_by=actor.username,
        decided_at=now,
        decision_reason=reason.strip(),
    )
    if approve:
        if kind is RequestKind.LEAVE:
            _approve_leave(session, actor, row)
        elif kind is RequestKind.AVAILABILITY:
            decision = decision.model_copy(
                update={"previous_windows": _approve_availability(session, actor, row)}
            )
        else:
            decision = decision.model_copy(
                update={"new_roster_id": _approve_swap(session, actor, row)}
            )
    _apply(session, row, decision)
    _audit(session, actor, "approve" if approve else "decline", row, reason.strip())
    return _public(session, row, actor)


def _why_not_open(session: Session, row: StaffRequest) -> str:
    status = RequestStatus(row.status)
    if status in (RequestStatus.APPROVED, RequestStatus.DECLINED):
        tz = get_site_profile(session=session, site_id=row.site_id).tz
        when = f" at {row.decided_at.astimezone(tz):%H:%M on %d %b}" if row.decided_at else ""
        return f"This request was already {status.value} by {row.decided_by}{when}."
    if status is RequestStatus.WITHDRAWN:
        return "This request was withdrawn by the person who made it."
    if status is RequestStatus.PENDING:
        return "The colleague has not accepted this swap yet."
    return "The colleague declined this swap."


def _approve_leave(session: Session, actor: Actor, row: StaffRequest) -> None:
    assert row.last_day is not None
    add_leave(
        session=session,
        leave_in=StaffLeaveCreate(
            staff_id=row.staff_id,
            first_day=row.first_day,
            last_day=row.last_day,
            reason=calendar_reason(row.leave_kind or "leave"),
        ),
        actor=actor.username,
    )


def _approve_availability(session: Session, actor: Actor, row: StaffRequest) -> list[DailyWindow]:
    staff = get_staff(session=session, staff_id=row.staff_id)
    windows = [DailyWindow.model_validate(w) for w in row.windows]
    update_staff(
        session=session,
        staff_id=row.staff_id,
        staff_in=StaffUpdate(availability=windows),
        actor=actor.username,
    )
    return list(staff.availability)


def _approve_swap(session: Session, actor: Actor, row: StaffRequest) -> int:
    assert row.shift_start_utc is not None and row.colleague_staff_id is not None
    saved = _published_for(session, row.site_id, monday_of(row.first_day))
    if saved is None or find_shift(saved.solution, str(row.staff_id), row.shift_start_utc) is None:
        raise ConflictError(
            "The shift is no longer in the published roster (a newer version changed it); "
            "decline this swap and ask for a new one."
        )
    instance, solution = swapped_roster(
        saved.instance,
        saved.solution,
        staff_id=str(row.staff_id),
        start=row.shift_start_utc,
        colleague=str(row.colleague_staff_id),
    )
    draft = save_roster(
        session=session,
        site_id=row.site_id,
        instance=instance,
        solution=solution,
        actor=actor.username,
        forecast_run_id=saved.roster.forecast_run_id,
    )
    assert draft.id is not None
    publish_roster(session=session, roster_id=draft.id, actor=actor.username)
    return draft.id


# ------------------------------------------------------------------------------ reads


def my_requests(*, session: Session, actor: Actor) -> list[StaffRequestPublic]:
    """The requester's own requests, newest first, with every detail."""
    if actor.staff_id is None:
        return []
    rows = session.exec(
        select(StaffRequest)
        .where(StaffRequest.staff_id == actor.staff_id)
        .order_by(col(StaffRequest.created_at).desc(), col(StaffRequest.id).desc())
    ).all()
    return _public_all(session, rows, actor)


def offers_to_me(*, session: Session, actor: Actor) -> list[StaffRequestPublic]:
    """Swaps offered to the actor, newest first."""
    if actor.staff_id is None:
        return []
    rows = session.exec(
        select(StaffRequest)
        .where(StaffRequest.colleague_staff_id == actor.staff_id)
        .order_by(col(StaffRequest.created_at).desc(), col(StaffRequest.id).desc())
    ).all()
    return _public_all(session, rows, actor)


def site_requests(
    *, session: Session, actor: Actor, site_id: int, waiting_only: bool = True
) -> list[StaffRequestPublic]:
    """The site's requests for a manager: those waiting for a decision (oldest first), or all
    (newest first). Sickness reads as leave."""
    _require_decider(session, actor, site_id)
    query = select(StaffRequest).where(StaffRequest.site_id == site_id)
    if waiting_only:
        query = query.where(
            or_(
                (col(StaffRequest.kind) != RequestKind.SWAP.value)
                & (col(StaffRequest.status) == RequestStatus.PENDING.value),
                (col(StaffRequest.kind) == RequestKind.SWAP.value)
                & (col(StaffRequest.status) == RequestStatus.ACCEPTED.value),
            )
        ).order_by(col(StaffRequest.created_at), col(StaffRequest.id))
    else:
        query = query.order_by(col(StaffRequest.created_at).desc(), col(StaffRequest.id).desc())
    return _public_all(session, session.exec(query.limit(500)).all(), actor)


def _roster_to_check(session: Session, site_id: int, week_start: date) -> SavedRoster | None:
    published = _published_for(session, site_id, week_start)
    if published is not None:
        return published
    latest = list_rosters(session=session, site_id=site_id, week_start=week_start, limit=1)
    return load_roster(session=session, roster_id=latest[0].id) if latest else None


def _label(saved: SavedRoster) -> str:
    state = "published" if saved.roster.status == "published" else saved.roster.status
    return f"{state} version {saved.roster.version}"


def request_effect(*, session: Session, actor: Actor, request_id: int) -> list[WeekEffect]:
    """What approving the request would change, week by week (leave: each week it touches;
    swap: the week of the shift; an availability change: nothing until the next solve)."""
    row = session.get(StaffRequest, request_id)
    if row is None:
        raise NotFoundError(f"no request with id {request_id}")
    _require_decider(session, actor, row.site_id)
    kind = RequestKind(row.kind)
    if kind is RequestKind.AVAILABILITY:
        return []
    out: list[WeekEffect] = []
    if kind is RequestKind.LEAVE:
        last = row.last_day or row.first_day
        week = monday_of(row.first_day)
        while week <= last and len(out) < EFFECT_WEEKS_MAX:
            saved = _roster_to_check(session, row.site_id, week)
            effect = None
            if saved is not None:
                effect = leave_effect(
                    saved.instance,
                    saved.solution,
                    staff_id=str(row.staff_id),
                    first_day=row.first_day,
                    last_day=last,
                )
            out.append(
                WeekEffect(
                    week_start=week,
                    roster_label=None if saved is None else _label(saved),
                    effect=effect,
                )
            )
            week += timedelta(days=7)
        return out
    assert row.shift_start_utc is not None and row.colleague_staff_id is not None
    week = monday_of(row.first_day)
    saved = _published_for(session, row.site_id, week)
    if saved is None:
        return [WeekEffect(week_start=week, roster_label=None, effect=None)]
    effect = swap_effect(
        saved.instance,
        saved.solution,
        staff_id=str(row.staff_id),
        start=row.shift_start_utc,
        colleague=str(row.colleague_staff_id),
    )
    return [WeekEffect(week_start=week, roster_label=_label(saved), effect=effect)]


# ------------------------------------------------------------------------------ the roster


def availability_changes(*, session: Session, site_id: int) -> dict[str, list[AvailabilityChange]]:
    """Approved availability changes by staff id (as the roster names people)."""
    rows = session.exec(
        select(StaffRequest).where(
            StaffRequest.site_id == site_id,
            StaffRequest.kind == RequestKind.AVAILABILITY.value,
            StaffRequest.status == RequestStatus.APPROVED.value,
        )
    )
    out: dict[str, list[AvailabilityChange]] = defaultdict(list)
    for row in rows:
        out[str(row.staff_id)].append(
            AvailabilityChange(
                from_day=row.first_day,
                previous=tuple(DailyWindow.model_validate(w) for w in row.previous_windows),
            )
        )
    return out


def staff_for_week(*, session: Session, site_id: int, week_start: date) -> list[StaffMember]:
    """The site's active staff as a solve of the week sees them: leave included, and each
    approved availability change in force from its own date."""
    staff = list_staff(session=session, site_id=site_id)
    changes = availability_changes(session=session, site_id=site_id)
    if not changes:
        return staff
    hours = get_site_profile(session=session, site_id=site_id).opening_hours
    return [member_for_week(m, changes.get(m.id, []), week_start, hours) for m in staff]


def colleagues_of(*, session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The active people at the requester's site a shift can be offered to (id, name)."""
    staff = _requester(session, actor)
    rows = session.exec(
        select(Staff.id, Staff.display_name)
        .where(Staff.site_id == staff.site_id, col(Staff.active).is_(True), Staff.id != staff.id)
        .order_by(col(Staff.display_name))
    )
    return [(row_id, name) for row_id, name in rows if row_id is not None]
