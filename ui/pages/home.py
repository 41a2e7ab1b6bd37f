"""The site at a glance: the last 12 weeks of calls and the latest week's totals."""

import streamlit as st

from data.services.home import site_overview
from scheduling.domain import Role
from ui.components.charts import weekly_calls_figure
from ui.components.scenario_card import show_latest_comparison
from ui.navigation import ALL_ROLES
from ui.session import require_role
from ui.state import NO_SITE, current_site_id, engine

user = require_role(*ALL_ROLES)
site_id = current_site_id()
if site_id is None:
    st.title("Home")
    st.info(NO_SITE)
    st.stop()

overview = site_overview(engine=engine(), site_id=site_id, actor=user.username, weeks=12)
site, weeks = overview.site, overview.weeks

st.title(site.name if site else "Home")
if site is not None and site.is_demo:
    st.caption("Demo data, generated: not a real helpline's figures.")

latest, previous = weeks[-1], weeks[-2]


def _delta(now: int | None, before: int | None) -> str | None:
    if now is None or not before or now == before:
        return None
    return f"{(now - before) / before:+.0%} on the week before"


st.subheader(f"Week of {latest.week_start:%d %B %Y}")
cols = st.columns(4)
cols[0].metric("Offered", latest.offered, _delta(latest.offered, previous.offered))
UNKNOWN = "unknown"
cols[1].metric(
    "Answered",
    UNKNOWN if latest.answered is None else latest.answered,
    _delta(latest.answered, previous.answered),
)
cols[2].metric(
    "Abandoned",
    UNKNOWN if latest.abandoned is None else latest.abandoned,
    _delta(latest.abandoned, previous.abandoned),
    delta_color="inverse",
)
answered_share = (
    latest.answered / latest.offered if latest.offered and latest.answered is not None else None
)
cols[3].metric(
    "Answered share", "-" if answered_share is None else f"{answered_share:.0%}", help="Target 90%"
)

if user.role is Role.LEADERSHIP:
    show_latest_comparison(site_id, user.username)

st.subheader("Last 12 weeks")
st.plotly_chart(weekly_calls_figure(weeks), width="stretch", key="home_weekly_calls")
