"""Streamlit entry point: sign-in, the pages the signed-in role may see, and nothing else."""

import logging
import secrets

import streamlit as st

from data.settings import SettingsError, settings
from ui.components.sidebar import show_signed_in
from ui.navigation import build_navigation
from ui.session import current_user, sync_cookie

log = logging.getLogger("planner")

st.set_page_config(page_title="Helpline planner", page_icon=":telephone_receiver:", layout="wide")
try:
    settings()
except SettingsError as exc:
    st.error(f"The planner cannot start: a setting is wrong. {exc}")
    st.stop()
user = current_user()
page = st.navigation(build_navigation(user.role if user else None))
if user is not None:
    show_signed_in(user)
sync_cookie()
try:
    page.run()
except Exception:
    # The person sees a reference, never a stack or a server path; the log has both.
    reference = secrets.token_hex(4)
    log.exception("page %s failed (reference %s)", page.title, reference)
    st.error(
        "Something went wrong on this page, and nothing of the action was saved. "
        f"If it happens again, give an administrator this reference: {reference}."
    )
