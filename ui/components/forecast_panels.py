"""Small read-only panels for the Forecast & staffing page: backtest accuracy, week totals and
the skills that must be on shift. They show numbers the domain computed; they compute none."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from scheduling.domain import ForecastSettings
from scheduling.forecast import Backtest
from scheduling.forecast_models import CANDIDATE_BY_NAME
from scheduling.languages import language_list
from scheduling.staffing.requirements import WeekRequirements

METHOD_NAMES: dict[str, str] = {name: spec.label for name, spec in CANDIDATE_BY_NAME.items()}


def _pct(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.0%}"


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def backtest_panel(backtest: Backtest, method: str) -> None:
    st.markdown(
        f"**How good was it?** One week ahead, over the last {backtest.weeks} "
        f"week{'s' if backtest.weeks != 1 else ''}"
    )
    chosen = backtest.candidate(backtest.chosen or method)
    shown = [c for c in backtest.candidates if c.baseline or c.name == method]
    if chosen is None or not shown:
        table = pd.DataFrame(
            {
                "WAPE per day": [_pct(backtest.model.wape), _pct(backtest.baseline.wape)],
                "MASE per day": [_ratio(backtest.model.mase), _ratio(backtest.baseline.mase)],
            },
            index=[METHOD_NAMES.get(method, method), "Same weekday last week"],
        )
    else:
        table = pd.DataFrame(
            {
                "WAPE per interval": [_pct(c.interval.wape) for c in shown]
                + [_pct(backtest.interval_chance_wape)],
                "WAPE per day": [_pct(c.daily.wape) for c in shown] + [_pct(backtest.chance_wape)],
            },
            index=[("Used: " if c.name == method else "") + c.label for c in shown]
            + ["Poisson noise alone"],
        )
    st.table(table)
    show = {True: st.success, False: st.warning}.get(backtest.model_better, st.info)
    show(backtest.verdict)
    st.caption(
        "WAPE: how far off the forecast was, as a share of the calls, per interval and per "
        "day (lower is better). Noise alone: what even a perfect forecast would be off by."
    )


def candidates_table(backtest: Backtest) -> None:
    """Every candidate's backtest scores, the chosen one marked, with the noise floor."""
    if not backtest.candidates:
        st.info("No backtest yet: at least 2 weeks of history are needed.")
        return
    table = pd.DataFrame(
        {
            "Model": [
                ("✔ " if c.name == backtest.chosen else "") + c.label for c in backtest.candidates
            ],
            "Kind": ["baseline" if c.baseline else "model" for c in backtest.candidates],
            "WAPE per interval": [_pct(c.interval.wape) for c in backtest.candidates],
            "WAPE per day": [_pct(c.daily.wape) for c in backtest.candidates],
            "MASE per interval": [_ratio(c.interval.mase) for c in backtest.candidates],
            "80% band held": [_pct(c.band_coverage) for c in backtest.candidates],
            "Fit time": [f"{c.fit_seconds:.1f} s" for c in backtest.candidates],
        }
    )
    st.dataframe(table, hide_index=True, key="fs_candidates_table")
    st.caption(
        f"✔ the model the forecast uses. Poisson noise alone: about "
        f"{_pct(backtest.interval_chance_wape)} per interval and {_pct(backtest.chance_wape)} "
        "a day even for a perfect forecast. The 80% band should hold about 80% of intervals."
    )


def forecast_settings_form(current: ForecastSettings, *, key: str) -> ForecastSettings | None:
    """The site's holiday country and backtest weeks; the new settings when saved and valid."""
    with st.form(key, border=False):
        country = st.text_input(
            "Public holidays of (country code)",
            value=current.holiday_country,
            max_chars=8,
            help="ISO 3166 code, such as PK, GB or US; empty for no holiday calendar. Eid and "
            "Ramadan move every year; the calendar knows their dates.",
            key=f"{key}_country",
        )
        weeks = st.number_input(
            "Weeks the backtest scores",
            min_value=1,
            max_value=52,
            value=current.backtest_weeks,
            step=1,
            key=f"{key}_weeks",
        )
        if not st.form_submit_button("Save forecast settings", key=f"{key}_save"):
            return None
    try:
        return ForecastSettings(holiday_country=country, backtest_weeks=int(weeks))
    except ValidationError as exc:
        for error in exc.errors():
            st.error(
                f"Public holidays of (country code): {error['msg'].removeprefix('Value error, ')}."
            )
        return None


def totals_panel(requirements: WeekRequirements) -> None:
    cols = st.columns(4)
    cols[0].metric(
        "Calls offered (forecast)",
        f"{requirements.offered_calls:.1f}",
        help="Sum of the forecast over the week, never rounded.",
    )
    cols[1].metric(
        "Workload",
        f"{requirements.workload_hours:.1f} h",
        help=(
            "Calls x effective handle time "
            f"({requirements.effective_handle_seconds / 60:.1f} min, decompression included), "
            "from the unrounded forecast."
        ),
    )
    cols[2].metric(
        "Counsellor-hours on the line",
        f"{requirements.required_hours:g} h",
        help="Sum of the counsellors required in every interval: what the roster must cover.",
    )
    cols[3].metric(
        "Peak at once",
        requirements.peak_required,
        help="The most counsellors required on the line in one interval.",
    )


def skills_table(requirements: WeekRequirements) -> None:
    """One row per skill, one column per day, the hours it must be on shift in each cell."""
    days = [requirements.week_start + timedelta(days=i) for i in range(7)]
    cells: dict[str, dict[date, list[str]]] = {}
    for s in requirements.skill_requirements:
        end = f"{s.end:%H:%M}" if s.end.date() == s.start.date() else f"{s.end:%a %H:%M}"
        window = f"{s.start:%H:%M}-{end}" + (f" (x{s.count})" if s.count > 1 else "")
        skill = s.skill.value.replace("_", " ").capitalize()
        cells.setdefault(skill, {}).setdefault(s.start.date(), []).append(window)
    if not cells:
        st.info("No supervisor or specialist cover is required this week.")
    else:
        table = pd.DataFrame(
            {
                f"{d:%a %d}": [", ".join(by_day.get(d, [])) or "—" for by_day in cells.values()]
                for d in days
            },
            index=list(cells),
        )
        st.table(table)
    notes = ["On shift for these hours, not necessarily on the line."]
    if requirements.languages_on_line:
        notes.append(
            "Someone speaking "
            + language_list(requirements.languages_on_line)
            + " on the line in every open interval."
        )
    st.caption(" ".join(notes))
