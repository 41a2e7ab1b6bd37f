"""The live indicator of a roster solve job: queued for a worker, or how long it has run, the
best roster so far (objective, bound, gap, stage) and the chart of improvements. Each poll
reads the job's row again, so it shows a solve run by any worker for any app server."""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from scheduling.roster.quality import roster_progress
from ui.components.roster_charts import progress_figure
from ui.solve_job import SolveJob

POLL_SECONDS = 0.5


def show(key: str, read: Callable[[], SolveJob], place: DeltaGenerator) -> SolveJob:
    """Draw into `place` and redraw as the job row changes; returns its last reading, once the
    job has ended (done, failed or cancelled)."""
    with place.container():
        status = st.status("Solving...", state="running", expanded=True)
        line = status.empty()
        chart = status.empty()
    shown = -1
    job = read()
    while job.running:
        history = job.history
        if job.waiting:
            status.update(
                label="Queued: waiting for a free worker"
                + (
                    " (another attempt: the last worker stopped responding)"
                    if job.row.error
                    else ""
                )
                + "...",
                expanded=True,
            )
        else:
            limit = f" of at most {job.time_limit:g} s" if job.time_limit else ""
            status.update(
                label=f"Solving the week of {job.week_start:%d %b}: {job.elapsed():.0f} s{limit}"
                + (" (stopping: cancelled)" if job.row.cancel_requested else ""),
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
                progress_figure(history, job.time_limit or max(p.seconds for p in history)),
                width="stretch",
                key=f"{key}_{shown}",
            )
        elif not history and not job.waiting:
            line.caption("Looking for a first roster...")
        time.sleep(POLL_SECONDS)
        job = read()
    return job
