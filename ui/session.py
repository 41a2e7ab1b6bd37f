"""Who is signed in, for how long, and the role check every page makes before it shows anything."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import streamlit as st

from scheduling.domain import Role

_USER_KEY = "signed_in_user"
_SEEN_KEY = "last_activity"


def session_timeout_seconds() -> float:
    return 60.0 * float(os.environ.get("PLANNER_SESSION_TIMEOUT_MINUTES", "30"))


@dataclass(frozen=True)
class SignedInUser:
    account_id: int
    username: str
    role: Role
    staff_id: int | None = None


def sign_in(user: SignedInUser) -> None:
    st.session_state[_USER_KEY] = user
    st.session_state[_SEEN_KEY] = time.time()


def sign_out(reason: str | None = None) -> None:
    st.session_state.pop(_USER_KEY, None)
    st.session_state.pop(_SEEN_KEY, None)
    if reason:
        st.session_state["sign_out_reason"] = reason


def current_user() -> SignedInUser | None:
    """The signed-in user, or None; a session idle for longer than the timeout is ended."""
    user = st.session_state.get(_USER_KEY)
    if user is None:
        return None
    now = time.time()
    if now - st.session_state.get(_SEEN_KEY, now) > session_timeout_seconds():
        sign_out("Your session expired after inactivity. Please sign in again.")
        return None
    st.session_state[_SEEN_KEY] = now
    return user


def require_role(*roles: Role) -> SignedInUser:
    """Stop the page unless the signed-in user holds one of `roles`."""
    user = current_user()
    if user is None:
        st.error("Please sign in first.")
        st.stop()
    if user.role not in roles:
        st.error("This page is not available to your role.")
        st.stop()
    return user
