"""Today (managers): the rest of today re-checked every few seconds from the requirement, the
published roster and who is off the queue now; flags, ranked cover suggestions, and a re-plan
of the rest of today shown before it is published."""

from __future__ import annotations

import time
from datetime import timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from data.errors import ConflictError
from data.models import JobPublic
from data.services.jobs import (
    ReplanOutcome,
    cancel_job,
    find_job,
    job_status,
    replan_outcome,
    start_replan,
)
from data.services.today import publish_today_replan, today_view
from data.today import TodayView
from scheduling.domain import Role
from ui.components.wellbeing import REFRESH_SECONDS, acting, hm, now_utc
from ui.session import require_role
from ui.state import engine, require_site_id

REPLAN_KEY = "today_replan"
REPLAN_JOB_KEY = "today_replan_job"
REPLAN_SECONDS = 10.0

user = require_role(Role.MANAGER)
actor = acting(user)
st.title("Today")
site_id = require_site_id()


def coverage_chart(view: TodayView) -> go.Figure:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(view.timezone)
    rows = view.check.intervals
    starts = [r.start.astimezone(tz) for r in rows]
    figure = go.Figure()
    figure.add_bar(
        x=starts,
        y=[r.on_line for r in rows],
        name="On the line",
        marker_color=[
            "#d62728" if r.below_floor or r.below_requirement else "#1f77b4" for r in rows
        ],
        offset=0,
        width=[(r.end - r.start).total_seconds() * 1000 * 0.9 for r in rows],
    )
    figure.add_scatter(
        x=starts,
        y=[r.needed for r in rows],
        name="Needed",
        mode="lines",
        line_shape="hv",
        line={"color": "black"},
    )
    figure.update_layout(
        height=300,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h"},
        yaxis_title="counsellors",
    )
    return figure


@st.fragment(run_every=timedelta(seconds=REFRESH_SECONDS))
def live() -> None:
    from zoneinfo import ZoneInfo

    now = now_utc()
    view = today_view(engine=engine(), username=actor.username, site_id=site_id, now=now)
    tz = ZoneInfo(view.timezone)
    st.caption(f"Checked at {hm(now, tz)}; refreshes every {REFRESH_SECONDS} s.")
    if view.problem:
        st.warning(view.problem, icon=":material/info:")

    st.subheader("Off the queue now")
    if view.off_queue:
        for person in view.off_queue:
            st.markdown(f"- **{person.display_name}**: off the queue until {hm(person.until, tz)}")
    else:
        st.caption("Everyone rostered on the line can take calls.")

    st.subheader("Coverage for the rest of today")
    if view.check.intervals:
        st.plotly_chart(coverage_chart(view), width="stretch", key="today_coverage")
    else:
        st.caption("Nothing left of today to cover.")
    if view.check.flags:
        shown = 4
        for flag in view.check.flags[:shown]:
            st.error(flag.message, icon=":material/warning:")
        if len(view.check.flags) > shown:
            with st.expander(f"{len(view.check.flags) - shown} more intervals flagged"):
                for flag in view.check.flags[shown:]:
                    st.markdown(f"- {flag.message}")
    elif view.check.intervals:
        st.success("Every remaining interval meets its requirement and the floor.")

    if view.check.suggestions:
        st.subheader("Who could cover")
        st.dataframe(
            pd.DataFrame(
                {
                    "Rank": [s.rank for s in view.check.suggestions],
                    "Who": [s.display_name for s in view.check.suggestions],
                    "Why": [s.why for s in view.check.suggestions],
                    "Covers": [
                        ", ".join(hm(c, tz) for c in s.covers) for s in view.check.suggestions
                    ],
                }
            ),
            hide_index=True,
        )


live()

st.divider()
st.subheader("Re-plan the rest of today")
st.caption(
    "Keeps everything before now and every other day as published, keeps people off the queue "
    "off the line, and shows what would change. Nothing changes until you publish it."
)
# The re-plan is a job in the database: read again on every run, found again after a reload
# (whichever manager started it, on whichever server).
job_id = st.session_state.get(REPLAN_JOB_KEY)
job: JobPublic | None = None
if isinstance(job_id, int):
    job = job_status(engine=engine(), job_id=job_id, username=actor.username)
else:
    job = find_job(engine=engine(), username=actor.username, site_id=site_id, kind="replan")
    if job is not None:
        st.session_state[REPLAN_JOB_KEY] = job.id
if job is not None and not job.active:
    st.session_state.pop(REPLAN_JOB_KEY, None)
    if job.status == "failed":
        st.error(f"The re-plan failed: {job.error}")
    elif job.status == "cancelled":
        st.info(f"The re-plan was {job.error or 'cancelled'}.")
    else:
        st.session_state[REPLAN_KEY] = replan_outcome(job)
    job = None

if st.button(
    "Re-plan the rest of today",
    icon=":material/autorenew:",
    disabled=job is not None,
    key="today_replan_start",
):
    try:
        job = start_replan(
            engine=engine(),
            username=actor.username,
            site_id=site_id,
            now=now_utc(),
            time_limit=REPLAN_SECONDS,
        )
    except (ConflictError, PermissionError) as exc:
        st.error(str(exc))
    else:
        st.session_state[REPLAN_JOB_KEY] = job.id
        st.session_state.pop(REPLAN_KEY, None)

if job is not None and job.active:
    if st.button("Cancel the re-plan", icon=":material/stop:", key="today_replan_cancel"):
        cancel_job(engine=engine(), job_id=job.id, username=actor.username)
        st.rerun()
    status = st.status("Re-planning...", expanded=False)
    while job.active:
        status.update(
            label="Queued: waiting for a free worker..."
            if job.status == "queued"
            else f"Re-planning (up to {REPLAN_SECONDS:g} s): "
            f"{len(job.progress.get('points', []))} improvement(s) so far..."
        )
        time.sleep(0.5)
        job = job_status(engine=engine(), job_id=job.id, username=actor.username)
    st.rerun()

pending: ReplanOutcome | None = st.session_state.get(REPLAN_KEY)
if pending is not None:
    if not pending.changes:
        st.info("The published roster already does the best that can be done: nothing to change.")
    else:
        st.markdown("\n".join(f"- {change.message}" for change in pending.changes))
        if st.button("Publish this re-plan", type="primary"):
            try:
                publish_today_replan(
                    engine=engine(), username=actor.username, roster_id=pending.draft_id
                )
            except ConflictError as exc:
                st.error(str(exc))
            else:
                st.session_state.pop(REPLAN_KEY, None)
                st.success("Published. Everyone's shifts are updated.")
                st.rerun()
