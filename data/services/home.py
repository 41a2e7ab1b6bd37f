"""The home page's view of a site: its name and its recent weeks of calls."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from sqlalchemy.engine import Engine

from data.access import require_site_access
from data.call_history import WeeklyTotals, weekly_totals
from data.db import session_scope
from data.models import SitePublic
from data.sites import get_site


class SiteOverview(BaseModel):
    model_config = ConfigDict(frozen=True)

    site: SitePublic | None
    weeks: list[WeeklyTotals]  # oldest first


def site_overview(
    *, engine: Engine | None = None, site_id: int, actor: str, weeks: int = 12
) -> SiteOverview:
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_id)
        return SiteOverview(
            site=get_site(session=session, site_id=site_id),
            weeks=weekly_totals(session=session, site_id=site_id, weeks=weeks),
        )
