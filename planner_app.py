"""Streamlit entry point: sign-in, the pages the signed-in role may see, and nothing else."""

import streamlit as st

from data.settings import SettingsError, settings
from ui.components.sidebar import show_signed_in
from ui.navigation import build_navigation
from ui.session import current_user, sync_cookie

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
page.run()
