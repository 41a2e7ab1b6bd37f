"""Saved forecasts (issue 3): a run per site and week, the inputs that made it, and its
requirement rows, read back as IntervalRequirement (scheduling/staffing/requirement_types.py)
in the site's zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict
from sqlalchemy import insert
from sqlmodel import Session, col, select

from data.audit import write_audit
from data.errors import NotFoundError
from data.models import (
    ForecastRun,
    ForecastRunCreate,
    ForecastRunPublic,
    RequirementRow,
    RequirementRowCreate,
    Site,
)
from scheduling.domain import StaffingSettings
from scheduling.forecast import WeekForecast
from scheduling.staffing.requirement_types import IntervalRequirement
from scheduling.staffing.requirements import WeekRequirements

_VALUES = (
    "forecast_calls",
    "band_low",
    "band_high",
    "required",
    "queue_required",
    "workload_erlangs",
    "service_level",
    "answered_share",
    "abandon_share",
    "binding",
)


class SavedForecast(BaseModel):
    model_config = ConfigDict(frozen=True)

    run: ForecastRunPublic
    requirements: list[IntervalRequirement]


def save_forecast_run(
    *,
    session: Session,
    run_in: ForecastRunCreate,
    requirements: Sequence[IntervalRequirement],
) -> ForecastRunPublic:
    """Store a run and its rows together (call inside one session_scope)."""
    if session.get(Site, run_in.site_id) is None:
        raise NotFoundError(f"no site with id {run_in.site_id}")
    run = ForecastRun.model_validate(run_in)
    session.add(run)
    session.flush()
    assert run.id is not None
    rows = [
        RequirementRowCreate(
            forecast_run_id=run.id,
            interval_start_utc=r.start.astimezone(UTC),
            interval_end_utc=r.end.astimezone(UTC),
            **r.model_dump(include=set(_VALUES)),
        ).model_dump()
        for r in requirements
    ]
    if rows:
        session.execute(insert(RequirementRow), rows)
    session.flush()
    write_audit(
        session=session,
        actor=run.created_by,
        action="forecast.save",
        target=f"site {run.site_id} week {run.week_start}",
        detail=f"run {run.id}, {len(rows)} intervals, method {run.method}",
    )
    return ForecastRunPublic.model_validate(run)


def save_week_forecast(
    *,
    session: Session,
    site_id: int,
    forecast: WeekForecast,
    requirements: WeekRequirements,
    settings: StaffingSettings,
    actor: str,
    extra_inputs: dict[str, Any] | None = None,
) -> ForecastRunPublic:
    """Store a week's forecast and requirements with the inputs that made them (the one
    layout of ForecastRun.inputs); `extra_inputs` adds keys such as where it came from."""
    inputs: dict[str, Any] = {
        **(extra_inputs or {}),
        "settings": settings,
        "history": {"from": forecast.history_start, "to": forecast.history_end},
        "adjustments": list(forecast.adjustments),
        "method": forecast.method,
        "method_note": forecast.method_note,
        "totals": {
            "offered_calls": requirements.offered_calls,
            "workload_hours": requirements.workload_hours,
            "required_hours": requirements.required_hours,
            "peak_required": requirements.peak_required,
        },
    }
    return save_forecast_run(
        session=session,
        run_in=ForecastRunCreate(
            site_id=site_id,
            week_start=forecast.week_start,
            created_by=actor,
            method=forecast.method,
            inputs=inputs,
            backtest=forecast.backtest.model_dump(mode="json"),
        ),
        requirements=requirements.intervals,
    )


def load_forecast_run(*, session: Session, run_id: int) -> SavedForecast:
    run = session.get(ForecastRun, run_id)
    if run is None:
        raise NotFoundError(f"no forecast run with id {run_id}")
    site = session.get(Site, run.site_id)
    assert site is not None
    tz = ZoneInfo(site.timezone)
    rows = session.exec(
        select(RequirementRow)
        .where(RequirementRow.forecast_run_id == run_id)
        .order_by(col(RequirementRow.interval_start_utc))
    )
    requirements = [
        IntervalRequirement(
            start=row.interval_start_utc.astimezone(tz),
            end=row.interval_end_utc.astimezone(tz),
            **{name: getattr(row, name) for name in _VALUES},
        )
        for row in rows
    ]
    return SavedForecast(run=ForecastRunPublic.model_validate(run), requirements=requirements)


def list_forecast_runs(
    *, session: Session, site_id: int, week_start: date | None = None, limit: int = 50
) -> list[ForecastRunPublic]:
    """Newest first."""
    query = select(ForecastRun).where(ForecastRun.site_id == site_id)
    if week_start is not None:
        query = query.where(ForecastRun.week_start == week_start)
    query = query.order_by(col(ForecastRun.created_at).desc(), col(ForecastRun.id).desc())
    return [ForecastRunPublic.model_validate(r) for r in session.exec(query.limit(limit))]


def latest_forecast_run(
    *, session: Session, site_id: int, week_start: date
) -> SavedForecast | None:
    runs = list_forecast_runs(session=session, site_id=site_id, week_start=week_start, limit=1)
    return load_forecast_run(session=session, run_id=runs[0].id) if runs else None
