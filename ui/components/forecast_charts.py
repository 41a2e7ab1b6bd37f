"""Figures for the Forecast & staffing page: calls per day with the forecast and its band, and
a day x interval heatmap of required counsellors. Each takes domain objects, returns a figure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

import plotly.graph_objects as go

from scheduling.forecast import WeekForecast
from scheduling.staffing.requirement_types import IntervalRequirement
from scheduling.staffing.requirements import CLOSED, WeekRequirements
from ui.components.charts import week_heatmap

HISTORY_COLOUR = "#4c6ef5"
FORECAST_COLOUR = "#f08c00"
BAND_FILL = "rgba(240, 140, 0, 0.18)"


def forecast_history_figure(
    history: Sequence[tuple[date, int]], forecast: WeekForecast, *, weeks_before: int = 8
) -> go.Figure:
    """Calls per day for `weeks_before` weeks before the forecast week (and any actual calls
    within it), with the forecast's daily totals and their 80% band."""
    week_start = forecast.week_start
    week_end = week_start + timedelta(days=6)
    shown_from = week_start - timedelta(weeks=weeks_before)
    past = [(d, n) for d, n in history if shown_from <= d <= week_end]

    fig = go.Figure()
    fig.add_vrect(
        x0=datetime.combine(week_start, datetime.min.time()) - timedelta(hours=12),
        x1=datetime.combine(week_end, datetime.min.time()) + timedelta(hours=12),
        fillcolor="rgba(240, 140, 0, 0.06)",
        line_width=0,
        layer="below",
    )
    fig.add_trace(
        go.Scatter(
            x=[d for d, _ in past],
            y=[n for _, n in past],
            name="Calls offered",
            mode="lines+markers",
            line={"color": HISTORY_COLOUR, "width": 1.5},
            marker={"size": 4},
            hovertemplate="%{x|%a %d %b %Y}: %{y} calls<extra>history</extra>",
        )
    )
    days = [d.day for d in forecast.daily]
    fig.add_trace(
        go.Scatter(
            x=days,
            y=[d.high for d in forecast.daily],
            mode="lines",
            line={"width": 0},
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=days,
            y=[d.low for d in forecast.daily],
            name="80% band",
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor=BAND_FILL,
            hoverinfo="skip",
        )
    )
    notes = [
        "closed"
        if not d.open
        else f"band {d.low:.0f}-{d.high:.0f}"
        + ("" if d.multiplier == 1 else f", adjusted x{d.multiplier:g}")
        for d in forecast.daily
    ]
    fig.add_trace(
        go.Scatter(
            x=days,
            y=[d.calls for d in forecast.daily],
            name="Forecast",
            mode="lines+markers",
            line={"color": FORECAST_COLOUR, "dash": "dash", "width": 2},
            marker={
                "size": [10 if d.multiplier != 1 else 6 for d in forecast.daily],
                "symbol": ["diamond" if d.multiplier != 1 else "circle" for d in forecast.daily],
            },
            customdata=notes,
            hovertemplate="%{x|%a %d %b}: %{y:.1f} calls (%{customdata})<extra>forecast</extra>",
        )
    )
    fig.update_layout(
        height=360,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": 1.12, "traceorder": "normal"},
        yaxis_title="Calls per day",
        yaxis_rangemode="tozero",
        hovermode="closest",
    )
    return fig


def _cell_text(r: IntervalRequirement, target_seconds: float) -> str:
    lines = [
        f"{r.start:%a %d %b %H:%M}-{r.end:%H:%M}",
        f"<b>{r.required} on the line</b>",
        f"Forecast {r.forecast_calls:.2f} calls (80% band {r.band_low:g}-{r.band_high:g})",
        f"Why: {r.binding}",
    ]
    if r.service_level is not None and r.abandon_share is not None:
        lines.append(
            f"Predicted: {r.service_level:.0%} answered within {target_seconds:g} s, "
            f"{r.abandon_share:.1%} hang up"
        )
    return "<br>".join(lines)


def requirements_heatmap(requirements: WeekRequirements) -> go.Figure:
    """Required counsellors: one row per day (Monday on top), one column per local start time
    within the hours the site is open on any day of the week."""
    open_rows = [r for r in requirements.intervals if r.binding != CLOSED]
    shown = open_rows or list(requirements.intervals)
    minutes = sorted({r.start.hour * 60 + r.start.minute for r in shown})
    columns = {m: j for j, m in enumerate(minutes)}
    days = [requirements.week_start + timedelta(days=i) for i in range(7)]
    rows = {d: i for i, d in enumerate(days)}
    z: list[list[int | None]] = [[None] * len(minutes) for _ in days]
    text: list[list[str]] = [["closed"] * len(minutes) for _ in days]
    target = requirements.targets.target_answer_seconds
    for r in shown:
        i = rows.get(r.start.date())
        j = columns.get(r.start.hour * 60 + r.start.minute)
        if i is None or j is None:
            continue
        # On the night clocks go back a local time occurs twice: show the busier one.
        if z[i][j] is None or r.required > (z[i][j] or 0):
            z[i][j] = r.required
            text[i][j] = _cell_text(r, target)
    return week_heatmap(
        z=z,
        minutes=minutes,
        days=days,
        hover=text,
        cell_text=None,
        colorscale="Blues",
        colorbar_title="on the line",
        timezone=requirements.timezone,
        row_height=42,
    )
