"""The whole app in headless Chromium: the demo manager signs in and sees the Home chart."""

from __future__ import annotations

import pytest

from tests.ui.browser.helpers import PLOTLY_CHART, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_demo_manager_signs_in_and_sees_the_history_chart(page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, app_url, "demo-manager", "manager-demo-pass")
    chart = page.locator(PLOTLY_CHART).first
    chart.wait_for(state="visible")
    page.get_by_text("Last 12 weeks").wait_for()
    assert page.locator(f"{PLOTLY_CHART} .scatterlayer .trace").count() == 3
    nav = page.get_by_test_id("stSidebarNav")
    assert nav.get_by_text("Call history").is_visible()
    assert nav.get_by_text("Admin").count() == 0
    path = screenshot(page, "home-demo-manager")
    assert path.stat().st_size > 10_000
