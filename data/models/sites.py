"""Sites and their settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import model_validator
from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from data.db import utcnow
from data.models.base import json_column
from scheduling.domain import DailyWindow, SiteProfile, StaffingSettings
from scheduling.roster.work_rules import WorkRules


class SiteBase(SQLModel):
    name: str = Field(min_length=1, max_length=120)
    timezone: str = Field(default="Asia/Karachi", max_length=64)
    interval_minutes: int = Field(default=30)
    is_demo: bool = False


class Site(SiteBase, table=True):
    __tablename__ = "site"
    __table_args__ = (
        UniqueConstraint("name"),
        CheckConstraint("interval_minutes IN (15, 30)", name="interval_minutes"),
    )

    id: int | None = Field(default=None, primary_key=True)
    opening_hours: list[dict[str, int]] = Field(default_factory=list, sa_column=json_column())
    created_at: datetime = Field(default_factory=utcnow)


class SiteCreate(SiteBase):
    interval_minutes: Literal[15, 30] = 30
    opening_hours: list[DailyWindow] = Field(default_factory=list)

    @model_validator(mode="after")
    def _valid_profile(self) -> SiteCreate:
        # SiteProfile holds the rules (known zone, one window a day, on interval boundaries).
        SiteProfile(
            name=self.name,
            timezone=self.timezone,
            interval_minutes=self.interval_minutes,
            opening_hours=tuple(self.opening_hours),
        )
        return self


class SiteUpdate(SQLModel):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    timezone: str | None = Field(default=None, max_length=64)
    interval_minutes: Literal[15, 30] | None = None
    opening_hours: list[DailyWindow] | None = None


class SitePublic(SiteBase):
    id: int
    interval_minutes: Literal[15, 30]
    opening_hours: list[DailyWindow]
    created_at: datetime

    def profile(self) -> SiteProfile:
        return SiteProfile(
            name=self.name,
            timezone=self.timezone,
            interval_minutes=self.interval_minutes,
            opening_hours=tuple(sorted(self.opening_hours, key=lambda w: w.weekday)),
        )


class SiteSettings(SQLModel, table=True):
    __tablename__ = "site_settings"

    site_id: int = Field(foreign_key="site.id", primary_key=True, ondelete="CASCADE")
    staffing: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    work_rules: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: str = Field(default="system", max_length=64)


class SiteSettingsUpdate(SQLModel):
    staffing: StaffingSettings | None = None
    work_rules: WorkRules | None = None


class SiteSettingsPublic(SQLModel):
    site_id: int
    staffing: StaffingSettings
    work_rules: WorkRules
    updated_at: datetime | None
    updated_by: str | None
