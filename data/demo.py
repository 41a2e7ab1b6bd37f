"""The demo helpline: a Lahore cyber-harassment helpline generated from a seed, and a second,
smaller centre in Islamabad (10:00-16:00, four counsellors) sharing the national number.

Modelled on the first user (see README.md): open 09:00-17:00 seven days, 30-minute
intervals, about ten staff, and 24 months of interval history: about 100 calls the first
month and 160 the second, ~3% a month growth after that, a weekday and time-of-day shape,
one surge month near 3x its year's monthly mean, ~30% difficult calls, talk ~20 min with
spread, and abandonment that rises with the load per counsellor on the line that day (an
Erlang C waiting probability with exponential patience). Counts are Poisson draws, so never
negative. Everything is deterministic from the seed and the last day.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np
from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, func, select

from data.access import set_memberships
from data.accounts import create_account
from data.audit import write_audit
from data.call_history import upsert_call_intervals
from data.demo_wellbeing import seed_demo_wellbeing
from data.models import (
    Account,
    AccountCreate,
    QueuePool,
    QueuePoolCreate,
    SiteCreate,
    SitePublic,
    StaffCreate,
    StaffLeaveCreate,
)
from data.sites import count_sites, create_site, save_staffing_settings, save_work_rules
from data.staff_repo import add_leave, create_staff
from scheduling.domain import (
    CallIntervalRecord,
    DailyWindow,
    Employment,
    Floors,
    LeavePeriod,
    Role,
    SiteProfile,
    Skill,
    SpecialistCover,
    StaffingSettings,
    StaffMember,
)
from scheduling.history import write_call_history_csv
from scheduling.roster.work_rules import WorkRules

DEMO_SEED = 20161201
SAMPLE_LAST_DAY = date(2026, 11, 22)  # a Sunday: the committed samples never change
SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
DEMO_ACTOR = "demo-seed"

SITE_NAME = "Demo: Lahore cyber-harassment helpline"
TIMEZONE = "Asia/Karachi"
INTERVAL_MINUTES: Literal[15, 30] = 30
OPEN_FROM, OPEN_TO = 9 * 60, 17 * 60
HISTORY_MONTHS = 24

FIRST_MONTH_CALLS = 100.0
SECOND_MONTH_CALLS = 160.0
MONTHLY_GROWTH = 0.03
SURGE_MONTH = 19  # counted from 0 at the first month of history
SURGE_FACTOR = 3.6  # x the month's trend: about 3x the mean month of its year
DIFFICULT_SHARE = 0.30
TALK_MEAN_S, TALK_CV = 20 * 60, 0.4
WRAPUP_MEAN_S = 5 * 60
EFFECTIVE_HANDLE_S = 20 * 60 + 5 * 60 + DIFFICULT_SHARE * 10 * 60
PATIENCE_S = 120.0
HANG_UP_AT_ONCE = 0.02  # some callers hang up before anyone could answer
SHORT_STAFFED_DAY = 0.08
# The second centre: smaller, open 10:00-16:00, sharing the national number with Lahore.
ISB_SITE_NAME = "Demo: Islamabad cyber-harassment helpline"
ISB_OPEN_FROM, ISB_OPEN_TO = 10 * 60, 16 * 60
ISB_VOLUME = 0.3  # of Lahore's calls per open interval
ISB_SEED_OFFSET = 1
NATIONAL_NUMBER = "National cyber-harassment helpline"
# Calls by weekday, Monday first (Friday prayers and weekends are quieter).
WEEKDAY_WEIGHT = (1.15, 1.10, 1.05, 1.00, 0.85, 0.90, 0.95)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    staff_name: str | None  # the Staff row the account belongs to, if any
    centre: str = SITE_NAME  # the centre it is a member of (leadership and admin see all)


@dataclass(frozen=True)
class _StaffSpec:
    name: str
    skills: tuple[Skill, ...]
    languages: tuple[str, ...]
    employment: Employment
    contract_hours: tuple[int, int]
    line_cap_hours: int
    availability: tuple[DailyWindow, ...] = ()


def _days(days: range | tuple[int, ...], start: int, end: int) -> tuple[DailyWindow, ...]:
    return tuple(DailyWindow(weekday=d, start_minute=start, end_minute=end) for d in days)


C, S, L, D = Skill.COUNSELLOR, Skill.SUPERVISOR, Skill.LAWYER, Skill.DIGITAL_SECURITY
FT, PT = Employment.FULL_TIME, Employment.PART_TIME
STAFF_SPECS: tuple[_StaffSpec, ...] = (
    # A senior counsellor is the second clinical supervisor: one person cannot cover
    # debriefs seven days a week within the work rules.
    _StaffSpec("Ayesha Khan", (C, S), ("ur", "en", "pa"), FT, (35, 40), 24),
    _StaffSpec("Bilal Ahmed", (C,), ("ur", "pa"), FT, (35, 40), 30),
    _StaffSpec("Hina Malik", (C,), ("ur", "en"), FT, (35, 40), 30),
    _StaffSpec("Usman Tariq", (C,), ("ur", "en", "pa"), FT, (35, 40), 30),
    _StaffSpec("Sana Iqbal", (C,), ("ur", "en"), FT, (35, 40), 30),
    _StaffSpec("Farah Naqvi", (C,), ("ur", "en"), PT, (16, 20), 15, _days(range(5), 780, 1020)),
    _StaffSpec("Zain Qureshi", (C,), ("ur", "pa"), PT, (12, 16), 12, _days((5, 6), 540, 1020)),
    _StaffSpec("Dr. Nadia Hussain (psychologist)", (C, S), ("ur", "en"), FT, (35, 40), 15),
    _StaffSpec("Kamran Javed (lawyer)", (L,), ("ur", "en"), FT, (35, 40), 0),
    _StaffSpec("Mehwish Raza (digital security)", (D,), ("ur", "en"), FT, (35, 40), 0),
)
ISB_STAFF_SPECS: tuple[_StaffSpec, ...] = (
    # Two can run a debrief, so that one is on shift every open day within the work rules.
    _StaffSpec("Rabia Siddiqui", (C, S), ("ur", "en"), FT, (30, 36), 24),
    _StaffSpec("Omar Farooq", (C,), ("ur", "en", "ps"), FT, (30, 36), 24),
    _StaffSpec("Saima Gul", (C, S), ("ur", "ps"), FT, (30, 36), 24),
    _StaffSpec("Danish Abbasi", (C,), ("ur", "en"), PT, (16, 24), 18),
)
LEAVE_STAFF = "Hina Malik"  # on leave Tuesday-Thursday, the week after next

DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("demo-staff", "staff-demo-pass", Role.STAFF, "Bilal Ahmed"),
    DemoAccount("demo-supervisor", "supervisor-demo-pass", Role.SUPERVISOR, STAFF_SPECS[7].name),
    DemoAccount("demo-manager", "manager-demo-pass", Role.MANAGER, None),
    DemoAccount("demo-manager-isb", "manager-isb-demo-pass", Role.MANAGER, None, ISB_SITE_NAME),
    DemoAccount("demo-leadership", "leadership-demo-pass", Role.LEADERSHIP, None),
    DemoAccount("demo-admin", "admin-demo-pass", Role.ADMIN, None),
)


class DemoSeedResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    seeded: bool
    message: str
    site_id: int | None = None
    # every demo centre, Lahore first
    centre_ids: tuple[int, ...] = ()
    staff: int = 0
    intervals: int = 0
    calls: int = 0
    accounts: int = 0


# ------------------------------------------------------------------------------- the helpline


def sunday_before(day: date) -> date:
    """The last Sunday strictly before `day`."""
    return day - timedelta(days=(day.weekday() + 1) % 7 or 7)


def demo_profile() -> SiteProfile:
    return SiteProfile(
        name=SITE_NAME,
        timezone=TIMEZONE,
        interval_minutes=INTERVAL_MINUTES,
        opening_hours=_days(range(7), OPEN_FROM, OPEN_TO),
    )


def islamabad_profile() -> SiteProfile:
    return SiteProfile(
        name=ISB_SITE_NAME,
        timezone=TIMEZONE,
        interval_minutes=INTERVAL_MINUTES,
        opening_hours=_days(range(7), ISB_OPEN_FROM, ISB_OPEN_TO),
    )


def islamabad_staffing_settings() -> StaffingSettings:
    # No lawyer or digital-security specialist of its own: Lahore's cover the network.
    return StaffingSettings(floors=Floors(languages_required=("ur",)))


def demo_staffing_settings() -> StaffingSettings:
    cover = (
        *(
            SpecialistCover(skill=L, window=w)
            for w in _days(range(5), 11 * 60, 15 * 60)  # weekdays 11:00-15:00
        ),
        *(
            SpecialistCover(skill=D, window=w)
            for w in _days((1, 3), 10 * 60, 14 * 60)  # Tuesday and Thursday 10:00-14:00
        ),
    )
    return StaffingSettings(floors=Floors(specialist_cover=cover, languages_required=("ur",)))


def demo_work_rules() -> WorkRules:
    return WorkRules()


def _leave_for(last_day: date) -> LeavePeriod:
    next_monday = last_day + timedelta(days=7 - last_day.weekday())
    tuesday = next_monday + timedelta(days=8)  # the week after next: the one being rostered
    return LeavePeriod(first_day=tuesday, last_day=tuesday + timedelta(days=2), reason="leave")


def demo_staff(last_day: date = SAMPLE_LAST_DAY) -> list[StaffMember]:
    """The demo staff as domain objects; ids 1..n in the order a fresh database gives them."""
    return [
        StaffMember(
            id=str(number),
            display_name=spec.name,
            skills=frozenset(spec.skills),
            languages=spec.languages,
            employment=spec.employment,
            contract_minutes_min=spec.contract_hours[0] * 60,
            contract_minutes_max=spec.contract_hours[1] * 60,
            line_cap_minutes_week=spec.line_cap_hours * 60,
            availability=spec.availability,
            leave=(_leave_for(last_day),) if spec.name == LEAVE_STAFF else (),
        )
        for number, spec in enumerate(STAFF_SPECS, start=1)
    ]


# ---------------------------------------------------------------------------- call history


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def history_start(last_day: date) -> date:
    return _add_months(last_day + timedelta(days=1), -HISTORY_MONTHS)


def month_starts(last_day: date) -> list[date]:
    """First day of each of the history's months (month 0 is the first), plus the end."""
    first = history_start(last_day)
    return [_add_months(first, m) for m in range(HISTORY_MONTHS)] + [last_day + timedelta(days=1)]


def monthly_target(month: int) -> float:
    """Expected calls in month `month` of the history: about 100, then 160, then growth."""
    if month == 0:
        return FIRST_MONTH_CALLS
    target = SECOND_MONTH_CALLS * (1 + MONTHLY_GROWTH) ** (month - 1)
    return target * (SURGE_FACTOR if month == SURGE_MONTH else 1.0)


def _intraday_weight(minute: int) -> float:
    """Mid-morning and mid-afternoon peaks with a lunch-time dip."""
    hour = (minute + INTERVAL_MINUTES / 2) / 60
    return (
        0.55
        + 0.45 * math.exp(-(((hour - 11.5) / 1.6) ** 2))
        + 0.50 * math.exp(-(((hour - 15.0) / 1.5) ** 2))
    )


def _counsellors_on_line(month: int, most: int = 4) -> int:
    # The helpline hired as it grew: 2 on the line at first, 3 from month 6, 4 from month 15.
    return min(most, 2 if month < 6 else 3 if month < 15 else 4)


def _abandon_share(calls_expected: float, agents: int) -> float:
    """Share of callers lost: Erlang C waiting probability with exponential patience."""
    load = calls_expected * EFFECTIVE_HANDLE_S / (INTERVAL_MINUTES * 60)
    if load <= 0:
        return HANG_UP_AT_ONCE
    if load >= agents:
        return min(0.9, 0.35 + 1 - agents / load)
    erlang_b = 1.0
    for k in range(1, agents + 1):
        erlang_b = load * erlang_b / (k + load * erlang_b)
    waits = agents * erlang_b / (agents - load * (1 - erlang_b))
    clear_rate = (agents - load) / EFFECTIVE_HANDLE_S  # how fast the queue empties, per s
    give_up = waits * (1 / PATIENCE_S) / (clear_rate + 1 / PATIENCE_S)
    return min(0.9, HANG_UP_AT_ONCE + give_up)


def demo_history(
    last_day: date = SAMPLE_LAST_DAY,
    seed: int = DEMO_SEED,
    *,
    open_from: int = OPEN_FROM,
    open_to: int = OPEN_TO,
    volume: float = 1.0,
    most_on_line: int = 4,
) -> list[CallIntervalRecord]:
    """24 months of interval history ending on `last_day` (every open interval, zeros too).
    The defaults are Lahore's; Islamabad's hours, share of the volume per open interval and
    fewer counsellors give the second centre's."""
    rng = np.random.default_rng(seed)
    tz = ZoneInfo(TIMEZONE)
    bounds = month_starts(last_day)
    slots = range(open_from, open_to, INTERVAL_MINUTES)
    shape = {m: _intraday_weight(m) for m in slots}

    starts: list[datetime] = []
    expected: list[float] = []
    agents: list[int] = []
    for month in range(HISTORY_MONTHS):
        length = (bounds[month + 1] - bounds[month]).days
        days = [bounds[month] + timedelta(days=i) for i in range(length)]
        weights = {d: WEEKDAY_WEIGHT[d.weekday()] for d in days}
        total_weight = sum(weights.values()) * sum(shape.values())
        # Lahore's calls per open interval, whatever the hours (so the shape stays alike).
        full_day = len(range(OPEN_FROM, OPEN_TO, INTERVAL_MINUTES)) / len(slots)
        per_weight = volume * monthly_target(month) / total_weight / full_day
        short_days = rng.random(len(days)) < SHORT_STAFFED_DAY
        for day, short in zip(days, short_days, strict=True):
            on_duty = _counsellors_on_line(month, most_on_line) - int(short)
            for minute in slots:
                lunch = 12 * 60 + 30 <= minute < 14 * 60
                starts.append(
                    datetime.combine(day, time(minute // 60, minute % 60), tz).astimezone(UTC)
                )
                expected.append(weights[day] * shape[minute] * per_weight)
                agents.append(max(2, on_duty - int(lunch)))

    offered = rng.poisson(np.asarray(expected))
    abandon_p = np.array([_abandon_share(x, a) for x, a in zip(expected, agents, strict=True)])
    abandoned = rng.binomial(offered, abandon_p)
    answered = offered - abandoned
    difficult = rng.binomial(answered, DIFFICULT_SHARE)
    sigma = math.sqrt(math.log(1 + TALK_CV**2))
    talk = rng.lognormal(math.log(TALK_MEAN_S) - sigma**2 / 2, sigma, int(answered.sum()))
    wrapup = rng.gamma(4.0, WRAPUP_MEAN_S / 4.0, int(answered.sum()))
    per_call = np.concatenate(([0.0], np.cumsum(talk + wrapup)))
    ends = np.cumsum(answered)
    handle = np.rint(per_call[ends] - per_call[ends - answered]).astype(int)

    return [
        CallIntervalRecord(
            start_utc=start,
            offered=int(offered[i]),
            answered=int(answered[i]),
            abandoned=int(abandoned[i]),
            handle_seconds=int(handle[i]),
            difficult=int(difficult[i]),
        )
        for i, start in enumerate(starts)
    ]


# --------------------------------------------------------------------------------- seeding


def _database_in_use(session: Session) -> str | None:
    if count_sites(session=session):
        return "the database already has a site"
    if session.exec(select(func.count()).select_from(Account)).one():
        # A real install that made its admin first must not get demo logins.
        return "the database already has accounts"
    return None


def islamabad_staff() -> list[StaffMember]:
    return [
        StaffMember(
            id=f"isb{number}",
            display_name=spec.name,
            skills=frozenset(spec.skills),
            languages=spec.languages,
            employment=spec.employment,
            contract_minutes_min=spec.contract_hours[0] * 60,
            contract_minutes_max=spec.contract_hours[1] * 60,
            line_cap_minutes_week=spec.line_cap_hours * 60,
        )
        for number, spec in enumerate(ISB_STAFF_SPECS, start=1)
    ]


def _seed_centre(
    session: Session,
    profile: SiteProfile,
    staffing: StaffingSettings,
    staff: list[StaffMember],
) -> tuple[SitePublic, dict[str, int]]:
    """A demo centre with its settings and staff (and their leave); staff row ids by name."""
    site = create_site(
        session=session,
        site_in=SiteCreate(
            name=profile.name,
            timezone=profile.timezone,
            interval_minutes=profile.interval_minutes,
            opening_hours=list(profile.opening_hours),
            is_demo=True,
        ),
        actor=DEMO_ACTOR,
    )
    save_staffing_settings(session=session, site_id=site.id, settings=staffing, actor=DEMO_ACTOR)
    save_work_rules(session=session, site_id=site.id, rules=demo_work_rules(), actor=DEMO_ACTOR)
    staff_ids: dict[str, int] = {}
    for member in staff:
        created = create_staff(
            session=session,
            staff_in=StaffCreate(
                site_id=site.id,
                display_name=member.display_name,
                skills=sorted(member.skills),
                languages=list(member.languages),
                employment=member.employment,
                contract_minutes_min=member.contract_minutes_min,
                contract_minutes_max=member.contract_minutes_max,
                line_cap_minutes_week=member.line_cap_minutes_week,
                availability=list(member.availability),
            ),
            actor=DEMO_ACTOR,
        )
        staff_ids[member.display_name] = created.id
        for period in member.leave:
            add_leave(
                session=session,
                leave_in=StaffLeaveCreate(staff_id=created.id, **period.model_dump()),
                actor=DEMO_ACTOR,
            )
    return site, staff_ids


def seed_demo(
    *,
    session: Session,
    last_day: date | None = None,
    seed: int = DEMO_SEED,
    now: datetime | None = None,
) -> DemoSeedResult:
    """Seed the demo helpline into an empty database; otherwise change nothing.

    History ends on `last_day` (default: the Sunday before today, site time); the wellbeing
    history runs on to `now` (default: the current time).
    """
    reason = _database_in_use(session)
    if reason:
        return DemoSeedResult(seeded=False, message=f"Demo not seeded: {reason}.")
    if last_day is None:
        last_day = sunday_before((now or datetime.now(UTC)).astimezone(ZoneInfo(TIMEZONE)).date())
    profile = demo_profile()
    site, staff_ids = _seed_centre(session, profile, demo_staffing_settings(), demo_staff(last_day))
    history = demo_history(last_day, seed)
    counts = upsert_call_intervals(session=session, site_id=site.id, records=history)
    isb, isb_staff = _seed_centre(
        session, islamabad_profile(), islamabad_staffing_settings(), islamabad_staff()
    )
    isb_history = demo_history(
        last_day,
        seed + ISB_SEED_OFFSET,
        open_from=ISB_OPEN_FROM,
        open_to=ISB_OPEN_TO,
        volume=ISB_VOLUME,
        most_on_line=2,
    )
    upsert_call_intervals(session=session, site_id=isb.id, records=isb_history)
    for centre in (site, isb):
        session.add(
            QueuePool.model_validate(QueuePoolCreate(site_id=centre.id, pool=NATIONAL_NUMBER))
        )
    centre_ids = {SITE_NAME: site.id, ISB_SITE_NAME: isb.id}
    people = staff_ids | isb_staff
    for demo in DEMO_ACCOUNTS:
        create_account(
            session=session,
            account_in=AccountCreate(
                username=demo.username,
                password=demo.password,
                role=demo.role,
                staff_id=people[demo.staff_name] if demo.staff_name else None,
            ),
            actor=DEMO_ACTOR,
        )
        if demo.role not in (Role.LEADERSHIP, Role.ADMIN):
            set_memberships(
                session=session,
                username=demo.username,
                site_ids=[centre_ids[demo.centre]],
                actor=DEMO_ACTOR,
            )
    wellbeing = seed_demo_wellbeing(
        session=session,
        site_id=site.id,
        staff_ids=staff_ids,
        history=history,
        timezone=profile.timezone,
        now=now or datetime.now(UTC),
        seed=seed,
    )
    calls = sum(r.offered for r in history)
    message = (
        f"Seeded {SITE_NAME!r} and {ISB_SITE_NAME!r} (sharing the {NATIONAL_NUMBER!r}): "
        f"{len(staff_ids)} + {len(isb_staff)} staff, {counts.inserted} intervals "
        f"({calls} calls, {history_start(last_day)} to {last_day}), "
        f"{len(DEMO_ACCOUNTS)} demo accounts, {wellbeing.difficult_calls} logged difficult "
        f"calls, {wellbeing.open_debriefs} open debrief requests, {wellbeing.checkins} check-ins."
    )
    write_audit(session=session, actor=DEMO_ACTOR, action="demo.seed", detail=message)
    return DemoSeedResult(
        seeded=True,
        message=message,
        site_id=site.id,
        centre_ids=(site.id, isb.id),
        staff=len(staff_ids),
        intervals=counts.inserted,
        calls=calls,
        accounts=len(DEMO_ACCOUNTS),
    )


# --------------------------------------------------------------------------------- samples


def _dump_json(value: object, path: Path) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def staff_json(staff: list[StaffMember]) -> list[dict[str, object]]:
    rows = []
    for member in staff:
        row = member.model_dump(mode="json")
        row["skills"] = sorted(row["skills"])  # a frozenset has no stable order
        rows.append(row)
    return rows


def write_samples(
    directory: Path | None = None, last_day: date = SAMPLE_LAST_DAY, seed: int = DEMO_SEED
) -> list[Path]:
    """Write the demo's history CSV, site JSON and staff JSON (fixed date: stable files)."""
    directory = directory or SAMPLES_DIR
    directory.mkdir(parents=True, exist_ok=True)
    history_path = directory / "demo_call_history.csv"
    site_path = directory / "demo_site.json"
    staff_path = directory / "demo_staff.json"
    write_call_history_csv(demo_history(last_day, seed), history_path, TIMEZONE)
    _dump_json(
        {
            "site": demo_profile().model_dump(mode="json"),
            "staffing": demo_staffing_settings().model_dump(mode="json"),
            "work_rules": demo_work_rules().model_dump(mode="json"),
        },
        site_path,
    )
    _dump_json(staff_json(demo_staff(last_day)), staff_path)
    return [history_path, site_path, staff_path]
