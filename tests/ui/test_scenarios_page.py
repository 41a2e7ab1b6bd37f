"""The Scenarios page on the demo database: leadership compares the baseline with a second
centre on a pooled queue, saves the comparison and finds it on Home; a manager may read and run
but not save; staff are turned away."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from data.db import get_engine, session_scope
from data.scenarios import latest_comparison
from scheduling.domain import Role
from tests.ui.conftest import demo_site_id, page_as

pytestmark = pytest.mark.usefixtures("demo_database")


def _add(at: AppTest, preset: str) -> AppTest:
    at.selectbox(key="preset_choice").set_value(preset).run()
    return at.button(key="add_preset").click().run()


def _run_quick(at: AppTest) -> AppTest:
    at.toggle(key="use_roster").set_value(False).run()
    at.number_input(key="replications").set_value(40).run()
    return at.button(key="run_comparison").click().run()


@pytest.fixture(scope="module")
def compared(demo_database: str) -> AppTest:
    at = page_as("scenarios.py", Role.LEADERSHIP)
    assert not at.exception, at.exception
    _add(at, "Baseline")
    _add(at, "Second centre, pooled queue")
    return _run_quick(at)


def test_leadership_compares_two_presets_side_by_side(compared: AppTest) -> None:
    assert not compared.exception, compared.exception
    table = compared.dataframe[0].value
    assert list(table.columns) == ["Baseline", "Second centre, pooled queue"]
    assert "Peak FTE needed" in table.index and "Answered share (simulated)" in table.index
    # the answered share carries its 95% interval
    assert "[" in table.loc["Answered share (simulated)", "Baseline"]
    charts = [json.loads(c.proto.spec) for c in compared.get("plotly_chart")]
    titles = [c["layout"]["title"]["text"] for c in charts]
    assert titles[:2] == ["Staff needed and hires by month", "Cost by month"]
    assert "Answered share, simulated (95% interval)" in titles
    staff = charts[0]
    assert {t["name"] for t in staff["data"]} >= {
        "Baseline: FTE needed",
        "Second centre, pooled queue: FTE needed",
    }


def test_editing_a_scenario_names_a_bad_field_and_keeps_the_good_one(compared: AppTest) -> None:
    compared.number_input(key="vol_1").set_value(2.0)
    compared.button(key="FormSubmitter:scenario_form_1-Apply changes").click().run()
    assert not compared.exception
    assert compared.session_state["scenario_list"][1]["volume_factor"] == 2.0
    compared.text_input(key="cl_1").set_value("100, lots")
    compared.button(key="FormSubmitter:scenario_form_1-Apply changes").click().run()
    assert "launch calls a month" in compared.error[0].value
    _run_quick(compared)


def test_leadership_saves_and_home_shows_the_latest_comparison(
    compared: AppTest, demo_database: str
) -> None:
    compared.button(key="save_comparison").click().run()
    assert not compared.exception, compared.exception
    assert "Saved" in compared.success[0].value
    site_id = demo_site_id(demo_database)
    with session_scope(get_engine(demo_database)) as session:
        latest = latest_comparison(session=session, site_id=site_id, role=Role.LEADERSHIP)
    assert latest is not None and [r["scenario"] for r in latest.rows] == [
        "Baseline",
        "Second centre, pooled queue",
    ]
    home = page_as("home.py", Role.LEADERSHIP)
    assert not home.exception
    assert any("Latest scenario comparison" in s.value for s in home.subheader)
    card = home.dataframe[0].value
    assert list(card["Scenario"]) == ["Baseline", "Second centre, pooled queue"]


def test_exports_are_offered(compared: AppTest) -> None:
    labels = [b.label for b in compared.get("download_button")]
    assert labels == ["Export CSV", "Export Excel"]


def test_a_manager_may_read_and_run_but_not_save(demo_database: str) -> None:
    at = page_as("scenarios.py", Role.MANAGER)
    assert not at.exception
    _add(at, "Baseline")
    _run_quick(at)
    assert at.dataframe[0].value.shape[1] == 1
    assert not [b for b in at.button if b.key == "save_comparison"]


def test_staff_are_turned_away(demo_database: str) -> None:
    at = page_as("scenarios.py", Role.STAFF)
    assert at.error and not at.get("dataframe")
