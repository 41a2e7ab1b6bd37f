"""Public holidays and Ramadan for a site's country, from the `holidays` package.

Helpline volume changes on public holidays and through Ramadan, and the Islamic dates move
about eleven days a year, so a forecast must know them per year rather than per weekday.
Ramadan is not a public holiday: it is taken as the 30 days before the first day of Eid
al-Fitr, when the country's calendar has that holiday.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Literal, NamedTuple

import holidays

DayKind = Literal["holiday", "ramadan"]
KINDS: tuple[DayKind, ...] = ("holiday", "ramadan")
RAMADAN_DAYS = 30


class CalendarDay(NamedTuple):
    kind: DayKind
    name: str


def supported_countries() -> list[str]:
    return sorted(holidays.list_supported_countries())


def check_country(code: str) -> str:
    """The ISO 3166 code upper-cased, or ValueError naming it."""
    value = code.strip().upper()
    if value not in holidays.list_supported_countries():
        raise ValueError(
            f"unknown holiday country {code!r}: expected an ISO 3166 code the holidays "
            "package knows, such as PK, GB or US"
        )
    return value


def holiday_calendar(country: str | None, first: date, last: date) -> dict[date, CalendarDay]:
    """Every special day in [first, last] for `country` (None or "": no calendar)."""
    if not country:
        return {}
    code = check_country(country)
    years = list(range(first.year - 1, last.year + 2))
    table = holidays.country_holidays(code, years=years)
    days: dict[date, CalendarDay] = {}
    for day, name in sorted(table.items()):
        if "fitr" in name.lower() and (day - timedelta(days=1)) not in table:
            for back in range(1, RAMADAN_DAYS + 1):
                d = day - timedelta(days=back)
                if first <= d <= last and d not in table:
                    days[d] = CalendarDay("ramadan", "Ramadan")
    for day, name in table.items():
        if first <= day <= last:
            days[day] = CalendarDay("holiday", name)
    return days


def day_flags(
    calendar: Mapping[date, CalendarDay], first: date, n_days: int
) -> dict[DayKind, list[bool]]:
    """Per kind, one flag a day from `first`."""
    flags: dict[DayKind, list[bool]] = {kind: [False] * n_days for kind in KINDS}
    for i in range(n_days):
        entry = calendar.get(first + timedelta(days=i))
        if entry is not None:
            flags[entry.kind][i] = True
    return flags
