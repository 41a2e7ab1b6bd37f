"""Small read-only panels for the Forecast & staffing page: backtest accuracy, week totals and
the skills that must be on shift. They show numbers the domain computed; they compute none."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from scheduling.forecast import Backtest
from scheduling.languages import language_list
from scheduling.staffing.requirements import WeekRequirements

METHOD_NAMES = {
    "ets_damped_weekly": "Exponential smoothing",
    "seasonal_naive": "Repeat last week",
}


def _pct(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.0%}"


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def backtest_panel(backtest: Backtest, method: str) -> None:
    st.markdown(
        f"**How good was it?** One week ahead, over the last {backtest.weeks} "
        f"week{'s' if backtest.weeks != 1 else ''}"
    )
    table = pd.DataFrame(
        {
            "WAPE": [_pct(backtest.model.wape), _pct(backtest.baseline.wape)],
            "MASE": [_ratio(backtest.model.mase), _ratio(backtest.baseline.mase)],
        },
        index=[METHOD_NAMES.get(method, method), "Same weekday last week"],
    )
    st.table(table)
    show = {True: st.success, False: st.warning}.get(backtest.model_better, st.info)
    show(backtest.verdict)
    st.caption(
        "WAPE: how far off the daily totals were, as a share of the calls (lower is better). "
        "MASE: the same error against the typical week-on-week change (below 1 is better "
        "than that change)."
    )


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
