"""The server entry: `streamlit run serve.py` serves planner_app.py through st.App, with the
two routes that keep a sign-in across reloads (ui/auth_routes.py). Settings are read and
checked here, before anything is served."""

import sys

import streamlit as st

from data.settings import SettingsError, settings
from ui.auth_routes import ROUTES

try:
    settings()
except SettingsError as exc:
    sys.exit(f"Bad setting: {exc}")

app = st.App("planner_app.py", routes=ROUTES)
