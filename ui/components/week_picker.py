"""Pick a week: a date input for its first day and, beside it, one click to each week that
already has saved work. Pages that plan the same week pass the same `shared_key`: the week
chosen on one is the week the other opens on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import streamlit as st


def planning_week_key(site_id: int) -> str:
    """The session-state key of the week being planned for a site (shared across pages)."""
    return f"planning_week_{site_id}"


def _clamp(day: date, low: date | None, high: date | None) -> date:
    if low is not None and day < low:
        return low
    if high is not None and day > high:
        return high
    return day


def show(
    key: str,
    *,
    default: date,
    shared_key: str | None = None,
    min_value: date | None = None,
    max_value: date | None = None,
    help: str = "Default: the coming Monday. Weeks start on Monday.",
    saved_weeks: Sequence[date] = (),
    saved_label: str = "Weeks with saved rosters",
    nothing_saved: str = "No roster saved yet for any week.",
    shortcuts: int = 10,
) -> date | None:
    """The day picked (not yet moved to its Monday), or None while the input is cleared."""
    jump_key = f"{key}_jump"
    # Widget state is dropped when another page runs, so the week lives under shared_key and
    # the input is seeded from it whenever the two differ (another page moved the week).
    if shared_key:
        wanted = st.session_state.get(shared_key, default)
        if isinstance(wanted, date):
            wanted = _clamp(wanted, min_value, max_value)
            if st.session_state.get(key) != wanted:
                st.session_state[key] = wanted
    elif key not in st.session_state:
        st.session_state[key] = _clamp(default, min_value, max_value)

    def _share(value: object) -> None:
        if shared_key and isinstance(value, date):
            st.session_state[shared_key] = value

    def _picked() -> None:
        _share(st.session_state.get(key))

    def _jump() -> None:
        chosen = st.session_state.get(jump_key)
        if chosen is not None:
            st.session_state[key] = chosen
            st.session_state[jump_key] = None
            _share(chosen)

    week_col, saved_col = st.columns([1, 3], vertical_alignment="bottom")
    picked = week_col.date_input(
        "Week starting",
        min_value=min_value,
        max_value=max_value,
        help=help,
        key=key,
        on_change=_picked,
    )
    if saved_weeks:
        saved_col.pills(
            saved_label,
            options=list(saved_weeks)[:shortcuts],
            format_func=lambda d: f"{d:%d %b %Y}",
            key=jump_key,
            on_change=_jump,
        )
    elif nothing_saved:
        saved_col.caption(nothing_saved)
    if isinstance(picked, date):
        _share(picked)
        return picked
    return None
