"""Seeded synthetic weeks for tests and benchmarks: a site, staff and a requirement curve built
from the shared domain objects, then turned into a RosterInstance by build_instance."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from scheduling.domain import DailyWindow, Employment, SiteProfile, Skill, StaffMember
from scheduling.roster.build import build_instance, default_hire_templates
from scheduling.roster.schema import RosterInstance, SolveOptions
from scheduling.roster.work_rules import WorkRules
from scheduling.staffing.requirement_types import IntervalRequirement, SkillRequirement

WEEK = date(2025, 3, 3)  # a Monday


@dataclass(frozen=True)
class Requirements:
    intervals: tuple[IntervalRequirement, ...]
    skill_requirements: tuple[SkillRequirement, ...] = ()


def requirement_curve(
    site: SiteProfile, week_start: date, *, base: int, peak: int, seed: int
) -> tuple[IntervalRequirement, ...]:
    """Two humps a day (late morning, evening), weekend a little lower, some noise."""
    rng = random.Random(seed)
    tz = ZoneInfo(site.timezone)
    out = []
    for d in range(7):
        w = site.hours_on(d)
        if w is None:
            continue
        day0 = datetime.combine(week_start + timedelta(days=d), time(0), tz)
        for m in range(w.start_minute, w.end_minute, site.interval_minutes):
            h = m / 60
            shape = 0.6 * math.exp(-((h - 11.5) ** 2) / 6) + 0.5 * math.exp(-((h - 19) ** 2) / 5)
            level = base + (peak - base) * shape * (0.85 if d >= 5 else 1.0)
            req = max(base, round(level + rng.uniform(-0.4, 0.4)))
            start = day0 + timedelta(minutes=m)
            out.append(
                IntervalRequirement(
                    start=start,
                    end=start + timedelta(minutes=site.interval_minutes),
                    forecast_calls=0.0,
                    band_low=0.0,
                    band_high=0.0,
                    required=req,
                    queue_required=req,
                    workload_erlangs=float(req),
                    binding="synthetic",
                )
            )
    return tuple(out)


def synthetic_staff(n: int, seed: int, *, supervisors: int, lawyers: int) -> list[StaffMember]:
    rng = random.Random(seed)
    staff = []
    for i in range(n):
        skills = {Skill.COUNSELLOR}
        if i < supervisors:
            skills.add(Skill.SUPERVISOR)
        if supervisors <= i < supervisors + lawyers:
            skills = {Skill.LAWYER}
        kind = rng.random()
        if kind < 0.7:
            emp, lo, hi = Employment.FULL_TIME, 30 * 60, 40 * 60
        elif kind < 0.9:
            emp, lo, hi = Employment.PART_TIME, 0, 20 * 60
        else:
            emp, lo, hi = Employment.VOLUNTEER, 0, 12 * 60
        staff.append(
            StaffMember(
                id=f"s{i + 1:03d}",
                display_name=f"Staff {i + 1}",
                skills=frozenset(skills),
                languages=("ur", "en") + (("pa",) if rng.random() < 0.3 else ()),
                employment=emp,
                contract_minutes_min=lo,
                contract_minutes_max=hi,
                line_cap_minutes_week=min(30 * 60, hi),
            )
        )
    return staff


def synthetic_instance(
    *,
    staff: int = 10,
    open_minutes: tuple[int, int] = (9 * 60, 17 * 60),
    interval: Literal[15, 30] = 30,
    base: int = 2,
    peak: int = 4,
    supervisors: int = 2,
    lawyers: int = 1,
    seed: int = 0,
    time_limit: float = 10.0,
    workers: int = 2,
    hires: bool = False,
) -> RosterInstance:
    a, b = open_minutes
    site = SiteProfile(
        name="Synthetic helpline",
        timezone="Asia/Karachi",
        interval_minutes=interval,
        opening_hours=tuple(DailyWindow(weekday=d, start_minute=a, end_minute=b) for d in range(7)),
    )
    tz = ZoneInfo(site.timezone)
    members = synthetic_staff(staff, seed, supervisors=supervisors, lawyers=lawyers)
    skills = []
    if lawyers:
        for d in range(5):
            day0 = datetime.combine(WEEK + timedelta(days=d), time(0), tz)
            lo = max(a, 10 * 60)
            skills.append(
                SkillRequirement(
                    skill=Skill.LAWYER,
                    start=day0 + timedelta(minutes=lo),
                    end=day0 + timedelta(minutes=min(b, lo + 4 * 60)),
                    reason="legal advice line",
                )
            )
    reqs = Requirements(
        intervals=requirement_curve(site, WEEK, base=base, peak=peak, seed=seed),
        skill_requirements=tuple(skills),
    )
    return build_instance(
        site=site,
        staff=members,
        rules=WorkRules(),
        requirements=reqs,
        week_start=WEEK,
        hire_templates=default_hire_templates([Skill.SUPERVISOR, Skill.LAWYER]),
        options=SolveOptions(time_limit_seconds=time_limit, workers=workers, allow_hires=hires),
    )
