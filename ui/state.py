"""The database engine for the app (cached once per process) and the site being worked on."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from data.db import database_url, get_engine, utcnow
from data.job_workers import ensure_job_workers
from data.services.sites import sites_to_work_on
from data.services.wellbeing import purge_expired_wellbeing
from scheduling.domain import StaffingSettings


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    engine = get_engine(url)
    # Retention is applied once per process start, before anyone reads wellbeing data.
    purge_expired_wellbeing(engine=engine, now=utcnow())
    # This server's share of the job workers (threads, or a dispatcher to the Dask cluster).
    ensure_job_workers(url)
    return engine


def engine() -> Engine:
    return _engine_for(database_url())


def _username() -> str:
    # Set by ui.session.current_user, which the app (and every page test) runs first.
    user = st.session_state.get("signed_in_user")
    return getattr(user, "username", "")


def current_site_id() -> int | None:
    """The centre chosen in the sidebar, among those the signed-in account belongs to (the
    only one, when there is one)."""
    sites = sites_to_work_on(engine=engine(), username=_username())
    if not sites:
        return None
    if len(sites) == 1:
        return sites[0].id
    names = {site.id: site.name for site in sites}
    return st.sidebar.selectbox(
        "Site", options=list(names), format_func=names.__getitem__, key="site_id"
    )


def tuned_settings_key(site_id: int) -> str:
    """Where Forecast & staffing keeps the targets tuned this session (applied, not
    necessarily saved as the site's defaults); the Roster page forecasts with them too."""
    return f"fs_settings_{site_id}"


def tuned_settings(site_id: int) -> StaffingSettings | None:
    value = st.session_state.get(tuned_settings_key(site_id))
    return value if isinstance(value, StaffingSettings) else None


NO_SITE = (
    "No centre to work on: either there is no site yet (an administrator can seed the demo "
    "helpline with `make run`) or your account belongs to no centre (an administrator "
    "assigns centres on the Admin page)."
)


def require_site_id() -> int:
    """The chosen site; a page without any site says so and stops."""
    site_id = current_site_id()
    if site_id is None:
        st.info(NO_SITE)
        st.stop()
    return site_id
