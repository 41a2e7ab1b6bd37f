"""Call history: import a CSV, browse a date range, download what is shown."""

import io
from datetime import datetime, timedelta

import pandas as pd
import streamlit as st

from data.call_history import history_span, import_call_history, load_call_history
from data.db import session_scope
from data.sites import get_site
from scheduling.domain import Role
from scheduling.history import HistoryFileError, write_call_history_csv
from ui.session import require_role
from ui.state import engine, require_site_id

user = require_role(Role.MANAGER, Role.ADMIN, Role.LEADERSHIP)
st.title("Call history")
st.caption(
    "Counts per interval only: the planner keeps no caller's name, number, location or words."
)
site_id = require_site_id()
with session_scope(engine()) as session:
    site = get_site(session=session, site_id=site_id)
    span = history_span(session=session, site_id=site_id)
assert site is not None
tz = site.profile().tz

can_import = user.role in (Role.MANAGER, Role.ADMIN)
if can_import:
    with st.expander("Import a CSV file", expanded=span is None):
        st.markdown(
            "Columns: `interval_start` (local time of the site) **or** `timestamp` (one row per "
            "call), then `offered`, `answered`, `abandoned`, `handle_seconds`, `difficult`. "
            "Columns that could identify a caller are dropped and named. Nothing is saved "
            "unless the whole file is valid; importing the same intervals again updates them."
        )
        upload = st.file_uploader("Call history CSV", type=["csv", "tsv", "txt"], key="upload")
        if upload is not None and st.button("Import", type="primary"):
            try:
                with session_scope(engine()) as session:
                    result = import_call_history(
                        session=session,
                        site_id=site_id,
                        source=io.BytesIO(upload.getvalue()),
                        actor=user.username,
                        filename=upload.name,
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
                with session_scope(engine()) as session:
                    span = history_span(session=session, site_id=site_id)

if span is None:
    st.info("No call history yet: import a CSV file above.")
    st.stop()

first_day, last_day = (s.astimezone(tz).date() for s in span)
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
start = datetime.combine(start_day, datetime.min.time(), tz)
end = datetime.combine(end_day + timedelta(days=1), datetime.min.time(), tz)
with session_scope(engine()) as session:
    records = load_call_history(session=session, site_id=site_id, start_utc=start, end_utc=end)

table = pd.DataFrame(
    [
        {
            "interval start": r.start_utc.astimezone(tz).replace(tzinfo=None),
            "offered": r.offered,
            "answered": r.answered,
            "abandoned": r.abandoned,
            "difficult": r.difficult,
            # Text, so an interval with no answered call reads "—", not "None".
            "mean handle (min)": f"{r.handle_seconds / r.answered / 60:.1f}" if r.answered else "—",
        }
        for r in records
    ]
)
totals = st.columns(4)
totals[0].metric("Intervals", len(records))
totals[1].metric("Offered", int(table["offered"].sum()) if len(table) else 0)
totals[2].metric("Answered", int(table["answered"].sum()) if len(table) else 0)
totals[3].metric("Abandoned", int(table["abandoned"].sum()) if len(table) else 0)
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
            help="Talk and wrap-up per answered call; — when none was answered.",
        ),
    },
)

buffer = io.StringIO()
write_call_history_csv(records, buffer, site.timezone)
st.download_button(
    "Download these days as CSV",
    data=buffer.getvalue(),
    file_name=f"call_history_{start_day}_{end_day}.csv",
    mime="text/csv",
)
