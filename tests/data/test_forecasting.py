"""The Forecast & staffing page's actions, each one call that owns its session: the page
context, a week's plan with the site's holiday calendar, saving it with every candidate's
score, and the site's forecast settings kept apart from its other settings."""

from __future__ import annotations

from datetime import date

import pytest

from data.db import session_scope
from data.demo import seed_demo
from data.errors import NotFoundError
from data.forecasting import (
    forecast_page_context,
    latest_run_for_week,
    plan_week,
    save_site_staffing_settings,
    save_week_plan,
)
from data.sites import list_sites
from scheduling.domain import ForecastSettings

LAST_DAY = date(2026, 11, 22)
WEEK = date(2026, 11, 23)


def test_plan_save_and_read_back_a_week(database) -> None:
    engine = database.engine
    with session_scope(engine) as session:
        seed_demo(session=session, last_day=LAST_DAY)
        site_id = next(s.id for s in list_sites(session=session) if "Lahore" in s.name)

    context = forecast_page_context(engine=engine, site_id=site_id, actor="demo-manager")
    assert context.span is not None and context.fingerprint
    assert context.saved_settings.forecast.holiday_country == "PK"
    assert (
        latest_run_for_week(engine=engine, site_id=site_id, week=WEEK, actor="demo-manager") is None
    )

    plan = plan_week(
        engine=engine,
        site_id=site_id,
        profile=context.profile,
        settings=context.saved_settings,
        week=WEEK,
        actor="demo-manager",
    )
    assert plan.forecast.holiday_country == "PK"
    assert plan.daily[0][0] == context.span[0].astimezone(context.profile.tz).date()
    assert plan.daily[-1][0] == LAST_DAY
    assert sum(n for _, n in plan.daily) > 0

    run = save_week_plan(
        engine=engine,
        site_id=site_id,
        plan=plan,
        settings=context.saved_settings,
        actor="demo-manager",
    )
    latest = latest_run_for_week(engine=engine, site_id=site_id, week=WEEK, actor="demo-manager")
    assert latest is not None and latest.id == run.id
    assert latest.method == plan.forecast.method
    assert latest.backtest is not None and latest.backtest["chosen"] == plan.forecast.method
    assert len(latest.backtest["candidates"]) == len(plan.forecast.backtest.candidates) == 6

    changed = context.saved_settings.model_copy(
        update={"forecast": ForecastSettings(holiday_country="GB", backtest_weeks=4)}
    )
    save_site_staffing_settings(
        engine=engine, site_id=site_id, settings=changed, actor="demo-manager"
    )
    again = forecast_page_context(engine=engine, site_id=site_id, actor="demo-manager")
    assert again.saved_settings == changed
    replanned = plan_week(
        engine=engine,
        site_id=site_id,
        profile=again.profile,
        settings=changed,
        week=WEEK,
        actor="demo-manager",
    )
    assert replanned.forecast.holiday_country == "GB" and replanned.forecast.backtest.weeks == 4


def test_an_unknown_site_is_named(database) -> None:
    with pytest.raises(NotFoundError, match="no site with id 999"):
        forecast_page_context(engine=database.engine, site_id=999, actor="demo-admin")
