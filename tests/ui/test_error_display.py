"""An unexpected error shows a short message with a reference: no stack, no server path."""

from __future__ import annotations

import logging
import re
import tomllib

import pytest

import data.call_history
from scheduling.domain import Role
from tests.ui.conftest import REPO, signed_in_app

pytestmark = pytest.mark.usefixtures("demo_database")


def test_streamlit_is_told_to_hide_error_details() -> None:
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_a_failing_page_shows_a_reference_and_no_stack(monkeypatch, caplog) -> None:
    def broken(**_: object) -> None:
        raise OverflowError(f"date value out of range in {REPO / 'data' / 'call_history.py'}")

    at = signed_in_app(Role.MANAGER)
    monkeypatch.setattr(data.call_history, "weekly_totals", broken)
    with caplog.at_level(logging.ERROR, logger="planner"):
        at.run()
    assert not at.exception
    shown = " ".join(
        str(getattr(e, "value", ""))
        for kind in ("error", "markdown", "text", "code")
        for e in at.get(kind)
    )
    assert "Traceback" not in shown and str(REPO) not in shown and ".py" not in shown
    (message,) = [e.value for e in at.error]
    reference = re.search(r"reference: ([0-9a-f]{8})", message)
    assert reference is not None
    # The stack and the reference are in the server's log.
    assert any(reference.group(1) in r.getMessage() and r.exc_info for r in caplog.records)


def test_a_bad_setting_stops_the_app_with_a_message(monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from data.settings import settings
    from tests.ui.conftest import APP

    monkeypatch.setenv("PLANNER_SESSION_TIMEOUT_MINUTES", "abc")
    settings.cache_clear()
    try:
        at = AppTest.from_file(APP, default_timeout=60).run()
    finally:
        monkeypatch.delenv("PLANNER_SESSION_TIMEOUT_MINUTES")
        settings.cache_clear()
    assert not at.exception
    (message,) = [e.value for e in at.error]
    assert "PLANNER_SESSION_TIMEOUT_MINUTES" in message and "'abc'" in message
