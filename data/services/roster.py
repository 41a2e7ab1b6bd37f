"""The Roster page's actions: open the page and a week, compute a missing forecast, open a
saved version, save a finished solve as a draft, save a version with hand edits as a new draft,
publish a version."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy.engine import Engine

from data.access import require_roster_access, require_site_access
from data.audit import write_audit
from data.db import session_scope
from data.forecasts import SavedForecast
from data.models import RosterPublic
from data.planning import (
    RosterInputs,
    roster_inputs_for_week,
    save_fresh_forecast,
    weeks_with_rosters,
)
from data.rosters import SavedRoster, list_rosters, load_roster, publish_roster, save_roster
from data.sites import get_site_profile
from data.wellbeing import actor_for
from data.wellbeing_load import with_wellbeing
from scheduling.domain import SiteProfile, StaffingSettings
from scheduling.roster.hand_edits import EditError, HandEdit, apply_edits, describe
from scheduling.roster.schema import RosterInstance, RosterSolution

MAX_VERSIONS = 200


class RosterOverview(BaseModel):
    model_config = ConfigDict(frozen=True)

    site: SiteProfile
    saved_weeks: list[date]  # weeks with at least one saved version, newest first


class RosterWeek(BaseModel):
    model_config = ConfigDict(frozen=True)

    inputs: RosterInputs
    versions: list[RosterPublic]  # newest first


def roster_overview(*, engine: Engine | None = None, site_id: int, actor: str) -> RosterOverview:
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_id)
        return RosterOverview(
            site=get_site_profile(session=session, site_id=site_id),
            saved_weeks=weeks_with_rosters(session=session, site_id=site_id),
        )


def open_roster_week(
    *,
    engine: Engine | None = None,
    site_id: int,
    week_start: date,
    actor_username: str,
    now: datetime | None = None,
) -> RosterWeek:
    """What a solve of the week would use, and the week's saved versions. The inputs carry what
    wellbeing asks of the week (lowered line caps, whose reason is only "wellbeing", and a
    debrief slot for each open request)."""
    with session_scope(engine) as session:
        require_site_access(session, actor=actor_username, site_id=site_id)
        inputs = roster_inputs_for_week(session=session, site_id=site_id, week_start=week_start)
        inputs = with_wellbeing(
            session=session,
            actor=actor_for(session=session, username=actor_username),
            inputs=inputs,
            now=now or datetime.now(UTC),
        )
        return RosterWeek(
            inputs=inputs,
            versions=list_rosters(
                session=session, site_id=site_id, week_start=week_start, limit=MAX_VERSIONS
            ),
        )


def compute_week_forecast(
    *,
    engine: Engine | None = None,
    site_id: int,
    week_start: date,
    actor: str,
    settings: StaffingSettings | None = None,
) -> SavedForecast:
    """Forecast the week with `settings` (default: the site's saved settings) and save it.
    Raises ValueError when the call history cannot support a forecast of that week."""
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_id)
        return save_fresh_forecast(
            session=session, site_id=site_id, week_start=week_start, actor=actor, settings=settings
        )


def open_roster_version(*, engine: Engine | None = None, roster_id: int, actor: str) -> SavedRoster:
    with session_scope(engine) as session:
        require_roster_access(session, actor=actor, roster_id=roster_id)
        return load_roster(session=session, roster_id=roster_id)


def save_solved_roster(
    *,
    engine: Engine | None = None,
    site_id: int,
    instance: RosterInstance,
    solution: RosterSolution,
    actor: str,
    forecast_run_id: int | None,
) -> RosterPublic:
    """Save a finished solve as the next draft version of its week."""
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_id)
        return save_roster(
            session=session,
            site_id=site_id,
            instance=instance,
            solution=solution,
            actor=actor,
            forecast_run_id=forecast_run_id,
        )


def save_edited_roster(
    *, engine: Engine | None = None, roster_id: int, edits: Sequence[HandEdit], actor: str
) -> RosterPublic:
    """Save a version with a manager's hand edits as the next draft of its week, in one
    transaction; the version the edits were made to stays as it was (a published one too).
    The edits are made again here on the saved version, so what is stored is what the
    validator scored. Raises ValueError with no edit, EditError when one no longer applies."""
    if not edits:
        raise ValueError("there are no hand edits to save")
    with session_scope(engine) as session:
        require_roster_access(session, actor=actor, roster_id=roster_id)
        base = load_roster(session=session, roster_id=roster_id)
        done = apply_edits(base.instance, base.solution, edits)
        if done.refused:
            edit, why = done.refused[0]
            raise EditError(f"{describe(edit, base.instance, base.solution)}: {why}")
        saved = save_roster(
            session=session,
            site_id=base.roster.site_id,
            instance=base.instance,
            solution=done.solution,
            actor=actor,
            forecast_run_id=base.roster.forecast_run_id,
        )
        write_audit(
            session=session,
            actor=actor,
            action="roster.hand_edit",
            target=f"site {base.roster.site_id} week {base.roster.week_start}",
            detail=f"version {saved.version} from version {base.roster.version}: "
            + "; ".join(describe(e, base.instance, base.solution) for e in done.applied),
        )
        return saved


def publish_roster_version(
    *, engine: Engine | None = None, roster_id: int, actor: str
) -> RosterPublic:
    """Publish a draft; the week's published version becomes superseded. Raises ConflictError
    when the version is not a draft."""
    with session_scope(engine) as session:
        require_roster_access(session, actor=actor, roster_id=roster_id)
        return publish_roster(session=session, roster_id=roster_id, actor=actor)
