"""My shift (counsellors and supervisors): log a difficult call in one tap, ask for a debrief,
see when I am back on the queue, my shifts this week, my load band and my quarterly check-in;
ask for leave, an availability change or a shift swap, and answer swaps offered to me."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from data.errors import ConflictError
from data.models import DIFFICULT_CALL_CATEGORIES, DifficultCallUpdate
from data.services.wellbeing import (
    ask_for_debrief,
    describe_my_difficult_call,
    log_my_difficult_call,
    my_off_queue,
    my_timezone,
    my_week,
    send_my_checkin,
)
from scheduling.domain import Role
from ui.components.request_forms import show_my_requests
from ui.components.wellbeing import (
    REFRESH_SECONDS,
    URGENCY_LABELS,
    acting,
    countdown,
    hm,
    now_utc,
)
from ui.session import require_role
from ui.state import engine
from wellbeing.checkin import SUBSCALES, cbi, quarter_of

LAST_CALL = "my_shift_last_call"
BAND_TEXT = {
    "normal": "Your recent load is in the usual range.",
    "watch": "Watch: your recent load is above the usual.",
    "high": "High: next week's roster gives you fewer line hours and an off-line day.",
}

user = require_role(Role.STAFF, Role.SUPERVISOR)
actor = acting(user)
st.title("My shift")
if actor.staff_id is None:
    st.info(
        "Your account is not linked to a staff record yet, so there is nothing to log. "
        "An administrator can link it on the Admin page."
    )
    st.stop()
tz = my_timezone(engine=engine(), username=actor.username)


@st.fragment(run_every=timedelta(seconds=REFRESH_SECONDS))
def off_queue_line() -> None:
    now = now_utc()
    until = my_off_queue(engine=engine(), username=actor.username, now=now)
    if until is None:
        st.success("On the queue.", icon=":material/call:")
    else:
        st.warning(
            f"**Off the queue until {hm(until, tz)}** ({countdown(until, now)}). "
            "Take the time: no further call until you are ready.",
            icon=":material/self_improvement:",
        )


# --- log a difficult call: one tap, the details after ------------------------------------

if st.button("Log a difficult call", type="primary", icon=":material/front_hand:"):
    call = log_my_difficult_call(engine=engine(), username=actor.username, at=now_utc())
    st.session_state[LAST_CALL] = call.id
off_queue_line()

last_call = st.session_state.get(LAST_CALL)
if last_call is not None:
    with st.form("describe_call"):
        st.write("Logged. If you like, add a little more (both optional):")
        category = st.selectbox(
            "What kind of call",
            options=[None, *DIFFICULT_CALL_CATEGORIES],
            format_func=lambda c: "(not said)" if c is None else c,
        )
        distress = st.radio(
            "How distressed are you now (1 low, 5 high)",
            options=[1, 2, 3, 4, 5],
            index=None,
            horizontal=True,
        )
        save, skip = st.columns(2)
        if save.form_submit_button("Save"):
            describe_my_difficult_call(
                engine=engine(),
                username=actor.username,
                call_id=last_call,
                call_in=DifficultCallUpdate.model_validate(
                    {"category": category, "distress": distress}
                ),
            )
            st.session_state.pop(LAST_CALL, None)
            st.rerun()
        if skip.form_submit_button("Skip"):
            st.session_state.pop(LAST_CALL, None)
            st.rerun()


# --- request a debrief ------------------------------------------------------------------

with st.form("request_debrief", clear_on_submit=True):
    st.markdown("**Need to talk it through?**")
    urgency = st.radio("When", options=list(URGENCY_LABELS), format_func=URGENCY_LABELS.__getitem__)
    note = st.text_area(
        "Private note (optional; only supervisors read it, stored encrypted)", max_chars=2000
    )
    if st.form_submit_button("Request a debrief"):
        request = ask_for_debrief(
            engine=engine(), username=actor.username, urgency=urgency, note=note, now=now_utc()
        )
        st.success(
            f"Debrief requested: a supervisor will see you by "
            f"{request.deadline.astimezone(tz):%a %H:%M}."
        )
week = my_week(engine=engine(), username=actor.username, now=now_utc())
for request in week.open_debriefs:
    st.caption(
        f"Debrief asked {request.requested_at.astimezone(tz):%a %H:%M}, "
        f"due by {request.deadline.astimezone(tz):%a %H:%M}."
    )


# --- my week, my load ---------------------------------------------------------------------

today = week.today
shifts = week.shifts
load = week.load
checkins = week.checkins

week_col, load_col = st.columns([3, 2])
with week_col:
    st.subheader("My shifts this week")
    if shifts:
        st.dataframe(
            pd.DataFrame(
                {
                    "Day": [f"{s.start.astimezone(tz):%a %d %b}" for s in shifts],
                    "From": [hm(s.start, tz) for s in shifts],
                    "To": [hm(s.end, tz) for s in shifts],
                    "On the line": [
                        ", ".join(
                            f"{hm(a.start, tz)}-{hm(a.end, tz)}"
                            for a in s.activities
                            if a.activity.value == "line"
                        )
                        for s in shifts
                    ],
                }
            ),
            hide_index=True,
        )
    else:
        st.caption("No published shifts this week.")
with load_col:
    st.subheader("My load")
    st.metric("Band", load.band.capitalize())
    st.caption(BAND_TEXT[load.band] + " Only you see your score and its parts.")
    with st.expander("What makes it up"):
        st.dataframe(
            pd.DataFrame(
                {
                    "Part": [p.title for p in load.parts],
                    "Value": [round(p.value, 1) for p in load.parts],
                    "Points (of 20)": [round(p.points, 1) for p in load.parts],
                }
            ),
            hide_index=True,
        )


# --- check-in ------------------------------------------------------------------------------

st.subheader("My check-in")
questionnaire = cbi()
quarter = quarter_of(today)
if checkins:
    trend = pd.DataFrame(
        {
            "Quarter": [c.quarter for c in checkins],
            **{questionnaire.subscales[s]: [getattr(c, s) for c in checkins] for s in SUBSCALES},
        }
    ).set_index("Quarter")
    st.dataframe(trend.round(1))
    if len(checkins) > 1:
        st.line_chart(trend)
    latest = checkins[-1]
    high = [
        questionnaire.subscales[s]
        for s in SUBSCALES
        if (getattr(latest, s) or 0) >= questionnaire.threshold
    ]
    if high:
        st.info(
            f"{', '.join(high)} at or above {questionnaire.threshold:g}: worth talking over with "
            "your supervisor. Scores screen; they do not diagnose, and they are never used in "
            "performance reviews."
        )
if not any(c.quarter == quarter for c in checkins):
    with st.expander(
        f"This quarter's check-in ({quarter}): {questionnaire.name}", expanded=not checkins
    ):
        st.caption(questionnaire.citation)
        with st.form("checkin"):
            answers: dict[str, int | None] = {}
            for item in questionnaire.items:
                options = questionnaire.options(item)
                choice = st.radio(
                    item.text, options=options, index=None, horizontal=True, key=f"cbi_{item.id}"
                )
                answers[item.id] = None if choice is None else options.index(choice)
            if st.form_submit_button("Send my check-in"):
                missing = [
                    n for n, item in enumerate(questionnaire.items, 1) if answers[item.id] is None
                ]
                if missing:
                    st.error(
                        f"Please answer every question (missing: {', '.join(map(str, missing))})."
                    )
                else:
                    try:
                        send_my_checkin(
                            engine=engine(),
                            username=actor.username,
                            answers={k: v for k, v in answers.items() if v is not None},
                            now=now_utc(),
                        )
                    except ConflictError as exc:
                        st.error(str(exc))
                    else:
                        st.rerun()
else:
    st.caption(f"Check-in for {quarter} done. The next one opens next quarter.")


# --- requests: leave, availability, swaps -------------------------------------------------

st.subheader("My requests")
show_my_requests(username=actor.username)
