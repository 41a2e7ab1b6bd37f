"""Saved scenarios and comparisons. Leadership saves; leadership and managers read (enforced
here with the acting role, not only on the page)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from data.call_history import load_call_history
from data.db import utcnow
from data.errors import NotFoundError
from data.forecasts import latest_forecast_run
from data.models import (
    SavedScenario,
    SavedScenarioCreate,
    SavedScenarioPublic,
    ScenarioComparison,
    ScenarioComparisonCreate,
    ScenarioComparisonPublic,
    Site,
)
from data.sites import get_site_profile, get_staffing_settings, get_work_rules
from data.staff_repo import list_staff
from scheduling.domain import Role, monday_of
from scheduling.scenarios import Baseline, add_months

READERS = frozenset({Role.LEADERSHIP, Role.MANAGER})
WRITERS = frozenset({Role.LEADERSHIP})


def _allow(role: Role, allowed: frozenset[Role], what: str) -> None:
    if role not in allowed:
        names = " or ".join(sorted(r.value for r in allowed))
        raise PermissionError(f"only {names} may {what}")


def _site(session: Session, site_id: int) -> None:
    if session.get(Site, site_id) is None:
        raise NotFoundError(f"no site with id {site_id}")


def save_scenario(
    *, session: Session, scenario_in: SavedScenarioCreate, role: Role
) -> SavedScenarioPublic:
    """Save under its title; saving a title again replaces that scenario's inputs and results."""
    _allow(role, WRITERS, "save scenarios")
    _site(session, scenario_in.site_id)
    row = session.exec(
        select(SavedScenario).where(
            SavedScenario.site_id == scenario_in.site_id, SavedScenario.title == scenario_in.title
        )
    ).first()
    if row is None:
        row = SavedScenario.model_validate(scenario_in)
    else:
        for field in ("author", "inputs", "options", "results"):
            setattr(row, field, getattr(scenario_in, field))
        row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return SavedScenarioPublic.model_validate(row)


def list_scenarios(*, session: Session, site_id: int, role: Role) -> list[SavedScenarioPublic]:
    _allow(role, READERS, "read scenarios")
    rows = session.exec(
        select(SavedScenario)
        .where(SavedScenario.site_id == site_id)
        .order_by(col(SavedScenario.updated_at).desc(), col(SavedScenario.id).desc())
    ).all()
    return [SavedScenarioPublic.model_validate(r) for r in rows]


def get_scenario(*, session: Session, scenario_id: int, role: Role) -> SavedScenarioPublic:
    _allow(role, READERS, "read scenarios")
    row = session.get(SavedScenario, scenario_id)
    if row is None:
        raise NotFoundError(f"no saved scenario with id {scenario_id}")
    return SavedScenarioPublic.model_validate(row)


def delete_scenario(*, session: Session, scenario_id: int, role: Role) -> None:
    _allow(role, WRITERS, "delete scenarios")
    row = session.get(SavedScenario, scenario_id)
    if row is None:
        raise NotFoundError(f"no saved scenario with id {scenario_id}")
    session.delete(row)


def save_comparison(
    *, session: Session, comparison_in: ScenarioComparisonCreate, role: Role
) -> ScenarioComparisonPublic:
    _allow(role, WRITERS, "save comparisons")
    _site(session, comparison_in.site_id)
    row = ScenarioComparison.model_validate(comparison_in)
    session.add(row)
    session.flush()
    return ScenarioComparisonPublic.model_validate(row)


def latest_comparison(
    *, session: Session, site_id: int, role: Role
) -> ScenarioComparisonPublic | None:
    _allow(role, READERS, "read comparisons")
    row = session.exec(
        select(ScenarioComparison)
        .where(ScenarioComparison.site_id == site_id)
        .order_by(col(ScenarioComparison.created_at).desc(), col(ScenarioComparison.id).desc())
    ).first()
    return None if row is None else ScenarioComparisonPublic.model_validate(row)


def baseline_for_site(
    *, session: Session, site_id: int, role: Role, seats: int | None = None
) -> Baseline:
    """The site as it is, for scenarios: its settings, rules and staff, and the expected calls
    of the week after its call history ends (the week's saved forecast if there is one, else a
    fresh forecast that is not saved)."""
    from scheduling.forecast import forecast_week, week_slots

    _allow(role, READERS, "read scenarios")
    site = get_site_profile(session=session, site_id=site_id)
    settings = get_staffing_settings(session=session, site_id=site_id)
    rules = get_work_rules(session=session, site_id=site_id)
    staff = list_staff(session=session, site_id=site_id)
    history = load_call_history(session=session, site_id=site_id)
    if not history:
        raise NotFoundError("no call history yet: import some on the Call history page first")
    last = max(r.start_utc for r in history).astimezone(site.tz).date()
    week = monday_of(last) + timedelta(days=7)
    saved = latest_forecast_run(session=session, site_id=site_id, week_start=week)
    if saved is not None:
        by_start = {r.start: r.forecast_calls for r in saved.requirements}
        calls = [by_start.get(s, 0.0) for s, _, _ in week_slots(site, week)]
    else:
        calls = [i.calls for i in forecast_week(history, site, week).intervals]
    return Baseline(
        site=site,
        settings=settings,
        rules=rules,
        staff=tuple(staff),
        week_start=week,
        week_calls=tuple(calls),
        first_month=add_months(week.replace(day=1), 1),
        seats=seats,
    )


def save_compared(
    *,
    session: Session,
    comparison_in: ScenarioComparisonCreate,
    scenarios_in: list[SavedScenarioCreate],
    role: Role,
) -> ScenarioComparisonPublic:
    """Save a comparison and the scenarios in it, in the caller's one transaction."""
    for scenario_in in scenarios_in:
        save_scenario(session=session, scenario_in=scenario_in, role=role)
    return save_comparison(session=session, comparison_in=comparison_in, role=role)
