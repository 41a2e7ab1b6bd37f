"""Who is signed in, and the role check every page makes before it shows anything.

A sign-in is a server-side session (data/auth_sessions.py). The open tab holds its token in
Streamlit's server-side session state; the browser holds the same token in an HttpOnly,
SameSite=Strict cookie (set by the route in ui/auth_routes.py), so a reload or a typed URL
stays signed in. Every run checks the token against the account in the database, so a
disabled, demoted or reset account loses access on its next interaction.
"""

from __future__ import annotations

import logging

import streamlit as st
import streamlit.components.v1 as components

from data.account_actions import record
from data.auth_sessions import SIGNED_OUT, NewSession, SessionUser, check_session, end_session
from scheduling.domain import Role
from ui.auth_routes import COOKIE_NAME, SESSION_ROUTE, SIGN_OUT_ROUTE, issue_handoff
from ui.state import engine

# The signed-in user as read on this run (pages and tests read it; the token decides).
_USER_KEY = "signed_in_user"
_TOKEN_KEY = "session_token"
_HANDOFF_KEY = "cookie_handoff"
_CLEAR_COOKIE_KEY = "clear_cookie"

# Kept under this name for the pages and tests that import it.
SignedInUser = SessionUser

log = logging.getLogger(__name__)


def sign_in(new: NewSession) -> None:
    """Sign this tab in, and have the browser store the token in its cookie."""
    st.session_state[_USER_KEY] = new.user
    st.session_state[_TOKEN_KEY] = new.token
    st.session_state[_HANDOFF_KEY] = issue_handoff(new.token)
    st.session_state.pop(_CLEAR_COOKIE_KEY, None)


def _forget(reason: str | None) -> None:
    st.session_state.pop(_USER_KEY, None)
    st.session_state.pop(_TOKEN_KEY, None)
    st.session_state.pop(_HANDOFF_KEY, None)
    st.session_state[_CLEAR_COOKIE_KEY] = True
    if reason:
        st.session_state["sign_out_reason"] = reason


def sign_out(reason: str | None = None) -> None:
    """End this sign-in on the server (every tab and the cookie stop working)."""
    token = st.session_state.get(_TOKEN_KEY) or _cookie_token()
    if token:
        end_session(engine=engine(), token=token)
    _forget(reason)


def _cookie_token() -> str | None:
    try:
        token = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # no browser connection (AppTest, bare mode): no cookie to read
        return None
    return token if isinstance(token, str) and 20 <= len(token) <= 128 else None


def current_user() -> SignedInUser | None:
    """The signed-in user, read against the database now; None when nobody is signed in or
    the session has ended (the reason is kept for the sign-in page)."""
    token = st.session_state.get(_TOKEN_KEY)
    from_cookie = False
    if not token:
        token = None if st.session_state.get(_CLEAR_COOKIE_KEY) else _cookie_token()
        from_cookie = token is not None
    if not token:
        st.session_state.pop(_USER_KEY, None)
        return None
    check = check_session(engine=engine(), token=token)
    if check.user is None:
        # A cookie left behind by a sign-out in another tab needs no message.
        quiet = from_cookie and check.reason == SIGNED_OUT
        _forget(None if quiet else check.message)
        return None
    st.session_state[_USER_KEY] = check.user
    st.session_state[_TOKEN_KEY] = token
    return check.user


def session_token() -> str | None:
    """This tab's token (a person changing their own password keeps this session)."""
    return st.session_state.get(_TOKEN_KEY)


def sync_cookie() -> None:
    """Hand the token to the browser's cookie after a sign-in, or clear it after a sign-out.

    The token never reaches the page's JavaScript: an invisible frame posts a one-time code,
    good for a minute, and the server answers with the HttpOnly cookie."""
    code = st.session_state.pop(_HANDOFF_KEY, None)
    if code:
        _post(SESSION_ROUTE, f"code={code}")
    elif st.session_state.pop(_CLEAR_COOKIE_KEY, False):
        _post(SIGN_OUT_ROUTE, "")


def _post(route: str, body: str) -> None:
    components.html(
        "<script>fetch(" + repr(route) + ", {method: 'POST', credentials: 'same-origin', "
        "headers: {'Content-Type': 'application/x-www-form-urlencoded'}, "
        "body: " + repr(body) + "});</script>",
        height=0,
    )


def _page_name() -> str:
    try:
        url = st.context.url
    except Exception:  # no browser connection (AppTest)
        return ""
    return url if isinstance(url, str) else ""


def require_role(*roles: Role) -> SignedInUser:
    """Stop the page unless the signed-in user holds one of `roles` (read on this run)."""
    user = current_user()
    if user is None:
        st.error("Please sign in first.")
        st.stop()
    if user.role not in roles:
        record(
            engine=engine(),
            actor=user.username,
            action="page.refused",
            target=_page_name(),
            detail=f"role {user.role.value}; needs {', '.join(sorted(r.value for r in roles))}",
        )
        st.error("This page is not available to your role.")
        st.stop()
    return user
