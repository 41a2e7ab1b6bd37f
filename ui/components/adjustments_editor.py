"""An editable table of forecast adjustments (a multiplier over a date range, with a label).
Each row becomes a scheduling.forecast.Adjustment, which validates it."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from scheduling.forecast import Adjustment

_FIELDS = {"first_day": "first day", "last_day": "last day", "multiplier": "multiplier"}


def _blank(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _day(value: Any) -> Any:
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    return value


def parse_adjustments(table: pd.DataFrame) -> tuple[list[Adjustment], list[str]]:
    """The valid adjustments, and one line per refused row naming the row and the field."""
    adjustments: list[Adjustment] = []
    problems: list[str] = []
    for number, row in enumerate(table.to_dict("records"), start=1):
        if all(_blank(v) for v in row.values()):
            continue
        label = "" if _blank(row.get("label")) else str(row["label"]).strip()
        name = f"Adjustment {number}" + (f" ({label})" if label else "")
        missing = [words for field, words in _FIELDS.items() if _blank(_day(row.get(field)))]
        if missing:
            problems.append(f"{name}: {' and '.join(missing)} missing.")
            continue
        try:
            adjustments.append(
                Adjustment(
                    first_day=_day(row["first_day"]),
                    last_day=_day(row["last_day"]),
                    multiplier=float(row["multiplier"]),
                    label=label,
                )
            )
        except (ValidationError, TypeError, ValueError) as exc:
            if isinstance(exc, ValidationError):
                err = exc.errors()[0]
                field = _FIELDS.get(str(err["loc"][0]), "") if err["loc"] else ""
                message = err["msg"].removeprefix("Value error, ")
                problems.append(f"{name}: {field + ': ' if field else ''}{message}.")
            else:
                problems.append(f"{name}: {exc}.")
    return adjustments, problems


def adjustments_editor(*, key: str, default_day: date) -> tuple[list[Adjustment], list[str]]:
    """The table (empty to start with) and what it holds, parsed."""
    empty = pd.DataFrame(
        {
            "label": pd.Series([], dtype="object"),
            "first_day": pd.Series([], dtype="object"),
            "last_day": pd.Series([], dtype="object"),
            "multiplier": pd.Series([], dtype="float64"),
        }
    )
    table = st.data_editor(
        empty,
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "label": st.column_config.TextColumn("What", help="e.g. campaign, surge, holiday"),
            "first_day": st.column_config.DateColumn("First day", default=default_day),
            "last_day": st.column_config.DateColumn("Last day", default=default_day),
            "multiplier": st.column_config.NumberColumn(
                "Multiplier",
                help="1.5 = half as many calls again; 0.5 = half the calls; 0 = none",
                min_value=0.0,
                step=0.05,
                default=1.5,
                format="x%.2f",
            ),
        },
    )
    return parse_adjustments(table)
