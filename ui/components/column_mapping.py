"""The upload form's column mapping: which column of the file holds which field."""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from scheduling.history import ANONYMOUS_BANK_MAPPING, ColumnMapping

AUTOMATIC = "Recognise the columns from their names"
ANONYMOUS_BANK = "Anonymous Bank per-call export (date + vru_entry, AGENT/HANG/PHANTOM)"
CUSTOM = "Name the columns myself"


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code.strip() for code in text.split(",") if code.strip())


def column_mapping_form() -> ColumnMapping | None:
    """None (recognise the columns by name) or the mapping the person described."""
    choice = st.radio(
        "Columns of this file", options=[AUTOMATIC, ANONYMOUS_BANK, CUSTOM], key="mapping_kind"
    )
    if choice == ANONYMOUS_BANK:
        return ANONYMOUS_BANK_MAPPING
    if choice == AUTOMATIC:
        summed = st.checkbox(
            "The file's intervals are shorter than the site's: sum them", key="mapping_sum"
        )
        return ColumnMapping(sum_finer_intervals=True) if summed else None
    st.caption(
        "Leave a box empty for a column the importer recognises by its name. Times come from "
        "one column holding date and time, or from a date column and a time column."
    )
    cols = st.columns(3)
    fields = {
        "timestamp": cols[0].text_input("Date and time column", key="map_timestamp"),
        "date": cols[0].text_input("Date column", key="map_date"),
        "time": cols[0].text_input("Time column", key="map_time"),
        "date_format": cols[0].text_input(
            "Date format (e.g. %y%m%d for 990201)", key="map_date_format"
        ),
        "interval_start": cols[1].text_input("Interval start column", key="map_interval"),
        "offered": cols[1].text_input("Offered column", key="map_offered"),
        "outcome": cols[1].text_input("Outcome column", key="map_outcome"),
        "handle_seconds": cols[1].text_input(
            "Handle (service) time column, seconds", key="map_handle"
        ),
    }
    codes = {
        "answered_codes": _codes(cols[2].text_input("Answered codes", key="map_answered")),
        "abandoned_codes": _codes(cols[2].text_input("Abandoned codes", key="map_abandoned")),
        "ignored_codes": _codes(
            cols[2].text_input("Codes that are no call (e.g. PHANTOM)", key="map_ignored")
        ),
    }
    summed = cols[2].checkbox("Sum intervals shorter than the site's", key="map_sum")
    try:
        return ColumnMapping(
            **{k: v.strip() or None for k, v in fields.items()},
            **codes,
            sum_finer_intervals=summed,
        )
    except ValidationError as exc:
        st.error("; ".join(str(e["msg"]) for e in exc.errors()))
        return None
