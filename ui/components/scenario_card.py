"""Leadership's Home card: the latest saved scenario comparison at a glance."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.services.scenarios import latest_saved_comparison
from ui.state import engine


def show_latest_comparison(site_id: int, username: str) -> None:
    latest = latest_saved_comparison(engine=engine(), site_id=site_id, actor=username)
    with st.container(border=True, key="latest_comparison_card"):
        st.subheader("Latest scenario comparison")
        if latest is None:
            st.caption("None saved yet: compare scenarios on the Scenarios page and save.")
            return
        st.caption(f"{latest.title}: saved by {latest.author} on {latest.created_at:%d %B %Y}")
        table = pd.DataFrame(
            {
                "Scenario": [r.get("scenario") for r in latest.rows],
                "Hires": [r.get("hires_total") for r in latest.rows],
                "Cost a month": [f"{r.get('cost_per_month', 0):,.0f}" for r in latest.rows],
                "Answered (sim.)": [
                    "-" if r.get("sim_answered_share") is None else f"{r['sim_answered_share']:.1%}"
                    for r in latest.rows
                ],
            }
        )
        st.dataframe(table, hide_index=True, width="stretch")
