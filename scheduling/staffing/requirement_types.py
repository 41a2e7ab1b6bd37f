"""What staffing hands the roster: counsellors required on the line per interval, and skills
required on shift per window."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from scheduling.domain import Frozen, Skill


class IntervalRequirement(Frozen):
    """Staffing output for one interval; times are aware datetimes in the site's zone."""

    start: datetime
    end: datetime
    forecast_calls: float = Field(ge=0)
    band_low: float = Field(ge=0)
    band_high: float = Field(ge=0)
    required: int = Field(ge=0)  # counsellors on the line
    queue_required: int = Field(ge=0)
    workload_erlangs: float = Field(ge=0)  # unrounded load, for FTE sums
    service_level: float | None = None
    answered_share: float | None = None
    abandon_share: float | None = None
    binding: str  # why `required` is what it is, in a manager's words


class SkillRequirement(Frozen):
    """A skill that must be on shift (not necessarily on the line) during [start, end)."""

    skill: Skill
    start: datetime
    end: datetime
    count: int = Field(default=1, ge=1)
    reason: str
