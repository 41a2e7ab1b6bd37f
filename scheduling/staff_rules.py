"""Rules a staff record must keep against its site: availability inside opening hours, leave
periods that do not overlap. Pure functions; the Create schemas in data/ call them."""

from __future__ import annotations

from collections.abc import Sequence

from scheduling.domain import WEEKDAY_NAMES, DailyWindow, LeavePeriod


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def window_words(window: DailyWindow) -> str:
    day = WEEKDAY_NAMES[window.weekday]
    return f"{day} {clock(window.start_minute)}-{clock(window.end_minute)}"


def availability_problems(
    windows: Sequence[DailyWindow], opening_hours: Sequence[DailyWindow]
) -> list[str]:
    """One message per availability window that is not inside the site's opening hours of its
    day (row numbers from 1, as a form shows them)."""
    hours = {w.weekday: w for w in opening_hours}
    problems = []
    for n, window in enumerate(windows, start=1):
        open_window = hours.get(window.weekday)
        if open_window is None:
            problems.append(
                f"availability row {n} ({window_words(window)}): the helpline is closed on "
                f"{WEEKDAY_NAMES[window.weekday]}s"
            )
        elif (
            window.start_minute < open_window.start_minute
            or window.end_minute > open_window.end_minute
        ):
            problems.append(
                f"availability row {n} ({window_words(window)}): outside the opening hours "
                f"{clock(open_window.start_minute)}-{clock(open_window.end_minute)}"
            )
    return problems


def overlapping_leave(new: LeavePeriod, existing: Sequence[LeavePeriod]) -> LeavePeriod | None:
    """The first existing period sharing a day with `new` (both inclusive), or None."""
    return next(
        (p for p in existing if p.first_day <= new.last_day and new.first_day <= p.last_day),
        None,
    )
