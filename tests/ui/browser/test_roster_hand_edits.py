"""The manager's week in headless Chromium, on a demo database of its own: demo-manager enters
a week of leave for a counsellor on Staff, solves the coming week on Roster with a short time
limit, moves a shift by hand so that it breaks a rule, reads the broken rule, undoes the move
and publishes the version."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduling.domain import coming_monday
from tests.ui.browser.conftest import require_browser, running_app
from tests.ui.browser.helpers import (
    HAND_EDIT_BREAKS,
    HAND_EDITS,
    ROSTER_GANTT,
    open_page,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser

COUNSELLOR = "Bilal Ahmed"


@pytest.fixture(scope="module")
def own_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh demo app: the shared one may already hold a solve of the coming week."""
    require_browser()
    with running_app(tmp_path_factory.mktemp("hand-edits-browser-db")) as url:
        yield url


def _set_time(page, widget: str, hour: int, minute: int) -> None:  # type: ignore[no-untyped-def]
    """Streamlit's time input is a field of segments (hour, minute, and AM/PM when the
    browser's locale shows a 12-hour clock): type into each, then leave the field."""
    segments = page.locator(f"{widget} [role='spinbutton']")
    twelve = segments.count() == 3
    shown_hour = (hour % 12 or 12) if twelve else hour
    segments.nth(0).click()
    page.keyboard.type(f"{shown_hour:02d}")
    segments.nth(1).click()
    page.keyboard.type(f"{minute:02d}")
    if twelve:
        segments.nth(2).click()
        page.keyboard.type("P" if hour >= 12 else "A")
    page.keyboard.press("Tab")
    page.wait_for_function(
        "([sel, want]) => document.querySelector(sel)?.value?.startsWith(want)",
        arg=[f"{widget} input[type=hidden]", f"{hour:02d}:{minute:02d}"],
    )


def test_leave_solve_hand_move_breaks_a_rule_undo_and_publish(browser, own_app: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        sign_in(page, own_app, "demo-manager", "manager-demo-pass")

        # A week of leave for a counsellor, the week the Roster page opens on.
        open_page(page, "Staff")
        page.get_by_role("heading", name="Staff", exact=True).wait_for()
        page.get_by_test_id("stSelectbox").filter(has_text="Staff member").click()
        page.get_by_role("option", name=COUNSELLOR).click()
        page.get_by_text(f"{COUNSELLOR}: leave, training and sickness").wait_for()
        first = coming_monday(datetime.now(ZoneInfo("Asia/Karachi")).date())
        last = first + timedelta(days=6)
        for key, day in (("staff_leave_first", first), ("staff_leave_last", last)):
            box = page.locator(f".st-key-{key} input")
            box.fill(day.isoformat())
            box.blur()
        page.get_by_role("button", name="Add to the calendar").click()
        page.get_by_text(f"from {first:%d %b} to {last:%d %b} added for {COUNSELLOR}").wait_for()

        # Solve the coming week with a short time limit.
        open_page(page, "Roster")
        page.get_by_role("heading", name="Roster").wait_for()
        compute = page.get_by_role("button", name="Compute and save a forecast")
        compute.wait_for()
        compute.click()
        page.get_by_text("Requirements:").wait_for()
        slider = page.get_by_role("slider", name="Time limit (seconds)")
        slider.focus()
        for _ in range(3):  # 20 s -> 5 s in steps of 5
            slider.press("ArrowLeft")
        assert slider.input_value() == "5"
        page.get_by_role("button", name="Solve").click()
        page.locator(ROSTER_GANTT).first.wait_for(state="visible", timeout=90_000)
        page.get_by_text("saved as a draft").wait_for()
        body = page.locator('[data-testid="stMain"]')
        assert COUNSELLOR not in page.locator(".st-key-roster_gantt_box").inner_text()

        # Shorten the first shift on the list to two hours: below the shortest shift allowed.
        edits = page.locator(HAND_EDITS)
        edits.get_by_text("Adjust by hand").wait_for()
        start_box = edits.locator('[class*="_move_start"] input[type=hidden]')
        shown = start_box.input_value()
        found = re.search(r"(\d{1,2}):(\d{2})", shown)
        assert found, f"unexpected time shown: {shown!r}"
        hour, minute = int(found[1]), int(found[2])
        if hour >= 22:
            edits.get_by_text("Ends next day").click()
        _set_time(page, f'{HAND_EDITS} [class*="_move_end"]', (hour + 2) % 24, minute)
        edits.get_by_role("button", name="Apply edit").click()
        breaks = page.locator(HAND_EDIT_BREAKS)
        breaks.get_by_text("Your edits break").wait_for()
        assert "Shifts of 4 to 8 hours" in breaks.inner_text()
        assert "lasts 2 h" in breaks.inner_text()
        screenshot(page, "roster-hand-edit-breaks")

        # Undo it: the rule is kept again, and the version is published.
        edits.get_by_role("button", name="Undo").click()
        breaks.wait_for(state="detached")
        assert "Your edits" not in body.inner_text()
        page.get_by_role("button", name="Publish version 1").click()
        page.get_by_text("Version 1 is published").wait_for()
    finally:
        context.close()
