"""demo-leadership compares the baseline with a second centre on a pooled queue in Chromium."""

from __future__ import annotations

import pytest

from tests.ui.browser.helpers import (
    PLOTLY_CHART,
    SCENARIO_RESULTS,
    open_page,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser


def test_demo_leadership_compares_two_presets(page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, app_url, "demo-leadership", "leadership-demo-pass")
    open_page(page, "Scenarios")
    page.get_by_text("Scenarios to compare").wait_for(timeout=120_000)
    page.get_by_role("button", name="Add preset").click()  # the first preset is the baseline
    page.get_by_text("1. Baseline").wait_for()
    page.locator(".st-key-preset_choice").click()
    page.get_by_role("option", name="Second centre, pooled queue").click()
    page.get_by_role("button", name="Add preset").click()
    page.get_by_text("2. Second centre, pooled queue").wait_for()
    page.get_by_role("button", name="Run comparison").click()
    results = page.locator(SCENARIO_RESULTS)
    results.wait_for(timeout=240_000)
    results.get_by_text("Side by side").wait_for()
    page.locator(f"{SCENARIO_RESULTS} {PLOTLY_CHART}").nth(3).wait_for(timeout=60_000)
    assert page.locator(f"{SCENARIO_RESULTS} {PLOTLY_CHART}").count() == 4
    export = results.get_by_role("button", name="Export Excel")
    export.wait_for(timeout=60_000)  # the exports are drawn after the charts
    assert export.is_visible()
    path = screenshot(page, "scenarios-demo-leadership")
    assert path.stat().st_size > 10_000
