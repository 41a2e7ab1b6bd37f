"""Figures for the Roster page: a Gantt chart of who does what, coverage against requirement per
day, and a shortfall heatmap. Each takes a RosterSolution and returns a figure; times are
shown in the site's zone, and the hours the site is closed are cut out of the time axis."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from scheduling.roster.quality import roster_progress
from scheduling.roster.schema import Activity, PersonRoster, RosterSolution
from ui.components.charts import week_heatmap

ACTIVITY_COLOURS = {
    Activity.LINE: "#1c7ed6",
    Activity.MEAL: "#f59f00",
    Activity.OFFLINE: "#adb5bd",
    Activity.DECOMPRESSION: "#ae3ec9",
    Activity.DEBRIEF: "#12b886",
}
ACTIVITY_LABELS = {
    Activity.LINE: "On the line",
    Activity.MEAL: "Meal break",
    Activity.OFFLINE: "Off-line work",
    Activity.DECOMPRESSION: "Decompression",
    Activity.DEBRIEF: "Debrief",
}
REQUIRED_COLOUR = "#212529"
SHORT_COLOUR = "#e03131"
SHORT_FILL = "rgba(224, 49, 49, 0.35)"
HIRE_PATTERN = "/"


def _local(value: datetime, tz: ZoneInfo) -> datetime:
    """Plotly has no time zones: plot local wall-clock times."""
    return value.astimezone(tz).replace(tzinfo=None)


def row_label(person: PersonRoster) -> str:
    return f"+ {person.display_name}" if person.hire_template else person.display_name


def _ordered_people(solution: RosterSolution) -> list[PersonRoster]:
    def key(p: PersonRoster) -> tuple[bool, int, str]:
        return (
            p.hire_template is not None,
            int(p.staff_id) if p.staff_id.isdigit() else 0,
            p.staff_id,
        )

    return sorted(solution.people, key=key)


def closed_gaps(solution: RosterSolution) -> list[tuple[datetime, datetime]]:
    """Stretches of at least two hours with no open interval (nights, closed days), local."""
    tz = ZoneInfo(solution.timezone)
    step = timedelta(minutes=solution.interval_minutes)
    starts = sorted(_local(r.start, tz) for r in solution.coverage)
    shifts = [(_local(s.start, tz), _local(s.end, tz)) for p in solution.people for s in p.shifts]
    if not starts:
        return []
    # Keep anything worked visible even if it falls outside the open hours.
    busy = sorted([(a, a + step) for a in starts] + shifts)
    gaps = []
    end = busy[0][1]
    for a, b in busy[1:]:
        if a - end >= timedelta(hours=2):
            gaps.append((end, a))
        end = max(end, b)
    return gaps


def _day_bounds(solution: RosterSolution) -> list[tuple[date, datetime, datetime]]:
    """Each day's first open minute and last open minute (local), for separators and axes."""
    tz = ZoneInfo(solution.timezone)
    step = timedelta(minutes=solution.interval_minutes)
    days: dict[date, list[datetime]] = {}
    for r in solution.coverage:
        local = _local(r.start, tz)
        days.setdefault(local.date(), []).append(local)
    return [(d, min(v), max(v) + step) for d, v in sorted(days.items())]


def _ticks(bounds: list[tuple[date, datetime, datetime]]) -> list[datetime]:
    """A few ticks a day, from each day's opening: every 3 h for an 8-hour day, 8 h for 24/7."""
    ticks = []
    for _day, first, last in bounds:
        hours = (last - first).total_seconds() / 3600
        every = timedelta(hours=max(2, math.ceil(hours / 3)))
        t = first
        while t < last:
            ticks.append(t)
            t += every
    return ticks


def gantt_figure(solution: RosterSolution) -> go.Figure:
    """One row per person (proposed hires last, hatched), one bar per activity segment."""
    tz = ZoneInfo(solution.timezone)
    people = _ordered_people(solution)
    labels = [row_label(p) for p in people]
    fig = go.Figure()
    for activity in Activity:
        for hire in (False, True):
            ys, bases, widths, texts = [], [], [], []
            for person, label in zip(people, labels, strict=True):
                if (person.hire_template is not None) != hire:
                    continue
                for shift in person.shifts:
                    for seg in shift.activities:
                        if Activity(seg.activity) != activity:
                            continue
                        a, b = _local(seg.start, tz), _local(seg.end, tz)
                        ys.append(label)
                        bases.append(a)
                        widths.append((b - a).total_seconds() * 1000)
                        texts.append(
                            f"{person.display_name}<br>{ACTIVITY_LABELS[activity]} "
                            f"{a:%a %d %b %H:%M}-{b:%H:%M}"
                            + ("<br>pinned (published)" if shift.pinned else "")
                            + ("<br>proposed hire" if hire else "")
                        )
            if not ys:
                continue
            fig.add_trace(
                go.Bar(
                    y=ys,
                    base=bases,
                    x=widths,
                    orientation="h",
                    name=ACTIVITY_LABELS[activity] + (" (proposed hire)" if hire else ""),
                    legendgroup=activity.value,
                    showlegend=not hire,
                    marker={
                        "color": ACTIVITY_COLOURS[activity],
                        "line": {"width": 0.5, "color": "white"},
                        "pattern": {"shape": HIRE_PATTERN if hire else "", "solidity": 0.35},
                    },
                    hovertext=texts,
                    hoverinfo="text",
                    width=0.7,
                )
            )
    if any(p.hire_template for p in people):
        fig.add_trace(  # a legend entry for the hatching
            go.Bar(
                y=[None],
                x=[None],
                orientation="h",
                name="Proposed hire",
                marker={
                    "color": "white",
                    "line": {"width": 1, "color": "#495057"},
                    "pattern": {"shape": HIRE_PATTERN, "fgcolor": "#495057"},
                },
                hoverinfo="skip",
            )
        )
    for day, first, _last in _day_bounds(solution):
        fig.add_vline(x=first, line={"color": "#ced4da", "width": 1})
        fig.add_annotation(
            x=first,
            y=1.0,
            yref="paper",
            yanchor="bottom",
            xanchor="left",
            text=f"<b>{day:%a %d}</b>",
            showarrow=False,
            font={"size": 11},
        )
    fig.update_layout(
        barmode="overlay",
        height=110 + 30 * max(len(people), 1),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "y": -0.08, "yanchor": "top", "x": 0},
        hovermode="closest",
        bargap=0.25,
    )
    bounds = _day_bounds(solution)
    if bounds:
        ticks = _ticks(bounds)
        fig.update_xaxes(
            range=[bounds[0][1], bounds[-1][2]],
            tickvals=ticks,
            ticktext=[f"{t:%H:%M}" for t in ticks],
        )
    fig.update_xaxes(
        type="date",
        rangebreaks=[{"bounds": [a, b]} for a, b in closed_gaps(solution)],
        showgrid=True,
        gridcolor="#f1f3f5",
        tickangle=0,
        tickfont={"size": 10},
    )
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=labels,
        autorange="reversed",
    )
    return fig


def coverage_figure(solution: RosterSolution) -> go.Figure:
    """One panel per open day: counsellors on the line per interval (bars) against the
    requirement (black steps); red where short."""
    tz = ZoneInfo(solution.timezone)
    step = timedelta(minutes=solution.interval_minutes)
    days = _day_bounds(solution)
    if not days:
        return go.Figure()
    fig = make_subplots(
        rows=1,
        cols=len(days),
        shared_yaxes=True,
        horizontal_spacing=0.012,
        subplot_titles=[f"{d:%a %d %b}" for d, _a, _b in days],
    )
    rows_by_day: dict[date, list] = {}
    for r in sorted(solution.coverage, key=lambda r: r.start):
        rows_by_day.setdefault(_local(r.start, tz).date(), []).append(r)
    peak = max((max(r.required, r.on_line) for r in solution.coverage), default=1)
    for col, (day, _first, _last) in enumerate(days, start=1):
        rows = rows_by_day[day]
        starts = [_local(r.start, tz) for r in rows]
        mids = [s + step / 2 for s in starts]
        width = step.total_seconds() * 1000 * 0.85
        hover = [
            [f"{s:%H:%M}", r.on_line, r.required, r.on_duty, r.shortfall]
            for s, r in zip(starts, rows, strict=True)
        ]
        template = (
            "%{customdata[0]}: %{customdata[1]} on the line, %{customdata[2]} required, "
            "%{customdata[3]} on duty, %{customdata[4]} short<extra></extra>"
        )
        fig.add_trace(
            go.Bar(
                x=mids,
                y=[r.on_line for r in rows],
                width=width,
                marker={"color": ACTIVITY_COLOURS[Activity.LINE]},
                name="On the line",
                legendgroup="on_line",
                showlegend=col == 1,
                customdata=hover,
                hovertemplate=template,
            ),
            row=1,
            col=col,
        )
        fig.add_trace(
            go.Bar(
                x=mids,
                y=[r.shortfall for r in rows],
                base=[r.on_line for r in rows],
                width=width,
                marker={"color": SHORT_FILL, "line": {"color": SHORT_COLOUR, "width": 1}},
                name="Short",
                legendgroup="short",
                showlegend=col == 1,
                customdata=hover,
                hovertemplate=template,
            ),
            row=1,
            col=col,
        )
        fig.add_trace(
            go.Scatter(
                x=[*starts, starts[-1] + step],
                y=[*(r.required for r in rows), rows[-1].required],
                mode="lines",
                line={"shape": "hv", "color": REQUIRED_COLOUR, "width": 2},
                name="Required",
                legendgroup="required",
                showlegend=col == 1,
                hoverinfo="skip",
            ),
            row=1,
            col=col,
        )
        fig.update_xaxes(tickformat="%H:%M", nticks=4, row=1, col=col)
    fig.update_yaxes(range=[0, peak + 0.5], dtick=1, title_text="counsellors", row=1, col=1)
    fig.update_layout(
        height=300,
        bargap=0,
        barmode="overlay",
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "y": -0.15, "yanchor": "top", "x": 0},
    )
    fig.update_annotations(font={"size": 12})
    return fig


def shortfall_heatmap(solution: RosterSolution) -> go.Figure:
    """Counsellors short per interval: one row per day (Monday on top), one column per local
    start time the site is open on any day; closed cells are blank."""
    tz = ZoneInfo(solution.timezone)
    rows = sorted(solution.coverage, key=lambda r: r.start)
    minutes = sorted({_local(r.start, tz).hour * 60 + _local(r.start, tz).minute for r in rows})
    days = [solution.week_start + timedelta(days=i) for i in range(7)]
    col_of = {m: j for j, m in enumerate(minutes)}
    row_of = {d: i for i, d in enumerate(days)}
    z: list[list[int | None]] = [[None] * len(minutes) for _ in days]
    text: list[list[str]] = [[""] * len(minutes) for _ in days]
    hover: list[list[str]] = [["closed"] * len(minutes) for _ in days]
    for r in rows:
        local = _local(r.start, tz)
        i, j = row_of.get(local.date()), col_of.get(local.hour * 60 + local.minute)
        if i is None or j is None:
            continue
        if z[i][j] is not None and (z[i][j] or 0) >= r.shortfall:
            continue  # the repeated hour when clocks go back: keep the worse one
        z[i][j] = r.shortfall
        text[i][j] = str(r.shortfall) if r.shortfall else ""
        hover[i][j] = (
            f"{local:%a %d %b %H:%M}<br><b>{r.shortfall} short</b><br>"
            f"{r.required} required, {r.on_line} on the line, {r.on_duty} on duty"
        )
    return week_heatmap(
        z=z,
        minutes=minutes,
        days=days,
        hover=hover,
        cell_text=text,
        colorscale=[[0.0, "#f1f8f4"], [0.001, "#ffe3e3"], [1.0, "#c92a2a"]],
        colorbar_title="short",
        timezone=solution.timezone,
        row_height=36,
    )


def progress_figure(history: Sequence, time_limit: float) -> go.Figure:
    """The live indicator: best roster and best bound, in points as the saved roster counts
    them (linear axis), against seconds."""
    fig = go.Figure()
    points = roster_progress(history)
    seconds = [p[0] for p in points]
    for name, values, colour, dash in (
        ("Best roster", [p[1] for p in points], ACTIVITY_COLOURS[Activity.LINE], None),
        ("Bound", [p[2] for p in points], "#868e96", "dot"),
    ):
        fig.add_trace(
            go.Scatter(
                x=seconds,
                y=values,
                name=name,
                mode="lines+markers",
                line={"shape": "hv", "color": colour, "dash": dash},
                marker={"size": 5},
                hovertemplate="%{x:.1f} s: %{y:,.0f} points<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(
        height=190,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        xaxis={"title": "seconds", "range": [0, time_limit]},
        yaxis={"title": "points", "rangemode": "tozero", "tickformat": ",d", "nticks": 5},
    )
    return fig
