"""Sign in. Demo accounts are listed only while the demo site is the only site."""

import streamlit as st

from data.demo import DEMO_ACCOUNTS
from data.services.accounts import demo_accounts_shown, sign_in_with_password
from ui.session import SignedInUser, sign_in
from ui.state import engine

st.title("Helpline planner")
st.caption("Weekly rosters that answer callers and protect the people who answer.")

reason = st.session_state.pop("sign_out_reason", None)
if reason:
    st.info(reason)

with st.form("sign_in"):
    username = st.text_input("Username", autocomplete="username")
    password = st.text_input("Password", type="password", autocomplete="current-password")
    submitted = st.form_submit_button("Sign in", type="primary")

if submitted:
    if not username or not password:
        st.error("Enter both a username and a password.")
    else:
        result = sign_in_with_password(engine=engine(), username=username, password=password)
        if result.ok and result.account is not None:
            account = result.account
            sign_in(
                SignedInUser(
                    account_id=account.id,
                    username=account.username,
                    role=account.role,
                    staff_id=account.staff_id,
                )
            )
            st.rerun()
        else:
            st.error(result.message)

if demo_accounts_shown(engine=engine()):
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
