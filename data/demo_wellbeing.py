"""The demo helpline's wellbeing history: eight weeks of difficult-call logs that follow its
call history (every difficult call in the history logged by a counsellor working that day),
the current week so far at the same rate, debrief requests (two still open), and a quarterly
check-in from every staff member for this quarter and the last.

One counsellor, Usman Tariq, has carried the extortion cases: he took most of the difficult
calls of the last three weeks, worked every day of them, reports high distress and has two
debrief requests open (one overdue), so his load is "high". Deterministic from the seed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from pydantic import BaseModel, ConfigDict
from sqlmodel import Session

from data.crypto import encrypt
from data.models import (
    DIFFICULT_CALL_CATEGORIES,
    CheckinAnswer,
    CheckinAnswerCreate,
    DebriefRequest,
    DebriefRequestCreate,
    DifficultCall,
)
from scheduling.domain import CallIntervalRecord
from wellbeing.checkin import cbi, quarter_of, score_cbi

WEEKS = 8
HEAVY_DAYS = 21
HIGH_LOAD = "Usman Tariq"
SUPERVISOR = "Dr. Nadia Hussain (psychologist)"
DEMO_SUPERVISOR_ACCOUNT = "demo-supervisor"
# Two days off in a row each week (Monday = 0); part-timers work their availability.
DAYS_OFF: Mapping[str, tuple[int, ...]] = {
    "Ayesha Khan": (4, 5),
    "Bilal Ahmed": (5, 6),
    "Hina Malik": (6, 0),
    "Usman Tariq": (0, 1),
    "Sana Iqbal": (1, 2),
    "Farah Naqvi": (5, 6),
    "Zain Qureshi": (0, 1, 2, 3, 4),
    SUPERVISOR: (2, 3),
}
SHARE: Mapping[str, float] = {SUPERVISOR: 0.4, "Farah Naqvi": 0.6, "Zain Qureshi": 0.8}
NOTE = (
    "Demo note: the extortion case this morning stayed with me; the caller's sister called again."
)


class WellbeingSeedResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    difficult_calls: int
    debrief_requests: int
    open_debriefs: int
    checkins: int


def _works(name: str, day: date, minute: int, heavy_from: date) -> bool:
    if name == HIGH_LOAD and day >= heavy_from:
        return True
    if name == "Farah Naqvi" and minute < 13 * 60:
        return False
    return day.weekday() not in DAYS_OFF[name]


def _weight(name: str, day: date, heavy_from: date) -> float:
    if name == HIGH_LOAD and day >= heavy_from:
        return 10.0
    return SHARE.get(name, 1.0)


def _call_times(
    history: Sequence[CallIntervalRecord], first: datetime, rng: np.random.Generator
) -> list[datetime]:
    out: list[datetime] = []
    for record in history:
        if record.start_utc < first or not record.difficult:
            continue
        for _ in range(record.difficult):
            out.append(record.start_utc + timedelta(seconds=int(rng.integers(0, 30 * 60))))
    return out


def _later_times(
    history: Sequence[CallIntervalRecord],
    after: datetime,
    now: datetime,
    tz: ZoneInfo,
    rng: np.random.Generator,
) -> list[datetime]:
    """The days between the end of the call history and now, at the last four weeks' rate."""
    recent = [r for r in history if r.start_utc >= after - timedelta(days=28)]
    per_day = sum(r.difficult for r in recent) / 28
    out: list[datetime] = []
    day = after.astimezone(tz).date() + timedelta(days=1)  # the history's last day is whole
    while datetime.combine(day, time(9), tz) < now:
        for _ in range(max(1, int(rng.poisson(per_day)))):
            moment = datetime.combine(day, time(9), tz) + timedelta(
                seconds=int(rng.integers(0, 8 * 3600))
            )
            if moment < now - timedelta(minutes=40):
                out.append(moment.astimezone(UTC))
        day += timedelta(days=1)
    return out


def _checkin_answers(name: str, quarter_index: int, rng: np.random.Generator) -> dict[str, int]:
    """Option indexes (0 = "Always" / "To a very high degree"). Usman's are high."""
    centre = 1.0 if name == HIGH_LOAD and quarter_index == 1 else 2.4 if name == HIGH_LOAD else 2.8
    return {
        item.id: int(np.clip(round(rng.normal(4 - centre if item.reversed else centre, 0.8)), 0, 4))
        for item in cbi().items
    }


def seed_demo_wellbeing(
    *,
    session: Session,
    site_id: int,
    staff_ids: Mapping[str, int],
    history: Sequence[CallIntervalRecord],
    timezone: str,
    now: datetime,
    seed: int,
) -> WellbeingSeedResult:
    rng = np.random.default_rng(seed + 9)
    tz = ZoneInfo(timezone)
    history_end = max(r.start_utc for r in history) + timedelta(minutes=30)
    history_end_day = history_end.astimezone(tz).date()
    first = datetime.combine(
        history_end_day - timedelta(weeks=WEEKS) + timedelta(days=1), time(0), tz
    )
    heavy_from = now.astimezone(tz).date() - timedelta(days=HEAVY_DAYS)
    counsellors = [n for n in DAYS_OFF if n in staff_ids]

    times = _call_times(history, first, rng)
    times += _later_times(history, max(history_end, first), now, tz, rng)
    calls: list[DifficultCall] = []
    for moment in sorted(times):
        local = moment.astimezone(tz)
        minute = local.hour * 60 + local.minute
        on = [n for n in counsellors if _works(n, local.date(), minute, heavy_from)]
        if not on:
            continue
        weights = np.array([_weight(n, local.date(), heavy_from) for n in on])
        name = on[int(rng.choice(len(on), p=weights / weights.sum()))]
        heavy = name == HIGH_LOAD and local.date() >= heavy_from
        distress = (
            int(rng.integers(4, 6))
            if heavy
            else int(rng.integers(1, 4))
            if rng.random() < 0.6
            else None
        )
        category = (
            DIFFICULT_CALL_CATEGORIES[int(rng.integers(0, len(DIFFICULT_CALL_CATEGORIES)))]
            if rng.random() < 0.6
            else None
        )
        if heavy and category is not None:
            category = "sexual extortion"
        calls.append(
            DifficultCall(
                staff_id=staff_ids[name],
                site_id=site_id,
                at=moment,
                category=category,
                distress=distress,
            )
        )
    _every_heavy_day(calls, staff_ids[HIGH_LOAD], heavy_from, tz)
    session.add_all(calls)

    requests = _debriefs(site_id, staff_ids, counsellors, first, now, rng)
    session.add_all(requests)
    checkins = _checkins(site_id, staff_ids, now, tz, rng)
    session.add_all(checkins)
    session.flush()
    return WellbeingSeedResult(
        difficult_calls=len(calls),
        debrief_requests=len(requests),
        open_debriefs=sum(r.status == "open" for r in requests),
        checkins=len(checkins),
    )


def _every_heavy_day(
    calls: Sequence[DifficultCall], staff_id: int, heavy_from: date, tz: ZoneInfo
) -> None:
    """The high-load counsellor took a difficult call on every day of the heavy weeks that
    had one: the first of each day is theirs."""
    by_day: dict[date, list[DifficultCall]] = {}
    for call in calls:
        by_day.setdefault(call.at.astimezone(tz).date(), []).append(call)
    for day, day_calls in by_day.items():
        if day >= heavy_from and all(c.staff_id != staff_id for c in day_calls):
            first = min(day_calls, key=lambda c: c.at)
            first.staff_id = staff_id
            first.distress = 4
            first.category = "sexual extortion"


def _request(
    site_id: int, staff_id: int, asked: datetime, urgency: str, note: str | None = None
) -> DebriefRequest:
    request_in = DebriefRequestCreate(
        staff_id=staff_id,
        site_id=site_id,
        urgency=urgency,  # type: ignore[arg-type]
        requested_at=asked,
        deadline=asked + timedelta(hours=4 if urgency == "before_shift_end" else 24),
        note=note,
    )
    row = DebriefRequest.model_validate(request_in.model_dump(exclude={"note"}))
    row.note_token = encrypt(note) if note else None
    return row


def _debriefs(
    site_id: int,
    staff_ids: Mapping[str, int],
    counsellors: Sequence[str],
    first: datetime,
    now: datetime,
    rng: np.random.Generator,
) -> list[DebriefRequest]:
    """About one request a week, done by the supervisor (one of them late), and two open."""
    out: list[DebriefRequest] = []
    week = first + timedelta(days=2, hours=6)
    while week < now - timedelta(days=3):
        name = counsellors[int(rng.integers(0, len(counsellors) - 1))]
        asked = week + timedelta(hours=int(rng.integers(0, 48)))
        row = _request(site_id, staff_ids[name], asked, "within_24h")
        row.status = "done"
        row.done_by = DEMO_SUPERVISOR_ACCOUNT
        late = len(out) == 3
        row.done_at = asked + timedelta(hours=30 if late else int(rng.integers(2, 20)))
        out.append(row)
        week += timedelta(days=7)
    usman = staff_ids[HIGH_LOAD]
    out.append(_request(site_id, usman, now - timedelta(hours=27), "within_24h", NOTE))
    out.append(_request(site_id, usman, now - timedelta(minutes=50), "before_shift_end"))
    return out


def _checkins(
    site_id: int,
    staff_ids: Mapping[str, int],
    now: datetime,
    tz: ZoneInfo,
    rng: np.random.Generator,
) -> list[CheckinAnswer]:
    """Every staff member last quarter and this quarter, except the demo counsellor this
    quarter (so demo-staff finds the check-in to answer)."""
    today = now.astimezone(tz).date()
    this_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_start = (this_start - timedelta(days=1)).replace(day=1)
    last_start = date(last_start.year, 3 * ((last_start.month - 1) // 3) + 1, 1)
    out: list[CheckinAnswer] = []
    for name, staff_id in staff_ids.items():
        for index, start in enumerate((last_start, this_start)):
            if index == 1 and name == "Bilal Ahmed":
                continue
            answered = datetime.combine(start + timedelta(days=20), time(10), tz)
            if answered > now:
                answered = now - timedelta(hours=1)
            answers = _checkin_answers(name, index, rng)
            checkin_in = CheckinAnswerCreate(
                staff_id=staff_id,
                site_id=site_id,
                quarter=quarter_of(start),
                answered_at=answered,
                answers=answers,
                **score_cbi(answers).model_dump(),
            )
            out.append(CheckinAnswer.model_validate(checkin_in))
    return out


def publish_demo_week(
    *, session: Session, site_id: int, now: datetime, time_limit: float = 8.0
) -> int:
    """Forecast, roster (with the wellbeing caps and debriefs) and publish the current week, so
    My shift lists shifts and Today has a roster to re-check on first run. Returns the roster
    id. A short solve: the demo needs a sound roster, not the best one."""
    from data.planning import instance_for_week, roster_inputs_for_week, save_fresh_forecast
    from data.rosters import publish_roster, save_roster
    from data.wellbeing_load import with_wellbeing
    from scheduling.domain import Role, monday_of
    from scheduling.roster.solve import solve
    from wellbeing.privacy import Actor

    tz = ZoneInfo(_site_timezone(session, site_id))
    week = monday_of(now.astimezone(tz).date())
    save_fresh_forecast(session=session, site_id=site_id, week_start=week, actor="demo-seed")
    inputs = roster_inputs_for_week(session=session, site_id=site_id, week_start=week, now=now)
    inputs = with_wellbeing(
        session=session, actor=Actor("demo-seed", Role.MANAGER), inputs=inputs, now=now
    )
    instance = instance_for_week(inputs=inputs, pin_before=None)
    solution = solve(instance, time_limit=time_limit, workers=2)
    roster = save_roster(
        session=session,
        site_id=site_id,
        instance=instance,
        solution=solution,
        actor="demo-seed",
        forecast_run_id=inputs.forecast_run_id,
    )
    publish_roster(session=session, roster_id=roster.id, actor="demo-seed")
    return roster.id


def _site_timezone(session: Session, site_id: int) -> str:
    from data.sites import get_site

    site = get_site(session=session, site_id=site_id)
    if site is None:
        raise LookupError(f"no site with id {site_id}")
    return site.timezone
