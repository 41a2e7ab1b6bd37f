"""The live indicator of a running roster solve: whether it waits its turn or how long it has
run, the best roster so far (objective, bound, gap, stage) and the chart of improvements."""

from __future__ import annotations

import time

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from scheduling.roster.quality import roster_progress
from ui.components.roster_charts import progress_figure
from ui.solve_job import SolveJob

POLL_SECONDS = 0.4


def show(key: str, job: SolveJob, place: DeltaGenerator) -> None:
    """Draw into `place` and redraw as reports arrive; returns once the solve has ended."""
    with place.container():
        status = st.status("Solving...", state="running", expanded=True)
        line = status.empty()
        chart = status.empty()
    shown = -1
    while job.running:
        history = job.drain()
        if job.waiting:
            status.update(
                label="Waiting for another solve on this server to finish...", expanded=True
            )
        else:
            status.update(
                label=f"Solving the week of {job.week_start:%d %b}: {job.elapsed():.0f} s "
                f"of at most {job.time_limit:g} s",
                expanded=True,
            )
        if history and len(history) != shown:
            shown = len(history)
            whole = roster_progress(history)
            stage = history[-1].stage
            if whole:
                _, best, bound = whole[-1]
                line.markdown(
                    f"Best roster so far: **{best:,.0f} points** · the best possible roster is "
                    f"at most {best - bound:,.0f} points better · {shown} improvement(s) "
                    f"· stage: {stage}"
                )
            else:
                line.caption(f"Stage: {stage} (a part of the roster; no whole roster yet)")
            chart.plotly_chart(
                progress_figure(history, job.time_limit),
                width="stretch",
                key=f"{key}_{shown}",
            )
        elif not history and not job.waiting:
            line.caption("Looking for a first roster...")
        time.sleep(POLL_SECONDS)
