"""Network (leadership): every centre's week side by side, and each pool of centres sharing a
number: the pooled requirement against the sum of the separate ones."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from data.errors import ConflictError, NotFoundError
from data.models import JobPublic
from data.services.jobs import cancel_job, latest_pool_job, start_pool_solve
from data.services.network import NetworkWeek, network_week
from scheduling.domain import Role, monday_of
from ui.components import solve_progress
from ui.components.wellbeing import now_utc
from ui.session import require_role
from ui.solve_job import SolveJob, read_solve_job
from ui.state import engine

user = require_role(Role.LEADERSHIP)
st.title("Network")
st.caption(
    "Each centre's week: the counsellor-hours on the line its requirement asks for, those its "
    "roster (published, else the newest draft) puts on the line, the shortfall and the share "
    "of calls answered within the target time with that staffing."
)


@st.cache_data(show_spinner="Reading every centre's week...", ttl=300)
def _week(username: str, week: date) -> NetworkWeek:
    return network_week(engine=engine(), actor=username, week_start=week)


picked = st.date_input("Week of", value=monday_of(now_utc().date()), key="network_week")
week = monday_of(picked if isinstance(picked, date) else now_utc().date())
try:
    view = _week(user.username, week)
except (NotFoundError, ValueError) as exc:
    st.info(f"No network view for the week of {week:%d %B %Y}: {exc}")
    st.stop()


# A joint roster of a pool is a job in the database: read again on every run, so a reload (or
# another app server) shows its progress and, once it has ended, its result from the job row.
watch: list[tuple[int, DeltaGenerator]] = []


def _pool_job(number: str) -> JobPublic | None:
    """The pool's newest joint roster of the week, whoever started it on whichever server."""
    return latest_pool_job(engine=engine(), username=user.username, number=number, week_start=week)


def _pool_result(row: JobPublic) -> None:
    """What the pool's last joint roster of the week came to, as its job row says."""
    when = (row.finished_at or row.created_at).astimezone(UTC)
    if row.status == "failed":
        st.error(f"The joint roster failed: {row.error}", icon=":material/error:")
        return
    if row.status == "cancelled":
        st.info(f"The joint roster was {row.error or 'cancelled'}.", icon=":material/cancel:")
        return
    if row.result.get("nothing_found"):
        st.warning(row.summary, icon=":material/hourglass_disabled:")
        return
    st.success(row.summary, icon=":material/check_circle:")
    st.caption(
        f"Asked by {row.requested_by}, finished {when:%d %b %H:%M} UTC. Each centre's part is "
        "its next draft of the week: its manager sees it on the Roster page and publishes it."
    )
    for part in row.result.get("centres", []):
        st.markdown(
            f"**{part['name']}**: draft v{part['version']} saved, {part['working']} working, "
            f"{part['shortfall_hours']:.1f} h below its share of the pool."
        )
        if part["lenders"]:
            st.caption(
                "Could lend: "
                + "; ".join(
                    f"{lender['display_name']} ({lender['centre']}, "
                    f"{lender['spare_hours']:.1f} h spare)"
                    for lender in part["lenders"]
                )
            )


def _pool_roster(number: str) -> None:
    """The pool's joint roster of the week: start it, follow it, cancel it, see its result."""
    row = _pool_job(number)
    running = row is not None and row.active
    limit = st.number_input(
        "Time limit for the joint solve (s)",
        min_value=5,
        max_value=300,
        value=20,
        key=f"pool_limit_{number}",
    )
    clicked = st.button(
        "Roster the pool's week together",
        key=f"pool_solve_{number}",
        disabled=running,
        help="One solve of every centre's staff, each in their own centre's hours, so the pool "
        "is covered. Each centre's part is saved as its next draft; its manager publishes it.",
    )
    place = st.empty()
    if clicked and not running:
        try:
            row = start_pool_solve(
                engine=engine(),
                username=user.username,
                number=number,
                week_start=week,
                time_limit=float(limit),
            )
        except (ConflictError, PermissionError, NotFoundError, ValueError) as exc:
            st.error(str(exc), icon=":material/block:")
        else:
            running = True
    if row is None:
        return
    if running:
        if st.button(
            "Cancel the joint roster",
            key=f"pool_cancel_{number}",
            icon=":material/stop:",
            help="Stops the solver at its next report; nothing of this solve is saved.",
        ):
            cancel_job(engine=engine(), job_id=row.id, username=user.username)
            st.rerun()
        watch.append((row.id, place))
    else:
        _pool_result(row)


def _pct(value: float | None) -> str:
    return "no calls" if value is None else f"{value:.0%}"


st.subheader(f"Centres, week of {week:%d %B %Y}")
for column, centre in zip(st.columns(len(view.centres)), view.centres, strict=True):
    with column.container(border=True, key=f"centre_{centre.site_id}"):
        st.markdown(f"**{centre.name}**")
        st.metric("Requirement (h)", f"{centre.requirement_hours:.1f}")
        st.metric("Staffed (h)", f"{centre.staffed_hours:.1f}")
        st.metric("Shortfall (h)", f"{centre.shortfall_hours:.1f}")
        st.metric("Service level", _pct(centre.service_level))
        st.caption(
            f"Roster: {centre.roster}. Requirement from the {centre.forecast}."
            + (f" Shares the {centre.number}." if centre.number else "")
        )
st.caption(
    f"Network: {view.requirement_hours:.1f} h required, {view.staffed_hours:.1f} h staffed, "
    f"{view.shortfall_hours:.1f} h short."
)

st.subheader("Pooled queues")
if not view.pools:
    st.info("No centres share a number: each centre's queue is its own.")
for number, pool in view.pools:
    with st.container(border=True, key=f"pool_{number}"):
        st.markdown(f"**{number}**: {', '.join(pool.centres)}")
        cols = st.columns(3)
        cols[0].metric("Separate queues (h)", f"{pool.separate_total_hours:.1f}")
        cols[1].metric("Pooled (h)", f"{pool.pooled_hours:.1f}")
        cols[2].metric(
            "Saving (h)",
            f"{pool.saving_hours:.1f}",
            delta=f"{pool.saving_share:.0%}",
            delta_color="off",
        )
        st.caption(
            f"The queue alone (Erlang, before each centre's floor of counsellors on the line "
            f"and the cover for colleagues decompressing): {pool.separate_queue_total_hours:.1f} h "
            f"apart, {pool.pooled_queue_hours:.1f} h pooled. Each room keeps its own floor; the "
            "cover is counted once, on the pool."
        )
        st.dataframe(
            pd.DataFrame(
                {
                    "Centre": list(pool.centres),
                    "Alone (h)": [round(h, 1) for h in pool.separate_hours],
                    "Share of the pool (h)": [round(h, 1) for h in pool.share_hours],
                }
            ),
            hide_index=True,
        )
        busy = [i for i in pool.intervals if i.open_centres]
        figure = go.Figure()
        figure.add_scatter(
            x=[i.start for i in busy],
            y=[sum(i.separate) for i in busy],
            name="Sum of separate",
            line_shape="hv",
        )
        figure.add_scatter(
            x=[i.start for i in busy], y=[i.pooled for i in busy], name="Pooled", line_shape="hv"
        )
        figure.update_layout(
            height=280,
            margin={"l": 10, "r": 10, "t": 10, "b": 10},
            yaxis_title="Counsellors on the line",
            xaxis_range=[week, week + timedelta(days=7)],
        )
        st.plotly_chart(figure, key=f"pool_chart_{number}")

        _pool_roster(number)


# --- the live indicator (last, so the page above stays readable while it polls) ----------

if watch:
    watched, place = watch[0]
    ended: SolveJob = solve_progress.show(
        f"pool_progress_{watched}",
        lambda: read_solve_job(engine=engine(), job_id=watched, username=user.username),
        place,
    )
    if ended.row.status == "done":
        _week.clear()  # the centres' newest drafts changed
    st.rerun()
