"""The roster's files: what goes into a solve (RosterInstance) and what comes out (RosterSolution).

Times are aware datetimes in the site's local time (ISO 8601 with the offset in the JSON files).
Durations are whole minutes. Penalty weights are points per hour (for time-based rules) or per
occurrence; the objective is reported in the same points.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from scheduling.domain import Employment, Skill, StaffMember, zone
from scheduling.roster.work_rules import WorkRules

SCHEMA_VERSION: Literal[1] = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Activity(StrEnum):
    LINE = "line"  # on the queue, taking calls
    MEAL = "meal"
    OFFLINE = "offline"  # case follow-up, training, admin
    DECOMPRESSION = "decompression"  # planned off-queue recovery time
    DEBRIEF = "debrief"  # with a supervisor


# ---------------------------------------------------------------- instance


class IntervalSlot(_Frozen):
    """One open interval of the week, [start, start + interval_minutes)."""

    start: AwareDatetime
    required: int = Field(ge=0, description="counsellors needed on the line")
    peak: bool = Field(default=False, description="counts towards the fair spread of peaks")
    forecast_calls: float | None = Field(
        default=None, ge=0, description="expected calls (what the simulation replays); optional"
    )


class SkillCover(_Frozen):
    """A skill that must be on shift (not necessarily on the line) during a window."""

    skill: Skill
    start: AwareDatetime
    end: AwareDatetime
    count: int = Field(default=1, ge=1)
    mode: Literal["throughout", "some_time"] = Field(
        default="throughout",
        description="throughout: in every interval of the window; some_time: on a shift that "
        "overlaps the window (a supervisor on shift each open day)",
    )
    hard: bool = True
    reason: str = ""


class LanguageCover(_Frozen):
    """Speakers of a language on the line in every interval of a window."""

    language: str = Field(min_length=1)
    start: AwareDatetime
    end: AwareDatetime
    count: int = Field(default=1, ge=1)
    hard: bool = Field(
        default=False,
        description="soft by default: one speaker on the line all week is rarely possible",
    )


class Preference(_Frozen):
    """A day (optionally a window of it) a person wants or wants to avoid working."""

    weekday: int = Field(ge=0, le=6)
    start_minute: int = Field(default=0, ge=0, le=1440)
    end_minute: int = Field(default=1440, ge=0, le=1440)
    kind: Literal["want", "avoid"]
    weight: int = Field(default=10, ge=0, description="points when the wish is not met")

    @model_validator(mode="after")
    def _ordered(self) -> Preference:
        if self.end_minute <= self.start_minute:
            raise ValueError("preference: end_minute must be after start_minute")
        return self


class StaffEntry(_Frozen):
    """A person to roster: the shared StaffMember plus what this week's plan needs."""

    member: StaffMember
    preferences: tuple[Preference, ...] = ()
    line_cap_minutes_week: int | None = Field(
        default=None, ge=0, description="a lower weekly line cap (from wellbeing); None = contract"
    )
    line_cap_minutes_day: int | None = Field(default=None, ge=0)
    decompression_minutes_per_shift: int = Field(default=0, ge=0)
    debrief_minutes: int = Field(
        default=0, ge=0, description="one debrief this week while a supervisor is on shift"
    )
    previous_shift_end: AwareDatetime | None = Field(
        default=None, description="end of the person's last shift before the week"
    )
    days_worked_before_week: int = Field(
        default=0, ge=0, le=7, description="working days in a row up to the Sunday before"
    )
    line_cap_reason: Literal["wellbeing"] | None = Field(
        default=None,
        description="why line_cap_minutes_week is lowered; the manager sees this, never the score",
    )
    offline_day_wanted: bool = Field(
        default=False,
        description="wellbeing asks for a working day with no line time (rotate to off-line work)",
    )
    weekends_worked_before: int = Field(
        default=0,
        ge=0,
        description="weekends worked in the weeks before this one inside the weekend window",
    )

    @property
    def id(self) -> str:
        return self.member.id


class OffLine(_Frozen):
    """A person who may not be on the line in [start, end): off the queue after a difficult
    call. Used by the re-plan of the rest of today."""

    staff_id: str
    start: AwareDatetime
    end: AwareDatetime


class DebriefRequest(_Frozen):
    """An open debrief request: the next solve places a debrief slot for it, with the person and
    a supervisor both on shift and off the line, ending by the deadline."""

    request_id: str = Field(min_length=1, max_length=64)
    staff_id: str
    deadline: AwareDatetime
    minutes: int = Field(default=30, ge=5, le=240)
    urgency: Literal["before_shift_end", "within_24h"] = "within_24h"


class HireTemplate(_Frozen):
    """A kind of person the solve may add, at a cost, when the staff cannot cover the week."""

    key: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")
    name: str
    skills: frozenset[Skill] = frozenset({Skill.COUNSELLOR})
    languages: tuple[str, ...] = ()
    employment: Employment = Employment.FULL_TIME
    contract_minutes_min: int = Field(default=0, ge=0)
    contract_minutes_max: int = Field(default=40 * 60, ge=0)
    line_cap_minutes_week: int = Field(default=30 * 60, ge=0)
    cost: int = Field(ge=0, description="points for one hire for the week")
    max_count: int = Field(default=0, ge=0, le=50)


class ActivitySegment(_Frozen):
    activity: Activity
    start: AwareDatetime
    end: AwareDatetime


class PlannedShift(_Frozen):
    """A shift of one person; activities cover it exactly when given."""

    staff_id: str
    start: AwareDatetime
    end: AwareDatetime
    activities: tuple[ActivitySegment, ...] = ()


class Weights(_Frozen):
    """Penalty points of the soft rules (per hour for time, per occurrence otherwise)."""

    shortfall_per_hour: int = Field(default=1000, ge=0)
    below_min_on_duty_per_hour: int = Field(default=5000, ge=0)
    language_short_per_hour: int = Field(default=100, ge=0)
    skill_short_per_hour: int = Field(default=500, ge=0, description="for soft skill covers")
    rostered_hour: int = Field(default=1, ge=0, description="keeps paid hours to what is needed")
    weekend_days_max: int = Field(default=20, ge=0, description="per weekend day of the busiest")
    late_shifts_max: int = Field(default=20, ge=0, description="per late shift of the busiest")
    peak_hours_max: int = Field(default=10, ge=0, description="per peak line hour of the busiest")
    preference_scale: int = Field(default=1, ge=0, description="multiplies each wish's weight")
    changed_shift: int = Field(default=50, ge=0, description="per shift moved vs published")
    changed_line_per_hour: int = Field(
        default=0,
        ge=0,
        description="per hour of a kept shift's line time changed after the pin (re-plans)",
    )
    debrief_missing: int = Field(default=200, ge=0)
    debrief_request_missing: int = Field(
        default=400, ge=0, description="per open debrief request not placed before its deadline"
    )
    offline_day_missing: int = Field(
        default=40, ge=0, description="per person wellbeing asks an off-line day for, without one"
    )
    line_switch: int = Field(
        default=5,
        ge=0,
        description="per switch on or off the line within a shift, beyond the shift's edges "
        "and a meal break's",
    )
    relaxed_hard_rule: int = Field(
        default=1_000_000, ge=1, description="per hard rule dropped to explain an impossible week"
    )


class SolveOptions(_Frozen):
    time_limit_seconds: float = Field(default=30.0, gt=0, le=3600)
    workers: int = Field(default=2, ge=1, le=64)
    seed: int = 0
    method: Literal["auto", "full", "decomposed"] = "auto"
    allow_hires: bool = True


class RosterInstance(_Frozen):
    schema_version: Literal[1] = SCHEMA_VERSION
    site_name: str = Field(min_length=1)
    timezone: str
    interval_minutes: Literal[15, 30] = 30
    week_start: date = Field(description="the Monday the week starts on (local)")
    intervals: tuple[IntervalSlot, ...] = Field(description="open intervals; absent = closed")
    min_on_duty: int = Field(default=2, ge=0, description="never fewer on shift while open")
    seats: int | None = Field(
        default=None, ge=1, description="soundproofed seats: at most this many on the line at once"
    )
    skill_covers: tuple[SkillCover, ...] = ()
    language_covers: tuple[LanguageCover, ...] = ()
    staff: tuple[StaffEntry, ...]
    rules: WorkRules = WorkRules()
    late_shift_end_minute: int = Field(
        default=20 * 60, ge=0, le=1440, description="a shift ending after this is a late shift"
    )
    hire_templates: tuple[HireTemplate, ...] = ()
    published: tuple[PlannedShift, ...] = Field(
        default=(), description="the published roster of this week, if any"
    )
    pin_before: AwareDatetime | None = Field(
        default=None, description="published shifts starting before this are fixed"
    )
    replan_until: AwareDatetime | None = Field(
        default=None,
        description="re-plan only shifts starting before this (e.g. the rest of today): "
        "published shifts starting at or after it are fixed and no new shift starts after it",
    )
    keep_activities_after_pin: bool = Field(
        default=True,
        description="a shift under way at the pin moment keeps its published activities after "
        "it too; a re-plan of the rest of today sets False so people on shift can be moved",
    )
    replan_keeps_shift_times: bool = Field(
        default=False,
        description="a re-plan may keep or drop a published shift, not move it (new shifts only "
        "for people without one that day)",
    )
    off_line: tuple[OffLine, ...] = Field(
        default=(), description="people kept off the line in these windows (decompressing now)"
    )
    debrief_requests: tuple[DebriefRequest, ...] = Field(
        default=(), description="open debrief requests to place this week"
    )
    hand_pinned: tuple[PlannedShift, ...] = Field(
        default=(),
        description="shifts a manager placed or changed by hand: a re-solve keeps them as "
        "given, activities included, whatever the pin moment",
    )
    hand_removed: tuple[PlannedShift, ...] = Field(
        default=(),
        description="shifts a manager removed by hand: a re-solve gives the person no shift "
        "overlapping them",
    )
    weights: Weights = Weights()
    options: SolveOptions = SolveOptions()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        zone(value)
        return value

    @field_validator("week_start")
    @classmethod
    def _monday(cls, value: date) -> date:
        if value.weekday() != 0:
            raise ValueError(f"week_start {value} is not a Monday")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> RosterInstance:
        ids = [s.id for s in self.staff]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"staff: duplicate id(s) {sorted(dup)}")
        starts = [s.start for s in self.intervals]
        if len(set(starts)) != len(starts):
            raise ValueError("intervals: duplicate start times")
        keys = [t.key for t in self.hire_templates]
        if len(set(keys)) != len(keys):
            raise ValueError("hire_templates: duplicate keys")
        known = set(ids)
        for n, shift in enumerate(self.published):
            if shift.staff_id not in known:
                raise ValueError(f"published[{n}]: unknown staff_id {shift.staff_id!r}")
        for field_name in ("hand_pinned", "hand_removed"):
            for n, shift in enumerate(getattr(self, field_name)):
                if shift.staff_id not in known:
                    raise ValueError(f"{field_name}[{n}]: unknown staff_id {shift.staff_id!r}")
        for n, req in enumerate(self.debrief_requests):
            if req.staff_id not in known:
                raise ValueError(f"debrief_requests[{n}]: unknown staff_id {req.staff_id!r}")
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# ---------------------------------------------------------------- solution

SolveStatus = Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "MODEL_INVALID", "UNKNOWN"]


class StageStats(_Frozen):
    name: str
    status: SolveStatus
    objective: float | None
    best_bound: float | None
    wall_time_seconds: float


class SolveStats(_Frozen):
    status: SolveStatus
    objective: float | None = Field(description="points; None when no roster was found")
    best_bound: float | None
    gap: float | None = Field(description="(objective - bound) / objective")
    wall_time_seconds: float
    first_solution_seconds: float | None
    best_solution_seconds: float | None = None
    method: Literal["full", "decomposed"]
    workers: int
    time_limit_seconds: float
    stages: tuple[StageStats, ...] = ()
    objective_by_rule: dict[str, float] = Field(default_factory=dict)


class RosteredShift(_Frozen):
    start: AwareDatetime
    end: AwareDatetime
    activities: tuple[ActivitySegment, ...]
    pinned: bool = False


class PersonRoster(_Frozen):
    staff_id: str
    display_name: str
    hire_template: str | None = Field(default=None, description="set for a proposed hire")
    shifts: tuple[RosteredShift, ...]
    shift_minutes: int
    line_minutes: int


class ShortfallReason(StrEnum):
    """Why no one else takes the line where the roster is short, as its flag words it."""

    NO_COUNSELLORS = "no counsellors on the staff"
    ALL_ON_LINE = "every counsellor is already on the line"
    NO_LINE_HOURS = "nobody left with line hours"
    ON_MEAL = "others on meal"
    ON_OFFLINE = "others on offline"
    ON_DECOMPRESSION = "others on decompression"
    ON_DEBRIEF = "others on debrief"
    LEAVE = "everyone else is on leave or unavailable"
    CONTRACT = "everyone else has reached their contract hours"
    REST = "the others need rest or days off"


class CoverageRow(_Frozen):
    start: AwareDatetime
    end: AwareDatetime
    required: int
    on_line: int
    on_duty: int
    shortfall: int
    short_reason: ShortfallReason | None = Field(
        default=None,
        description="in a short interval: why no one else takes the line (the same reason for "
        "every interval of a run its shortfall flag covers)",
    )


class RuleBreak(_Frozen):
    rule: str = Field(description="rule key, e.g. rest_between_shifts")
    title: str = Field(description="the business rule as a manager reads it")
    hard: bool
    staff_id: str | None = None
    day: date | None = None
    start: AwareDatetime | None = None
    amount: float = 0.0
    unit: str = ""
    penalty: float = 0.0
    message: str


class Flag(_Frozen):
    severity: Literal["info", "warning", "critical"]
    kind: Literal["shortfall", "below_min_on_duty", "rule", "hire", "infeasible", "solver"]
    message: str
    start: AwareDatetime | None = None
    end: AwareDatetime | None = None
    staff_id: str | None = None


class HireShift(_Frozen):
    day: date
    start: AwareDatetime
    end: AwareDatetime
    line_minutes: int


class HireAdvice(_Frozen):
    template: str
    name: str
    count: int
    cost: int
    shifts: tuple[HireShift, ...]
    line_hours_covered: float
    shortfall_hours_with: float
    shortfall_hours_without: float = Field(
        description="shortfall if these hires are not made and the rest of the roster stays"
    )
    message: str


class Conflict(_Frozen):
    rule: str
    title: str
    staff_id: str | None = None
    day: date | None = None
    message: str


class InfeasibilityExplanation(_Frozen):
    message: str
    conflicts: tuple[Conflict, ...] = Field(description="hard rules that cannot all hold")
    relaxed: tuple[Conflict, ...] = Field(description="hard rules the returned roster breaks")


class RosterSolution(_Frozen):
    schema_version: Literal[1] = SCHEMA_VERSION
    site_name: str
    timezone: str
    week_start: date
    interval_minutes: int
    stats: SolveStats
    people: tuple[PersonRoster, ...]
    coverage: tuple[CoverageRow, ...]
    flags: tuple[Flag, ...] = ()
    broken_rules: tuple[RuleBreak, ...] = ()
    hires: tuple[HireAdvice, ...] = ()
    infeasibility: InfeasibilityExplanation | None = None

    def shortfall_hours(self) -> float:
        return sum(r.shortfall for r in self.coverage) * self.interval_minutes / 60


# ---------------------------------------------------------------- JSON Schemas

SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "roster-instance.schema.json": RosterInstance,
    "roster-solution.schema.json": RosterSolution,
}


def json_schema_texts() -> dict[str, str]:
    return {
        name: json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"
        for name, model in SCHEMA_FILES.items()
    }


def write_json_schemas(docs_dir: Path) -> list[Path]:
    """Regenerate docs/roster-*.schema.json from the pydantic models."""
    written = []
    for name, text in json_schema_texts().items():
        path = docs_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def parse_day(value: str) -> date:
    return datetime.strptime(value, "%Y-%m-%d").date()


if __name__ == "__main__":  # python -m scheduling.roster.schema: regenerate docs/*.schema.json
    for written in write_json_schemas(Path(__file__).resolve().parents[2] / "docs"):
        print(f"wrote {written}")
