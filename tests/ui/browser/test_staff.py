"""The whole app in headless Chromium: the demo manager opens Staff, enters a week of leave for
a counsellor and sees it on the calendar of the coming weeks."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.ui.browser.helpers import PLOTLY_CHART, open_page, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_demo_manager_enters_a_week_of_leave(page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, app_url, "demo-manager", "manager-demo-pass")
    open_page(page, "Staff")
    page.get_by_role("heading", name="Staff", exact=True).wait_for()
    page.get_by_test_id("stSelectbox").filter(has_text="Staff member").click()
    page.get_by_role("option", name="Bilal Ahmed").click()
    page.get_by_text("Bilal Ahmed: leave, training and sickness").wait_for()

    first = datetime.now(ZoneInfo("Asia/Karachi")).date() + timedelta(days=14)  # the site's day
    last = first + timedelta(days=6)
    # Streamlit draws these date inputs as native date fields: filled with ISO dates.
    for key, day in (("staff_leave_first", first), ("staff_leave_last", last)):
        box = page.locator(f".st-key-{key} input")
        box.fill(day.isoformat())
        box.blur()
    page.get_by_role("button", name="Add to the calendar").click()
    added = page.get_by_text("Leave from")
    added.wait_for()
    assert f"from {first:%d %b} to {last:%d %b} added for Bilal Ahmed" in added.inner_text()
    page.get_by_text(f"{first:%a %d %b %Y} to {last:%a %d %b %Y} (7 days)").wait_for()
    page.locator(PLOTLY_CHART).first.wait_for(state="visible")
    assert page.locator(f"{PLOTLY_CHART} .barlayer .point").count() >= 1
    path = screenshot(page, "staff-leave-demo-manager")
    assert path.stat().st_size > 10_000
