"""The database has no column that could identify a caller (DOMAIN.md: privacy)."""

from __future__ import annotations

import re

from sqlalchemy import inspect

from scheduling.history import identifying_column

# An independent list, so a change to the importer's detector cannot weaken this test.
FORBIDDEN = re.compile(
    r"phone|msisdn|mobile|number|name|e_?mail|cnic|passport|address|street|city|district|"
    r"village|location|latitude|longitude|note|comment|text|transcript|caller|customer|"
    r"client|recording|gender|birth"
)
# Columns that match only because they describe staff, accounts or the site, never callers.
ALLOWED = {
    ("site", "name"),
    ("staff", "display_name"),
    ("account", "username"),
    ("roster_assignment", "display_name"),  # the staff member on shift
    ("roster_hire", "name"),  # a hire template's name ("Full-time counsellor")
    # Texts the planner writes about coverage and hires; no caller data reaches a roster.
    ("roster_flag", "message"),
    ("roster_hire", "message"),
    # A hash of the address staff sign in from (failed sign-ins per source); never a caller.
    ("sign_in_source", "source"),
    # A counsellor's own client-related burnout score (the check-in's subscale), not a client.
    ("checkin_answer", "client"),
    # A staff member's own private note to a supervisor, encrypted; never about a caller.
    ("debrief_request", "note_token"),
    # A staff member's note to the manager about their own leave, availability or swap
    # ("surgery on Tuesday"), encrypted as the debrief note is; never about a caller.
    ("staff_request", "note_token"),
    # What a finished solve or scenario run reports ("Saved as version 3: 2 h short"); the
    # planner writes it, from rosters, which hold no caller data.
    ("job", "summary"),
}


def _columns(engine) -> list[tuple[str, str]]:
    inspector = inspect(engine)
    return [
        (table, column["name"])
        for table in inspector.get_table_names()
        for column in inspector.get_columns(table)
    ]


def _keys(engine) -> set[tuple[str, str]]:
    """Primary and foreign key columns: our own row ids, which the importer's detector
    (rightly, for an uploaded file) treats as suspect."""
    inspector = inspect(engine)
    keys = set()
    for table in inspector.get_table_names():
        keys |= {(table, c) for c in inspector.get_pk_constraint(table)["constrained_columns"]}
        for fk in inspector.get_foreign_keys(table):
            keys |= {(table, c) for c in fk["constrained_columns"]}
    return keys


def test_no_caller_identifying_column_anywhere(database) -> None:
    columns = _columns(database.engine)
    assert ("call_interval", "offered") in columns  # the inspection sees the real schema
    keys = _keys(database.engine)
    flagged = {
        (table, column)
        for table, column in columns
        if FORBIDDEN.search(column) or ((table, column) not in keys and identifying_column(column))
    }
    assert flagged <= ALLOWED, f"caller-identifying columns: {sorted(flagged - ALLOWED)}"


def test_call_history_holds_counts_only(database) -> None:
    columns = {c for t, c in _columns(database.engine) if t == "call_interval"}
    assert columns == {
        "id",
        "site_id",
        "interval_start_utc",
        "offered",
        "answered",
        "abandoned",
        "handle_seconds",
        "difficult",
    }


def test_no_table_is_about_callers(database) -> None:
    tables = inspect(database.engine).get_table_names()
    assert not [t for t in tables if FORBIDDEN.search(t)]
