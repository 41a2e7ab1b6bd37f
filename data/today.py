"""Today, for managers: the coverage re-check of the rest of the day (wellbeing.intraday) from
the week's requirement, the published roster and who is off the queue now, and the re-plan of
the rest of today (scheduling.roster.replan) with what it would change, saved as a draft and
published only when the manager says so."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session

from data.planning import (
    RosterInputs,
    instance_for_week,
    roster_inputs_for_week,
)
from data.rosters import publish_roster, save_roster
from data.wellbeing import OffQueuePerson, off_queue_now, site_zone
from data.wellbeing_load import with_wellbeing
from scheduling.domain import Role, Skill, monday_of
from scheduling.roster.replan import Replan, replan_rest_of_day
from scheduling.roster.rules.rest_between_shifts import min_rest
from scheduling.roster.schema import Activity, PlannedShift, RosterInstance
from wellbeing.decompression import OffQueue
from wellbeing.intraday import (
    IntervalNeed,
    PersonToday,
    TodayCheck,
    needs_from_requirements,
    recheck_today,
)
from wellbeing.privacy import AccessDenied, Actor


class TodayView(BaseModel):
    """What the Today page shows. `problem` says, in a manager's words, what is missing."""

    model_config = ConfigDict(frozen=True)

    timezone: str
    now: datetime
    check: TodayCheck
    off_queue: tuple[OffQueuePerson, ...]
    names: dict[str, str]
    published: bool
    problem: str | None = None


def _line_minutes(shifts: list[PlannedShift], first: datetime, last: datetime) -> int:
    total = 0.0
    for shift in shifts:
        segments = shift.activities or ()
        for seg in segments:
            if seg.activity is Activity.LINE and seg.start < last and first < seg.end:
                total += (min(seg.end, last) - max(seg.start, first)).total_seconds() / 60
    return int(total)


def today_check(*, session: Session, actor: Actor, site_id: int, now: datetime) -> TodayView:
    """Re-check every interval of today not yet over. Who is off the queue comes from
    data.wellbeing.off_queue_now (managers only, audited, never a reason)."""
    off = off_queue_now(session=session, actor=actor, site_id=site_id, now=now)
    inputs = _week_inputs(session, site_id, now)
    tz = inputs.site.tz
    day = now.astimezone(tz).date()
    day_start = datetime.combine(day, time(0), tz)
    day_end = day_start + timedelta(days=1)
    floor = inputs.settings.floors.min_on_line
    problem = None
    if inputs.requirements is None:
        problem = (
            "No forecast is saved for this week, so only the floor of "
            f"{floor} on the line is checked."
        )
        needs = _floor_only(inputs, day_start, floor)
    else:
        needs = list(needs_from_requirements(inputs.requirements, day_start, day_end, floor))
    if inputs.published is None:
        problem = "No roster is published for this week: nobody is counted on the line."
    today_shifts = [s for s in inputs.published_shifts if s.start < day_end and day_start < s.end]
    week_start = datetime.combine(inputs.week_start, time(0), tz)
    people: list[PersonToday] = []
    for member in inputs.staff:
        if Skill.COUNSELLOR not in member.skills:
            continue
        mine = [s for s in inputs.published_shifts if s.staff_id == member.id]
        ended = [s.end for s in mine if s.end <= now]
        people.append(
            PersonToday(
                staff_id=member.id,
                display_name=member.display_name,
                line_minutes_left_today=max(
                    0, inputs.rules.line_max_minutes_day - _line_minutes(mine, day_start, day_end)
                ),
                line_minutes_left_week=max(
                    0,
                    min(member.line_cap_minutes_week, inputs.rules.line_max_minutes_week)
                    - _line_minutes(mine, week_start, week_start + timedelta(days=7)),
                ),
                available_from=(
                    max(ended) + timedelta(minutes=min_rest(inputs.rules)) if ended else None
                ),
            )
        )
    check = recheck_today(
        needs,
        today_shifts,
        [OffQueue(staff_id=str(p.staff_id), until=p.until) for p in off],
        now,
        people,
        display_tz=tz,
    )
    return TodayView(
        timezone=inputs.site.timezone,
        now=now,
        check=check,
        off_queue=tuple(off),
        names={m.id: m.display_name for m in inputs.staff},
        published=inputs.published is not None,
        problem=problem,
    )


def _week_inputs(session: Session, site_id: int, now: datetime) -> RosterInputs:
    week = monday_of(now.astimezone(site_zone(session, site_id)).date())
    return roster_inputs_for_week(session=session, site_id=site_id, week_start=week, now=now)


def _floor_only(inputs: RosterInputs, day_start: datetime, floor: int) -> list[IntervalNeed]:
    step = timedelta(minutes=inputs.site.interval_minutes)
    needs: list[IntervalNeed] = []
    window = inputs.site.hours_on(day_start.weekday())
    if window is None:
        return needs
    start = day_start + timedelta(minutes=window.start_minute)
    end = day_start + timedelta(minutes=window.end_minute)
    while start < end:
        needs.append(IntervalNeed(start=start, end=start + step, required=0, floor=floor))
        start += step
    return needs


class ReplanInputs(BaseModel):
    """What a re-plan of the rest of today solves: the week's instance with the published
    roster, who is off the queue until when, and the forecast the week was planned on."""

    model_config = ConfigDict(frozen=True)

    instance: RosterInstance
    off_queue: tuple[tuple[str, datetime], ...]
    forecast_run_id: int | None


def replan_inputs(*, session: Session, actor: Actor, site_id: int, now: datetime) -> ReplanInputs:
    """Read what a re-plan of the rest of today needs (who is off the queue: managers only,
    audited). Raises ValueError when no roster is published this week."""
    off = off_queue_now(session=session, actor=actor, site_id=site_id, now=now)
    inputs = _week_inputs(session, site_id, now)
    if inputs.published is None:
        raise ValueError("there is no published roster this week to re-plan")
    inputs = with_wellbeing(session=session, actor=actor, inputs=inputs, now=now)
    return ReplanInputs(
        instance=instance_for_week(inputs=inputs, pin_before=None),
        off_queue=tuple((str(p.staff_id), p.until) for p in off),
        forecast_run_id=inputs.forecast_run_id,
    )


def replan_today(
    *, session: Session, actor: Actor, site_id: int, now: datetime, time_limit: float = 10.0
) -> tuple[Replan, int]:
    """Re-plan the rest of today (everything before now pinned, people off the queue kept off
    the line) and save it as a draft version of the week. Returns the re-plan (with what it
    changes against the published roster) and the draft's roster id, to publish or leave."""
    prepared = replan_inputs(session=session, actor=actor, site_id=site_id, now=now)
    replan = replan_rest_of_day(
        prepared.instance, now, prepared.off_queue, time_limit=time_limit, workers=2
    )
    draft = save_roster(
        session=session,
        site_id=site_id,
        instance=prepared.instance,
        solution=replan.solution,
        actor=actor.username,
        forecast_run_id=prepared.forecast_run_id,
    )
    return replan, draft.id


def publish_replan(*, session: Session, actor: Actor, roster_id: int) -> None:
    if actor.role is not Role.MANAGER:
        raise AccessDenied(f"a {actor.role.value} account may not publish a roster")
    publish_roster(session=session, roster_id=roster_id, actor=actor.username)
