"""The widest dates any input may carry: wide enough for any helpline's history and plans,
narrow enough that date arithmetic a year either side never leaves what Python can hold.
Tighter windows (call history within so many years of today) are settings, passed in."""

from __future__ import annotations

from datetime import date

EARLIEST_DAY = date(1970, 1, 1)
LATEST_DAY = date(2199, 12, 31)


def check_day(day: date, what: str) -> date:
    """`day` when it lies in [EARLIEST_DAY, LATEST_DAY]; otherwise ValueError naming it."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValueError(f"{what}: expected a date from {EARLIEST_DAY} to {LATEST_DAY}, got {day}")
    return day
