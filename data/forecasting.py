"""What the Forecast & staffing page does, one function a user action: each opens and closes
its own session (one transaction) and returns domain objects, so the page only lays out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy.engine import Engine

from data.access import require_site_access
from data.call_history import history_fingerprint, history_span, load_call_history
from data.db import session_scope
from data.errors import NotFoundError
from data.forecasts import list_forecast_runs, save_week_forecast
from data.models import ForecastRunPublic, SitePublic
from data.sites import get_site, get_staffing_settings, save_staffing_settings
from scheduling.domain import SiteProfile, StaffingSettings
from scheduling.forecast import Adjustment, WeekForecast, daily_totals, forecast_week
from scheduling.staffing.requirements import WeekRequirements, requirements_for_week


class ForecastPageContext(BaseModel):
    """The site, its history's extent and fingerprint, and its saved staffing settings."""

    model_config = ConfigDict(frozen=True)

    site: SitePublic
    profile: SiteProfile
    span: tuple[datetime, datetime] | None
    fingerprint: str
    saved_settings: StaffingSettings


class WeekPlan(BaseModel):
    """A week's forecast, the requirements from it, and the daily totals of the history."""

    model_config = ConfigDict(frozen=True)

    forecast: WeekForecast
    requirements: WeekRequirements
    daily: list[tuple[date, int]]


def forecast_page_context(*, engine: Engine, site_id: int, actor: str) -> ForecastPageContext:
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_id)
        site = get_site(session=session, site_id=site_id)
        if site is None:
            raise NotFoundError(f"no site with id {site_id}")
        return ForecastPageContext(
            site=site,
            profile=site.profile(),
            span=history_span(session=session, site_id=site_id),
            fingerprint=history_fingerprint(session=session, site_id=site_id),
            saved_settings=get_staffing_settings(session=session, site_id=site_id),
        )


def save_site_staffing_settings(
    *, engine: Engine, site_id: int, settings: StaffingSettings, actor: str
) -> StaffingSettings:
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_id)
        return save_staffing_settings(
            session=session, site_id=site_id, settings=settings, actor=actor
        )


def plan_week(
    *,
    engine: Engine,
    site_id: int,
    profile: SiteProfile,
    settings: StaffingSettings,
    week: date,
    adjustments: Sequence[Adjustment] = (),
    actor: str,
) -> WeekPlan:
    """Forecast the week from the site's history (with its holiday calendar and backtest
    settings) and work out the requirements. Raises ForecastError (a ValueError) when the
    history cannot support it, ValueError when the staffing cannot be worked out."""
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_id)
        history = load_call_history(session=session, site_id=site_id)
    forecast = forecast_week(
        history, profile, week, adjustments=adjustments, settings=settings.forecast
    )
    requirements = requirements_for_week(forecast, profile, settings)
    return WeekPlan(
        forecast=forecast, requirements=requirements, daily=daily_totals(history, profile)
    )


def save_week_plan(
    *,
    engine: Engine,
    site_id: int,
    plan: WeekPlan,
    settings: StaffingSettings,
    actor: str,
    extra_inputs: dict[str, Any] | None = None,
) -> ForecastRunPublic:
    """Save the week's forecast (the chosen model and every candidate's backtest score with
    it) and its requirements, for the Roster page."""
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_id)
        return save_week_forecast(
            session=session,
            site_id=site_id,
            forecast=plan.forecast,
            requirements=plan.requirements,
            settings=settings,
            actor=actor,
            extra_inputs=extra_inputs,
        )


def latest_run_for_week(
    *, engine: Engine, site_id: int, week: date, actor: str
) -> ForecastRunPublic | None:
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_id)
        runs = list_forecast_runs(session=session, site_id=site_id, week_start=week, limit=1)
    return runs[0] if runs else None
