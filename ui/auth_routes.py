"""The two HTTP routes that keep a sign-in across reloads: trade a one-time code for the
session cookie, and clear it.

Streamlit 1.67 can read cookies (st.context.cookies) but a script cannot set one, and a cookie
set by page JavaScript could not be HttpOnly. So the app is served through st.App
(serve.py), which adds these routes next to Streamlit's own. After a right password the
script keeps the new token in its server-side state and hands the browser a code, good once
and for a minute, which the browser posts here; the answer sets the token as an HttpOnly,
SameSite=Strict cookie that page scripts cannot read. The code map lives in this process's
memory, as the Streamlit sessions do.
"""

from __future__ import annotations

import secrets
import threading
import time

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

COOKIE_NAME = "planner_session"
SESSION_ROUTE = "/auth/session"
SIGN_OUT_ROUTE = "/auth/sign-out"
HANDOFF_SECONDS = 60.0
# The browser may keep the cookie this long; the server decides much sooner whether the
# session behind it is still valid (inactivity, revocation, account changes).
COOKIE_MAX_AGE_SECONDS = 14 * 24 * 3600

_handoffs: dict[str, tuple[str, float]] = {}
_lock = threading.Lock()


def issue_handoff(token: str) -> str:
    """A one-time code the browser trades for a cookie holding `token`."""
    code = secrets.token_urlsafe(24)
    now = time.monotonic()
    with _lock:
        for old in [c for c, (_, until) in _handoffs.items() if until < now]:
            del _handoffs[old]
        _handoffs[code] = (token, now + HANDOFF_SECONDS)
    return code


def redeem_handoff(code: str) -> str | None:
    with _lock:
        entry = _handoffs.pop(code, None)
    if entry is None or entry[1] < time.monotonic():
        return None
    return entry[0]


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    return origin is None or origin == f"{request.url.scheme}://{request.url.netloc}"


def _secure(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.lower() == "https"


async def set_session_cookie(request: Request) -> Response:
    if not _same_origin(request):
        return Response(status_code=403)
    form = await request.form()
    code = form.get("code")
    token = redeem_handoff(code) if isinstance(code, str) else None
    if token is None:
        return Response(status_code=400)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=COOKIE_MAX_AGE_SECONDS,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return response


async def clear_session_cookie(request: Request) -> Response:
    if not _same_origin(request):
        return Response(status_code=403)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(
        COOKIE_NAME, path="/", httponly=True, samesite="strict", secure=_secure(request)
    )
    return response


ROUTES = [
    Route(SESSION_ROUTE, set_session_cookie, methods=["POST"]),
    Route(SIGN_OUT_ROUTE, clear_session_cookie, methods=["POST"]),
]
