"""Sign in. Demo accounts are listed only while the demo site is the only site."""

import streamlit as st

from data.account_actions import password_sign_in
from data.db import session_scope
from data.demo import DEMO_ACCOUNTS
from data.sites import demo_only
from ui.session import sign_in
from ui.state import engine

st.title("Helpline planner")
st.caption("Weekly rosters that answer callers and protect the people who answer.")

reason = st.session_state.pop("sign_out_reason", None)
if reason:
    st.info(reason)

with st.form("sign_in"):
    username = st.text_input("Username", autocomplete="username", max_chars=200)
    password = st.text_input(
        "Password", type="password", autocomplete="current-password", max_chars=1024
    )
    submitted = st.form_submit_button("Sign in", type="primary")

if submitted:
    try:
        address = st.context.ip_address
    except Exception:  # no browser connection (AppTest)
        address = None
    source = address if isinstance(address, str) else None
    outcome = password_sign_in(engine=engine(), username=username, password=password, source=source)
    if outcome.session is not None:
        sign_in(outcome.session)
        st.rerun()
    else:
        st.error(outcome.message)

with session_scope(engine()) as session:
    show_demo = demo_only(session=session)
if show_demo:
    st.warning(
        "**Demo data.** This installation holds only the generated demo helpline; nothing here "
        "is real. The demo accounts below disappear from this page once a real site exists."
    )
    st.table(
        {
            "Username": [a.username for a in DEMO_ACCOUNTS],
            "Password": [a.password for a in DEMO_ACCOUNTS],
            "Role": [a.role.value for a in DEMO_ACCOUNTS],
        }
    )
