"""The whole app in headless Chromium: the demo manager opens Forecast & staffing and sees the
heatmap of required counsellors, ready to save."""

from __future__ import annotations

import pytest

from tests.ui.browser.helpers import HEATMAP, open_page, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_demo_manager_sees_the_requirements_heatmap(page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, app_url, "demo-manager", "manager-demo-pass")
    open_page(page, "Forecast & staffing")
    heatmap = page.locator(HEATMAP).first
    heatmap.wait_for(state="visible")
    assert page.get_by_role("button", name="Save this forecast").is_visible()
    assert page.get_by_text("Counsellors required on the line").is_visible()
    path = screenshot(page, "forecast-staffing-demo-manager")
    assert path.stat().st_size > 10_000
