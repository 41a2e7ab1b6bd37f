"""Saved scenarios and comparisons: leadership saves, managers read, others neither."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from data.db import session_scope
from data.errors import NotFoundError
from data.models import SavedScenarioCreate, ScenarioComparisonCreate
from data.scenarios import (
    baseline_for_site,
    delete_scenario,
    get_scenario,
    latest_comparison,
    list_scenarios,
    save_comparison,
    save_scenario,
)
from scheduling.domain import Role
from scheduling.scenarios import Scenario, presets


def scenario_in(site_id: int, name: str = "Pooled", **kw) -> SavedScenarioCreate:
    inputs = presets()["Second centre, pooled queue"].model_copy(update={"name": name})
    return SavedScenarioCreate(
        site_id=site_id,
        title=name,
        author="demo-leadership",
        inputs=inputs.model_dump(mode="json"),
        options={"replications": 50},
        **kw,
    )


def test_saved_scenario_round_trips_its_inputs_and_results(engine, site_id):
    with session_scope(engine) as session:
        saved = save_scenario(
            session=session,
            scenario_in=scenario_in(site_id, results={"summary": {"hires_total": 3}}),
            role=Role.LEADERSHIP,
        )
    with session_scope(engine) as session:
        got = get_scenario(session=session, scenario_id=saved.id, role=Role.MANAGER)
    assert got.author == "demo-leadership"
    assert Scenario.model_validate(got.inputs).centres[0].queue == "pooled"
    assert got.results == {"summary": {"hires_total": 3}}


def test_saving_a_name_again_replaces_it(engine, site_id):
    with session_scope(engine) as session:
        first = save_scenario(
            session=session, scenario_in=scenario_in(site_id), role=Role.LEADERSHIP
        )
    with session_scope(engine) as session:
        again = save_scenario(
            session=session,
            scenario_in=scenario_in(site_id, results={"summary": {"x": 1}}),
            role=Role.LEADERSHIP,
        )
        save_scenario(
            session=session, scenario_in=scenario_in(site_id, "Other"), role=Role.LEADERSHIP
        )
    assert again.id == first.id and again.results == {"summary": {"x": 1}}
    with session_scope(engine) as session:
        names = [
            s.title for s in list_scenarios(session=session, site_id=site_id, role=Role.MANAGER)
        ]
    assert sorted(names) == ["Other", "Pooled"]
    with session_scope(engine) as session:
        delete_scenario(session=session, scenario_id=first.id, role=Role.LEADERSHIP)
    with session_scope(engine) as session, pytest.raises(NotFoundError):
        get_scenario(session=session, scenario_id=first.id, role=Role.LEADERSHIP)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.STAFF, Role.SUPERVISOR, Role.ADMIN])
def test_only_leadership_saves(engine, site_id, role):
    with session_scope(engine) as session, pytest.raises(PermissionError, match="leadership"):
        save_scenario(session=session, scenario_in=scenario_in(site_id), role=role)


@pytest.mark.parametrize("role", [Role.STAFF, Role.SUPERVISOR, Role.ADMIN])
def test_only_leadership_and_managers_read(engine, site_id, role):
    with session_scope(engine) as session, pytest.raises(PermissionError):
        list_scenarios(session=session, site_id=site_id, role=role)
    with session_scope(engine) as session, pytest.raises(PermissionError):
        latest_comparison(session=session, site_id=site_id, role=role)


def test_latest_comparison_is_the_newest(engine, site_id):
    rows = [{"scenario": "Baseline", "hires_total": 0}, {"scenario": "Pooled", "hires_total": 2}]
    with session_scope(engine) as session:
        assert latest_comparison(session=session, site_id=site_id, role=Role.LEADERSHIP) is None
        for title in ("first", "second"):
            save_comparison(
                session=session,
                comparison_in=ScenarioComparisonCreate(
                    site_id=site_id, author="lead", title=title, rows=rows
                ),
                role=Role.LEADERSHIP,
            )
    with session_scope(engine) as session:
        latest = latest_comparison(session=session, site_id=site_id, role=Role.MANAGER)
    assert latest is not None and latest.title == "second" and latest.rows == rows


def test_a_comparison_holds_one_to_four_scenarios(site_id):
    with pytest.raises(ValidationError, match="1 to 4"):
        ScenarioComparisonCreate(site_id=site_id, author="a", title="t", rows=[{}] * 5)
    with pytest.raises(ValidationError, match="blank"):
        SavedScenarioCreate(site_id=site_id, title="  ", author="a", inputs={})


def test_baseline_for_the_demo_site_is_the_week_after_its_history(engine):
    from datetime import date

    from data.demo import seed_demo
    from data.sites import list_sites

    with session_scope(engine) as session:
        seed_demo(session=session, last_day=date(2026, 11, 22))
    with session_scope(engine) as session:
        site_id = next(s.id for s in list_sites(session=session) if "Lahore" in s.name)
        baseline = baseline_for_site(session=session, site_id=site_id, role=Role.MANAGER)
        with pytest.raises(PermissionError):
            baseline_for_site(session=session, site_id=site_id, role=Role.STAFF)
    assert baseline.week_start == date(2026, 11, 23)
    assert baseline.first_month == date(2026, 12, 1)
    assert sum(baseline.week_calls) > 0
    assert any(s.display_name for s in baseline.staff)
