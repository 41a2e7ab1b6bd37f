"""Plotly figures used by the pages. Each takes plain data and returns a figure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go

from data.call_history import WeeklyTotals

CALL_COLOURS = {"offered": "#4c6ef5", "answered": "#2f9e44", "abandoned": "#e03131"}


def weekly_calls_figure(weeks: Sequence[WeeklyTotals]) -> go.Figure:
    fig = go.Figure()
    x = [w.week_start for w in weeks]
    for name, colour in CALL_COLOURS.items():
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[getattr(w, name) for w in weeks],
                name=name.capitalize(),
                mode="lines+markers",
                line={"color": colour},
                hovertemplate="Week of %{x|%d %b %Y}: %{y} calls<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(
        height=380,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": 1.12},
        yaxis_title="Calls per week",
        xaxis_title="Week starting (Monday)",
        xaxis={"tickvals": x[::2], "tickformat": "%d %b"},
        hovermode="x unified",
    )
    return fig


def week_heatmap(
    *,
    z: list[list[int | None]],
    minutes: Sequence[int],
    days: Sequence[date],
    hover: list[list[str]],
    cell_text: list[list[str]] | None,
    colorscale: str | list[list[float | str]],
    colorbar_title: str,
    timezone: str,
    row_height: int,
) -> go.Figure:
    """A day x interval grid (Monday on top, local start times across); None cells are closed.
    `cell_text` None prints the value in each cell."""
    peak = max((v for row in z for v in row if v is not None), default=0)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[f"{m // 60:02d}:{m % 60:02d}" for m in minutes],
            y=[f"{d:%a %d %b}" for d in days],
            text=cell_text,
            texttemplate="%{z}" if cell_text is None else "%{text}",
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=colorscale,
            zmin=0,
            zmax=max(peak, 1),
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": colorbar_title}, "thickness": 12, "dtick": 1},
            hoverongaps=False,
        )
    )
    fig.update_layout(
        height=60 + row_height * len(days),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"title": f"Interval start ({timezone})", "type": "category"},
        yaxis={"autorange": "reversed", "type": "category"},
    )
    return fig
