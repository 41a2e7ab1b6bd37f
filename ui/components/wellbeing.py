"""What the wellbeing pages share: the acting account as the data layer checks it, and how
times and the off-the-queue countdown are shown."""

from __future__ import annotations

from datetime import datetime, tzinfo

import streamlit as st

from data import clock
from data.services.wellbeing import signed_in_actor
from ui.session import SignedInUser
from ui.state import engine
from wellbeing.privacy import AccessDenied, Actor

REFRESH_SECONDS = 15
URGENCY_LABELS = {"before_shift_end": "Before my shift ends", "within_24h": "Within 24 hours"}


def acting(user: SignedInUser) -> Actor:
    """The signed-in account as the database has it now; a refused account stops the page."""
    try:
        return signed_in_actor(engine=engine(), username=user.username)
    except AccessDenied as exc:
        st.error(str(exc))
        st.stop()


def now_utc() -> datetime:
    return clock.now()


def hm(moment: datetime, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime("%H:%M")


def countdown(until: datetime, now: datetime) -> str:
    seconds = max(0, int((until - now).total_seconds()))
    return f"{seconds // 60} min {seconds % 60:02d} s left"


def age(since: datetime, now: datetime) -> str:
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} h {minutes % 60} min" if hours < 48 else f"{hours // 24} days"
