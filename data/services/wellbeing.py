"""What the My shift, Debriefs and Team wellbeing pages do, one function per user action or
read: each opens and closes its own transaction, takes the acting username (the account is
read afresh each time, so a role changed or an account disabled since sign-in counts at once),
applies the data layer's access rules and audit, and returns domain or public objects. A
refused read raises wellbeing.privacy.AccessDenied (and is audited by the data layer)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict
from sqlalchemy.engine import Engine

from data import clock
from data.access import require_site_access, site_of_debrief
from data.db import session_scope
from data.errors import NotFoundError
from data.models import (
    CheckinAnswerPublic,
    DebriefRequestPublic,
    DifficultCallPublic,
    DifficultCallUpdate,
)
from data.retention import PurgeResult, purge_expired
from data.staff_repo import get_staff
from data.wellbeing import (
    actor_for,
    close_debrief,
    debrief_queue,
    describe_difficult_call,
    list_checkins,
    log_difficult_call,
    my_debrief_requests,
    my_off_queue_until,
    my_shifts,
    request_debrief,
    save_checkin,
    site_zone,
)
from data.wellbeing_load import TeamWellbeing, load_of, team_wellbeing
from scheduling.domain import monday_of
from scheduling.roster.schema import RosteredShift
from wellbeing.load import LoadScore
from wellbeing.privacy import Actor


class DebriefQueue(BaseModel):
    """The Debriefs page: the site's open requests, oldest deadline first, with their notes."""

    model_config = ConfigDict(frozen=True)

    timezone: str
    requests: tuple[DebriefRequestPublic, ...]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class MyWeek(BaseModel):
    """The lower half of My shift: my open debrief requests, my published shifts this week,
    my load (score, band and parts: mine only) and my check-ins, oldest quarter first."""

    model_config = ConfigDict(frozen=True)

    today: date  # in the site's timezone
    open_debriefs: tuple[DebriefRequestPublic, ...]
    shifts: tuple[RosteredShift, ...]
    load: LoadScore
    checkins: tuple[CheckinAnswerPublic, ...]


def signed_in_actor(*, engine: Engine | None = None, username: str) -> Actor:
    """The account as the database has it now. Raises AccessDenied when it is unknown or
    disabled."""
    with session_scope(engine) as session:
        return actor_for(session=session, username=username)


def purge_expired_wellbeing(
    *, engine: Engine | None = None, now: datetime | None = None
) -> PurgeResult:
    """Delete the wellbeing records older than the retention period (data.retention)."""
    with session_scope(engine) as session:
        return purge_expired(session=session, now=now or clock.now())


# ------------------------------------------------------------------------------ My shift


def my_timezone(*, engine: Engine | None = None, username: str) -> ZoneInfo:
    """The timezone of the site the person's staff record belongs to. Raises NotFoundError
    when the account has no staff record."""
    with session_scope(engine) as session:
        actor = actor_for(session=session, username=username)
        if actor.staff_id is None:
            raise NotFoundError(f"account {username!r} is not linked to a staff record")
        me = get_staff(session=session, staff_id=actor.staff_id)
        return site_zone(session, me.site_id)


def my_off_queue(*, engine: Engine | None = None, username: str, now: datetime) -> datetime | None:
    """Until when I am off the queue after a difficult call; None when I am on it."""
    with session_scope(engine) as session:
        actor = actor_for(session=session, username=username)
        return my_off_queue_until(session=session, actor=actor, now=now)


def log_my_difficult_call(
    *, engine: Engine | None = None, username: str, at: datetime
) -> DifficultCallPublic:
    """The one-tap log: nothing else is asked before it is saved."""
    with session_scope(engine) as session:
        actor = actor_for(session=session, username=username)
        return log_difficult_call(session=session, actor=actor, at=at)


def describe_my_difficult_call(
    *, engine: Engine | None = None, username: str, call_id: int, call_in: DifficultCallUpdate
) -> DifficultCallPublic:
    """The optional details added after the tap (category, distress)."""
    with session_scope(engine) as session:
        actor = actor_for(session=session, username=username)
        return describe_difficult_call(
            session=session, actor=actor, call_id=call_id, call_in=call_in
        )


def ask_for_debrief(
    *, engine: Engine | None = None, username: str, urgency: str, note: str | None, now: datetime
) -> DebriefRequestPublic:
    with session_scope(engine) as session:
        actor = actor_for(session=session, username=username)
        return request_debrief(session=session, actor=actor, urgency=urgency, note=note, now=now)


def my_week(*, engine: Engine | None = None, username: str, now: datetime) -> MyWeek:
    """What My shift shows below the forms, for the week (Monday to Sunday, in the site's
    timezone) holding `now`."""
    with session_scope(engine) as session:
        actor = actor_for(session=session, username=username)
        if actor.staff_id is None:
            raise NotFoundError(f"account {username!r} is not linked to a staff record")
        me = get_staff(session=session, staff_id=actor.staff_id)
        today = now.astimezone(site_zone(session, me.site_id)).date()
        return MyWeek(
            today=today,
            open_debriefs=tuple(
                r for r in my_debrief_requests(session=session, actor=actor) if r.status == "open"
            ),
            shifts=tuple(my_shifts(session=session, actor=actor, first_day=monday_of(today))),
            load=load_of(session=session, actor=actor, staff_id=actor.staff_id, now=now),
            checkins=tuple(list_checkins(session=session, actor=actor, staff_id=actor.staff_id)),
        )


def send_my_checkin(
    *, engine: Engine | None = None, username: str, answers: Mapping[str, int], now: datetime
) -> CheckinAnswerPublic:
    """Save this quarter's check-in. Raises ConflictError when it is already in."""
    with session_scope(engine) as session:
        actor = actor_for(session=session, username=username)
        return save_checkin(session=session, actor=actor, answers=dict(answers), now=now)


# ------------------------------------------------------------------------------ Debriefs


def open_debrief_queue(
    *, engine: Engine | None = None, username: str, site_id: int
) -> DebriefQueue:
    """Supervisors: the site's open debrief requests with their private notes (audited)."""
    with session_scope(engine) as session:
        require_site_access(session, actor=username, site_id=site_id)
        actor = actor_for(session=session, username=username)
        return DebriefQueue(
            timezone=site_zone(session, site_id).key,
            requests=tuple(debrief_queue(session=session, actor=actor, site_id=site_id)),
        )


def mark_debrief_done(
    *, engine: Engine | None = None, username: str, request_id: int, now: datetime
) -> DebriefRequestPublic:
    """Raises ConflictError when it is already done, NotFoundError when there is no such
    request."""
    with session_scope(engine) as session:
        site_id = site_of_debrief(session, request_id)
        require_site_access(session, actor=username, site_id=site_id)
        actor = actor_for(session=session, username=username)
        return close_debrief(session=session, actor=actor, request_id=request_id, now=now)


# ------------------------------------------------------------------------------ Team wellbeing


def team_wellbeing_view(
    *, engine: Engine | None = None, username: str, site_id: int, now: datetime
) -> TeamWellbeing:
    """Leadership: aggregates over the site's counsellors, each over at least 5 people."""
    with session_scope(engine) as session:
        require_site_access(session, actor=username, site_id=site_id)
        actor = actor_for(session=session, username=username)
        return team_wellbeing(session=session, actor=actor, site_id=site_id, now=now)
