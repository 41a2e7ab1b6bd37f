"""Stable selectors and actions for the browser tests, in one place."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
OUTPUT_DIR = REPO / "test-output"

PLOTLY_CHART = '[data-testid="stPlotlyChart"]'
SIDEBAR_NAV = '[data-testid="stSidebarNav"]'


def sign_in(page, url: str, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """The whole page: Streamlit scrolls inside its main block, so the viewport is stretched to
    that block's height for the shot and put back afterwards."""
    OUTPUT_DIR.mkdir(exist_ok=True)
    path = OUTPUT_DIR / f"{name}.png"
    viewport = page.viewport_size
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"] *')]"
        ".slice(0, 1).map(e => e.scrollHeight), document.body.scrollHeight)"
    )
    page.set_viewport_size({"width": viewport["width"], "height": min(int(height) + 100, 8000)})
    page.wait_for_timeout(500)  # let plotly re-layout at the new size
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)
    return path


HEATMAP = f"{PLOTLY_CHART} .heatmaplayer"


def open_page(page, title: str) -> None:  # type: ignore[no-untyped-def]
    """Follow the sidebar link named `title`."""
    page.locator(SIDEBAR_NAV).get_by_text(title, exact=True).click()


ROSTER_GANTT = f".st-key-roster_gantt_box {PLOTLY_CHART} .barlayer"

SCENARIO_RESULTS = ".st-key-scenario_results"

HAND_EDITS = ".st-key-roster_hand_edits"
HAND_EDIT_BREAKS = ".st-key-roster_hand_edit_breaks"
