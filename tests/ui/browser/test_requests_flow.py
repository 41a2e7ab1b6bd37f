"""A request in headless Chromium: demo-staff asks for a day off on My shift, demo-manager
approves it on Requests, and the next solve of that week (a short time limit) leaves the day
free for demo-staff. Its own app and database, so the forecast and draft it saves meet no
other test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from data.db import dispose_engine, get_engine, session_scope
from data.demo import TIMEZONE
from data.rosters import list_rosters, load_roster
from data.staff_repo import list_staff
from scheduling.domain import coming_monday
from tests.ui.browser.conftest import require_browser, running_app
from tests.ui.browser.helpers import ROSTER_GANTT, open_page, screenshot, sign_in

pytestmark = pytest.mark.browser
STAFF_NAME = "Bilal Ahmed"  # demo-staff


@pytest.fixture(scope="module")
def requests_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    require_browser()
    data_dir = tmp_path_factory.mktemp("requests-browser-db")
    with running_app(data_dir) as url:
        yield url, data_dir


def _new_page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def test_a_day_off_asked_approved_and_left_free_by_the_next_solve(browser, requests_app) -> None:  # type: ignore[no-untyped-def]
    url, data_dir = requests_app
    week = coming_monday(datetime.now(ZoneInfo(TIMEZONE)).date())
    day_off = week + timedelta(days=2)

    context, page = _new_page(browser)
    sign_in(page, url, "demo-staff", "staff-demo-pass")
    open_page(page, "My shift")
    page.get_by_role("heading", name="My requests").scroll_into_view_if_needed()
    for label in ("First day", "Last day"):
        for segment, value in (
            ("year", day_off.year),
            ("month", day_off.month),
            ("day", day_off.day),
        ):
            field = page.get_by_role("spinbutton", name=f"{segment}, {label}")
            field.click()
            field.press_sequentially(f"{value:02d}")
        page.keyboard.press("Tab")
        assert page.get_by_role("spinbutton", name=f"day, {label}").get_attribute(
            "aria-valuenow"
        ) == str(day_off.day)
    page.get_by_role("button", name="Ask for leave").click()
    page.get_by_text("Leave asked for: a manager will decide.").wait_for()
    page.get_by_text("Waiting for a manager").first.wait_for(state="attached")  # a table cell
    screenshot(page, "requests-my-shift-asked")
    context.close()

    context, page = _new_page(browser)
    sign_in(page, url, "demo-manager", "manager-demo-pass")
    open_page(page, "Requests")
    page.get_by_role("heading", name="Requests").wait_for()
    page.get_by_text(f"Leave: {day_off:%a %d %b %Y}").wait_for()
    screenshot(page, "requests-manager-before-deciding")
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("Approved: the leave is on the staff calendar.").wait_for()

    open_page(page, "Roster")
    page.get_by_role("heading", name="Roster").wait_for()
    page.get_by_role("button", name="Compute and save a forecast").click()
    page.get_by_text("Requirements:").wait_for()
    slider = page.get_by_role("slider", name="Time limit (seconds)")
    slider.focus()
    for _ in range(2):  # 20 s -> 10 s in steps of 5
        slider.press("ArrowLeft")
    page.get_by_role("button", name="Solve").click()
    page.locator(ROSTER_GANTT).first.wait_for(state="visible", timeout=90_000)
    page.get_by_text("saved as a draft").wait_for()
    screenshot(page, "requests-roster-after-leave")
    context.close()

    db_url = f"sqlite:///{data_dir / 'planner.db'}"
    with session_scope(get_engine(db_url)) as session:
        bilal = next(
            m for m in list_staff(session=session, site_id=1) if m.display_name == STAFF_NAME
        )
        [draft] = list_rosters(session=session, site_id=1, week_start=week)
        saved = load_roster(session=session, roster_id=draft.id)
    dispose_engine(db_url)
    entry = next(e for e in saved.instance.staff if e.id == bilal.id)
    assert entry.member.on_leave(day_off)  # the solve was told
    tz = ZoneInfo(TIMEZONE)
    days = [
        s.start.astimezone(tz).date()
        for p in saved.solution.people
        if p.staff_id == bilal.id
        for s in p.shifts
    ]
    assert day_off not in days
    assert days, "demo-staff still works other days of the week"
