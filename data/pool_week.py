"""A pool's week: the centres sharing a number, each with its own roster instance of the week,
and the pool's requirement with each centre's share of it (what a joint solve of the pool runs
on); and saving a joint roster back as each centre's next draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from data.call_history import load_call_history
from data.errors import NotFoundError
from data.models import QueuePool
from data.planning import instance_for_week, roster_inputs_for_week
from data.rosters import save_roster
from scheduling.domain import StaffingSettings
from scheduling.forecast import forecast_week
from scheduling.roster.pooled import PooledRoster, centre_solution
from scheduling.roster.schema import RosterInstance, SolveOptions
from scheduling.staffing.pooled import PoolMember, pool_weeks
from scheduling.staffing.requirement_types import IntervalRequirement
from scheduling.staffing.requirements import requirements_for_week


def week_requirements(
    session: Session, site_id: int, week_start: date
) -> tuple[tuple[IntervalRequirement, ...], StaffingSettings, str, int | None]:
    """The centre's requirement of the week, its settings, where it comes from and the forecast
    run it was saved by (a week without a saved forecast is forecast now, not saved)."""
    inputs = roster_inputs_for_week(session=session, site_id=site_id, week_start=week_start)
    if inputs.requirements is not None and inputs.forecast_run is not None:
        run = inputs.forecast_run
        return inputs.requirements, inputs.settings, f"saved forecast run {run.id}", run.id
    history = load_call_history(session=session, site_id=site_id)
    forecast = forecast_week(history, inputs.site, week_start, settings=inputs.settings.forecast)
    week = requirements_for_week(forecast, inputs.site, inputs.settings)
    return week.intervals, inputs.settings, "forecast now (not saved)", None


def pool_site_ids(*, session: Session, number: str) -> list[int]:
    """The centres sharing `number` (NotFoundError unless two or more do)."""
    rows = session.exec(select(QueuePool).where(QueuePool.pool == number)).all()
    if len(rows) < 2:
        raise NotFoundError(f"no pool of centres shares the number {number!r}")
    return sorted(r.site_id for r in rows)


def pool_of_site(*, session: Session, site_id: int) -> list[int]:
    """The centres of the pool `site_id` belongs to (empty when it answers a number alone)."""
    number = session.exec(select(QueuePool.pool).where(QueuePool.site_id == site_id)).first()
    if number is None:
        return []
    rows = session.exec(select(QueuePool.site_id).where(QueuePool.pool == number)).all()
    return sorted(rows) if len(rows) > 1 else []


@dataclass(frozen=True)
class PoolCentre:
    site_id: int
    name: str
    instance: RosterInstance
    forecast_run_id: int | None


@dataclass(frozen=True)
class PoolWeek:
    centres: tuple[PoolCentre, ...]
    required: dict[datetime, int]  # the pool's requirement by interval start
    shares: dict[str, dict[datetime, int]]  # each centre's share of it, by centre name

    @property
    def named(self) -> list[tuple[str, RosterInstance]]:
        return [(c.name, c.instance) for c in self.centres]


def pool_week(
    *, session: Session, number: str, week_start: date, options: SolveOptions
) -> PoolWeek:
    """Every centre sharing `number`, with its instance of the week (nothing pinned), and the
    pool's requirement. Raises ValueError naming the centre whose history cannot be forecast."""
    centres: list[PoolCentre] = []
    members: list[PoolMember] = []
    for site_id in pool_site_ids(session=session, number=number):
        inputs = roster_inputs_for_week(session=session, site_id=site_id, week_start=week_start)
        try:
            intervals, settings, _, run_id = week_requirements(session, site_id, week_start)
        except ValueError as exc:
            raise ValueError(f"{inputs.site.name}: {exc}") from exc
        inputs = inputs.model_copy(update={"requirements": intervals, "settings": settings})
        instance = instance_for_week(inputs=inputs, pin_before=None, options=options)
        centres.append(PoolCentre(site_id, inputs.site.name, instance, run_id))
        members.append(
            PoolMember(name=inputs.site.name, intervals=tuple(intervals), settings=settings)
        )
    pool = pool_weeks(members)
    required = {i.start: i.pooled for i in pool.intervals}
    shares = {
        name: {i.start: i.shares[c] for i in pool.intervals} for c, name in enumerate(pool.centres)
    }
    return PoolWeek(centres=tuple(centres), required=required, shares=shares)


def save_pool_rosters(
    *, session: Session, week: PoolWeek, joint: PooledRoster, actor: str
) -> list[dict[str, Any]]:
    """Each centre's part of the joint roster saved as the centre's next draft of the week (in
    the caller's transaction: all of them or none); what was saved, per centre."""
    saved: list[dict[str, Any]] = []
    named = week.named
    for index, (centre, part) in enumerate(zip(week.centres, joint.centres, strict=True)):
        solution = centre_solution(named, index, joint.solution)
        roster = save_roster(
            session=session,
            site_id=centre.site_id,
            instance=centre.instance,
            solution=solution,
            actor=actor,
            forecast_run_id=centre.forecast_run_id,
        )
        saved.append(
            {
                "site_id": centre.site_id,
                "name": centre.name,
                "roster_id": roster.id,
                "version": roster.version,
                "working": len(part.people),
                "shortfall_hours": round(part.shortfall_hours, 2),
                "own_shortfall_hours": round(solution.shortfall_hours(), 2),
                "hard_rules_broken": roster.hard_rules_broken,
                "lenders": [lender.model_dump(mode="json") for lender in part.could_lend],
            }
        )
    return saved
