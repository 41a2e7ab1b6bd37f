"""Leadership's view of the network: every centre's week side by side (requirement, staffed
hours, shortfall, service level) and each pool of centres sharing a number (the pooled
requirement against the sum of the separate ones). Reads only; a week without a saved
forecast is forecast here and not saved. A pool's joint roster is a job
(data.services.jobs.start_pool_solve)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from data.access import allowed_site_ids
from data.db import session_scope
from data.errors import NotFoundError
from data.models import Account, QueuePool
from data.pool_week import week_requirements
from data.rosters import list_rosters, load_roster, published_roster
from data.sites import list_sites
from scheduling.domain import Role
from scheduling.staffing.pooled import PooledWeek, PoolMember, pool_weeks, service_level_at

NETWORK_ROLES = frozenset({Role.LEADERSHIP, Role.ADMIN})


class CentreWeek(BaseModel):
    model_config = ConfigDict(frozen=True)

    site_id: int
    name: str
    number: str | None  # the shared number it belongs to, if any
    requirement_hours: float
    staffed_hours: float  # counsellor-hours on the line in the roster
    shortfall_hours: float
    service_level: float | None  # share of calls answered in time with the roster's staffing
    roster: str  # "published v2", "draft v3" or "none"
    forecast: str  # where the requirement comes from


class NetworkWeek(BaseModel):
    model_config = ConfigDict(frozen=True)

    week_start: date
    centres: tuple[CentreWeek, ...]
    pools: tuple[tuple[str, PooledWeek], ...]  # (shared number, the pool's week)

    @property
    def requirement_hours(self) -> float:
        return sum(c.requirement_hours for c in self.centres)

    @property
    def staffed_hours(self) -> float:
        return sum(c.staffed_hours for c in self.centres)

    @property
    def shortfall_hours(self) -> float:
        return sum(c.shortfall_hours for c in self.centres)


def _require_network_role(session: Session, username: str) -> None:
    account = session.exec(select(Account).where(Account.username == username)).first()
    if account is None or account.disabled or Role(account.role) not in NETWORK_ROLES:
        raise PermissionError("The network view is for leadership.")


def _on_line(session: Session, site_id: int, week_start: date) -> tuple[dict[float, int], str]:
    """On the line per interval start (a timestamp) in the week's published roster, else its
    newest draft; and which version that is."""
    saved = published_roster(session=session, site_id=site_id, week_start=week_start)
    if saved is None:
        versions = list_rosters(session=session, site_id=site_id, week_start=week_start, limit=1)
        if not versions:
            return {}, "none"
        saved = load_roster(session=session, roster_id=versions[0].id)
    label = f"{saved.roster.status} v{saved.roster.version}"
    return {row.start.timestamp(): row.on_line for row in saved.solution.coverage}, label


def network_week(*, engine: Engine | None = None, actor: str, week_start: date) -> NetworkWeek:
    """Every centre's week and every pool's, for leadership. Raises ValueError (naming the
    centre) when a centre's history cannot support a forecast of the week."""
    if week_start.weekday() != 0:
        raise ValueError(f"week_start {week_start} is a {week_start:%A}; weeks start on Monday")
    with session_scope(engine) as session:
        _require_network_role(session, actor)
        allowed = allowed_site_ids(session=session, username=actor)
        sites = sorted(list_sites(session=session), key=lambda s: s.id)
        sites = [s for s in sites if allowed is None or s.id in allowed]
        if not sites:
            raise NotFoundError("no centre yet")
        numbers = {row.site_id: row.pool for row in session.exec(select(QueuePool))}
        centres: list[CentreWeek] = []
        members: dict[str, list[PoolMember]] = {}
        for site in sites:
            try:
                intervals, settings, source, _ = week_requirements(session, site.id, week_start)
            except ValueError as exc:
                raise ValueError(f"{site.name}: {exc}") from exc
            on_line, roster = _on_line(session, site.id, week_start)
            hours = site.interval_minutes / 60
            staffed = [on_line.get(i.start.timestamp(), 0) for i in intervals]
            centres.append(
                CentreWeek(
                    site_id=site.id,
                    name=site.name,
                    number=numbers.get(site.id),
                    requirement_hours=sum(i.required for i in intervals) * hours,
                    staffed_hours=sum(on_line.values()) * hours,
                    shortfall_hours=sum(
                        max(0, i.required - n) for i, n in zip(intervals, staffed, strict=True)
                    )
                    * hours,
                    service_level=service_level_at(
                        [i.forecast_calls for i in intervals],
                        staffed,
                        settings,
                        interval_minutes=site.interval_minutes,
                    ),
                    roster=roster,
                    forecast=source,
                )
            )
            if site.id in numbers:
                members.setdefault(numbers[site.id], []).append(
                    PoolMember(name=site.name, intervals=tuple(intervals), settings=settings)
                )
    pools = tuple(
        (number, pool_weeks(group)) for number, group in sorted(members.items()) if len(group) > 1
    )
    return NetworkWeek(week_start=week_start, centres=tuple(centres), pools=pools)
