"""Load per person, what the roster takes from it, and the team aggregates leadership sees.

The score itself is wellbeing.load's (pure); here its inputs are read from the database:
difficult calls and reported distress, line minutes from the published rosters, days worked
(a published shift, or a logged call), and open debrief requests. Access as in
wellbeing.privacy: a person sees their own score and parts; a manager only the lowered cap
and the reason "wellbeing"; leadership only counts and medians over at least 5 people.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, func, select

from data.audit import write_audit
from data.call_history import weekly_totals
from data.errors import NotFoundError
from data.models import CheckinAnswer, DebriefRequest, DifficultCall, Staff
from data.planning import RosterInputs
from data.settings import settings as installation_settings
from data.wellbeing import (
    as_utc,
    audit_read,
    debrief_slots_needed,
    published_shifts_by_staff,
    require_access,
    site_zone,
)
from scheduling.domain import Skill, monday_of
from scheduling.roster.pinning import week_bounds
from scheduling.roster.schema import Activity
from scheduling.roster.schema import DebriefRequest as RosterDebriefRequest
from wellbeing.checkin import SUBSCALES, CbiScores, median_scores
from wellbeing.load import (
    DifficultCall as LoggedCall,
)
from wellbeing.load import (
    LoadHistory,
    LoadScore,
    LoadSettings,
    RosterWellbeing,
    load_score,
    roster_wellbeing,
)
from wellbeing.privacy import TOO_FEW_PEOPLE, Actor, WellbeingData, enough_people

LOAD_DAYS = 28


class WeekAggregate(BaseModel):
    model_config = ConfigDict(frozen=True)

    week_start: date
    difficult_calls: int
    counsellor_hours: float
    hours_from: str  # "roster" (published line hours) or "call history" (hours on calls)
    calls_per_counsellor_hour: float | None
    debriefs_asked: int
    debriefs_done: int
    debriefs_overdue: int


class TeamWellbeing(BaseModel):
    """Aggregates only. A part over fewer than 5 people carries `TOO_FEW_PEOPLE` instead."""

    model_config = ConfigDict(frozen=True)

    people: int
    weeks: tuple[WeekAggregate, ...] = ()
    weeks_message: str | None = None
    load_bands: dict[str, int] | None = None
    load_message: str | None = None
    cbi_quarter: str | None = None
    cbi_people: int = 0
    cbi_medians: CbiScores | None = None
    cbi_at_or_above_threshold: dict[str, int] | None = None
    cbi_message: str | None = None


def _site_staff(session: Session, site_id: int) -> list[Staff]:
    rows = session.exec(
        select(Staff).where(Staff.site_id == site_id, col(Staff.active).is_(True))
    ).all()
    return [s for s in rows if Skill.COUNSELLOR.value in s.skills]


def _histories(
    session: Session, site_id: int, staff_ids: Sequence[int], now: datetime
) -> tuple[dict[int, LoadHistory], date]:
    zone = site_zone(session, site_id)
    today = now.astimezone(zone).date()
    since = datetime.combine(today - timedelta(days=LOAD_DAYS - 1), time(0), zone)
    calls: dict[int, list[LoggedCall]] = {s: [] for s in staff_ids}
    worked: dict[int, set[date]] = {s: set() for s in staff_ids}
    for staff_id, at, distress in session.exec(
        select(DifficultCall.staff_id, DifficultCall.at, DifficultCall.distress).where(
            DifficultCall.site_id == site_id,
            DifficultCall.at >= since,
            DifficultCall.at <= now,
            col(DifficultCall.staff_id).in_(staff_ids),
        )
    ):
        at = as_utc(at)
        calls[staff_id].append(LoggedCall(at=at, distress=distress))
        worked[staff_id].add(at.astimezone(zone).date())
    line: dict[int, dict[date, int]] = {s: {} for s in staff_ids}
    day = today - timedelta(days=LOAD_DAYS - 1)
    seen_weeks: set[date] = set()
    while day <= today:
        week = monday_of(day)
        if week not in seen_weeks:
            seen_weeks.add(week)
            around = datetime.combine(week + timedelta(days=3), time(12), zone)
            for staff_id, shifts in published_shifts_by_staff(session, site_id, around).items():
                if staff_id not in line:
                    continue
                for shift in shifts:
                    if shift.start >= now or shift.start < since:
                        continue
                    worked[staff_id].add(shift.start.astimezone(zone).date())
                    for a in shift.activities:
                        if a.activity is Activity.LINE and a.start < now:
                            minutes = int((min(a.end, now) - a.start).total_seconds() // 60)
                            local = a.start.astimezone(zone).date()
                            line[staff_id][local] = line[staff_id].get(local, 0) + minutes
        day += timedelta(days=1)
    open_debriefs = dict(
        session.exec(
            select(DebriefRequest.staff_id, func.count())
            .where(DebriefRequest.status == "open", col(DebriefRequest.staff_id).in_(staff_ids))
            .group_by(col(DebriefRequest.staff_id))
        ).all()
    )
    histories = {
        s: LoadHistory(
            staff_id=str(s),
            difficult_calls=tuple(calls[s]),
            line_minutes_by_day=line[s],
            worked_days=frozenset(worked[s]),
            open_debriefs=int(open_debriefs.get(s, 0)),
        )
        for s in staff_ids
    }
    return histories, today


def _scores(
    session: Session,
    site_id: int,
    staff_ids: Sequence[int],
    now: datetime,
    settings: LoadSettings | None,
) -> list[LoadScore]:
    histories, today = _histories(session, site_id, staff_ids, now)
    zone = site_zone(session, site_id)
    settings = settings or installation_load_settings()
    return [load_score(h, today, zone, settings) for h in histories.values()]


def installation_load_settings() -> LoadSettings:
    """The load bands' thresholds and the cap "high" sets, as this installation's settings
    give them."""
    given = installation_settings()
    return LoadSettings(
        watch_from=given.load_watch_from,
        high_from=given.load_high_from,
        high_line_cap_minutes_week=given.load_high_line_cap_hours * 60,
    )


def load_of(
    *,
    session: Session,
    actor: Actor,
    staff_id: int,
    now: datetime,
    settings: LoadSettings | None = None,
) -> LoadScore:
    """A person's score, band and parts: only the person may read them."""
    require_access(session, actor, WellbeingData.LOAD, staff_id)
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise NotFoundError(f"no staff record with id {staff_id}")
    return _scores(session, staff.site_id, [staff_id], now, settings)[0]


def line_caps_for_roster(
    *,
    session: Session,
    actor: Actor,
    site_id: int,
    now: datetime,
    settings: LoadSettings | None = None,
) -> tuple[RosterWellbeing, ...]:
    """Managers: whose weekly line cap the next roster lowers (reason "wellbeing") and who
    is to get an off-line day. Neither the score nor its parts leave this function."""
    require_access(session, actor, WellbeingData.LINE_CAP)
    settings = settings or installation_load_settings()
    staff = _site_staff(session, site_id)
    scores = _scores(session, site_id, [s.id or 0 for s in staff], now, settings)
    caps = {str(s.id): s.line_cap_minutes_week for s in staff}
    result = roster_wellbeing(scores, caps, settings)
    audit_read(session, actor, WellbeingData.LINE_CAP, [int(r.staff_id) for r in result])
    return result


def with_wellbeing(
    *,
    session: Session,
    actor: Actor,
    inputs: RosterInputs,
    now: datetime,
    settings: LoadSettings | None = None,
) -> RosterInputs:
    """The week's roster inputs with what wellbeing asks of it (managers): lowered line caps
    and off-line day wishes for people in "high", and a debrief slot for each open request.
    A request whose deadline falls before the week is placed as early in the week as it can
    be (by the end of its first day)."""
    caps = line_caps_for_roster(
        session=session, actor=actor, site_id=inputs.site_id, now=now, settings=settings
    )
    slots = debrief_slots_needed(session=session, actor=actor, site_id=inputs.site_id)
    week_start, _ = week_bounds(inputs.site, inputs.week_start)
    earliest = week_start + timedelta(days=1)
    requests = tuple(
        RosterDebriefRequest(
            request_id=str(slot.request_id),
            staff_id=str(slot.staff_id),
            deadline=max(slot.deadline, earliest),
            urgency=slot.urgency,
        )
        for slot in slots
    )
    return inputs.model_copy(update={"wellbeing": caps, "debrief_requests": requests})


def _week_aggregates(
    session: Session, site_id: int, staff_ids: Sequence[int], now: datetime, weeks: int
) -> list[WeekAggregate]:
    zone = site_zone(session, site_id)
    last_monday = monday_of(now.astimezone(zone).date())
    first_monday = last_monday - timedelta(weeks=weeks - 1)
    start = datetime.combine(first_monday, time(0), zone)
    calls: dict[date, int] = {}
    for at in session.exec(
        select(DifficultCall.at).where(
            DifficultCall.site_id == site_id, DifficultCall.at >= start, DifficultCall.at <= now
        )
    ):
        week = monday_of(as_utc(at).astimezone(zone).date())
        calls[week] = calls.get(week, 0) + 1
    asked: dict[date, int] = {}
    done: dict[date, int] = {}
    overdue: dict[date, int] = {}
    for requested_at, deadline, status, done_at in session.exec(
        select(
            DebriefRequest.requested_at,
            DebriefRequest.deadline,
            DebriefRequest.status,
            DebriefRequest.done_at,
        ).where(DebriefRequest.site_id == site_id, DebriefRequest.requested_at >= start)
    ):
        week = monday_of(as_utc(requested_at).astimezone(zone).date())
        asked[week] = asked.get(week, 0) + 1
        if status == "done":
            done[week] = done.get(week, 0) + 1
        finished = as_utc(done_at) if done_at is not None else now
        if finished > as_utc(deadline):
            overdue[week] = overdue.get(week, 0) + 1
    handled = {
        t.week_start: t.handle_seconds / 3600
        for t in weekly_totals(session=session, site_id=site_id, weeks=weeks, through=last_monday)
    }
    out: list[WeekAggregate] = []
    for n in range(weeks):
        week = first_monday + timedelta(weeks=n)
        around = datetime.combine(week + timedelta(days=3), time(12), zone)
        rostered = sum(
            (min(a.end, now) - a.start).total_seconds() / 3600
            for staff_id, shifts in published_shifts_by_staff(session, site_id, around).items()
            if staff_id in staff_ids
            for s in shifts
            if monday_of(s.start.astimezone(zone).date()) == week
            for a in s.activities
            if a.activity is Activity.LINE and a.start < now
        )
        hours, source = (
            (rostered, "roster") if rostered > 0 else (handled.get(week, 0.0), "call history")
        )
        n_calls = calls.get(week, 0)
        out.append(
            WeekAggregate(
                week_start=week,
                difficult_calls=n_calls,
                counsellor_hours=round(hours, 1),
                hours_from=source,
                calls_per_counsellor_hour=round(n_calls / hours, 3) if hours > 0 else None,
                debriefs_asked=asked.get(week, 0),
                debriefs_done=done.get(week, 0),
                debriefs_overdue=overdue.get(week, 0),
            )
        )
    return out


def team_wellbeing(
    *,
    session: Session,
    actor: Actor,
    site_id: int,
    now: datetime,
    weeks: int = 8,
    settings: LoadSettings | None = None,
) -> TeamWellbeing:
    """Leadership: aggregates over the site's counsellors, each part only over >= 5 people."""
    require_access(session, actor, WellbeingData.AGGREGATES)
    staff = _site_staff(session, site_id)
    ids = [s.id or 0 for s in staff]
    result: dict[str, object] = {"people": len(ids)}
    if enough_people(len(ids)):
        result["weeks"] = tuple(_week_aggregates(session, site_id, ids, now, weeks))
        scores = _scores(session, site_id, ids, now, settings)
        result["load_bands"] = {
            band: sum(s.band == band for s in scores) for band in ("normal", "watch", "high")
        }
    else:
        result["weeks_message"] = result["load_message"] = TOO_FEW_PEOPLE
    latest = session.exec(
        select(CheckinAnswer.quarter)
        .where(CheckinAnswer.site_id == site_id)
        .order_by(col(CheckinAnswer.quarter).desc())
    ).first()
    if latest is not None:
        rows = session.exec(
            select(CheckinAnswer).where(
                CheckinAnswer.site_id == site_id, CheckinAnswer.quarter == latest
            )
        ).all()
        cbi = [CbiScores(personal=r.personal, work=r.work, client=r.client) for r in rows]
        result["cbi_quarter"] = latest
        result["cbi_people"] = len(cbi)
        if enough_people(len(cbi)):
            result["cbi_medians"] = median_scores(cbi)
            result["cbi_at_or_above_threshold"] = {
                s: sum((v := c.of(s)) is not None and v >= 50 for c in cbi) for s in SUBSCALES
            }
        else:
            result["cbi_message"] = TOO_FEW_PEOPLE
    else:
        result["cbi_message"] = "No check-ins answered yet"
    write_audit(
        session=session,
        actor=actor.username,
        action="wellbeing.read",
        target=f"site {site_id}",
        detail=WellbeingData.AGGREGATES.value,
    )
    return TeamWellbeing.model_validate(result)
