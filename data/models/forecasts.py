"""Saved forecast runs and their requirement rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import field_validator
from sqlalchemy import JSON, CheckConstraint, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from data.db import utcnow
from data.models.base import json_column, jsonable, require_aware


class ForecastRunBase(SQLModel):
    site_id: int
    week_start: date
    created_by: str = Field(max_length=64)
    method: str = Field(max_length=64)


class ForecastRun(ForecastRunBase, table=True):
    __tablename__ = "forecast_run"
    __table_args__ = (Index("ix_forecast_run_site_week", "site_id", "week_start"),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    # The settings, history range and adjustments that made this run, as JSON.
    inputs: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    backtest: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class ForecastRunCreate(ForecastRunBase):
    created_by: str = Field(min_length=1, max_length=64)
    method: str = Field(min_length=1, max_length=64)
    inputs: dict[str, Any] = Field(default_factory=dict)
    backtest: dict[str, Any] | None = None

    @field_validator("inputs", "backtest")
    @classmethod
    def _json(cls, value: Any) -> Any:
        return jsonable(value)


class ForecastRunPublic(ForecastRunBase):
    id: int
    created_at: datetime
    inputs: dict[str, Any]
    backtest: dict[str, Any] | None


class RequirementRowBase(SQLModel):
    interval_start_utc: datetime
    interval_end_utc: datetime
    forecast_calls: float = Field(ge=0)
    band_low: float = Field(ge=0)
    band_high: float = Field(ge=0)
    required: int = Field(ge=0)
    queue_required: int = Field(ge=0)
    workload_erlangs: float = Field(ge=0)
    service_level: float | None = None
    answered_share: float | None = None
    abandon_share: float | None = None
    binding: str = Field(default="", sa_type=Text)


class RequirementRow(RequirementRowBase, table=True):
    __tablename__ = "requirement_row"
    __table_args__ = (
        UniqueConstraint("forecast_run_id", "interval_start_utc"),
        CheckConstraint("required >= 0 AND queue_required >= 0", name="required"),
    )

    id: int | None = Field(default=None, primary_key=True)
    forecast_run_id: int = Field(foreign_key="forecast_run.id", ondelete="CASCADE")


class RequirementRowCreate(RequirementRowBase):
    forecast_run_id: int

    @field_validator("interval_start_utc", "interval_end_utc")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return require_aware(value, "interval times")
