"""My account: who is signed in, and changing my password."""

import streamlit as st

from data.accounts import authenticate, reset_password
from data.db import session_scope
from ui.navigation import ALL_ROLES
from ui.session import require_role
from ui.state import engine

user = require_role(*ALL_ROLES)
st.title("My account")
st.write(f"Signed in as **{user.username}** ({user.role.value}).")

with st.form("change_password", clear_on_submit=True):
    current = st.text_input("Current password", type="password")
    new = st.text_input("New password (at least 10 characters)", type="password")
    repeat = st.text_input("New password again", type="password")
    if st.form_submit_button("Change password"):
        if new != repeat:
            st.error("The two new passwords differ.")
        else:
            # The check commits on its own so wrong guesses count towards the lockout.
            with session_scope(engine()) as session:
                check = authenticate(session=session, username=user.username, password=current)
            try:
                if not check.ok:
                    raise ValueError(check.message)
                with session_scope(engine()) as session:
                    reset_password(
                        session=session,
                        username=user.username,
                        new_password=new,
                        actor=user.username,
                    )
            except ValueError as exc:
                st.error(str(exc))
            else:
                st.success("Password changed.")
