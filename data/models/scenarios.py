"""Saved scenarios (named, with their author, inputs and cached results) and saved comparisons
of up to four of them (what leadership's Home shows)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import field_validator
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from data.db import utcnow
from data.models.base import json_column, jsonable

MAX_COMPARED = 4


class SavedScenarioBase(SQLModel):
    site_id: int
    title: str = Field(max_length=120)  # the scenario's name
    author: str = Field(max_length=64)


class SavedScenario(SavedScenarioBase, table=True):
    __tablename__ = "saved_scenario"
    __table_args__ = (UniqueConstraint("site_id", "title"),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # The Scenario (its JSON), the evaluation options, and the ScenarioResult without its roster
    # (empty until the scenario has been run).
    inputs: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    options: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    results: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())


class SavedScenarioCreate(SavedScenarioBase):
    title: str = Field(min_length=1, max_length=120)
    author: str = Field(min_length=1, max_length=64)
    inputs: dict[str, Any]
    options: dict[str, Any] = {}
    results: dict[str, Any] = {}

    @field_validator("inputs", "options", "results")
    @classmethod
    def _json(cls, value: Any) -> Any:
        return jsonable(value)

    @field_validator("title")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("title must not be blank")
        return value


class SavedScenarioPublic(SavedScenarioBase):
    id: int
    created_at: datetime
    updated_at: datetime
    inputs: dict[str, Any]
    options: dict[str, Any]
    results: dict[str, Any]


class ScenarioComparisonBase(SQLModel):
    site_id: int
    author: str = Field(max_length=64)
    title: str = Field(max_length=200)


class ScenarioComparison(ScenarioComparisonBase, table=True):
    __tablename__ = "scenario_comparison"

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    # One summary row per scenario compared (ScenarioResult.summary()), and their month rows.
    rows: list[dict[str, Any]] = Field(default_factory=list, sa_column=json_column())
    monthly: list[dict[str, Any]] = Field(default_factory=list, sa_column=json_column())


class ScenarioComparisonCreate(ScenarioComparisonBase):
    author: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=200)
    rows: list[dict[str, Any]]
    monthly: list[dict[str, Any]] = []

    @field_validator("rows")
    @classmethod
    def _count(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not 1 <= len(value) <= MAX_COMPARED:
            raise ValueError(f"rows: compare 1 to {MAX_COMPARED} scenarios")
        return jsonable(value)

    @field_validator("monthly")
    @classmethod
    def _json(cls, value: Any) -> Any:
        return jsonable(value)


class ScenarioComparisonPublic(ScenarioComparisonBase):
    id: int
    created_at: datetime
    rows: list[dict[str, Any]]
    monthly: list[dict[str, Any]]
