"""Build a RosterInstance from the shared domain objects: the site, its staff, the work rules and
the week's requirements from scheduling.staffing.requirements (anything with `.intervals` of
IntervalRequirement and `.skill_requirements` of SkillRequirement)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Protocol

from scheduling.domain import (
    Employment,
    SiteProfile,
    Skill,
    StaffingSettings,
    StaffMember,
    monday_of,
)
from scheduling.roster.schema import (
    HireTemplate,
    IntervalSlot,
    LanguageCover,
    PlannedShift,
    Preference,
    RosterInstance,
    SkillCover,
    SolveOptions,
    StaffEntry,
    Weights,
)
from scheduling.roster.work_rules import WorkRules
from scheduling.staffing.requirement_types import IntervalRequirement, SkillRequirement

PEAK_SHARE = 0.2  # the busiest fifth of the open intervals count as peaks


class WeekRequirementsLike(Protocol):
    @property
    def intervals(self) -> Sequence[IntervalRequirement]: ...

    @property
    def skill_requirements(self) -> Sequence[SkillRequirement]: ...


def default_hire_templates(specialist_skills: Iterable[Skill] = ()) -> tuple[HireTemplate, ...]:
    """Costs are in objective points: 1000 points is one counsellor-hour short by default, so
    a full-time hire is advised when it would cover more than about 12 hours of shortfall.
    `specialist_skills` are the skills some cover asks for: a supervisor cover gets a
    psychologist (supervisor) template, a lawyer or digital-security cover a specialist."""
    templates = [
        HireTemplate(
            key="full_time_counsellor",
            name="Full-time counsellor",
            contract_minutes_min=32 * 60,
            contract_minutes_max=40 * 60,
            line_cap_minutes_week=30 * 60,
            cost=12_000,
            max_count=3,
        ),
        HireTemplate(
            key="part_time_counsellor",
            name="Part-time counsellor",
            employment=Employment.PART_TIME,
            contract_minutes_min=12 * 60,
            contract_minutes_max=20 * 60,
            line_cap_minutes_week=18 * 60,
            cost=7_000,
            max_count=3,
        ),
    ]
    skills = {Skill(s) for s in specialist_skills}
    if Skill.SUPERVISOR in skills:
        # A psychologist who supervises and takes calls. Two, since one person works at most
        # five days of a seven-day week and the cover asks for a supervisor every open day.
        # (The key is the older specialist's, so saved advice keeps its meaning.)
        templates.append(
            HireTemplate(
                key="specialist_supervisor",
                name="Psychologist (supervisor)",
                skills=frozenset({Skill.SUPERVISOR, Skill.COUNSELLOR}),
                employment=Employment.PART_TIME,
                contract_minutes_min=0,
                contract_minutes_max=40 * 60,
                line_cap_minutes_week=18 * 60,
                cost=15_000,
                max_count=2,
            )
        )
    for skill in sorted(skills - {Skill.COUNSELLOR, Skill.SUPERVISOR}):
        templates.append(
            HireTemplate(
                key=f"specialist_{skill.value}",
                name=f"Specialist ({skill.value.replace('_', ' ')})",
                skills=frozenset({skill}),
                employment=Employment.PART_TIME,
                contract_minutes_min=0,
                contract_minutes_max=40 * 60,
                line_cap_minutes_week=0,
                cost=15_000,
                max_count=1,
            )
        )
    return tuple(templates)


def peak_flags(required: Sequence[int]) -> list[bool]:
    positive = sorted((r for r in required if r > 0), reverse=True)
    if not positive or positive[0] == positive[-1]:
        return [False] * len(required)
    threshold = max(positive[max(0, int(len(positive) * PEAK_SHARE) - 1)], positive[-1] + 1)
    return [r >= threshold for r in required]


def _open(site: SiteProfile, req: IntervalRequirement) -> bool:
    """Staffing lists every interval of the week; the roster needs the open ones."""
    if not site.opening_hours:
        return True
    local = req.start.astimezone(site.tz)
    w = site.hours_on(local.weekday())
    minute = local.hour * 60 + local.minute
    return w is not None and w.start_minute <= minute < w.end_minute


def build_instance(
    *,
    site: SiteProfile,
    staff: Sequence[StaffMember],
    rules: WorkRules,
    requirements: WeekRequirementsLike,
    settings: StaffingSettings | None = None,
    week_start: date | None = None,
    preferences: Mapping[str, Sequence[Preference]] | None = None,
    line_caps: Mapping[str, int] | None = None,
    hire_templates: Sequence[HireTemplate] | None = None,
    published: Sequence[PlannedShift] = (),
    pin_before: datetime | None = None,
    weights: Weights | None = None,
    options: SolveOptions | None = None,
    carry_over: Mapping[str, tuple[datetime | None, int]] | None = None,
) -> RosterInstance:
    """The instance for one week. `line_caps` (staff id -> weekly line minutes) is how wellbeing
    lowers someone's line hours; `preferences` maps staff id -> wishes; `carry_over` maps staff
    id -> (end of their last shift before the week, working days in a row up to the Sunday
    before), so rest and days in a row continue across the weekend."""
    tz = site.tz
    reqs = sorted((r for r in requirements.intervals if _open(site, r)), key=lambda r: r.start)
    if week_start is None:
        if not reqs:
            raise ValueError("requirements: no intervals, and no week_start given")
        week_start = monday_of(reqs[0].start.astimezone(tz).date())
    peaks = peak_flags([r.required for r in reqs])
    intervals = tuple(
        IntervalSlot(start=r.start.astimezone(tz), required=r.required, peak=pk)
        for r, pk in zip(reqs, peaks, strict=True)
    )
    covers = [
        SkillCover(
            skill=s.skill,
            start=s.start.astimezone(tz),
            end=s.end.astimezone(tz),
            count=s.count,
            mode="some_time" if s.skill == Skill.SUPERVISOR else "throughout",
            reason=s.reason,
        )
        for s in requirements.skill_requirements
    ]
    floors = (settings or StaffingSettings()).floors
    days = [week_start + timedelta(days=d) for d in range(7)]
    windows = [
        (
            datetime.combine(day, time(0), tz) + timedelta(minutes=w.start_minute),
            datetime.combine(day, time(0), tz) + timedelta(minutes=w.end_minute),
        )
        for day in days
        if (w := site.hours_on(day.weekday())) is not None
    ]
    if floors.supervisor_every_open_day and not any(c.skill == Skill.SUPERVISOR for c in covers):
        covers += [
            SkillCover(
                skill=Skill.SUPERVISOR,
                start=a,
                end=b,
                mode="some_time",
                reason="debriefs need a supervisor every open day",
            )
            for a, b in windows
        ]
    wanted = getattr(requirements, "languages_on_line", None) or floors.languages_required
    languages = tuple(
        LanguageCover(language=lang, start=a, end=b) for lang in wanted for a, b in windows
    )
    prefs = preferences or {}
    caps = line_caps or {}
    carry = carry_over or {}
    entries = tuple(
        StaffEntry(
            member=m,
            preferences=tuple(prefs.get(m.id, ())),
            line_cap_minutes_week=caps.get(m.id),
            previous_shift_end=carry.get(m.id, (None, 0))[0],
            days_worked_before_week=carry.get(m.id, (None, 0))[1],
        )
        for m in staff
    )
    if hire_templates is None:
        hire_templates = default_hire_templates(c.skill for c in covers)
    return RosterInstance(
        site_name=site.name,
        timezone=site.timezone,
        interval_minutes=site.interval_minutes,
        week_start=week_start,
        intervals=intervals,
        min_on_duty=floors.min_on_line,
        skill_covers=tuple(covers),
        language_covers=languages,
        staff=entries,
        rules=rules,
        hire_templates=tuple(hire_templates),
        published=tuple(published),
        pin_before=pin_before,
        weights=weights or Weights(),
        options=options or SolveOptions(),
    )
