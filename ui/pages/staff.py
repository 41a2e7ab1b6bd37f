"""Staff: who can be rostered. Add, edit and retire members (skills, languages, contract hours,
line cap, weekly availability) and enter leave, training and sickness; the next solve reads it
all. Managers change records; administrators read them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pydantic import ValidationError

from data.models import StaffPublic
from data.services.staff import (
    add_staff_leave,
    reinstate_staff_member,
    remove_staff_leave,
    retire_staff_member,
    save_staff_member,
    staff_page,
)
from scheduling.domain import LeavePeriod, Role
from scheduling.staff_rules import window_words
from ui.components.staff_form import (
    EMPLOYMENT_WORDS,
    describe_staff_errors,
    languages_words,
    staff_form,
)
from ui.session import require_role
from ui.state import engine, require_site_id

LEAVE_WORDS = {"leave": "Leave", "training": "Training", "sick": "Sickness", "other": "Other"}
LEAVE_COLOURS = {"leave": "#4c6ef5", "training": "#12b886", "sick": "#fa5252", "other": "#868e96"}
CALENDAR_WEEKS = 12
NEW = 0  # the selectbox value for "a new staff member"

user = require_role(Role.MANAGER, Role.ADMIN)
st.title("Staff")
site_id = require_site_id()
can_edit = user.role is Role.MANAGER
page = staff_page(engine=engine(), site_id=site_id, role=user.role, actor=user.username)
tz = page.site.tz
today = datetime.now(tz).date()
spans = {(w.start_minute, w.end_minute) for w in page.site.opening_hours}
if len(page.site.opening_hours) == 7 and len(spans) == 1:
    (only,) = page.site.opening_hours[:1]
    hours_words = "every day " + window_words(only).split(" ", 1)[1]
else:
    hours_words = ", ".join(window_words(w) for w in page.site.opening_hours) or "never"
st.caption(
    f"{page.site.name}: open {hours_words} ({page.site.timezone}). The next roster solve "
    "reads these records: skills, languages, contract hours, line cap, availability and leave."
    + ("" if can_edit else " Read only: managers add and change staff records.")
)

for note in st.session_state.pop("staff_notes", []):
    st.success(note, icon=":material/check:")


def _hours(minutes: int) -> str:
    return f"{minutes / 60:g}"


def _table(staff: list[StaffPublic]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Name": m.display_name + ("" if m.active else " (retired)"),
                "Employment": EMPLOYMENT_WORDS[m.employment],
                "Skills": ", ".join(s.value.replace("_", " ") for s in m.skills),
                "Languages": languages_words(m.languages),
                "Contract (h a week)": f"{_hours(m.contract_minutes_min)}-"
                f"{_hours(m.contract_minutes_max)}",
                "Line cap (h a week)": _hours(m.line_cap_minutes_week),
                "Leave ahead": sum(1 for p in m.leave if p.last_day >= today),
                "Availability": "; ".join(window_words(w) for w in m.availability)
                or "any open time",
            }
            for m in staff
        ],
        columns=[
            "Name",
            "Employment",
            "Skills",
            "Languages",
            "Contract (h a week)",
            "Line cap (h a week)",
            "Leave ahead",
            "Availability",
        ],
    )


if page.staff:
    # Short columns narrow and the long text last: nothing is cut off on a laptop screen.
    st.dataframe(
        _table(page.staff),
        hide_index=True,
        width="stretch",
        key="staff_table",
        column_config={
            "Name": st.column_config.TextColumn(width=190),
            "Employment": st.column_config.TextColumn(width=80),
            "Skills": st.column_config.TextColumn(width=150),
            "Languages": st.column_config.TextColumn(width=150),
            "Contract (h a week)": st.column_config.TextColumn("Contract (h)", width=75),
            "Line cap (h a week)": st.column_config.TextColumn("Line cap (h)", width=75),
            "Leave ahead": st.column_config.NumberColumn(width=85),
        },
    )
else:
    st.info("No staff yet." + (" Add the first member below." if can_edit else ""))


def _calendar(staff: list[StaffPublic]) -> go.Figure | None:
    """Everyone's leave, training and sickness over the coming weeks."""
    end = today + timedelta(weeks=CALENDAR_WEEKS)
    fig = go.Figure()
    shown: set[str] = set()
    for member in staff:
        for p in member.leave:
            if p.last_day < today or p.first_day > end:
                continue
            fig.add_trace(
                go.Bar(
                    y=[member.display_name],
                    x=[(p.last_day - p.first_day).days + 1],
                    base=[p.first_day.isoformat()],
                    orientation="h",
                    name=LEAVE_WORDS[p.reason],
                    marker_color=LEAVE_COLOURS[p.reason],
                    showlegend=p.reason not in shown,
                    legendgroup=p.reason,
                    hovertemplate=f"{member.display_name}: {LEAVE_WORDS[p.reason]} "
                    f"{p.first_day:%d %b}-{p.last_day:%d %b}<extra></extra>",
                )
            )
            shown.add(p.reason)
    if not shown:
        return None
    # A bar's length is in days: plotly reads it as milliseconds on a date axis.
    for trace in fig.data:
        trace.x = [days * 86_400_000 for days in trace.x]
    fig.update_layout(
        barmode="overlay",
        height=120 + 28 * len({t.y[0] for t in fig.data}),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"type": "date", "range": [today.isoformat(), end.isoformat()]},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    )
    return fig


st.markdown(f"#### Leave, training and sickness: the next {CALENDAR_WEEKS} weeks")
calendar = _calendar(page.staff)
if calendar is None:
    st.caption("Nobody has leave, training or sickness entered for these weeks.")
else:
    st.plotly_chart(calendar, width="stretch", key="staff_calendar")


# --- one member ---------------------------------------------------------------------------

by_id = {m.id: m for m in page.staff}
options = ([NEW] if can_edit else []) + list(by_id)
if not options:
    st.stop()
if st.session_state.get("staff_pick_next") in by_id:
    st.session_state["staff_pick"] = st.session_state.pop("staff_pick_next")
chosen = st.selectbox(
    "Staff member",
    options=options,
    format_func=lambda i: (
        "A new staff member"
        if i == NEW
        else by_id[i].display_name + ("" if by_id[i].active else " (retired)")
    ),
    key="staff_pick",
)
member = by_id.get(chosen)

if can_edit:
    submitted = staff_form(f"staff_form_{chosen}", member)
    if submitted is not None:
        values, problems = submitted
        if problems:
            for problem in problems:
                st.error(problem)
        else:
            try:
                saved = save_staff_member(
                    engine=engine(),
                    site_id=site_id,
                    staff_id=None if member is None else member.id,
                    values=values,
                    actor=user.username,
                    role=user.role,
                )
            except ValidationError as exc:
                for line in describe_staff_errors(exc):
                    st.error(line)
                st.caption("Nothing was saved.")
            else:
                st.session_state["staff_notes"] = [
                    f"{saved.display_name} {'added' if member is None else 'saved'}."
                ]
                st.session_state["staff_pick_next"] = saved.id
                st.rerun()

if member is None:
    st.stop()


# --- retire -------------------------------------------------------------------------------

if can_edit:
    pending_key = f"staff_retire_pending_{member.id}"
    if member.active:
        if st.button(f"Retire {member.display_name}", key="staff_retire"):
            outcome = retire_staff_member(
                engine=engine(),
                site_id=site_id,
                staff_id=member.id,
                today=today,
                confirmed=False,
                actor=user.username,
                role=user.role,
            )
            if outcome.retired:
                st.session_state["staff_notes"] = [
                    f"{member.display_name} retired: the next solves leave them out."
                ]
                st.rerun()
            st.session_state[pending_key] = outcome.shifts
        pending = st.session_state.get(pending_key)
        if pending:
            st.warning(
                f"{member.display_name} has {len(pending)} shift(s) in published rosters: "
                + "; ".join(pending)
                + ". Retiring leaves those weeks as published; solve them again to re-plan "
                "without them.",
                icon=":material/warning:",
            )
            if st.button("Retire anyway", key="staff_retire_confirm", type="primary"):
                retire_staff_member(
                    engine=engine(),
                    site_id=site_id,
                    staff_id=member.id,
                    today=today,
                    confirmed=True,
                    actor=user.username,
                    role=user.role,
                )
                st.session_state.pop(pending_key, None)
                st.session_state["staff_notes"] = [f"{member.display_name} retired."]
                st.rerun()
    elif st.button(f"Reinstate {member.display_name}", key="staff_reinstate"):
        reinstate_staff_member(
            engine=engine(), staff_id=member.id, actor=user.username, role=user.role
        )
        st.session_state["staff_notes"] = [f"{member.display_name} reinstated."]
        st.rerun()


# --- leave --------------------------------------------------------------------------------

st.markdown(f"#### {member.display_name}: leave, training and sickness")
periods = sorted(member.leave, key=lambda p: p.first_day)
if not periods:
    st.caption("None entered.")
for p in periods:
    row = st.container(horizontal=True, vertical_alignment="center")
    row.markdown(
        f"**{LEAVE_WORDS[p.reason]}** {p.first_day:%a %d %b %Y} to {p.last_day:%a %d %b %Y} "
        f"({(p.last_day - p.first_day).days + 1} days)"
    )
    if can_edit and row.button("Remove", key=f"staff_leave_remove_{p.id}"):
        remove_staff_leave(engine=engine(), leave_id=p.id, actor=user.username, role=user.role)
        st.session_state["staff_notes"] = ["Removed."]
        st.rerun()

if can_edit:
    with st.form(f"staff_leave_form_{member.id}", border=True):
        cols = st.columns(3)
        first = cols[0].date_input("First day", value=today, key="staff_leave_first")
        last = cols[1].date_input("Last day", value=today, key="staff_leave_last")
        reason = cols[2].selectbox(
            "Kind",
            options=list(LEAVE_WORDS),
            format_func=LEAVE_WORDS.__getitem__,
            key="staff_leave_reason",
        )
        add = st.form_submit_button("Add to the calendar")
    if add:
        try:
            if not isinstance(first, date) or not isinstance(last, date):
                raise ValueError("Dates: pick the first and the last day")
            period = LeavePeriod.model_validate(
                {"first_day": first, "last_day": last, "reason": reason}
            )
            add_staff_leave(
                engine=engine(),
                staff_id=member.id,
                period=period,
                actor=user.username,
                role=user.role,
            )
        except ValidationError as exc:
            for line in describe_staff_errors(exc):
                st.error(line)
        except ValueError as exc:
            st.error(str(exc))
        else:
            st.session_state["staff_notes"] = [
                f"{LEAVE_WORDS[reason]} from {first:%d %b} to {last:%d %b} added for "
                f"{member.display_name}."
            ]
            st.rerun()
