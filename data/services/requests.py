"""What the request forms on My shift and the Requests page do: one function per user action
or read, each in its own transaction, taking the acting username (the account is read afresh,
so a changed role counts at once). The rules on who may do what live in data.requests_repo."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data.access import require_request_access, require_site_access
from data.db import session_scope
from data.models import StaffRequestPublic
from data.requests_repo import (
    WeekEffect,
    answer_swap,
    colleagues_of,
    create_availability_request,
    create_leave_request,
    decide_request,
    my_requests,
    offer_swap,
    offers_to_me,
    request_effect,
    site_requests,
    withdraw_request,
)
from data.rosters import published_roster
from data.sites import get_site_profile
from data.staff_repo import get_staff
from data.wellbeing import actor_for
from scheduling.domain import DailyWindow, monday_of
from scheduling.roster.schema import RosteredShift

# How far ahead My shift lists published shifts that can be offered.
SWAP_WEEKS_AHEAD = 4


class MyRequests(BaseModel):
    """My shift's request part: my requests (newest first), swaps offered to me, my published
    shifts still to come (what I can offer) and the colleagues I can offer them to."""

    model_config = ConfigDict(frozen=True)

    timezone: str
    today: date
    opening_hours: tuple[DailyWindow, ...]
    requests: tuple[StaffRequestPublic, ...]
    offers: tuple[StaffRequestPublic, ...]
    future_shifts: tuple[RosteredShift, ...]
    colleagues: tuple[tuple[int, str], ...]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class SiteRequests(BaseModel):
    model_config = ConfigDict(frozen=True)

    timezone: str
    requests: tuple[StaffRequestPublic, ...]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def my_requests_view(*, engine: Engine | None = None, username: str, now: datetime) -> MyRequests:
    with session_scope(engine) as session:
        actor = actor_for(session=session, username=username)
        if actor.staff_id is None:
            raise PermissionError("Your account is not linked to a staff record.")
        me = get_staff(session=session, staff_id=actor.staff_id)
        site = get_site_profile(session=session, site_id=me.site_id)
        today = now.astimezone(site.tz).date()
        shifts: list[RosteredShift] = []
        for n in range(SWAP_WEEKS_AHEAD):
            saved = published_roster(
                session=session,
                site_id=me.site_id,
                week_start=monday_of(today) + timedelta(days=7 * n),
            )
            if saved is None:
                continue
            for person in saved.solution.people:
                if person.staff_id == str(actor.staff_id):
                    shifts.extend(s for s in person.shifts if s.start > now)
        return MyRequests(
            timezone=site.timezone,
            today=today,
            opening_hours=site.opening_hours,
            requests=tuple(my_requests(session=session, actor=actor)),
            offers=tuple(offers_to_me(session=session, actor=actor)),
            future_shifts=tuple(sorted(shifts, key=lambda s: s.start)),
            colleagues=tuple(colleagues_of(session=session, actor=actor)),
        )


def _today(session_tz: ZoneInfo, now: datetime) -> date:
    return now.astimezone(session_tz).date()


def ask_for_leave(
    *,
    engine: Engine | None = None,
    username: str,
    first_day: date,
    last_day: date,
    leave_kind: str,
    note: str,
    now: datetime,
) -> StaffRequestPublic:
    """Raises pydantic.ValidationError or ValueError naming the field; nothing is saved then."""
    with session_scope(engine) as session:
        actor = actor_for(session=session, username=username)
        tz = _site_tz(session, actor.staff_id)
        return create_leave_request(
            session=session,
            actor=actor,
            first_day=first_day,
            last_day=last_day,
            leave_kind=leave_kind,
            note=note,
            today=_today(tz, now),
        )


def ask_for_availability(
    *,
    engine: Engine | None = None,
    username: str,
    from_day: date,
    windows: Sequence[DailyWindow],
    note: str,
    now: datetime,
) -> StaffRequestPublic:
    with session_scope(engine) as session:
        actor = actor_for(session=session, username=username)
        tz = _site_tz(session, actor.staff_id)
        return create_availability_request(
            session=session,
            actor=actor,
            from_day=from_day,
            windows=windows,
            note=note,
            today=_today(tz, now),
        )


def offer_my_shift(
    *,
    engine: Engine | None = None,
    username: str,
    shift_start: datetime,
    colleague_staff_id: int,
    note: str,
    now: datetime,
) -> StaffRequestPublic:
    with session_scope(engine) as session:
        actor = actor_for(session=session, username=username)
        return offer_swap(
            session=session,
            actor=actor,
            shift_start=shift_start,
            colleague_staff_id=colleague_staff_id,
            note=note,
            now=now,
        )


def withdraw_my_request(
    *, engine: Engine | None = None, username: str, request_id: int
) -> StaffRequestPublic:
    with session_scope(engine) as session:
        actor = actor_for(session=session, username=username)
        require_request_access(session, actor=username, request_id=request_id)
        return withdraw_request(session=session, actor=actor, request_id=request_id)


def answer_offer(
    *, engine: Engine | None = None, username: str, request_id: int, accept: bool, now: datetime
) -> StaffRequestPublic:
    with session_scope(engine) as session:
        actor = actor_for(session=session, username=username)
        require_request_access(session, actor=username, request_id=request_id)
        return answer_swap(
            session=session, actor=actor, request_id=request_id, accept=accept, now=now
        )


def requests_of_site(
    *, engine: Engine | None = None, username: str, site_id: int, waiting_only: bool = True
) -> SiteRequests:
    with session_scope(engine) as session:
        actor = actor_for(session=session, username=username)
        require_site_access(session, actor=username, site_id=site_id)
        requests = site_requests(
            session=session, actor=actor, site_id=site_id, waiting_only=waiting_only
        )
        site = get_site_profile(session=session, site_id=site_id)
        return SiteRequests(timezone=site.timezone, requests=tuple(requests))


def effect_of_request(
    *, engine: Engine | None = None, username: str, request_id: int
) -> list[WeekEffect]:
    with session_scope(engine) as session:
        actor = actor_for(session=session, username=username)
        require_request_access(session, actor=username, request_id=request_id)
        return request_effect(session=session, actor=actor, request_id=request_id)


def decide(
    *,
    engine: Engine | None = None,
    username: str,
    request_id: int,
    approve: bool,
    reason: str,
    now: datetime,
) -> StaffRequestPublic:
    """Raises ConflictError when someone decided it first (naming them), ValidationError when
    declining without a reason; nothing is written then."""
    with session_scope(engine) as session:
        actor = actor_for(session=session, username=username)
        require_request_access(session, actor=username, request_id=request_id)
        return decide_request(
            session=session,
            actor=actor,
            request_id=request_id,
            approve=approve,
            reason=reason,
            now=now,
        )


def _site_tz(session: Session, staff_id: int | None) -> ZoneInfo:
    if staff_id is None:
        raise PermissionError("Your account is not linked to a staff record.")
    me = get_staff(session=session, staff_id=staff_id)
    return get_site_profile(session=session, site_id=me.site_id).tz
