"""The sites a user can work on (the sidebar's choice)."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from data.access import allowed_site_ids
from data.db import session_scope
from data.models import SitePublic
from data.sites import list_sites


def sites_to_work_on(*, engine: Engine | None = None, username: str) -> list[SitePublic]:
    """The centres `username` may work on, the first set up first (the sidebar's default):
    every centre for leadership and administrators, their own centres for everyone else."""
    with session_scope(engine) as session:
        allowed = allowed_site_ids(session=session, username=username)
        sites = sorted(list_sites(session=session), key=lambda s: s.id)
    return sites if allowed is None else [s for s in sites if s.id in allowed]
