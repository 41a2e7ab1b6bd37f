"""The Roster page on the demo database: the manager picks a week, gets a forecast when the week
has none, solves it (the solve runs in a worker thread the page polls), sees the Gantt chart
and the reports of a saved draft that keeps every hard rule, publishes it, and sees what a
re-plan would pin. Other roles are turned away."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from streamlit.testing.v1 import AppTest

from data.db import get_engine, session_scope
from data.forecasts import list_forecast_runs
from data.rosters import list_rosters, load_roster, save_roster
from scheduling.domain import Role
from scheduling.roster.build import default_hire_templates
from scheduling.roster.schema import (
    ActivitySegment,
    CoverageRow,
    Flag,
    InfeasibilityExplanation,
    IntervalSlot,
    PersonRoster,
    RosteredShift,
    RosterInstance,
    RosterSolution,
    RuleBreak,
    SolveStats,
)
from scheduling.roster.validate import validate
from tests.ui.conftest import demo_account, demo_site_id, page_as

# Two weeks after the demo history ends: no other test saves a forecast or roster for it.
WEEK = date(2026, 12, 7)


def _page(role: Role) -> AppTest:
    return page_as("roster.py", role)


def _texts(at: AppTest) -> str:
    return " ".join(
        str(e.value)
        for kind in ("markdown", "caption", "info", "success", "warning")
        for e in at.get(kind)
    )


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


@pytest.fixture(scope="module")
def page(demo_database: str) -> AppTest:
    """The manager's page, on WEEK (shared by the tests below, in order)."""
    at = _page(Role.MANAGER)
    at.date_input(key=f"roster_week_{demo_site_id(demo_database)}").set_value(WEEK).run()
    return at


def test_a_week_without_a_forecast_is_explained_and_one_can_be_computed(
    page: AppTest, demo_database: str
) -> None:
    at = page
    assert not at.exception and not at.error
    assert at.title[0].value == "Roster"
    assert any("Week of Monday 07 December 2026" in s.value for s in at.subheader)
    assert any(
        "No forecast is saved for the week of 07 December 2026" in w.value for w in at.warning
    )
    assert at.button(key="roster_solve").disabled

    at.button(key="roster_compute_forecast").click().run()
    assert not at.exception and not at.error
    with session_scope(get_engine(demo_database)) as session:
        runs = list_forecast_runs(
            session=session, site_id=demo_site_id(demo_database), week_start=WEEK
        )
    assert len(runs) == 1
    assert f"forecast run {runs[0].id}" in _texts(at)
    assert not at.button(key="roster_solve").disabled
    assert "No roster saved for this week yet" in _texts(at)


def test_solving_saves_a_draft_with_a_gantt_chart_and_no_hard_rule_broken(
    page: AppTest, demo_database: str
) -> None:
    at = page
    at.slider(key="roster_time_limit").set_value(10)
    at.button(key="roster_solve").click().run()  # returns once the polled solve is saved
    assert not at.exception and not at.error
    assert any("07 Dec 2026: version 1 saved as a draft" in s.value for s in at.success)

    site_id = demo_site_id(demo_database)
    with session_scope(get_engine(demo_database)) as session:
        versions = list_rosters(session=session, site_id=site_id, week_start=WEEK)
        assert [(v.version, v.status) for v in versions] == [(1, "draft")]
        saved = load_roster(session=session, roster_id=versions[0].id)
    assert saved.roster.created_by == demo_account(Role.MANAGER).username
    assert saved.roster.forecast_run_id is not None
    assert saved.instance.options.time_limit_seconds == 10
    assert saved.instance.options.workers == 2
    assert saved.solution.stats.status in ("OPTIMAL", "FEASIBLE")
    assert validate(saved.instance, saved.solution).hard == []

    charts = _charts(at)
    gantt = charts[0]
    assert {t["type"] for t in gantt["data"]} == {"bar"}
    assert all(t["orientation"] == "h" for t in gantt["data"])
    rows = {y for t in gantt["data"] for y in t["y"]}
    assert "Ayesha Khan" in rows
    assert "On the line" in {t["name"] for t in gantt["data"]}
    assert any(t["type"] == "heatmap" for c in charts for t in c["data"])  # shortfall
    labels = [m.label for m in at.metric]
    assert labels[:5] == [
        "Shortfall",
        "On the line",
        "Staff rostered",
        "Hires advised",
        "Hard rules broken",
    ]
    assert at.metric[4].value == "0"
    assert "Solver status" in _texts(at)
    assert at.button(key=f"roster_publish_{versions[0].id}").label == "Publish version 1"


def test_publishing_marks_the_version_published_and_a_re_plan_says_what_is_pinned(
    page: AppTest, demo_database: str
) -> None:
    at = page
    site_id = demo_site_id(demo_database)
    with session_scope(get_engine(demo_database)) as session:
        draft = list_rosters(session=session, site_id=site_id, week_start=WEEK)[0]
    at.button(key=f"roster_publish_{draft.id}").click().run()
    assert not at.exception and not at.error
    with session_scope(get_engine(demo_database)) as session:
        (published,) = list_rosters(session=session, site_id=site_id, week_start=WEEK)
    assert published.status == "published"
    assert published.published_by == demo_account(Role.MANAGER).username
    assert not [b for b in at.button if b.key == f"roster_publish_{draft.id}"]
    assert "Version 1 is published" in _texts(at)

    # Re-planning keeps the published shifts before the chosen moment as they are.
    at.date_input(key=f"roster_pin_day_{site_id}_{WEEK}").set_value(date(2026, 12, 9))
    at.time_input(key=f"roster_pin_time_{site_id}_{WEEK}").set_value(time(12, 0)).run()
    assert not at.exception
    pinned = [c.value for c in at.caption if "published shifts are pinned" in c.value]
    assert len(pinned) == 1 and "they start before Wed 09 Dec 12:00" in pinned[0]


def _save_draft_with_a_hard_break(url: str, week: date) -> int:
    """A one-shift roster whose validator report names a hard rule broken."""
    tz = ZoneInfo("Asia/Karachi")
    start = datetime.combine(week, time(9, 0), tz)
    slots = tuple(
        IntervalSlot(start=start + timedelta(minutes=30 * i), required=1) for i in range(4)
    )
    instance = RosterInstance(
        site_name="Demo", timezone="Asia/Karachi", week_start=week, intervals=slots, staff=()
    )
    end = start + timedelta(hours=2)
    solution = RosterSolution(
        site_name="Demo",
        timezone="Asia/Karachi",
        week_start=week,
        interval_minutes=30,
        stats=SolveStats(
            status="INFEASIBLE",
            objective=1_000_000.0,
            best_bound=None,
            gap=None,
            wall_time_seconds=1.0,
            first_solution_seconds=0.5,
            method="full",
            workers=2,
            time_limit_seconds=5,
        ),
        people=(
            PersonRoster(
                staff_id="1",
                display_name="Ayesha Khan",
                shifts=(
                    RosteredShift(
                        start=start,
                        end=end,
                        activities=(ActivitySegment(activity="line", start=start, end=end),),
                    ),
                ),
                shift_minutes=120,
                line_minutes=120,
            ),
        ),
        coverage=tuple(
            CoverageRow(
                start=s.start,
                end=s.start + timedelta(minutes=30),
                required=1,
                on_line=1,
                on_duty=1,
                shortfall=0,
            )
            for s in slots
        ),
        broken_rules=(
            RuleBreak(
                rule="shift_length",
                title="Shifts of 4 to 8 hours, starting on the half hour",
                hard=True,
                staff_id="1",
                day=week,
                message="Ayesha Khan's Monday shift is 2 h, below the 4 h minimum",
            ),
        ),
        infeasibility=InfeasibilityExplanation(
            message="The hard rules cannot all be kept this week.", conflicts=(), relaxed=()
        ),
    )
    with session_scope(get_engine(url)) as session:
        saved = save_roster(
            session=session,
            site_id=demo_site_id(url),
            instance=instance,
            solution=solution,
            actor="test",
        )
    return saved.id


def test_a_version_breaking_a_hard_rule_says_so_and_publishes_only_when_confirmed(
    demo_database: str,
) -> None:
    week = date(2026, 12, 14)
    roster_id = _save_draft_with_a_hard_break(demo_database, week)
    at = _page(Role.MANAGER)
    at.date_input(key=f"roster_week_{demo_site_id(demo_database)}").set_value(week).run()
    assert not at.exception
    alert = " ".join(e.value for e in at.error)
    assert "1 hard rule(s) broken" in alert
    assert "Shifts of 4 to 8 hours" in alert and "below the 4 h minimum" in alert
    assert any("Why the week cannot keep every rule" in w.value for w in at.warning)
    publish = at.button(key=f"roster_publish_{roster_id}")
    assert publish.disabled
    at.checkbox(key=f"roster_confirm_{roster_id}").check().run()
    assert not at.button(key=f"roster_publish_{roster_id}").disabled
    at.button(key=f"roster_publish_{roster_id}").click().run()
    with session_scope(get_engine(demo_database)) as session:
        (saved,) = list_rosters(
            session=session, site_id=demo_site_id(demo_database), week_start=week
        )
    assert saved.status == "published"


@pytest.mark.parametrize("role", [Role.STAFF, Role.SUPERVISOR])
def test_other_roles_are_refused(role: Role, demo_database: str) -> None:
    at = _page(role)
    assert not at.exception
    assert [e.value for e in at.error] == ["This page is not available to your role."]
    assert len(at.title) == 0
    assert not at.get("plotly_chart")


def _save_draft_short_an_hour(url: str, week: date) -> int:
    """A roster one counsellor-hour short with no hire proposed, though hires were allowed."""
    tz = ZoneInfo("Asia/Karachi")
    start = datetime.combine(week, time(9, 0), tz)
    slots = tuple(
        IntervalSlot(start=start + timedelta(minutes=30 * i), required=1 + (i >= 6))
        for i in range(8)
    )
    instance = RosterInstance(
        site_name="Demo",
        timezone="Asia/Karachi",
        week_start=week,
        intervals=slots,
        staff=(),
        hire_templates=default_hire_templates(),
    )
    end = start + timedelta(hours=4)
    solution = RosterSolution(
        site_name="Demo",
        timezone="Asia/Karachi",
        week_start=week,
        interval_minutes=30,
        stats=SolveStats(
            status="FEASIBLE",
            objective=2_000.0,
            best_bound=624.0,
            gap=0.688,
            wall_time_seconds=20.0,
            first_solution_seconds=0.5,
            method="full",
            workers=2,
            time_limit_seconds=20,
        ),
        people=(
            PersonRoster(
                staff_id="1",
                display_name="Ayesha Khan",
                shifts=(
                    RosteredShift(
                        start=start,
                        end=end,
                        activities=(ActivitySegment(activity="line", start=start, end=end),),
                    ),
                ),
                shift_minutes=240,
                line_minutes=240,
            ),
        ),
        coverage=tuple(
            CoverageRow(
                start=s.start,
                end=s.start + timedelta(minutes=30),
                required=s.required,
                on_line=1,
                on_duty=1,
                shortfall=s.required - 1,
            )
            for s in slots
        ),
        flags=(
            Flag(
                severity="warning",
                kind="shortfall",
                message="Monday 12:00-13:00: 1 counsellor short; the others need rest or days off",
            ),
        ),
    )
    with session_scope(get_engine(url)) as session:
        saved = save_roster(
            session=session,
            site_id=demo_site_id(url),
            instance=instance,
            solution=solution,
            actor="test",
        )
    return saved.id


def test_messages_agree_on_a_week_left_an_hour_short(demo_database: str) -> None:
    week = date(2027, 1, 18)
    _save_draft_short_an_hour(demo_database, week)
    at = _page(Role.MANAGER)
    at.date_input(key=f"roster_week_{demo_site_id(demo_database)}").set_value(week).run()
    at.button(key="roster_compute_forecast").click().run()
    assert not at.exception and not at.error
    text = _texts(at)
    assert at.metric[0].value == "1 h"
    # The hire advice squares with the shortfall and names the hire that would close it.
    assert "the staff can cover the week" not in text
    assert "1 counsellor-hour stay uncovered" not in text
    assert "No hire proposed, though 1 counsellor-hour stays uncovered" in text
    assert "the others need rest or days off" in text
    assert "part-time counsellor" in text and "would close it" in text
    # Wording: singular hours, the gap in points, languages by name.
    assert "1 counsellor-hour short over the week" in text
    assert "the best possible roster is at most 1,376 points better" in text
    assert "Urdu" in text and "a speaker of ur" not in text
    # The files for the wall and for everyone's phones.
    downloads = {e.proto.label for e in at.get("download_button")}
    assert {"Printable rota", "Calendars for everyone (.zip)"} <= downloads
