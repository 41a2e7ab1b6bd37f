"""The site's work rules for the roster, in minutes (DOMAIN.md defaults). A field left None is
the rule's own number, kept in its rule module (scheduling/roster/rules/)."""

from __future__ import annotations

from pydantic import Field, model_validator

from scheduling.domain import Frozen


class WorkRules(Frozen):
    """Work rules in minutes (DOMAIN.md defaults)."""

    shift_min_minutes: int = Field(default=240, ge=30)
    shift_max_minutes: int = Field(default=480, ge=30)
    shift_start_step_minutes: int = Field(default=30, ge=15)
    line_max_minutes_day: int = Field(default=360, ge=0)
    line_max_minutes_week: int = Field(default=1800, ge=0)
    meal_break_if_shift_over_minutes: int = Field(default=300, ge=0)
    meal_break_minutes: int = Field(default=30, ge=0)
    meal_break_earliest_minutes: int = Field(default=120, ge=0)  # from shift start
    meal_break_latest_end_minutes: int = Field(default=300, ge=0)  # from shift start
    # None: the rule module's own number (rules/rest_between_shifts.py, consecutive_days.py,
    # days_off.py), so the rule and its default live in one place
    min_rest_minutes: int | None = Field(
        default=None, ge=0, description="absent: the rule's own (rest_between_shifts)"
    )
    max_consecutive_days: int | None = Field(
        default=None, ge=1, description="absent: the rule's own (consecutive_days)"
    )
    min_days_off_week: int | None = Field(
        default=None, ge=0, le=7, description="absent: the rule's own (days_off)"
    )
    # rules off unless set (None): a cap on late shifts a week, on weekends worked in a
    # window of weeks, and the shortest run of days off / of working days
    max_late_shifts_week: int | None = Field(default=None, ge=0, le=7)
    max_weekends_worked: int | None = Field(default=None, ge=0)
    weekend_window_weeks: int = Field(default=4, ge=1, le=52)
    min_days_off_in_a_row: int | None = Field(default=None, ge=1, le=7)
    min_working_days_in_a_row: int | None = Field(default=None, ge=1, le=7)

    @model_validator(mode="after")
    def _shift_range(self) -> WorkRules:
        if self.shift_max_minutes < self.shift_min_minutes:
            raise ValueError("shift_max_minutes is below shift_min_minutes")
        return self
