"""Forecast & staffing: the calls to expect in a week, per interval, and the counsellors needed
on the line to answer them; saved for the Roster page."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

import streamlit as st

from data.db import database_url
from data.forecasting import (
    forecast_page_context,
    latest_run_for_week,
    plan_week,
    save_site_staffing_settings,
    save_week_plan,
)
from data.models import ForecastRunPublic
from scheduling.domain import Role, SiteProfile, StaffingSettings, coming_monday, monday_of
from scheduling.forecast import Adjustment, ForecastError
from scheduling.staffing.export import requirements_csv
from ui.components import week_picker
from ui.components.adjustments_editor import adjustments_editor
from ui.components.downloads import audited
from ui.components.forecast_charts import (
    candidates_figure,
    forecast_history_figure,
    requirements_heatmap,
)
from ui.components.forecast_panels import (
    backtest_panel,
    candidates_table,
    forecast_settings_form,
    skills_table,
    totals_panel,
)
from ui.components.staffing_form import MODELS, staffing_settings_form
from ui.session import require_role
from ui.state import engine, require_site_id

user = require_role(Role.MANAGER)
st.title("Forecast & staffing")

site_id = require_site_id()
context = forecast_page_context(engine=engine(), site_id=site_id, actor=user.username)
site, span, fingerprint = context.site, context.span, context.fingerprint
saved_settings = context.saved_settings
profile = context.profile
tz = profile.tz
if span is None:
    st.info("No call history yet: import it on the Call history page, then come back.")
    st.stop()
first_day, last_day = (s.astimezone(tz).date() for s in span)
next_monday = last_day + timedelta(days=7 - last_day.weekday())

st.caption(
    f"{site.name}: call history from {first_day:%d %b %Y} to {last_day:%d %b %Y}. "
    f"Times in {site.timezone}."
)


# --- inputs ------------------------------------------------------------------------------

settings_key = f"fs_settings_{site_id}"
if settings_key not in st.session_state:
    st.session_state[settings_key] = saved_settings

# The week is the one the Roster page plans (shared through the week picker).
picked = week_picker.show(
    f"fs_week_{site_id}",
    default=coming_monday(datetime.now(tz).date()),
    shared_key=week_picker.planning_week_key(site_id),
    min_value=first_day + timedelta(days=7),
    max_value=next_monday + timedelta(weeks=52),
    nothing_saved="",
)
summary_col = st.container()
if not isinstance(picked, date):
    st.info("Pick the first day of the week.")
    st.stop()
week = monday_of(picked)

with st.expander("Adjustments: campaigns, surges, holidays"):
    st.caption(
        "Scale the forecast over a date range: 1.5 for a campaign expected to bring half as "
        "many calls again, 0.5 for a holiday. Rows that overlap multiply. Click the empty row "
        "to add one."
    )
    adjustments, adjustment_problems = adjustments_editor(
        key=f"fs_adjustments_{site_id}", default_day=next_monday
    )
    for problem in adjustment_problems:
        st.warning(f"{problem} This row is left out.")

with st.expander("Targets and handle times"):
    submission = staffing_settings_form(
        st.session_state[settings_key], key=f"fs_settings_form_{site_id}"
    )
    if submission is not None and submission.settings is not None:
        st.session_state[settings_key] = submission.settings
        if submission.action == "save":
            saved_settings = save_site_staffing_settings(
                engine=engine(), site_id=site_id, settings=submission.settings, actor=user.username
            )
            st.success("Saved as this site's defaults, and applied below.")
        else:
            st.success("Applied below. Not saved as the site's defaults.")

with st.expander("Forecast: holidays and backtest"):
    current: StaffingSettings = st.session_state[settings_key]
    chosen_forecast = forecast_settings_form(current.forecast, key=f"fs_forecast_form_{site_id}")
    if chosen_forecast is not None:
        # Only the forecast settings are saved: targets applied but not saved stay unsaved.
        saved_settings = save_site_staffing_settings(
            engine=engine(),
            site_id=site_id,
            settings=saved_settings.model_copy(update={"forecast": chosen_forecast}),
            actor=user.username,
        )
        st.session_state[settings_key] = current.model_copy(update={"forecast": chosen_forecast})
        st.success("Saved as this site's forecast settings, and applied below.")

settings: StaffingSettings = st.session_state[settings_key]
t, h = settings.targets, settings.handle
summary = (
    f"{MODELS[t.model].split(':')[0]}"
    + (f", patience {t.patience_seconds:g} s" if t.model == "erlang_a" else "")
    + (f" · at least {t.answered_share_min:.0%} answered" if t.model == "erlang_a" else "")
    + f" · {t.service_level:.0%} within {t.target_answer_seconds:g} s"
    + (f" · occupancy at most {t.max_occupancy:.0%}" if t.max_occupancy else "")
    + f" · handle time {h.effective_handle_seconds / 60:.1f} min with decompression"
    + f" · never fewer than {settings.floors.min_on_line} on the line"
)
summary_col.caption(
    summary + ("" if settings == saved_settings else " · **not the site's saved defaults**")
)
if picked != week:
    st.caption(f"Weeks start on Monday: showing the week of Monday {week:%d %B %Y}.")


# --- compute (cached by a hash of everything that goes in) -------------------------------


def _input_key(
    profile: SiteProfile,
    settings: StaffingSettings,
    week: date,
    adjustments: list[Adjustment],
) -> str:
    material = {
        "database": database_url(),
        "site_id": site_id,
        "site": profile.model_dump(mode="json"),
        "history": fingerprint,
        "settings": settings.model_dump(mode="json"),
        "week": week.isoformat(),
        "adjustments": [a.model_dump(mode="json") for a in adjustments],
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


@st.cache_data(show_spinner=False, max_entries=32, ttl=3600)
def _compute(
    key: str,
    username: str,
    _site_id: int,
    _profile: SiteProfile,
    _settings: StaffingSettings,
    _week: date,
    _adjustments: list[Adjustment],
) -> dict[str, Any]:
    """Forecast and requirements for the inputs `key` hashes (the other arguments)."""
    try:
        plan = plan_week(
            engine=engine(),
            site_id=_site_id,
            profile=_profile,
            settings=_settings,
            week=_week,
            adjustments=_adjustments,
            actor=username,
        )
    except ForecastError as exc:
        return {"error": f"No forecast for the week of {_week:%d %B %Y}: {exc}."}
    except ValueError as exc:
        return {"error": f"The staffing could not be worked out: {exc}."}
    return {"plan": plan}


week_days = [week + timedelta(days=i) for i in range(7)]
adjustments = [a for a in adjustments if any(a.covers(d) for d in week_days)]
key = _input_key(profile, settings, week, adjustments)
with st.spinner("Forecasting the week and working out the staffing: a few seconds..."):
    result = _compute(key, user.username, site_id, profile, settings, week, adjustments)
if "error" in result:
    st.error(result["error"], icon=":material/error:")
    st.stop()
plan = result["plan"]
forecast = plan.forecast
requirements = plan.requirements


# --- results -----------------------------------------------------------------------------

st.subheader(f"Week of Monday {week:%d %B %Y}")
totals_panel(requirements)


def _saved_line(run: ForecastRunPublic | None) -> str:
    if run is None:
        return (
            "Nothing saved for this week yet. The Roster page plans from the latest saved "
            "forecast of a week."
        )
    made = run.created_at if run.created_at.tzinfo else run.created_at.replace(tzinfo=UTC)
    same = run.inputs.get("input_key") == key
    return (
        f"Latest saved forecast for this week: {made.astimezone(tz):%d %b %Y %H:%M} by "
        f"{run.created_by} (run {run.id}), "
        + (
            "the same as shown here."
            if same
            else "made with other settings, adjustments or history than shown here."
        )
    )


save_box = st.container(border=True)
bar = save_box.container(horizontal=True, vertical_alignment="center")
if bar.button(
    "Save this forecast",
    type="primary",
    icon=":material/save:",
    key="fs_save",
    help="Stores the requirements with the inputs that made them; the Roster page uses the "
    "latest saved forecast of the week.",
):
    saved_run = save_week_plan(
        engine=engine(),
        site_id=site_id,
        plan=plan,
        settings=settings,
        actor=user.username,
        extra_inputs={"input_key": key},
    )
    st.toast(f"Saved run {saved_run.id} for the week of {week:%d %b}.", icon=":material/check:")


bar.download_button(
    "Download requirements (CSV)",
    data=partial(requirements_csv, requirements.intervals),
    file_name=f"requirements_{week.isoformat()}.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click=audited(user.username, "requirements_csv", f"week {week}"),
    key="fs_download",
    help="One row per interval, the columns `python -m scheduling requirements` writes.",
)
save_box.caption(
    _saved_line(
        latest_run_for_week(engine=engine(), site_id=site_id, week=week, actor=user.username)
    )
)

st.markdown("#### Calls per day: history and forecast")
chart_col, backtest_col = st.columns([2, 1])
with chart_col:
    st.plotly_chart(
        forecast_history_figure(plan.daily, forecast),
        width="stretch",
        key="fs_forecast_chart",
    )
    st.caption(forecast.method_note)
with backtest_col:
    backtest_panel(forecast.backtest, forecast.method)

st.markdown("#### Every model tried, scored on the same weeks")
st.caption(
    "Each candidate forecast each of the last weeks from the history before it. The one with "
    "the lowest error per interval is used, or a simpler one within 5% of it."
)
if forecast.backtest.candidates:
    cand_chart, cand_table = st.columns([1, 1])
    with cand_chart:
        st.plotly_chart(candidates_figure(forecast.backtest), width="stretch", key="fs_candidates")
    with cand_table:
        candidates_table(forecast.backtest)
else:
    candidates_table(forecast.backtest)

st.markdown("#### Counsellors required on the line")
st.caption(
    "Each cell is one interval; hover for the forecast calls, the 80% band and the reason the "
    "number is what it is (the queue target or the floor)."
)
st.plotly_chart(requirements_heatmap(requirements), width="stretch", key="fs_heatmap")

st.markdown("#### Skills on shift")
skills_table(requirements)
