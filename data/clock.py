"""The time the wellbeing pages and the demo seed take as "now".

PLANNER_DEMO_NOW (an ISO time with its offset, e.g. 2026-11-25T11:00+05:00) freezes it, so a
trainer can show the Today page during opening hours at night and browser tests see the same
day every run. Never set it on a live helpline: logs would carry the frozen time.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

DEMO_NOW_ENV = "PLANNER_DEMO_NOW"


def demo_now(raw: str | None = None) -> datetime | None:
    value = (os.environ.get(DEMO_NOW_ENV, "") if raw is None else raw).strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValueError(
            f"{DEMO_NOW_ENV}: expected an ISO time with its UTC offset, such as "
            f"2026-11-25T11:00+05:00, got {value!r}"
        )
    return moment.astimezone(UTC)


def now() -> datetime:
    """The frozen demo time if PLANNER_DEMO_NOW is set, else the current time (UTC)."""
    return demo_now() or datetime.now(UTC)
