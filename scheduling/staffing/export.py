"""The requirements CSV: one row per interval, as `python -m scheduling requirements` writes it
and the Forecast & staffing page offers for download."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import IO

from scheduling.cells import inert
from scheduling.staffing.requirement_types import IntervalRequirement

REQUIREMENT_COLUMNS = (
    "interval_start",
    "forecast_calls",
    "band_low",
    "band_high",
    "required",
    "service_level",
    "abandon_share",
    "binding",
)


def _fmt(value: float | None, digits: int = 4) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def write_requirements_csv(rows: Iterable[IntervalRequirement], dest: IO[str]) -> int:
    """Write the header and one line per interval (local ISO time); returns the rows written."""
    writer = csv.writer(dest, lineterminator="\n")
    writer.writerow(REQUIREMENT_COLUMNS)
    count = 0
    for r in rows:
        writer.writerow(
            (
                r.start.isoformat(timespec="minutes"),
                _fmt(r.forecast_calls),
                _fmt(r.band_low),
                _fmt(r.band_high),
                r.required,
                _fmt(r.service_level),
                _fmt(r.abandon_share),
                inert(r.binding),
            )
        )
        count += 1
    return count


def requirements_csv(rows: Iterable[IntervalRequirement]) -> str:
    """The same file as `write_requirements_csv`, as text."""
    buffer = io.StringIO()
    write_requirements_csv(rows, buffer)
    return buffer.getvalue()
