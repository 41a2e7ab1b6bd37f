"""Wellbeing repositories: difficult-call logs, debrief requests, check-ins, and the narrow
views other roles get (off the queue until, line caps, debrief slots, team aggregates).

Every function takes the acting account (wellbeing.privacy.Actor) and applies the access
rules there before reading; a refused read raises AccessDenied and is audited; every read of
someone else's wellbeing data writes one audit row naming whose data was read. Private notes
are encrypted with data.crypto before they reach a row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, select

from data.audit import write_audit
from data.crypto import decrypt, encrypt, rotate
from data.errors import ConflictError, NotFoundError
from data.models import (
    Account,
    CheckinAnswer,
    CheckinAnswerCreate,
    CheckinAnswerPublic,
    DebriefRequest,
    DebriefRequestCreate,
    DebriefRequestPublic,
    DebriefRequestUpdate,
    DifficultCall,
    DifficultCallCreate,
    DifficultCallPublic,
    DifficultCallUpdate,
    Site,
    Staff,
    StaffRequest,
)
from data.models.wellbeing import Urgency
from data.rosters import published_roster
from data.sites import get_staffing_settings
from scheduling.domain import Role, monday_of
from scheduling.roster.schema import Activity, RosteredShift
from wellbeing.checkin import CbiScores, quarter_of, score_cbi
from wellbeing.decompression import DecompressionSettings, Span, off_queue_until
from wellbeing.privacy import (
    AccessDenied,
    Actor,
    WellbeingData,
    may_close_debrief,
    may_log_for_self,
    may_read,
)

DEBRIEF_WITHIN = timedelta(hours=24)


class OffQueuePerson(BaseModel):
    """What a manager sees: who, and until when. Never why."""

    model_config = ConfigDict(frozen=True)

    staff_id: int
    display_name: str
    until: datetime


class DebriefSlotNeeded(BaseModel):
    """What the roster needs to place a debrief: who and by when (no note, no reason)."""

    model_config = ConfigDict(frozen=True)

    request_id: int
    staff_id: int
    display_name: str
    deadline: datetime
    urgency: Urgency


# ------------------------------------------------------------------------------ actors, audit


def actor_for(*, session: Session, username: str) -> Actor:
    """The acting account as the database has it now (role and staff row), not as a page
    remembers it: a role changed or an account disabled since sign-in takes effect at once."""
    account = session.exec(select(Account).where(Account.username == username)).first()
    if account is None or account.disabled:
        raise AccessDenied(f"account {username!r} is unknown or disabled")
    return Actor(username=account.username, role=Role(account.role), staff_id=account.staff_id)


def _refuse(session: Session, actor: Actor, kind: WellbeingData, whose: str) -> AccessDenied:
    """The refusal, audited in a transaction of its own: the caller's rolls back."""
    with Session(session.get_bind()) as audit_session:
        write_audit(
            session=audit_session,
            actor=actor.username,
            action="wellbeing.denied",
            target=whose,
            detail=f"{actor.role.value} asked for {kind.value}",
        )
        audit_session.commit()
    return AccessDenied(f"a {actor.role.value} account may not read {whose} {kind.value}")


def require_access(
    session: Session, actor: Actor, kind: WellbeingData, subject_staff_id: int | None = None
) -> None:
    if not may_read(actor, kind, subject_staff_id):
        whose = "your own" if subject_staff_id == actor.staff_id else "other people's"
        raise _refuse(session, actor, kind, whose)


def audit_read(
    session: Session, actor: Actor, kind: WellbeingData, staff_ids: Iterable[int]
) -> None:
    others = sorted({s for s in staff_ids if s != actor.staff_id})
    if others:
        write_audit(
            session=session,
            actor=actor.username,
            action="wellbeing.read",
            target=("staff " + ",".join(map(str, others)))[:200],
            detail=kind.value,
        )


def _own_staff(session: Session, actor: Actor) -> Staff:
    if not may_log_for_self(actor):
        raise AccessDenied(
            f"a {actor.role.value} account without a staff record cannot log wellbeing data"
        )
    staff = session.get(Staff, actor.staff_id)
    if staff is None:
        raise NotFoundError(f"no staff record with id {actor.staff_id}")
    return staff


def as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def site_zone(session: Session, site_id: int) -> ZoneInfo:
    site = session.get(Site, site_id)
    if site is None:
        raise NotFoundError(f"no site with id {site_id}")
    return ZoneInfo(site.timezone)


# ---------------------------------------------------------------------------- difficult calls


def _call_public(row: DifficultCall) -> DifficultCallPublic:
    public = DifficultCallPublic.model_validate(row)
    return public.model_copy(update={"at": as_utc(public.at)})


def log_difficult_call(*, session: Session, actor: Actor, at: datetime) -> DifficultCallPublic:
    """One tap: the time only. Category and distress are asked afterwards."""
    staff = _own_staff(session, actor)
    call_in = DifficultCallCreate(staff_id=staff.id or 0, site_id=staff.site_id, at=at)
    row = DifficultCall.model_validate(call_in)
    session.add(row)
    session.flush()
    return _call_public(row)


def describe_difficult_call(
    *, session: Session, actor: Actor, call_id: int, call_in: DifficultCallUpdate
) -> DifficultCallPublic:
    """Add the optional category and distress to one's own logged call."""
    row = session.get(DifficultCall, call_id)
    if row is None or row.staff_id != actor.staff_id:
        raise NotFoundError(f"no difficult call {call_id} of yours")
    for field, value in call_in.model_dump(exclude_unset=True).items():
        setattr(row, field, value)
    session.add(row)
    session.flush()
    return _call_public(row)


def list_difficult_calls(
    *, session: Session, actor: Actor, staff_id: int, since: datetime | None = None
) -> list[DifficultCallPublic]:
    require_access(session, actor, WellbeingData.DIFFICULT_CALLS, staff_id)
    query = select(DifficultCall).where(DifficultCall.staff_id == staff_id)
    if since is not None:
        query = query.where(DifficultCall.at >= since)
    rows = [_call_public(r) for r in session.exec(query.order_by(col(DifficultCall.at)))]
    audit_read(session, actor, WellbeingData.DIFFICULT_CALLS, [staff_id] if rows else [])
    return rows


# ------------------------------------------------------------------ shifts and off the queue


def published_shifts_by_staff(
    session: Session, site_id: int, around: datetime
) -> dict[int, list[RosteredShift]]:
    """Published shifts of the weeks holding `around` and the day before, by staff row id."""
    zone = site_zone(session, site_id)
    weeks = {monday_of((around - timedelta(days=1)).astimezone(zone).date())}
    weeks.add(monday_of(around.astimezone(zone).date()))
    shifts: dict[int, list[RosteredShift]] = {}
    for week in sorted(weeks):
        saved = published_roster(session=session, site_id=site_id, week_start=week)
        if saved is None:
            continue
        for person in saved.solution.people:
            if person.hire_template or not person.staff_id.isdigit():
                continue
            shifts.setdefault(int(person.staff_id), []).extend(person.shifts)
    return shifts


def _spans(shifts: Sequence[RosteredShift]) -> tuple[list[Span], list[Span]]:
    spans = [Span(start=s.start, end=s.end) for s in shifts]
    breaks = [
        Span(start=a.start, end=a.end)
        for s in shifts
        for a in s.activities
        if a.activity is Activity.MEAL
    ]
    return spans, breaks


def decompression_settings(*, session: Session, site_id: int) -> DecompressionSettings:
    handle = get_staffing_settings(session=session, site_id=site_id).handle
    return DecompressionSettings.from_handle(handle)


def _off_queue(
    session: Session, site_id: int, staff_ids: Sequence[int] | None, now: datetime
) -> dict[int, datetime]:
    settings = decompression_settings(session=session, site_id=site_id)
    # A run of difficult calls lasts at most a shift: a day back is enough to see it.
    query = select(DifficultCall.staff_id, DifficultCall.at).where(
        DifficultCall.site_id == site_id,
        DifficultCall.at >= now - timedelta(hours=24),
        DifficultCall.at <= now,
    )
    if staff_ids is not None:
        query = query.where(col(DifficultCall.staff_id).in_(staff_ids))
    calls: dict[int, list[datetime]] = {}
    for staff_id, at in session.exec(query):
        calls.setdefault(staff_id, []).append(as_utc(at))
    if not calls:
        return {}
    shifts = published_shifts_by_staff(session, site_id, now)
    out: dict[int, datetime] = {}
    for staff_id, moments in calls.items():
        spans, breaks = _spans(shifts.get(staff_id, []))
        until = off_queue_until(moments, now, spans, breaks, settings)
        if until is not None:
            out[staff_id] = until
    return out


def my_off_queue_until(*, session: Session, actor: Actor, now: datetime) -> datetime | None:
    staff = _own_staff(session, actor)
    return _off_queue(session, staff.site_id, [staff.id or 0], now).get(staff.id or 0)


def off_queue_now(
    *, session: Session, actor: Actor, site_id: int, now: datetime
) -> list[OffQueuePerson]:
    """Who at the site is off the queue now and until when; no reason is ever returned."""
    require_access(session, actor, WellbeingData.OFF_QUEUE)
    until = _off_queue(session, site_id, None, now)
    names = staff_names(session, until)
    audit_read(session, actor, WellbeingData.OFF_QUEUE, until)
    return sorted(
        (
            OffQueuePerson(staff_id=s, display_name=names.get(s, f"staff {s}"), until=u)
            for s, u in until.items()
        ),
        key=lambda p: (p.until, p.display_name),
    )


def staff_names(session: Session, staff_ids: Iterable[int]) -> dict[int, str]:
    ids = list(staff_ids)
    if not ids:
        return {}
    rows = session.exec(select(Staff.id, Staff.display_name).where(col(Staff.id).in_(ids)))
    return {i: n for i, n in rows if i is not None}


def my_shifts(
    *, session: Session, actor: Actor, first_day: date, days: int = 7
) -> list[RosteredShift]:
    """The person's published shifts whose start falls in [first_day, first_day + days)."""
    staff = _own_staff(session, actor)
    zone = site_zone(session, staff.site_id)
    out: list[RosteredShift] = []
    week = monday_of(first_day)
    last = first_day + timedelta(days=days)
    while week < last:
        saved = published_roster(session=session, site_id=staff.site_id, week_start=week)
        if saved is not None:
            for person in saved.solution.people:
                if person.staff_id == str(staff.id):
                    out.extend(
                        s
                        for s in person.shifts
                        if first_day <= s.start.astimezone(zone).date() < last
                    )
        week += timedelta(days=7)
    return sorted(out, key=lambda s: s.start)


# ---------------------------------------------------------------------------- debrief requests


def _debrief_public(row: DebriefRequest, name: str, with_note: bool) -> DebriefRequestPublic:
    return DebriefRequestPublic(
        id=row.id or 0,
        staff_id=row.staff_id,
        site_id=row.site_id,
        display_name=name,
        urgency=row.urgency,  # type: ignore[arg-type]
        status=row.status,  # type: ignore[arg-type]
        requested_at=as_utc(row.requested_at),
        deadline=as_utc(row.deadline),
        done_by=row.done_by,
        done_at=as_utc(row.done_at) if row.done_at else None,
        note=decrypt(row.note_token) if with_note and row.note_token else None,
        has_note=row.note_token is not None,
    )


def debrief_deadline(urgency: str, requested_at: datetime, shift_end: datetime | None) -> datetime:
    """Before the shift ends (if on a shift) and never later than 24 h after asking."""
    latest = requested_at + DEBRIEF_WITHIN
    if urgency == "before_shift_end" and shift_end is not None and shift_end > requested_at:
        return min(shift_end, latest)
    return latest


def request_debrief(
    *, session: Session, actor: Actor, urgency: str, note: str | None, now: datetime
) -> DebriefRequestPublic:
    staff = _own_staff(session, actor)
    shift_end = next(
        (
            s.end
            for s in published_shifts_by_staff(session, staff.site_id, now).get(staff.id or 0, [])
            if s.start <= now < s.end
        ),
        None,
    )
    note = (note or "").strip() or None
    request_in = DebriefRequestCreate(
        staff_id=staff.id or 0,
        site_id=staff.site_id,
        urgency=urgency,  # type: ignore[arg-type]
        requested_at=now,
        deadline=debrief_deadline(urgency, now, shift_end),
        note=note,
    )
    row = DebriefRequest.model_validate(request_in.model_dump(exclude={"note"}))
    row.note_token = encrypt(note) if note else None
    session.add(row)
    session.flush()
    return _debrief_public(row, staff.display_name, with_note=True)


def my_debrief_requests(*, session: Session, actor: Actor) -> list[DebriefRequestPublic]:
    staff = _own_staff(session, actor)
    rows = session.exec(
        select(DebriefRequest)
        .where(DebriefRequest.staff_id == staff.id)
        .order_by(col(DebriefRequest.requested_at).desc())
    )
    return [_debrief_public(r, staff.display_name, with_note=True) for r in rows]


def debrief_queue(
    *, session: Session, actor: Actor, site_id: int, include_done: bool = False
) -> list[DebriefRequestPublic]:
    """Supervisors: the site's debrief requests, oldest deadline first, notes decrypted."""
    require_access(session, actor, WellbeingData.DEBRIEF_REQUESTS)
    with_notes = may_read(actor, WellbeingData.DEBRIEF_NOTES)
    query = select(DebriefRequest).where(DebriefRequest.site_id == site_id)
    if not include_done:
        query = query.where(DebriefRequest.status == "open")
    rows = list(session.exec(query.order_by(col(DebriefRequest.deadline))))
    names = staff_names(session, {r.staff_id for r in rows})
    kind = WellbeingData.DEBRIEF_NOTES if with_notes else WellbeingData.DEBRIEF_REQUESTS
    audit_read(session, actor, kind, [r.staff_id for r in rows])
    return [_debrief_public(r, names.get(r.staff_id, ""), with_notes) for r in rows]


def close_debrief(
    *, session: Session, actor: Actor, request_id: int, now: datetime
) -> DebriefRequestPublic:
    if not may_close_debrief(actor):
        raise _refuse(session, actor, WellbeingData.DEBRIEF_REQUESTS, "other people's")
    row = session.get(DebriefRequest, request_id)
    if row is None:
        raise NotFoundError(f"no debrief request {request_id}")
    if row.status != "open":
        raise ConflictError(f"debrief request {request_id} is already done")
    update = DebriefRequestUpdate(status="done", done_by=actor.username, done_at=now)
    for field, value in update.model_dump().items():
        setattr(row, field, value)
    session.add(row)
    session.flush()
    write_audit(
        session=session,
        actor=actor.username,
        action="wellbeing.debrief_done",
        target=f"debrief {request_id}",
    )
    return _debrief_public(row, staff_names(session, [row.staff_id]).get(row.staff_id, ""), False)


def debrief_slots_needed(
    *, session: Session, actor: Actor, site_id: int
) -> list[DebriefSlotNeeded]:
    """For the roster (managers): open requests as who and by when; no note."""
    require_access(session, actor, WellbeingData.DEBRIEF_SLOTS)
    rows = list(
        session.exec(
            select(DebriefRequest)
            .where(DebriefRequest.site_id == site_id, DebriefRequest.status == "open")
            .order_by(col(DebriefRequest.deadline))
        )
    )
    names = staff_names(session, {r.staff_id for r in rows})
    audit_read(session, actor, WellbeingData.DEBRIEF_SLOTS, [r.staff_id for r in rows])
    return [
        DebriefSlotNeeded(
            request_id=r.id or 0,
            staff_id=r.staff_id,
            display_name=names.get(r.staff_id, ""),
            deadline=as_utc(r.deadline),
            urgency=r.urgency,  # type: ignore[arg-type]
        )
        for r in rows
    ]


# --------------------------------------------------------------------------------- check-ins


def save_checkin(
    *, session: Session, actor: Actor, answers: dict[str, int], now: datetime
) -> CheckinAnswerPublic:
    """This quarter's Copenhagen Burnout Inventory; one per person per quarter."""
    staff = _own_staff(session, actor)
    quarter = quarter_of(now.astimezone(site_zone(session, staff.site_id)).date())
    clash = session.exec(
        select(CheckinAnswer.id).where(
            CheckinAnswer.staff_id == staff.id, CheckinAnswer.quarter == quarter
        )
    ).first()
    if clash is not None:
        raise ConflictError(f"you already answered the check-in for {quarter}")
    scores = score_cbi(answers)
    checkin_in = CheckinAnswerCreate(
        staff_id=staff.id or 0,
        site_id=staff.site_id,
        quarter=quarter,
        answered_at=now,
        answers=answers,
        **scores.model_dump(),
    )
    row = CheckinAnswer.model_validate(checkin_in)
    session.add(row)
    session.flush()
    return CheckinAnswerPublic.model_validate(row)


def list_checkins(*, session: Session, actor: Actor, staff_id: int) -> list[CheckinAnswerPublic]:
    """A person's check-ins, oldest first (the trend): only the person may read them."""
    require_access(session, actor, WellbeingData.CHECKINS, staff_id)
    rows = session.exec(
        select(CheckinAnswer)
        .where(CheckinAnswer.staff_id == staff_id)
        .order_by(col(CheckinAnswer.quarter))
    )
    return [CheckinAnswerPublic.model_validate(r) for r in rows]


def checkin_scores(row: CheckinAnswerPublic) -> CbiScores:
    return CbiScores(personal=row.personal, work=row.work, client=row.client)


def rotate_notes(*, session: Session, actor: str) -> int:
    """Re-encrypt every private note (debrief requests' and staff requests') with the newest
    key (after a new key was put first); once done, the old key can be dropped. All or nothing:
    one transaction."""
    rows: list[DebriefRequest | StaffRequest] = [
        *session.exec(select(DebriefRequest).where(col(DebriefRequest.note_token).is_not(None))),
        *session.exec(select(StaffRequest).where(col(StaffRequest.note_token).is_not(None))),
    ]
    for row in rows:
        row.note_token = rotate(row.note_token or "")
        session.add(row)
    session.flush()
    count = len(rows)
    write_audit(
        session=session, actor=actor, action="wellbeing.rotate_key", detail=f"{count} notes"
    )
    return count
