"""The Scenarios page's actions and leadership's Home card: read the site's baseline, the saved
scenarios and the latest comparison; save a comparison with the scenarios in it. Each opens and
closes its own transaction; the repositories keep the access rules (leadership saves;
leadership and managers read), applied to the acting account's role as the database holds it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Engine

from data.access import acting_role, require_site_access
from data.db import session_scope
from data.models import (
    SavedScenarioCreate,
    SavedScenarioPublic,
    ScenarioComparisonCreate,
    ScenarioComparisonPublic,
)
from data.scenarios import baseline_for_site, latest_comparison, list_scenarios, save_compared
from scheduling.scenarios import Baseline


def scenario_baseline(
    *,
    engine: Engine | None = None,
    site_id: int,
    actor: str,
    seats: int | None = None,
) -> Baseline:
    """The site as it is, with the expected calls of the week after its call history."""
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_id)
        role = acting_role(session, actor=actor, doing="read scenarios")
        return baseline_for_site(session=session, site_id=site_id, role=role, seats=seats)


def saved_scenarios(
    *, engine: Engine | None = None, site_id: int, actor: str
) -> list[SavedScenarioPublic]:
    """The site's saved scenarios, the most recently saved first."""
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_id)
        role = acting_role(session, actor=actor, doing="read scenarios")
        return list_scenarios(session=session, site_id=site_id, role=role)


def latest_saved_comparison(
    *, engine: Engine | None = None, site_id: int, actor: str
) -> ScenarioComparisonPublic | None:
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_id)
        role = acting_role(session, actor=actor, doing="read comparisons")
        return latest_comparison(session=session, site_id=site_id, role=role)


def save_comparison_and_scenarios(
    *,
    engine: Engine | None = None,
    site_id: int,
    author: str,
    title: str,
    rows: Sequence[dict[str, Any]],
    monthly: Sequence[dict[str, Any]],
    options: Mapping[str, Any],
    evaluated: Iterable[Mapping[str, Any]],
) -> ScenarioComparisonPublic:
    """Save the comparison (its rows and monthly figures) and, under its name, each compared
    scenario that was evaluated here (its inputs, the run's options and its results), in one
    transaction. `evaluated` holds evaluations as the page keeps them: {"summary", "monthly",
    "inputs", ...}; rows without one (a scenario not evaluated in this session) are left
    unsaved as scenarios but stay in the comparison."""
    stored = {e["summary"]["scenario"]: e for e in evaluated}
    scenarios_in = [
        SavedScenarioCreate(
            site_id=site_id,
            title=str(row["scenario"]),
            author=author,
            inputs=stored[row["scenario"]]["inputs"],
            options=dict(options),
            results={"summary": row, "monthly": stored[row["scenario"]]["monthly"]},
        )
        for row in rows
        if row["scenario"] in stored
    ]
    comparison_in = ScenarioComparisonCreate(
        site_id=site_id, author=author, title=title, rows=list(rows), monthly=list(monthly)
    )
    with session_scope(engine) as session:
        require_site_access(session, actor=author, site_id=site_id)
        role = acting_role(session, actor=author, doing="save comparisons")
        return save_compared(
            session=session, comparison_in=comparison_in, scenarios_in=scenarios_in, role=role
        )
