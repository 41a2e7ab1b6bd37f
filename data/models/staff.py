"""Staff members and their leave."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from pydantic import ValidationInfo, field_validator, model_validator
from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from data.db import utcnow
from data.models.base import json_column
from scheduling.domain import (
    DailyWindow,
    Employment,
    LeavePeriod,
    Skill,
    StaffMember,
)
from scheduling.staff_rules import availability_problems, overlapping_leave

# Validation context keys: the repositories pass the site's opening hours and the person's
# other leave, so the schemas check what a record means for its site.
OPENING_HOURS = "opening_hours"
OTHER_LEAVE = "other_leave"


def windows_inside_opening_hours(
    value: list[DailyWindow], info: ValidationInfo
) -> list[DailyWindow]:
    """Availability windows, refused with every problem named when the validation context
    gives the site's opening hours and a window falls outside them."""
    hours = (info.context or {}).get(OPENING_HOURS)
    if hours is not None:
        problems = availability_problems(value, hours)
        if problems:
            raise ValueError("; ".join(problems))
    return value


LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}$")


class StaffBase(SQLModel):
    display_name: str = Field(min_length=1, max_length=120)
    employment: str = Field(default=Employment.FULL_TIME.value, max_length=20)
    contract_minutes_min: int = Field(default=0, ge=0, le=7 * 24 * 60)
    contract_minutes_max: int = Field(default=40 * 60, ge=0, le=7 * 24 * 60)
    line_cap_minutes_week: int = Field(default=30 * 60, ge=0, le=7 * 24 * 60)
    active: bool = True


class Staff(StaffBase, table=True):
    __tablename__ = "staff"
    __table_args__ = (
        CheckConstraint("contract_minutes_max >= contract_minutes_min", name="contract_range"),
        CheckConstraint("line_cap_minutes_week >= 0", name="line_cap"),
    )

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", index=True, ondelete="CASCADE")
    skills: list[str] = Field(default_factory=list, sa_column=json_column())
    languages: list[str] = Field(default_factory=list, sa_column=json_column())
    availability: list[dict[str, int]] = Field(default_factory=list, sa_column=json_column())
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


def _clean_languages(value: list[str] | None) -> list[str] | None:
    if value is None:
        return None
    cleaned: list[str] = []
    for code in value:
        code = code.strip().lower()
        if not LANGUAGE_PATTERN.match(code):
            raise ValueError(f"language {code!r}: expected a 2- or 3-letter code such as 'ur'")
        if code not in cleaned:
            cleaned.append(code)
    return cleaned


class StaffCreate(StaffBase):
    site_id: int
    employment: Employment = Employment.FULL_TIME
    skills: list[Skill] = Field(default_factory=lambda: [Skill.COUNSELLOR], min_length=1)
    languages: list[str] = Field(default_factory=list)
    availability: list[DailyWindow] = Field(default_factory=list)

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str] | None) -> list[str] | None:
        return _clean_languages(value)

    @model_validator(mode="after")
    def _contract_range(self) -> StaffCreate:
        if self.contract_minutes_max < self.contract_minutes_min:
            raise ValueError(
                f"contract_minutes_min: the contract minimum "
                f"({self.contract_minutes_min / 60:g} h) is above the maximum "
                f"({self.contract_minutes_max / 60:g} h), so the maximum is below the minimum"
            )
        return self

    @field_validator("availability")
    @classmethod
    def _inside_opening_hours(
        cls, value: list[DailyWindow], info: ValidationInfo
    ) -> list[DailyWindow]:
        return windows_inside_opening_hours(value, info)


class StaffUpdate(SQLModel):
    display_name: str | None = Field(default=None, min_length=1, max_length=120)
    employment: Employment | None = None
    skills: list[Skill] | None = Field(default=None, min_length=1)
    languages: list[str] | None = None
    contract_minutes_min: int | None = Field(default=None, ge=0, le=7 * 24 * 60)
    contract_minutes_max: int | None = Field(default=None, ge=0, le=7 * 24 * 60)
    line_cap_minutes_week: int | None = Field(default=None, ge=0, le=7 * 24 * 60)
    availability: list[DailyWindow] | None = None
    active: bool | None = None

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str] | None) -> list[str] | None:
        return _clean_languages(value)


class StaffLeaveBase(SQLModel):
    first_day: date
    last_day: date
    reason: str = Field(default="leave", max_length=20)


class StaffLeave(StaffLeaveBase, table=True):
    __tablename__ = "staff_leave"
    __table_args__ = (CheckConstraint("last_day >= first_day", name="ordered"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True, ondelete="CASCADE")


class StaffLeaveCreate(StaffLeaveBase):
    staff_id: int
    reason: Literal["leave", "training", "sick", "other"] = "leave"

    @model_validator(mode="after")
    def _ordered(self, info: ValidationInfo) -> StaffLeaveCreate:
        if self.last_day < self.first_day:
            raise ValueError("leave: last_day is before first_day")
        others = (info.context or {}).get(OTHER_LEAVE)
        if others:
            period = LeavePeriod(
                first_day=self.first_day, last_day=self.last_day, reason=self.reason
            )
            clash = overlapping_leave(period, others)
            if clash is not None:
                raise ValueError(
                    f"first_day/last_day: {self.first_day:%d %b %Y} to {self.last_day:%d %b %Y} "
                    f"overlaps the {clash.reason} from {clash.first_day:%d %b %Y} to "
                    f"{clash.last_day:%d %b %Y}"
                )
        return self


class StaffLeavePublic(StaffLeaveBase):
    id: int
    staff_id: int
    reason: Literal["leave", "training", "sick", "other"]

    def period(self) -> LeavePeriod:
        return LeavePeriod(first_day=self.first_day, last_day=self.last_day, reason=self.reason)


class StaffPublic(StaffBase):
    id: int
    site_id: int
    employment: Employment
    skills: list[Skill]
    languages: list[str]
    availability: list[DailyWindow]
    leave: list[StaffLeavePublic] = Field(default_factory=list)

    def member(self) -> StaffMember:
        return StaffMember(
            id=str(self.id),
            display_name=self.display_name,
            skills=frozenset(self.skills),
            languages=tuple(self.languages),
            employment=self.employment,
            contract_minutes_min=self.contract_minutes_min,
            contract_minutes_max=self.contract_minutes_max,
            line_cap_minutes_week=self.line_cap_minutes_week,
            availability=tuple(self.availability),
            leave=tuple(p.period() for p in self.leave),
        )
