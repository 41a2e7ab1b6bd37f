"""The Scenarios page's actions: each owns its transaction, keeps the access rules (leadership
saves; leadership and managers read) with the acting account's role as the database holds it,
and returns objects usable after it returns (run on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine

from data.db import session_scope
from data.demo import seed_demo
from data.errors import NotFoundError
from data.scenarios import list_scenarios
from data.services.scenarios import (
    latest_saved_comparison,
    save_comparison_and_scenarios,
    saved_scenarios,
    scenario_baseline,
)
from data.sites import list_sites
from scheduling.domain import Role
from scheduling.scenarios import Scenario, presets
from tests.data.conftest import member_of

POOLED = "Second centre, pooled queue"
READER = {Role.MANAGER: "test-manager", Role.LEADERSHIP: "demo-leadership"}
ACCOUNT_OF = {
    Role.MANAGER: "test-manager",
    Role.LEADERSHIP: "demo-leadership",
    Role.SUPERVISOR: "test-supervisor",
    Role.STAFF: "test-counsellor",
    Role.ADMIN: "test-admin",
}


@pytest.fixture
def accounts(engine: Engine, site_id: int, manager: str) -> None:
    for role, username in ACCOUNT_OF.items():
        if role is not Role.MANAGER:
            member_of(engine, site_id, username, role.value)


def evaluation(name: str, hires: int) -> dict[str, Any]:
    inputs = presets()[POOLED].model_copy(update={"name": name})
    return {
        "summary": {"scenario": name, "hires_total": hires},
        "monthly": [{"scenario": name, "month": "2027-01-01", "staff": 10 + hires}],
        "notes": [],
        "inputs": inputs.model_dump(mode="json"),
    }


def save(engine: Engine, site_id: int, role: Role, *evaluations: dict[str, Any], **kw: Any):
    rows = [e["summary"] for e in evaluations]
    arguments: dict[str, Any] = {
        "title": " vs ".join(r["scenario"] for r in rows),
        "rows": rows,
        "monthly": [m for e in evaluations for m in e["monthly"]],
        "options": {"replications": 50},
        "evaluated": evaluations,
    } | kw
    return save_comparison_and_scenarios(
        engine=engine, site_id=site_id, author=ACCOUNT_OF[role], **arguments
    )


def test_leadership_saves_the_comparison_and_its_scenarios_and_managers_read_them(
    engine: Engine, site_id: int, accounts: None
) -> None:
    assert (
        latest_saved_comparison(engine=engine, site_id=site_id, actor=READER[Role.MANAGER]) is None
    )
    saved = save(engine, site_id, Role.LEADERSHIP, evaluation("Baseline", 0), evaluation("B", 2))
    assert saved.title == "Baseline vs B"

    latest = latest_saved_comparison(engine=engine, site_id=site_id, actor=READER[Role.MANAGER])
    assert latest is not None
    assert (latest.title, latest.author) == ("Baseline vs B", "demo-leadership")
    assert [r["hires_total"] for r in latest.rows] == [0, 2]
    assert [m["staff"] for m in latest.monthly] == [10, 12]

    scenarios = saved_scenarios(engine=engine, site_id=site_id, actor=READER[Role.MANAGER])
    by_title = {s.title: s for s in scenarios}
    assert sorted(by_title) == ["B", "Baseline"]
    assert Scenario.model_validate(by_title["B"].inputs).centres[0].queue == "pooled"
    assert by_title["B"].options == {"replications": 50}
    assert by_title["B"].results["summary"] == {"scenario": "B", "hires_total": 2}


def test_a_row_not_evaluated_here_stays_in_the_comparison_but_is_not_saved_as_a_scenario(
    engine: Engine, site_id: int, accounts: None
) -> None:
    evaluated = evaluation("B", 2)
    other = {"scenario": "Loaded earlier", "hires_total": 1}
    save(engine, site_id, Role.LEADERSHIP, evaluated, rows=[evaluated["summary"], other])
    latest = latest_saved_comparison(engine=engine, site_id=site_id, actor=READER[Role.LEADERSHIP])
    assert latest is not None and [r["scenario"] for r in latest.rows] == ["B", "Loaded earlier"]
    titles = [
        s.title for s in saved_scenarios(engine=engine, site_id=site_id, actor=READER[Role.MANAGER])
    ]
    assert titles == ["B"]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.SUPERVISOR, Role.STAFF, Role.ADMIN])
def test_only_leadership_saves_and_a_refused_save_leaves_nothing(
    engine: Engine, site_id: int, role: Role, accounts: None
) -> None:
    with pytest.raises(PermissionError, match="leadership"):
        save(engine, site_id, role, evaluation("B", 2))
    assert saved_scenarios(engine=engine, site_id=site_id, actor=READER[Role.LEADERSHIP]) == []
    assert (
        latest_saved_comparison(engine=engine, site_id=site_id, actor=READER[Role.LEADERSHIP])
        is None
    )


def test_a_bad_comparison_saves_none_of_its_scenarios(
    engine: Engine, site_id: int, accounts: None
) -> None:
    with pytest.raises(ValidationError, match="rows"):
        save(engine, site_id, Role.LEADERSHIP, *(evaluation(f"S{i}", i) for i in range(5)))
    with pytest.raises(NotFoundError, match="site"):
        save(engine, site_id + 999, Role.LEADERSHIP, evaluation("B", 2))
    with session_scope(engine) as session:
        for site in (site_id, site_id + 999):
            assert list_scenarios(session=session, site_id=site, role=Role.LEADERSHIP) == []


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.STAFF, Role.ADMIN])
def test_only_leadership_and_managers_read(
    engine: Engine, site_id: int, role: Role, accounts: None
) -> None:
    with pytest.raises(PermissionError):
        saved_scenarios(engine=engine, site_id=site_id, actor=ACCOUNT_OF[role])
    with pytest.raises(PermissionError):
        latest_saved_comparison(engine=engine, site_id=site_id, actor=ACCOUNT_OF[role])
    with pytest.raises(PermissionError):
        scenario_baseline(engine=engine, site_id=site_id, actor=ACCOUNT_OF[role])


def test_the_baseline_is_the_week_after_the_call_history(engine: Engine) -> None:
    with session_scope(engine) as session:
        seed_demo(session=session, last_day=date(2026, 11, 22))
    with session_scope(engine) as session:
        site_id = next(s.id for s in list_sites(session=session) if "Lahore" in s.name)
    baseline = scenario_baseline(engine=engine, site_id=site_id, actor="demo-manager", seats=6)
    assert baseline.week_start == date(2026, 11, 23)
    assert baseline.seats == 6
    assert sum(baseline.week_calls) > 0


def test_no_baseline_without_call_history(engine: Engine, site_id: int, accounts: None) -> None:
    with pytest.raises(NotFoundError, match="call history"):
        scenario_baseline(engine=engine, site_id=site_id, actor="demo-leadership")


def test_the_role_is_the_one_the_database_holds_now(
    engine: Engine, site_id: int, accounts: None
) -> None:
    """Leadership demoted to counsellor by an administrator can no longer save, whatever role
    the page still has in its memory."""
    from data.accounts import set_role

    with session_scope(engine) as session:
        set_role(session=session, username="demo-leadership", role=Role.STAFF, actor="test")
    with pytest.raises(PermissionError, match="leadership"):
        save(engine, site_id, Role.LEADERSHIP, evaluation("B", 2))
    with pytest.raises(PermissionError):
        saved_scenarios(engine=engine, site_id=site_id, actor="nobody")
