"""One module per business rule. ALL_RULES is the order they are added to the model (meal
breaks before coverage, since on-duty counts subtract them)."""

from scheduling.roster.rules.availability import Availability
from scheduling.roster.rules.base import Rule
from scheduling.roster.rules.consecutive_days import ConsecutiveDays
from scheduling.roster.rules.contract_hours import ContractHours
from scheduling.roster.rules.cost import HireCost, RosteredHours
from scheduling.roster.rules.coverage import Coverage, MinOnDuty
from scheduling.roster.rules.days_off import DaysOff
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
from scheduling.roster.rules.seats import Seats
from scheduling.roster.rules.shift_length import ShiftLength
from scheduling.roster.rules.skills import SkillCover
from scheduling.roster.rules.stability import Stability

ALL_RULES: tuple[Rule, ...] = (
    Availability(),
    OneShiftPerDay(),
    ShiftLength(),
    RestBetweenShifts(),
    ConsecutiveDays(),
    DaysOff(),
    ContractHours(),
    LineHours(),
    MealBreak(),
    Decompression(),
    Debrief(),
    DebriefRequests(),
    Pinned(),  # after the rules that create activity variables
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

RULES_BY_KEY = {r.key: r for r in ALL_RULES}

__all__ = ["ALL_RULES", "RULES_BY_KEY", "Rule"]
