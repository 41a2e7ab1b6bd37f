"""One planning week across Forecast & staffing and Roster: both open on the coming Monday, the
week chosen on one is the week the other shows, the forecast saved with tuned targets is the
one the roster plans from, and the Roster page says which targets its forecast used and offers
to recompute with the current ones."""

from __future__ import annotations

from datetime import date, datetime

from streamlit.testing.v1 import AppTest

from data.db import get_engine, session_scope
from data.forecasts import latest_forecast_run
from data.sites import get_site_profile, get_staffing_settings
from scheduling.domain import Role, StaffingSettings, coming_monday
from tests.ui.conftest import demo_site_id, page_as, signed_in_app
from ui.components.week_picker import planning_week_key
from ui.state import tuned_settings_key

FS = "forecast_staffing.py"
ROSTER = "roster.py"
PAGES = "ui/pages/"
# Weeks no other page test saves a forecast for.
SHARED_WEEK = date(2026, 12, 21)
TUNED_WEEK = date(2026, 12, 28)


def _tuned(settings: StaffingSettings) -> StaffingSettings:
    targets = settings.targets.model_copy(update={"service_level": 0.95})
    return settings.model_copy(update={"targets": targets})


def _texts(at: AppTest) -> str:
    return " ".join(
        str(e.value) for kind in ("markdown", "caption", "info", "warning") for e in at.get(kind)
    )


def test_both_pages_open_on_the_coming_monday(demo_database: str) -> None:
    site_id = demo_site_id(demo_database)
    with session_scope(get_engine(demo_database)) as session:
        tz = get_site_profile(session=session, site_id=site_id).tz
    expected = coming_monday(datetime.now(tz).date())
    for page, key in ((FS, f"fs_week_{site_id}"), (ROSTER, f"roster_week_{site_id}")):
        at = page_as(page, Role.MANAGER)
        assert not at.exception
        assert at.date_input(key=key).value == expected, page


def test_coming_monday_is_the_next_monday_even_on_a_monday() -> None:
    assert coming_monday(date(2026, 11, 29)) == date(2026, 11, 30)  # a Sunday
    assert coming_monday(date(2026, 11, 30)) == date(2026, 12, 7)  # a Monday
    assert coming_monday(date(2026, 12, 2)) == date(2026, 12, 7)


def test_the_week_chosen_on_one_page_is_the_week_the_other_opens_on(demo_database: str) -> None:
    site_id = demo_site_id(demo_database)
    at = signed_in_app(Role.MANAGER)
    at.switch_page(PAGES + FS).run()
    assert not at.exception
    at.date_input(key=f"fs_week_{site_id}").set_value(SHARED_WEEK).run()
    assert at.session_state[planning_week_key(site_id)] == SHARED_WEEK

    at.switch_page(PAGES + ROSTER).run()
    assert not at.exception
    assert at.date_input(key=f"roster_week_{site_id}").value == SHARED_WEEK
    assert any("Week of Monday 21 December 2026" in s.value for s in at.subheader)

    moved = date(2027, 1, 4)
    at.date_input(key=f"roster_week_{site_id}").set_value(moved).run()
    at.switch_page(PAGES + FS).run()
    assert at.date_input(key=f"fs_week_{site_id}").value == moved
    assert any("Week of Monday 04 January 2027" in s.value for s in at.subheader)


def test_the_forecast_saved_with_tuned_targets_is_the_one_the_roster_uses(
    demo_database: str,
) -> None:
    site_id = demo_site_id(demo_database)
    engine = get_engine(demo_database)
    with session_scope(engine) as session:
        site_settings = get_staffing_settings(session=session, site_id=site_id)
    tuned = _tuned(site_settings)

    at = signed_in_app(Role.MANAGER)
    at.switch_page(PAGES + FS).run()
    at.date_input(key=f"fs_week_{site_id}").set_value(TUNED_WEEK).run()
    form = f"fs_settings_form_{site_id}"
    at.number_input(key=f"{form}_service_level").set_value(95.0)
    at.button(key=f"{form}_apply").click().run()
    assert not at.exception and not at.error
    assert at.session_state[tuned_settings_key(site_id)] == tuned
    at.button(key="fs_save").click().run()
    with session_scope(engine) as session:
        saved = latest_forecast_run(session=session, site_id=site_id, week_start=TUNED_WEEK)
    assert saved is not None and saved.run.inputs["settings"] == tuned.model_dump(mode="json")

    at.switch_page(PAGES + ROSTER).run()
    assert not at.exception and not at.error
    text = _texts(at)
    assert f"forecast run {saved.run.id}" in text
    assert "Targets this forecast used:" in text and "95% within" in text
    assert "No forecast is saved" not in text
    # The tuned targets are the current ones: nothing to recompute.
    assert not [b for b in at.button if b.key == "roster_recompute_forecast"]


def test_the_roster_offers_to_recompute_with_the_current_targets(demo_database: str) -> None:
    site_id = demo_site_id(demo_database)
    engine = get_engine(demo_database)
    week = date(2027, 1, 11)
    with session_scope(engine) as session:
        site_settings = get_staffing_settings(session=session, site_id=site_id)
    tuned = _tuned(site_settings)

    at = page_as(ROSTER, Role.MANAGER)
    at.date_input(key=f"roster_week_{site_id}").set_value(week).run()
    assert "with the site's saved targets" in _texts(at)
    at.button(key="roster_compute_forecast").click().run()
    with session_scope(engine) as session:
        first = latest_forecast_run(session=session, site_id=site_id, week_start=week)
    assert first is not None
    assert first.run.inputs["settings"] == site_settings.model_dump(mode="json")

    # Targets tuned on Forecast & staffing this session (applied, not saved as defaults).
    at.session_state[tuned_settings_key(site_id)] = tuned
    at.run()
    assert any("targets differ from the targets tuned" in i.value for i in at.info)
    at.button(key="roster_recompute_forecast").click().run()
    assert not at.exception and not at.error
    with session_scope(engine) as session:
        second = latest_forecast_run(session=session, site_id=site_id, week_start=week)
    assert second is not None and second.run.id != first.run.id
    assert second.run.inputs["settings"] == tuned.model_dump(mode="json")
    assert f"forecast run {second.run.id}" in _texts(at)
    assert not [b for b in at.button if b.key == "roster_recompute_forecast"]


def test_an_empty_week_without_a_forecast_says_to_save_one_first(demo_database: str) -> None:
    site_id = demo_site_id(demo_database)
    at = page_as(ROSTER, Role.MANAGER)
    at.date_input(key=f"roster_week_{site_id}").set_value(date(2027, 2, 1)).run()
    assert at.button(key="roster_solve").disabled
    infos = " ".join(i.value for i in at.info)
    assert "First save a forecast for it" in infos
    assert "press Solve." not in infos.split("First")[0]
