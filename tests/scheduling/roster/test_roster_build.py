"""build_instance: last week's end carried into the week, and the hires it offers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from scheduling.domain import DailyWindow, SiteProfile, Skill, StaffMember
from scheduling.roster.build import build_instance
from scheduling.roster.week import Week
from scheduling.roster.work_rules import WorkRules
from scheduling.staffing.requirement_types import IntervalRequirement
from tests.scheduling.roster.rosterkit import MONDAY, at

SITE = SiteProfile(
    name="Test line",
    opening_hours=tuple(
        DailyWindow(weekday=d, start_minute=540, end_minute=1020) for d in range(7)
    ),
)


@dataclass
class _Requirements:
    intervals: list[IntervalRequirement]
    skill_requirements: list = field(default_factory=list)


def _requirements() -> _Requirements:
    rows = []
    for d in range(7):
        t = at(d, "09:00")
        while t < at(d, "17:00"):
            end = t + timedelta(minutes=30)
            rows.append(
                IntervalRequirement(
                    start=t,
                    end=end,
                    forecast_calls=1,
                    band_low=0,
                    band_high=2,
                    required=1,
                    queue_required=1,
                    workload_erlangs=0.5,
                    binding="the floor",
                )
            )
            t = end
    return _Requirements(rows)


def _staff(*ids: str) -> list[StaffMember]:
    return [
        StaffMember(
            id=i,
            display_name=f"Person {i}",
            skills=frozenset({Skill.COUNSELLOR}),
            contract_minutes_min=0,
            contract_minutes_max=40 * 60,
            line_cap_minutes_week=30 * 60,
        )
        for i in ids
    ]


def test_carry_over_sets_last_weeks_end_and_days_in_a_row():
    sunday_night = at(-1, "21:00")
    inst = build_instance(
        site=SITE,
        staff=_staff("a", "b"),
        rules=WorkRules(),
        requirements=_requirements(),
        week_start=MONDAY,
        carry_over={"a": (sunday_night, 4), "gone": (sunday_night, 2)},
    )
    entries = {e.id: e for e in inst.staff}
    assert entries["a"].previous_shift_end == sunday_night
    assert entries["a"].days_worked_before_week == 4
    assert entries["b"].previous_shift_end is None and entries["b"].days_worked_before_week == 0
    a = Week(inst).person("a")
    assert a.previous_end == -3 * 60 and a.days_before == 4


def test_a_supervisor_cover_offers_a_psychologist_hire():
    inst = build_instance(
        site=SITE,
        staff=_staff("a", "b"),  # nobody can supervise
        rules=WorkRules(),
        requirements=_requirements(),
        week_start=MONDAY,
    )
    assert any(c.skill == Skill.SUPERVISOR for c in inst.skill_covers)
    (tpl,) = [t for t in inst.hire_templates if Skill.SUPERVISOR in t.skills]
    assert tpl.max_count >= 2  # a supervisor every day of a seven-day week takes two people
