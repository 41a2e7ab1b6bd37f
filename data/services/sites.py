"""The sites a user can work on (the sidebar's choice)."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from data.db import session_scope
from data.models import SitePublic
from data.sites import list_sites


def sites_to_work_on(*, engine: Engine | None = None) -> list[SitePublic]:
    """Every site, by name."""
    with session_scope(engine) as session:
        return list_sites(session=session)
