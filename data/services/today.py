"""What the Today page does (managers): the re-check of the rest of today, the re-plan of it
saved as a draft, and publishing that draft. Each call opens and closes its own transaction,
takes the acting username and returns domain or public objects; a role that may not see who
is off the queue is refused (AccessDenied, audited) by the data layer."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy.engine import Engine

from data.access import require_roster_access, require_site_access
from data.db import session_scope
from data.today import TodayView, publish_replan, replan_today, today_check
from data.wellbeing import actor_for
from scheduling.roster.replan import Replan


class TodayReplan(BaseModel):
    """A re-plan of the rest of today and the draft version it was saved as."""

    model_config = ConfigDict(frozen=True)

    replan: Replan
    draft_id: int


def today_view(
    *, engine: Engine | None = None, username: str, site_id: int, now: datetime
) -> TodayView:
    with session_scope(engine) as session:
        require_site_access(session, actor=username, site_id=site_id)
        actor = actor_for(session=session, username=username)
        return today_check(session=session, actor=actor, site_id=site_id, now=now)


def replan_rest_of_today(
    *,
    engine: Engine | None = None,
    username: str,
    site_id: int,
    now: datetime,
    time_limit: float = 10.0,
) -> TodayReplan:
    """Re-plan the rest of today and save it as a draft (nothing is published). Raises
    ValueError when there is no published roster this week, MissingRequirementsError when
    the week cannot be planned."""
    with session_scope(engine) as session:
        require_site_access(session, actor=username, site_id=site_id)
        actor = actor_for(session=session, username=username)
        replan, draft_id = replan_today(
            session=session, actor=actor, site_id=site_id, now=now, time_limit=time_limit
        )
        return TodayReplan(replan=replan, draft_id=draft_id)


def publish_today_replan(*, engine: Engine | None = None, username: str, roster_id: int) -> None:
    """Publish a re-plan's draft. Raises ConflictError when it is no longer a draft."""
    with session_scope(engine) as session:
        require_roster_access(session, actor=username, roster_id=roster_id)
        actor = actor_for(session=session, username=username)
        publish_replan(session=session, actor=actor, roster_id=roster_id)
