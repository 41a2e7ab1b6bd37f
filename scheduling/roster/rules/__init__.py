"""One module per business rule (see rules.rule.Rule for what each holds). ALL_RULES is the
order they are added to the model (meal breaks before coverage, since on-duty counts subtract
them; pinned after the rules that create activity variables)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.roster.rules.activities import Activities
from scheduling.roster.rules.availability import Availability
from scheduling.roster.rules.consecutive_days import ConsecutiveDays
from scheduling.roster.rules.contract_hours import ContractHours
from scheduling.roster.rules.cost import HireCost, RosteredHours
from scheduling.roster.rules.coverage import Coverage, MinOnDuty
from scheduling.roster.rules.days_off import DaysOff
from scheduling.roster.rules.days_off_run import MinDaysOffRun
from scheduling.roster.rules.debrief import Debrief
from scheduling.roster.rules.debrief_requests import DebriefRequests
from scheduling.roster.rules.decompression import Decompression
from scheduling.roster.rules.fairness import FairLateShifts, FairPeaks, FairWeekends
from scheduling.roster.rules.languages import LanguageCover
from scheduling.roster.rules.line_blocks import LineBlocks
from scheduling.roster.rules.line_hours import LineHours
from scheduling.roster.rules.line_stability import LineStability
from scheduling.roster.rules.meal_break import MealBreak
from scheduling.roster.rules.off_queue import OffQueue
from scheduling.roster.rules.offline_day import OfflineDay
from scheduling.roster.rules.one_shift_per_day import OneShiftPerDay
from scheduling.roster.rules.pinned import Pinned
from scheduling.roster.rules.preferences import Preferences
from scheduling.roster.rules.rest_between_shifts import RestBetweenShifts
from scheduling.roster.rules.rule import Rule
from scheduling.roster.rules.seats import Seats
from scheduling.roster.rules.shift_length import ShiftLength
from scheduling.roster.rules.shift_type_cap import ShiftTypeCap
from scheduling.roster.rules.skills import SkillCover
from scheduling.roster.rules.stability import Stability
from scheduling.roster.rules.weekends_worked import WeekendsWorked
from scheduling.roster.rules.working_run import MinWorkingRun

if TYPE_CHECKING:
    from scheduling.roster.schema import RosterInstance

ALL_RULES: tuple[Rule, ...] = (
    Availability(),
    OneShiftPerDay(),
    ShiftLength(),
    RestBetweenShifts(),
    ConsecutiveDays(),
    DaysOff(),
    MinWorkingRun(),
    MinDaysOffRun(),
    WeekendsWorked(),
    ShiftTypeCap(),
    ContractHours(),
    LineHours(),
    MealBreak(),
    Decompression(),
    Activities(),
    Debrief(),
    DebriefRequests(),
    Pinned(),
    OffQueue(),
    SkillCover(),
    LanguageCover(),
    Seats(),
    Coverage(),
    MinOnDuty(),
    FairWeekends(),
    FairLateShifts(),
    FairPeaks(),
    LineBlocks(),
    Preferences(),
    OfflineDay(),
    Stability(),
    LineStability(),
    RosteredHours(),
    HireCost(),
)

RULES_BY_KEY: dict[str, Rule] = {r.key: r for r in ALL_RULES}

# Not a rule: the objective term a relaxed solve pays for each hard rule it drops.
RELAXED = "relaxed_hard_rule"


def model_rules(*, line_blocks: bool = False) -> list[Rule]:
    """The rules of a full model. Line blocks are left out unless asked for: the full model
    minimises them in a second stage (solve.py); in one stage they cost the demo week its
    optimality proof."""
    return [r for r in ALL_RULES if line_blocks or r.key != "line_blocks"]


def title_of(key: str, inst: RosterInstance) -> str:
    """The business title of a rule key, as a manager reads it."""
    if key == RELAXED:
        return "Hard rule dropped because the week is impossible otherwise"
    rule = RULES_BY_KEY.get(key)
    return rule.title(inst) if rule is not None else key


__all__ = ["ALL_RULES", "RELAXED", "RULES_BY_KEY", "Rule", "model_rules", "title_of"]
