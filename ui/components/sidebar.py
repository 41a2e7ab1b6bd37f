"""Who is signed in, and a sign-out button, at the foot of the sidebar on every page."""

from __future__ import annotations

import streamlit as st

from ui.session import SignedInUser, sign_out


def show_signed_in(user: SignedInUser) -> None:
    with st.sidebar:
        st.caption(f"Signed in as **{user.username}** ({user.role.value})")
        if st.button("Sign out", key="sidebar_sign_out"):
            sign_out("You are signed out.")
            st.rerun()
