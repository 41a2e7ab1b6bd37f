"""My account: who is signed in, and changing my password."""

import streamlit as st

from data.account_actions import ActionRefused, change_own_password
from ui.navigation import ALL_ROLES
from ui.session import require_role, session_token
from ui.state import engine

user = require_role(*ALL_ROLES)
st.title("My account")
st.write(f"Signed in as **{user.username}** ({user.role.value}).")

with st.form("change_password", clear_on_submit=True):
    current = st.text_input("Current password", type="password", max_chars=1024)
    new = st.text_input("New password (at least 10 characters)", type="password", max_chars=256)
    repeat = st.text_input("New password again", type="password", max_chars=256)
    if st.form_submit_button("Change password"):
        try:
            change_own_password(
                engine=engine(),
                username=user.username,
                current=current,
                new=new,
                repeat=repeat,
                keep_token=session_token(),
            )
        except ActionRefused as exc:
            st.error(str(exc))
        else:
            st.success("Password changed.")
            st.caption("Your sign-ins on other browsers have ended; this one stays.")
