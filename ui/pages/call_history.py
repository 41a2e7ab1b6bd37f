"""Call history: import a CSV, browse a date range, download what is shown, delete a range."""

from datetime import timedelta
from functools import partial

import pandas as pd
import streamlit as st

from data.services.history import (
    delete_history_days,
    delete_history_outside_window,
    history_csv,
    history_overview,
    history_records,
    import_history_file,
    outside_window,
    record_download,
)
from data.settings import settings
from scheduling.domain import Role
from scheduling.history import HistoryFileError
from ui.components.column_mapping import column_mapping_form
from ui.session import require_role
from ui.state import engine, require_site_id

user = require_role(Role.MANAGER, Role.ADMIN, Role.LEADERSHIP)
st.title("Call history")
st.caption(
    "Counts per interval only: the planner keeps no caller's name, number, location or words."
)
site_id = require_site_id()
site, span = history_overview(engine=engine(), site_id=site_id, actor=user.username)
tz = site.profile().tz

outcome = st.session_state.pop("history_outcome", None)
if outcome is not None:
    (st.success if outcome[0] == "ok" else st.error)(outcome[1])

can_change = user.role in (Role.MANAGER, Role.ADMIN)
if can_change:
    with st.expander("Import a CSV file", expanded=span is None):
        st.markdown(
            "Columns: `interval_start` (local time of the site) **or** `timestamp` (one row per "
            "call), then `offered`, `answered`, `abandoned`, `handle_seconds`, `difficult`. "
            "Columns that could identify a caller are dropped and named. Nothing is saved "
            "unless the whole file is valid; importing the same intervals again updates them. "
            f"Files up to {settings().max_upload_mb} MB."
        )
        upload = st.file_uploader("Call history CSV", type=["csv", "tsv", "txt"], key="upload")
        mapping = column_mapping_form()
        if upload is not None and st.button("Import", type="primary"):
            try:
                result = import_history_file(
                    engine=engine(),
                    site_id=site_id,
                    content=upload.getvalue(),
                    filename=upload.name,
                    actor=user.username,
                    mapping=mapping,
                )
            except HistoryFileError as exc:
                st.error(
                    f"Nothing was imported from {upload.name}: {len(exc.problems)} problem(s)."
                )
                st.dataframe(
                    pd.DataFrame(
                        [
                            {"line": p.line, "field": p.field, "problem": p.message}
                            for p in exc.problems
                        ]
                    ),
                    hide_index=True,
                )
            else:
                counts = result.counts
                st.success(
                    f"Imported {result.history.rows_read} rows: {counts.inserted} new intervals, "
                    f"{counts.updated} updated, {counts.unchanged} unchanged."
                )
                if result.history.dropped_columns:
                    st.warning(
                        "Dropped columns that could identify a caller (not read, not stored): "
                        + ", ".join(result.history.dropped_columns)
                    )
                for message in result.history.messages:
                    st.info(message)
                site, span = history_overview(engine=engine(), site_id=site_id, actor=user.username)

far = outside_window(engine=engine(), site_id=site_id, actor=user.username)
if far:
    st.warning(
        f"{far} interval(s) are dated outside the years call history may hold "
        f"(from {settings().history_years_back} years ago to "
        f"{settings().history_days_ahead} days ahead); they are left out of every page."
    )
    if can_change and st.button(f"Delete those {far} interval(s)", key="delete_far"):
        deleted = delete_history_outside_window(
            engine=engine(), site_id=site_id, actor=user.username
        )
        st.session_state["history_outcome"] = ("ok", f"Deleted {deleted} intervals.")
        st.rerun()

if span is None:
    st.info("No call history yet: import a CSV file above.")
    st.stop()

first_day, last_day = span
default_from = max(first_day, last_day - timedelta(days=27))
picked = st.date_input(
    "Show days",
    value=(default_from, last_day),
    min_value=first_day,
    max_value=last_day,
    key="history_range",
)
if not isinstance(picked, tuple) or len(picked) != 2:
    st.info("Pick the first and the last day.")
    st.stop()
start_day, end_day = picked
records = history_records(
    engine=engine(),
    site_id=site_id,
    first_day=start_day,
    last_day=end_day,
    actor=user.username,
)


COLUMNS = ["interval start", "offered", "answered", "abandoned", "difficult", "mean handle (min)"]


def _mean_minutes(seconds: int | None, calls: int | None) -> str:
    return "—" if seconds is None or not calls else f"{seconds / calls / 60:.1f}"


table = pd.DataFrame(
    [
        {
            "interval start": r.start_utc.astimezone(tz).replace(tzinfo=None),
            "offered": r.offered,
            "answered": r.answered,
            "abandoned": r.abandoned,
            "difficult": r.difficult,
            # Text, so an interval with no answered call reads "—", not "None".
            "mean handle (min)": _mean_minutes(r.handle_seconds, r.answered),
        }
        for r in records
    ],
    columns=[
        "interval start",
        "offered",
        "answered",
        "abandoned",
        "difficult",
        "mean handle (min)",
    ],
)
totals = st.columns(4)
totals[0].metric("Intervals", len(records))
totals[1].metric("Offered", int(table["offered"].sum()) if len(table) else 0)
for column, name in ((totals[2], "answered"), (totals[3], "abandoned")):
    known = table[name].dropna()
    column.metric(
        name.capitalize(),
        "unknown" if len(known) < len(table) else int(known.sum()),
        help="Unknown when some intervals came from a file with offered counts only",
    )
st.dataframe(
    table,
    hide_index=True,
    height=420,
    column_config={
        "interval start": st.column_config.DatetimeColumn(
            f"interval start ({site.timezone})", format="ddd DD MMM YYYY HH:mm"
        ),
        "mean handle (min)": st.column_config.TextColumn(
            "mean handle (min)",
            help="Talk and wrap-up per answered call; — when none was answered or unknown.",
        ),
    },
)

file_name = f"call_history_{start_day}_{end_day}.csv"
st.download_button(
    "Download these days as CSV",
    data=partial(history_csv, records, site.timezone),
    file_name=file_name,
    mime="text/csv",
    on_click=lambda: record_download(
        engine=engine(), actor=user.username, what=file_name, detail=f"site {site_id}"
    ),
)

if can_change:
    with st.expander("Delete these days (undo a bad import)"):
        st.warning(
            f"Deletes every interval from {start_day} to {end_day} ({len(records)} intervals). "
            "Forecasts saved before stay as they are; import a corrected file afterwards."
        )
        confirm = st.checkbox(
            f"Yes, delete the call history from {start_day} to {end_day}", key="confirm_delete"
        )
        if st.button("Delete", disabled=not confirm, key="delete_history"):
            deleted = delete_history_days(
                engine=engine(),
                site_id=site_id,
                first_day=start_day,
                last_day=end_day,
                actor=user.username,
            )
            st.session_state.pop("confirm_delete", None)
            st.session_state["history_outcome"] = (
                "ok",
                f"Deleted {deleted} intervals from {start_day} to {end_day}.",
            )
            st.rerun()
