"""My account: who is signed in, and changing my password."""

import streamlit as st

from data.services.accounts import change_own_password
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
            try:
                change_own_password(
                    engine=engine(),
                    username=user.username,
                    current_password=current,
                    new_password=new,
                )
            except ValueError as exc:
                st.error(str(exc))
            else:
                st.success("Password changed.")
