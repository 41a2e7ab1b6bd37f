"""The whole app in headless Chromium: the demo manager opens Roster, computes the week's
forecast, solves with a short time limit while the live indicator runs, sees the Gantt and
downloads the draft as CSV."""

from __future__ import annotations

import pytest

from tests.ui.browser.helpers import ROSTER_GANTT, open_page, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_demo_manager_solves_the_week_and_sees_the_gantt(page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, app_url, "demo-manager", "manager-demo-pass")
    open_page(page, "Roster")
    page.get_by_role("heading", name="Roster").wait_for()
    compute = page.get_by_role("button", name="Compute and save a forecast")
    compute.wait_for()  # a freshly seeded database has no forecast saved
    compute.click()
    page.get_by_text("Requirements:").wait_for()

    slider = page.get_by_role("slider", name="Time limit (seconds)")
    slider.focus()
    for _ in range(2):  # 20 s -> 10 s in steps of 5
        slider.press("ArrowLeft")
    assert slider.input_value() == "10"
    page.get_by_role("button", name="Solve").click()

    gantt = page.locator(ROSTER_GANTT).first
    gantt.wait_for(state="visible", timeout=90_000)
    page.get_by_text("saved as a draft").wait_for()
    assert page.locator(f"{ROSTER_GANTT} .trace").count() >= 2  # line, meal, off-line...
    assert page.get_by_role("button", name="Publish version 1").is_visible()
    page.get_by_role("heading", name="Who works when").scroll_into_view_if_needed()
    path = screenshot(page, "roster-demo-manager")
    assert path.stat().st_size > 10_000

    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Roster (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    lines = download.path().read_text().splitlines()
    assert lines[0].startswith("staff_id,display_name,date,start,end,activity")
    assert any(",line," in row for row in lines[1:])
