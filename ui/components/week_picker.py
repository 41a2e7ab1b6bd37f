"""Pick a week: a date input for its first day and, beside it, one click to each week that
already has saved work."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import streamlit as st


def show(
    key: str,
    *,
    default: date,
    saved_weeks: Sequence[date] = (),
    saved_label: str = "Weeks with saved rosters",
    nothing_saved: str = "No roster saved yet for any week.",
    shortcuts: int = 10,
) -> date | None:
    """The day picked (not yet moved to its Monday), or None while the input is cleared."""
    jump_key = f"{key}_jump"

    def _jump() -> None:
        chosen = st.session_state.get(jump_key)
        if chosen is not None:
            st.session_state[key] = chosen
            st.session_state[jump_key] = None

    week_col, saved_col = st.columns([1, 3], vertical_alignment="bottom")
    picked = week_col.date_input(
        "Week starting",
        value=default,
        help="Default: next Monday. Weeks start on Monday.",
        key=key,
    )
    if saved_weeks:
        saved_col.pills(
            saved_label,
            options=list(saved_weeks)[:shortcuts],
            format_func=lambda d: f"{d:%d %b %Y}",
            key=jump_key,
            on_change=_jump,
        )
    else:
        saved_col.caption(nothing_saved)
    return picked if isinstance(picked, date) else None
