"""Debriefs (clinical supervisors): the queue of debrief requests, oldest deadline first, with
the private note, an overdue flag, and marking one done."""

from __future__ import annotations

import streamlit as st

from data.errors import ConflictError, NotFoundError
from data.services.wellbeing import mark_debrief_done, open_debrief_queue
from scheduling.domain import Role
from ui.components.wellbeing import URGENCY_LABELS, acting, age, now_utc
from ui.session import require_role
from ui.state import engine, require_site_id

user = require_role(Role.SUPERVISOR)
actor = acting(user)
st.title("Debriefs")
site_id = require_site_id()
view = open_debrief_queue(engine=engine(), username=actor.username, site_id=site_id)
tz = view.tz
queue = view.requests

now = now_utc()
if not queue:
    st.success("No open debrief requests.", icon=":material/check_circle:")
overdue = sum(r.deadline < now for r in queue)
if overdue:
    st.error(f"{overdue} debrief request(s) overdue.", icon=":material/schedule:")
st.caption(
    "Private notes are shown to supervisors only and stored encrypted. Opening this page is "
    "recorded in the audit log."
)
for request in queue:
    late = request.deadline < now
    with st.container(border=True):
        who, when, action = st.columns([3, 3, 1], vertical_alignment="center")
        who.markdown(
            f"**{request.display_name}**  \n{URGENCY_LABELS[request.urgency]} · asked "
            f"{age(request.requested_at, now)} ago"
        )
        when.markdown(
            f"Due by **{request.deadline.astimezone(tz):%a %d %b %H:%M}**"
            + ("  \n:red[**Overdue**]" if late else "")
        )
        if action.button("Mark done", key=f"debrief_done_{request.id}"):
            try:
                mark_debrief_done(
                    engine=engine(), username=actor.username, request_id=request.id, now=now_utc()
                )
            except (ConflictError, NotFoundError) as exc:
                st.error(str(exc))
            else:
                st.rerun()
        if request.note:
            st.markdown(f"> {request.note}")
