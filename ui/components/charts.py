"""Plotly figures used by the pages. Each takes plain data and returns a figure."""

from __future__ import annotations

from collections.abc import Sequence

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
