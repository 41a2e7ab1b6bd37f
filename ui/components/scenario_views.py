"""Scenario comparison: the side-by-side table, the charts and the CSV / Excel exports."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

# Rows of the comparison table: (summary key, label, format)
TABLE_ROWS: tuple[tuple[str, str, str], ...] = (
    ("peak_fte_needed", "Peak FTE needed", "{:.1f}"),
    ("hires_total", "Hires over the period", "{:.0f}"),
    ("months_short", "Months short of staff (recruiting)", "{:.0f}"),
    ("cost_per_month", "Cost per month", "{:,.0f}"),
    ("cost_total", "Cost over the period", "{:,.0f}"),
    ("emotional_budget_total", "of which emotional budget", "{:,.0f}"),
    ("space_binds_hours_week", "Hours a week space binds (seats)", "{:.1f}"),
    ("line_hours_per_counsellor_week", "Line hours per counsellor a week", "{:.1f}"),
    ("difficult_calls_per_counsellor_week", "Difficult calls per counsellor a week", "{:.1f}"),
    ("sim_answered_share", "Answered share (simulated)", "{:.1%}"),
    ("sim_service_level", "Answered within target (simulated)", "{:.1%}"),
    ("sim_mean_wait_seconds", "Mean wait, seconds (simulated)", "{:.0f}"),
    ("sim_decompression_cut_short", "Decompressions cut short a week", "{:.1f}"),
    ("sim_longest_line_run_minutes", "Longest run on the line, minutes", "{:.0f}"),
    ("roster_shortfall_hours", "Roster of the busiest week: hours short", "{:.1f}"),
)
INTERVAL_KEYS = {
    "sim_answered_share",
    "sim_service_level",
    "sim_mean_wait_seconds",
    "sim_decompression_cut_short",
    "sim_longest_line_run_minutes",
}


def _cell(row: dict[str, Any], key: str, fmt: str) -> str:
    value = row.get(key)
    if value is None:
        return "-"
    text = fmt.format(value)
    if key in INTERVAL_KEYS and row.get(f"{key}_low") is not None:
        text += f" [{fmt.format(row[f'{key}_low'])}, {fmt.format(row[f'{key}_high'])}]"
    return text


def comparison_table(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Figures as rows, scenarios as columns (95% intervals in brackets)."""
    data = {
        str(r["scenario"]): [_cell(r, key, fmt) for key, _label, fmt in TABLE_ROWS] for r in rows
    }
    return pd.DataFrame(data, index=[label for _key, label, _fmt in TABLE_ROWS])


def monthly_frame(monthly: Sequence[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(list(monthly))
    if not frame.empty:
        frame["month"] = pd.to_datetime(frame["month"])
    return frame


def staff_figure(monthly: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    for name, part in monthly.groupby("scenario", sort=False):
        fig.add_scatter(x=part["month"], y=part["fte_needed"], name=f"{name}: FTE needed")
        fig.add_bar(
            x=part["month"], y=part["arriving"], name=f"{name}: hires arriving", opacity=0.5
        )
    fig.update_layout(
        title="Staff needed and hires by month", yaxis_title="counsellors (FTE)", barmode="group"
    )
    return fig


def cost_figure(monthly: pd.DataFrame, currency: str) -> go.Figure:
    fig = go.Figure()
    for name, part in monthly.groupby("scenario", sort=False):
        fig.add_scatter(x=part["month"], y=part["total_cost"], name=f"{name}: total")
        fig.add_scatter(
            x=part["month"],
            y=part["emotional_budget"],
            name=f"{name}: emotional budget",
            line={"dash": "dot"},
        )
    fig.update_layout(title="Cost by month", yaxis_title=currency)
    return fig


def answered_figure(rows: Sequence[dict[str, Any]]) -> go.Figure:
    names = [str(r["scenario"]) for r in rows]
    mean = [r.get("sim_answered_share") or 0.0 for r in rows]
    low = [r.get("sim_answered_share_low") or m for r, m in zip(rows, mean, strict=True)]
    high = [r.get("sim_answered_share_high") or m for r, m in zip(rows, mean, strict=True)]
    fig = go.Figure(
        go.Bar(
            x=names,
            y=mean,
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [h - m for h, m in zip(high, mean, strict=True)],
                "arrayminus": [m - lo for m, lo in zip(mean, low, strict=True)],
            },
        )
    )
    fig.add_hline(y=0.9, line_dash="dash", annotation_text="target 90%")
    fig.update_layout(
        title="Answered share, simulated (95% interval)",
        yaxis={"tickformat": ".0%", "range": [0, 1]},
    )
    return fig


def load_figure(rows: Sequence[dict[str, Any]]) -> go.Figure:
    names = [str(r["scenario"]) for r in rows]
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Line hours", "Difficult calls"))
    fig.add_bar(
        x=names, y=[r["line_hours_per_counsellor_week"] for r in rows], row=1, col=1, name="hours"
    )
    fig.add_bar(
        x=names,
        y=[r["difficult_calls_per_counsellor_week"] for r in rows],
        row=1,
        col=2,
        name="calls",
    )
    fig.update_layout(title="Per counsellor a week (busiest month)", showlegend=False)
    return fig


def export_csv(rows: Sequence[dict[str, Any]], monthly: Sequence[dict[str, Any]]) -> bytes:
    """The summary rows, a blank line, then the month rows: one file for a spreadsheet."""
    out = io.StringIO()
    pd.DataFrame(list(rows)).to_csv(out, index=False)
    out.write("\n")
    pd.DataFrame(list(monthly)).to_csv(out, index=False)
    return out.getvalue().encode("utf-8")


def export_excel(rows: Sequence[dict[str, Any]], monthly: Sequence[dict[str, Any]]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        comparison_table(rows).to_excel(writer, sheet_name="Comparison")
        pd.DataFrame(list(rows)).to_excel(writer, sheet_name="Summary", index=False)
        pd.DataFrame(list(monthly)).to_excel(writer, sheet_name="By month", index=False)
    return buffer.getvalue()
