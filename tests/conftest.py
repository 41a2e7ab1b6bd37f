"""Hooks for the whole suite."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest

from tests.support.services import MISSING_SERVICE_REASONS

HERE = str(Path(__file__).resolve())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A test skipped for want of Chromium or PostgreSQL is reported at one place, so the
    summary shows one line per missing service (with the count) rather than one per test."""
    report = yield
    longrepr = report.longrepr
    if report.skipped and isinstance(longrepr, tuple) and len(longrepr) == 3:
        reason = str(longrepr[2]).removeprefix("Skipped: ")
        if reason in MISSING_SERVICE_REASONS:
            # No line number: pytest prints such a skip as "path: reason", as for skip marks.
            report.longrepr = (HERE, None, reason)  # type: ignore[assignment]
    return report
