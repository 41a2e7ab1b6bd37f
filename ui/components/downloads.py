"""Downloads are audited: a download button's on_click records who took which file."""

from __future__ import annotations

from collections.abc import Callable

from data.history_actions import record_download
from ui.state import engine


def audited(actor: str, what: str, detail: str = "") -> Callable[[], None]:
    """An on_click callback writing one audit row for this download."""

    def record() -> None:
        record_download(engine=engine(), actor=actor, what=what, detail=detail)

    return record
