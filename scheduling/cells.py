"""Cells written to files a person opens in a spreadsheet: text that a spreadsheet would run
as a formula is made inert (OWASP's CSV-injection rule), numbers and dates are left alone."""

from __future__ import annotations

from typing import Any

import pandas as pd

# A cell starting with one of these is read as a formula (or as the start of one) by Excel,
# LibreOffice and Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """`value`, with a leading apostrophe when it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell made inert (column names too)."""
    out = frame.copy()
    for name in out.columns:
        if out[name].dtype == object or pd.api.types.is_string_dtype(out[name]):
            out[name] = out[name].map(inert)
    out.columns = [inert(c) for c in out.columns]
    return out
