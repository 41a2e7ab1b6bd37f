"""The Forecast & staffing page on the demo database: the manager sees the forecast and the
heatmap, the form refuses bad values by name, saving stores a run the Roster page can read,
and other roles are turned away."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from pydantic import ValidationError
from streamlit.testing.v1 import AppTest

from data.db import get_engine, session_scope
from data.forecasts import latest_forecast_run, list_forecast_runs
from data.sites import get_site_profile, get_staffing_settings, save_staffing_settings
from scheduling.domain import Role, StaffingSettings
from scheduling.staffing.requirements import CLOSED
from tests.ui.conftest import demo_account, demo_site_id, page_as
from ui.components.adjustments_editor import parse_adjustments
from ui.components.staffing_form import describe_errors

WEEK = date(2026, 11, 23)  # the Monday after the demo history's last day


def _page(role: Role) -> AppTest:
    return page_as("forecast_staffing.py", role)


def _trace_types(at: AppTest) -> list[set[str]]:
    return [
        {trace["type"] for trace in json.loads(chart.proto.spec)["data"]}
        for chart in at.get("plotly_chart")
    ]


@pytest.fixture(scope="module")
def manager_page(demo_database: str) -> AppTest:
    at = _page(Role.MANAGER)
    return at.date_input(key=f"fs_week_{demo_site_id(demo_database)}").set_value(WEEK).run()


def test_manager_sees_the_forecast_chart_the_heatmap_and_the_totals(manager_page) -> None:
    at = manager_page
    assert not at.exception
    assert not at.error
    assert at.title[0].value == "Forecast & staffing"
    assert any("Week of Monday 23 November 2026" in s.value for s in at.subheader)
    types = _trace_types(at)
    assert {"scatter"} in types  # history, band and forecast
    assert {"heatmap"} in types
    labels = [m.label for m in at.metric]
    assert labels == [
        "Calls offered (forecast)",
        "Workload",
        "Counsellor-hours on the line",
        "Peak at once",
    ]
    # The backtest sits beside its baseline, with the verdict in words.
    assert any("WAPE" in str(t.value) for t in at.table)
    assert any("last 8 weeks" in box.value for box in [*at.info, *at.success, *at.warning])


def test_manager_sees_every_candidate_model_and_the_chosen_one(manager_page) -> None:
    at = manager_page
    assert not at.exception
    table = next(d.value for d in at.dataframe if "WAPE per interval" in d.value.columns)
    labels = " ".join(table["Model"])
    for label in (
        "Repeat last week",
        "Mean of the last 4 weeks",
        "Exponential smoothing x intraday profile",
        "Poisson model per interval",
        "Mean of the last 4 weeks' days x intraday profile",
        "Weekly level x weekday x day of month",
    ):
        assert label in labels
    assert sum(m.startswith("✔ ") for m in table["Model"]) == 1
    assert set(table.columns) >= {"WAPE per day", "80% band held", "Fit time"}
    assert any("Poisson noise alone" in c.value for c in at.caption)
    # The same scores as a chart: one bar per candidate, per interval and per day.
    bars = [
        trace
        for chart in at.get("plotly_chart")
        for trace in json.loads(chart.proto.spec)["data"]
        if trace["type"] == "bar"
    ]
    assert len(bars) == 2 and all(len(b["y"]) == 6 for b in bars)


def test_a_bad_holiday_country_is_refused_by_name(demo_database: str) -> None:
    at = _page(Role.MANAGER)
    site_id = demo_site_id(demo_database)
    form = f"fs_forecast_form_{site_id}"
    at.text_input(key=f"{form}_country").set_value("XX")
    at.button(key=f"{form}_save").click().run()
    assert not at.exception
    assert any(
        "Public holidays of (country code): unknown holiday country 'XX'" in e.value
        for e in at.error
    )
    with session_scope(get_engine(demo_database)) as session:
        saved = get_staffing_settings(session=session, site_id=site_id)
    assert saved.forecast.holiday_country == "PK"


def test_holiday_country_is_saved_for_the_site(demo_database: str) -> None:
    site_id = demo_site_id(demo_database)
    with session_scope(get_engine(demo_database)) as session:
        before = get_staffing_settings(session=session, site_id=site_id)
    at = _page(Role.MANAGER)
    form = f"fs_forecast_form_{site_id}"
    at.text_input(key=f"{form}_country").set_value("gb")
    at.button(key=f"{form}_save").click().run()
    try:
        assert not at.exception and not at.error
        with session_scope(get_engine(demo_database)) as session:
            after = get_staffing_settings(session=session, site_id=site_id)
        assert after.forecast.holiday_country == "GB"
        assert after.model_copy(update={"forecast": before.forecast}) == before
        assert any("public holidays of GB" in c.value for c in at.caption)
    finally:
        with session_scope(get_engine(demo_database)) as session:
            save_staffing_settings(session=session, site_id=site_id, settings=before, actor="test")


def test_decompression_below_five_minutes_is_refused_by_name(
    manager_page, demo_database: str
) -> None:
    at = manager_page
    site_id = demo_site_id(demo_database)
    form = f"fs_settings_form_{site_id}"
    for button in ("apply", "save"):
        at.number_input(key=f"{form}_decompression").set_value(3.0)
        at.button(key=f"{form}_{button}").click().run()
        assert not at.exception
        messages = " ".join(e.value for e in at.error)
        assert "Decompression after a difficult call (min): must be at least 5" in messages
        assert at.session_state[f"fs_settings_{site_id}"].handle.decompression_minutes == 10
    with session_scope(get_engine(demo_database)) as session:
        saved = get_staffing_settings(session=session, site_id=site_id)
    assert saved.handle.decompression_minutes == 10
    at.number_input(key=f"{form}_decompression").set_value(10.0)
    at.run()


def test_save_as_site_defaults_writes_the_settings(demo_database: str) -> None:
    site_id = demo_site_id(demo_database)
    with session_scope(get_engine(demo_database)) as session:
        before = get_staffing_settings(session=session, site_id=site_id)
    at = _page(Role.MANAGER)
    form = f"fs_settings_form_{site_id}"
    at.number_input(key=f"{form}_decompression").set_value(15.0)
    at.button(key=f"{form}_save").click().run()
    try:
        assert not at.exception
        assert not at.error
        with session_scope(get_engine(demo_database)) as session:
            after = get_staffing_settings(session=session, site_id=site_id)
        assert after.handle.decompression_minutes == 15
        # Only what the form shows changes; specialist cover and languages are kept.
        assert after.floors == before.floors
        assert after.model_copy(update={"handle": before.handle}) == before
    finally:
        with session_scope(get_engine(demo_database)) as session:
            save_staffing_settings(session=session, site_id=site_id, settings=before, actor="test")


def test_the_decompression_cover_and_the_long_decompression_are_site_settings(
    demo_database: str,
) -> None:
    site_id = demo_site_id(demo_database)
    with session_scope(get_engine(demo_database)) as session:
        before = get_staffing_settings(session=session, site_id=site_id)
    at = _page(Role.MANAGER)
    form = f"fs_settings_form_{site_id}"
    try:
        at.number_input(key=f"{form}_long_decompression").set_value(45.0)
        at.checkbox(key=f"{form}_free_on").uncheck()  # off: the plain floor only
        at.button(key=f"{form}_save").click().run()
        assert not at.exception and not at.error
        with session_scope(get_engine(demo_database)) as session:
            after = get_staffing_settings(session=session, site_id=site_id)
        assert after.handle.long_decompression_minutes == 45
        assert after.floors.free_probability is None
        # and back on, from the form
        at.checkbox(key=f"{form}_free_on").check()
        at.number_input(key=f"{form}_free").set_value(99.0)
        at.button(key=f"{form}_save").click().run()
        with session_scope(get_engine(demo_database)) as session:
            again = get_staffing_settings(session=session, site_id=site_id)
        assert again.floors.free_probability == pytest.approx(0.99)
    finally:
        with session_scope(get_engine(demo_database)) as session:
            save_staffing_settings(session=session, site_id=site_id, settings=before, actor="test")


def test_a_decompression_cover_of_100_percent_is_refused_by_name(
    manager_page, demo_database: str
) -> None:
    at = manager_page
    site_id = demo_site_id(demo_database)
    form = f"fs_settings_form_{site_id}"
    at.number_input(key=f"{form}_free").set_value(100.0)
    at.number_input(key=f"{form}_long_decompression").set_value(2.0)
    at.button(key=f"{form}_apply").click().run()
    assert not at.exception
    messages = " ".join(e.value for e in at.error)
    assert (
        "Two free to answer while others decompress (% of open time): must be less than 100%"
        in (messages)
    )
    assert "... after a second one in a row (min): must be at least 5" in messages


def test_saving_the_forecast_creates_a_run_the_roster_can_read(
    manager_page, demo_database: str
) -> None:
    at = manager_page
    site_id = demo_site_id(demo_database)
    engine = get_engine(demo_database)
    with session_scope(engine) as session:
        runs_before = len(list_forecast_runs(session=session, site_id=site_id, week_start=WEEK))
        profile = get_site_profile(session=session, site_id=site_id)
        settings = get_staffing_settings(session=session, site_id=site_id)
    at.button(key="fs_save").click().run()
    assert not at.exception
    with session_scope(engine) as session:
        runs_after = len(list_forecast_runs(session=session, site_id=site_id, week_start=WEEK))
        saved = latest_forecast_run(session=session, site_id=site_id, week_start=WEEK)
    assert runs_after == runs_before + 1
    assert saved is not None
    assert len(saved.requirements) == 7 * 24 * 60 // profile.interval_minutes
    assert saved.run.created_by == demo_account(Role.MANAGER).username
    assert saved.run.inputs["settings"] == settings.model_dump(mode="json")
    assert saved.run.inputs["history"] == {"from": "2024-11-23", "to": "2026-11-22"}
    assert saved.run.backtest is not None and "verdict" in saved.run.backtest
    # The chosen model and every candidate's score are saved with the run.
    assert saved.run.backtest["chosen"] == saved.run.method
    assert {c["name"] for c in saved.run.backtest["candidates"]} == {
        "seasonal_naive",
        "mean_4w_profile",
        "mean_4w",
        "ets_damped_weekly",
        "glm_weekly_intraday",
        "level_weekday_monthday",
    }
    assert all("interval" in c and "band_coverage" in c for c in saved.run.backtest["candidates"])
    assert saved.run.inputs["holiday_country"] == "PK"
    open_rows = [r for r in saved.requirements if r.binding != CLOSED]
    assert open_rows and all(r.required >= settings.floors.min_on_line for r in open_rows)
    assert any(
        "Latest saved forecast for this week" in c.value and "the same as shown" in c.value
        for c in at.caption
    )


def test_a_week_with_too_little_history_gets_a_message_not_a_traceback(
    demo_database: str,
) -> None:
    at = _page(Role.MANAGER)
    site_id = demo_site_id(demo_database)
    at.date_input(key=f"fs_week_{site_id}").set_value(date(2024, 11, 30)).run()
    assert not at.exception
    assert any("No forecast for the week of 25 November 2024" in e.value for e in at.error)
    assert any("Monday 25 November 2024" in c.value for c in at.caption)
    assert not at.get("plotly_chart")


@pytest.mark.parametrize("role", [Role.STAFF, Role.SUPERVISOR, Role.ADMIN])
def test_other_roles_are_refused(role: Role, demo_database: str) -> None:
    at = _page(role)
    assert not at.exception
    assert [e.value for e in at.error] == ["This page is not available to your role."]
    assert len(at.title) == 0
    assert not at.get("plotly_chart")


# --- the components' parsing, without a page ----------------------------------------------


def test_adjustment_rows_are_parsed_and_bad_rows_named() -> None:
    table = pd.DataFrame(
        {
            "label": ["Campaign", "Backwards", None, "No dates"],
            "first_day": [date(2026, 11, 25), date(2026, 11, 27), None, None],
            "last_day": [pd.Timestamp("2026-11-27"), date(2026, 11, 25), None, None],
            "multiplier": [1.5, 2.0, float("nan"), 1.2],
        }
    )
    adjustments, problems = parse_adjustments(table)
    assert [(a.label, a.first_day, a.last_day, a.multiplier) for a in adjustments] == [
        ("Campaign", date(2026, 11, 25), date(2026, 11, 27), 1.5)
    ]
    assert len(problems) == 2
    assert problems[0].startswith("Adjustment 2 (Backwards):")
    assert "last_day is before first_day" in problems[0]
    assert problems[1] == "Adjustment 4 (No dates): first day and last day missing."


def test_settings_errors_name_the_form_field() -> None:
    with pytest.raises(ValidationError) as caught:
        StaffingSettings.model_validate(
            {"handle": {"decompression_minutes": 3, "difficult_share": 1.5}}
        )
    assert describe_errors(caught.value) == [
        "Difficult calls (%): must be at most 100% (you entered 150%).",
        "Decompression after a difficult call (min): must be at least 5 (you entered 3).",
    ]
