"""Saved forecasts: a run with its inputs and requirement rows reads back unchanged."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from data.db import session_scope
from data.errors import NotFoundError
from data.forecasts import (
    latest_forecast_run,
    list_forecast_runs,
    load_forecast_run,
    save_forecast_run,
)
from data.models import ForecastRunCreate
from scheduling.domain import StaffingSettings
from scheduling.staffing.requirement_types import IntervalRequirement

TZ = ZoneInfo("Asia/Karachi")
WEEK = date(2026, 11, 23)


def _requirements() -> list[IntervalRequirement]:
    start = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
    return [
        IntervalRequirement(
            start=start + timedelta(minutes=30 * i),
            end=start + timedelta(minutes=30 * (i + 1)),
            forecast_calls=0.4 + i / 10,
            band_low=0.1,
            band_high=1.25 + i,
            required=2 + i % 2,
            queue_required=1 + i % 2,
            workload_erlangs=0.3731 * (i + 1),
            service_level=None if i == 0 else 0.91,
            answered_share=0.97,
            abandon_share=0.03,
            binding="floor: never fewer than 2 on the line" if i % 2 == 0 else "service level",
        )
        for i in range(16)
    ]


def _run_in(site_id: int, method: str = "ets") -> ForecastRunCreate:
    return ForecastRunCreate(
        site_id=site_id,
        week_start=WEEK,
        created_by="demo-manager",
        method=method,
        inputs={
            "settings": StaffingSettings(),
            "history": {"from": date(2024, 11, 23), "to": date(2026, 11, 22)},
            "adjustments": [{"first_day": date(2026, 11, 25), "factor": 1.5}],
        },
        backtest={"wape": 0.21, "mase": 0.8, "baseline_wape": 0.25},
    )


def test_save_and_load_round_trip(engine, site_id) -> None:
    requirements = _requirements()
    with session_scope(engine) as session:
        run = save_forecast_run(session=session, run_in=_run_in(site_id), requirements=requirements)
    with session_scope(engine) as session:
        saved = load_forecast_run(session=session, run_id=run.id)
    assert saved.requirements == requirements
    assert all(
        r.start.tzinfo is not None and r.start.utcoffset() == timedelta(hours=5)
        for r in saved.requirements
    )
    assert saved.run.inputs["settings"] == StaffingSettings().model_dump(mode="json")
    assert StaffingSettings.model_validate(saved.run.inputs["settings"]) == StaffingSettings()
    assert saved.run.inputs["history"] == {"from": "2024-11-23", "to": "2026-11-22"}
    assert saved.run.backtest == {"wape": 0.21, "mase": 0.8, "baseline_wape": 0.25}
    assert (saved.run.week_start, saved.run.method, saved.run.created_by) == (
        WEEK,
        "ets",
        "demo-manager",
    )


def test_latest_run_for_a_week(engine, site_id) -> None:
    with session_scope(engine) as session:
        save_forecast_run(session=session, run_in=_run_in(site_id, "naive"), requirements=[])
        save_forecast_run(
            session=session, run_in=_run_in(site_id, "ets"), requirements=_requirements()
        )
    with session_scope(engine) as session:
        runs = list_forecast_runs(session=session, site_id=site_id, week_start=WEEK)
        latest = latest_forecast_run(session=session, site_id=site_id, week_start=WEEK)
        none = latest_forecast_run(session=session, site_id=site_id, week_start=date(2020, 1, 6))
    assert [r.method for r in runs] == ["ets", "naive"]
    assert latest is not None and latest.run.method == "ets" and len(latest.requirements) == 16
    assert none is None


def test_unknown_run(engine) -> None:
    with pytest.raises(NotFoundError), session_scope(engine) as session:
        load_forecast_run(session=session, run_id=999)
