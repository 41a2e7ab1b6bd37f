"""Team wellbeing (leadership): aggregates only, each over at least 5 people."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from data.services.wellbeing import team_wellbeing_view
from scheduling.domain import Role
from ui.components.wellbeing import acting, now_utc
from ui.session import require_role
from ui.state import engine, require_site_id
from wellbeing.checkin import SUBSCALES, cbi

user = require_role(Role.LEADERSHIP)
actor = acting(user)
st.title("Team wellbeing")
site_id = require_site_id()
view = team_wellbeing_view(engine=engine(), username=actor.username, site_id=site_id, now=now_utc())
st.caption(
    f"Aggregates over the site's {view.people} counsellors; never a person's data. A figure "
    "over fewer than 5 people is not shown."
)

st.subheader("Difficult calls and debriefs by week")
if view.weeks_message:
    st.info(view.weeks_message)
else:
    weeks = pd.DataFrame(
        {
            "Week of": [w.week_start for w in view.weeks],
            "Difficult calls": [w.difficult_calls for w in view.weeks],
            "Counsellor-hours": [w.counsellor_hours for w in view.weeks],
            "Hours from": [w.hours_from for w in view.weeks],
            "Per counsellor-hour": [w.calls_per_counsellor_hour for w in view.weeks],
            "Debriefs asked": [w.debriefs_asked for w in view.weeks],
            "Done": [w.debriefs_done for w in view.weeks],
            "Overdue": [w.debriefs_overdue for w in view.weeks],
        }
    )
    figure = go.Figure(
        go.Bar(x=weeks["Week of"], y=weeks["Per counsellor-hour"], name="per counsellor-hour")
    )
    figure.update_layout(
        height=280,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        title="Difficult calls per counsellor-hour",
    )
    st.plotly_chart(figure, width="stretch")
    st.dataframe(weeks, hide_index=True)
    st.caption(
        "Counsellor-hours are line hours of the published roster; for a week without one, the "
        "hours spent on answered calls in the call history."
    )

band_col, cbi_col = st.columns(2)
with band_col:
    st.subheader("Load bands")
    if view.load_bands is None:
        st.info(view.load_message or "")
    else:
        cols = st.columns(3)
        for col, band in zip(cols, ("normal", "watch", "high"), strict=True):
            col.metric(band.capitalize(), view.load_bands[band])
        st.caption("People in each band now. High: fewer line hours and an off-line day next week.")
with cbi_col:
    questionnaire = cbi()
    st.subheader(f"Check-in ({view.cbi_quarter or 'none yet'})")
    if view.cbi_medians is None:
        st.info(view.cbi_message or "")
    else:
        threshold = view.cbi_at_or_above_threshold or {}
        st.dataframe(
            pd.DataFrame(
                {
                    "Subscale": [questionnaire.subscales[s] for s in SUBSCALES],
                    "Median": [view.cbi_medians.of(s) for s in SUBSCALES],
                    f"At or above {questionnaire.threshold:g}": [
                        threshold.get(s) for s in SUBSCALES
                    ],
                }
            ),
            hide_index=True,
        )
        st.caption(f"{view.cbi_people} people answered. {questionnaire.citation}")
