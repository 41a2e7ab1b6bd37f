"""Solver-free check of a roster against its instance: every rule, hard and soft, from the
files alone. The engine builds the view of the roster (view.py: each person's shifts and
activities on the week's time grid) and runs each rule's `check`; it shares only the time grid
with the model, so a modelling mistake shows here.

`validate(instance, solution)` lists each broken rule (hard/soft, person, day, amount) and the
penalty points of every soft rule; the points add up to the objective the solver reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduling.roster.rules import ALL_RULES, Rule
from scheduling.roster.schema import RosterInstance, RosterSolution, RuleBreak
from scheduling.roster.view import RosterView

# The order breaks are listed in: the person's own rules first, then cover, then the soft
# rules. A rule not named here is checked after these.
ORDER = (
    "availability",
    "one_shift_per_day",
    "shift_length",
    "rest_between_shifts",
    "consecutive_days",
    "days_off",
    "contract_hours",
    "line_hours",
    "meal_break",
    "decompression",
    "activities",
    "skill_cover",
    "language_cover",
    "pinned",
    "coverage",
    "min_on_duty",
    "debrief",
    "fair_weekends",
    "fair_late_shifts",
    "fair_peaks",
    "line_blocks",
    "preferences",
    "stability",
    "rostered_hours",
    "hire_cost",
)


@dataclass
class ValidationReport:
    breaks: list[RuleBreak]
    points: dict[str, float]  # penalty points per soft rule

    @property
    def hard(self) -> list[RuleBreak]:
        return [b for b in self.breaks if b.hard]

    @property
    def soft(self) -> list[RuleBreak]:
        return [b for b in self.breaks if not b.hard]

    @property
    def objective(self) -> float:
        return sum(self.points.values())


def checked_in_order(rules: tuple[Rule, ...] = ALL_RULES) -> list[Rule]:
    rank = {key: n for n, key in enumerate(ORDER)}
    return sorted(rules, key=lambda r: rank.get(r.key, len(ORDER)))


def validate(inst: RosterInstance, sol: RosterSolution) -> ValidationReport:
    roster = RosterView(inst, sol)
    breaks: list[RuleBreak] = []
    points: dict[str, float] = {}
    for rule in checked_in_order():
        verdict = rule.check(roster)
        breaks.extend(verdict.breaks)
        if verdict.points is not None:
            points[rule.key] = verdict.points
    return ValidationReport(breaks, points)
