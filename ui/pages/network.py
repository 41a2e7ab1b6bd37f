"""Network (leadership): every centre's week side by side, and each pool of centres sharing a
number: the pooled requirement against the sum of the separate ones."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from data.errors import NotFoundError
from data.services.network import NetworkWeek, network_week, solve_pool_week
from scheduling.domain import Role, monday_of
from scheduling.roster.pooled import PooledRoster
from ui.components.wellbeing import now_utc
from ui.session import require_role
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
        saving = pool.saving_hours
        share = saving / pool.separate_total_hours if pool.separate_total_hours else 0.0
        cols[2].metric("Saving (h)", f"{saving:.1f}", delta=f"{share:.0%}", delta_color="off")
        queue_apart = sum(pool.separate_queue_hours)
        st.caption(
            f"The queue alone (Erlang, before each centre's floor of counsellors on the line): "
            f"{queue_apart:.1f} h apart, {pool.pooled_queue_hours:.1f} h pooled. Where the "
            "floors bind (few calls), pooling saves little: each room still needs its own."
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

        result_key = f"pool_roster_{number}_{week}"
        limit = st.number_input(
            "Time limit for the joint solve (s)",
            min_value=5,
            max_value=300,
            value=20,
            key=f"pool_limit_{number}",
        )
        if st.button(
            "Roster the pool's week together",
            key=f"pool_solve_{number}",
            help="One solve of every centre's staff, each in their own centre's hours, so the "
            "pool is covered. Shown here, not saved: each manager still solves and publishes.",
        ):
            with st.spinner("Solving the pool's week..."):
                st.session_state[result_key] = solve_pool_week(
                    engine=engine(),
                    actor=user.username,
                    number=number,
                    week_start=week,
                    time_limit=float(limit),
                )
        joint = st.session_state.get(result_key)
        if isinstance(joint, PooledRoster):
            stats = joint.solution.stats
            st.caption(
                f"Joint roster: {stats.status.lower()} after {stats.wall_time_seconds:.0f} s; "
                f"the pool is {joint.pool_shortfall_hours:.1f} h short."
            )
            for part in joint.centres:
                line = f"**{part.name}**: {len(part.people)} working, "
                line += f"{part.shortfall_hours:.1f} h below its share of the pool."
                st.markdown(line)
                if part.could_lend:
                    st.caption(
                        "Could lend: "
                        + "; ".join(
                            f"{lender.display_name} ({lender.centre}, {lender.spare_hours:.1f} "
                            "h spare)"
                            for lender in part.could_lend
                        )
                    )
