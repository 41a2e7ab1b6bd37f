"""Accounts: create, disable or enable, change the role, reset a password, end sessions; and
the audit log, filtered by person, action and date. Times are the site's."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from data.account_actions import (
    ActionRefused,
    account_rows,
    admin_create_account,
    admin_disable,
    admin_enable,
    admin_end_sessions,
    admin_reset_password,
    admin_set_role,
    audit_actions,
    audit_entries,
    site_timezone,
    staff_choices,
)
from scheduling.domain import Role
from ui.session import require_role
from ui.state import current_site_id, engine

user = require_role(Role.ADMIN)
st.title("Admin")

site_id = current_site_id()
timezone = site_timezone(engine=engine(), site_id=site_id)
tz = ZoneInfo(timezone)
staff_names = staff_choices(engine=engine(), site_id=site_id)

# The outcome of the last action is shown after the rerun that refreshes the table.
outcome = st.session_state.pop("admin_outcome", None)
if outcome is not None:
    kind, text = outcome
    (st.success if kind == "ok" else st.error)(text)


def _act(action, success) -> None:  # type: ignore[no-untyped-def]
    """One data-layer call per user action; the page is redrawn so the table shows it."""
    try:
        result = action()
    except ActionRefused as exc:
        st.session_state["admin_outcome"] = ("error", str(exc))
    else:
        st.session_state["admin_outcome"] = ("ok", success(result))
    st.rerun()


st.subheader("Create an account")
with st.form("create_account", clear_on_submit=True):
    cols = st.columns(3)
    username = cols[0].text_input("New username", max_chars=40)
    role = cols[1].selectbox("Role", options=list(Role), format_func=lambda r: r.value)
    staff_id = cols[2].selectbox(
        "Linked staff member (staff and supervisors)",
        options=[None, *staff_names],
        format_func=lambda i: "none" if i is None else staff_names[i],
    )
    password = st.text_input(
        "Initial password (at least 10 characters)", type="password", max_chars=256
    )
    if st.form_submit_button("Create account", type="primary"):
        _act(
            lambda: admin_create_account(
                engine=engine(),
                actor=user.username,
                username=username,
                password=password,
                role=role,
                staff_id=staff_id,
            ),
            lambda a: f"Account {a.username} created.",
        )

rows = account_rows(engine=engine(), site_id=site_id, timezone=timezone)
st.subheader("Accounts")
st.caption(f"Times in {timezone}.")
st.dataframe(
    pd.DataFrame(
        [
            {
                "username": r.username,
                "role": r.role,
                "staff member": r.staff_member,
                "disabled": r.disabled,
                "locked until": r.locked_until,
                "failed logins": r.failed_logins,
                "last login": r.last_login,
                "open sessions": r.open_sessions,
            }
            for r in rows
        ]
    ),
    hide_index=True,
)

st.subheader("Change an account")
by_name = {r.username: r for r in rows}
chosen = st.selectbox("Account", options=list(by_name), key="admin_account")
if chosen:
    row = by_name[chosen]
    cols = st.columns(3)
    with cols[0]:
        if st.button("Disable", disabled=chosen == user.username):
            _act(
                lambda: admin_disable(engine=engine(), actor=user.username, username=chosen),
                lambda a: f"{a.username} disabled; their sessions have ended.",
            )
        if st.button("Enable"):
            _act(
                lambda: admin_enable(engine=engine(), actor=user.username, username=chosen),
                lambda a: f"{a.username} enabled.",
            )
        if st.button("End sessions", help="Sign this person out everywhere"):
            _act(
                lambda: admin_end_sessions(engine=engine(), actor=user.username, username=chosen),
                lambda n: f"{n} session(s) of {chosen} ended.",
            )
    with cols[1], st.form("set_role"):
        new_role = st.selectbox(
            "Role",
            options=list(Role),
            index=list(Role).index(Role(row.role)),
            format_func=lambda r: r.value,
        )
        if st.form_submit_button("Change role"):
            _act(
                lambda: admin_set_role(
                    engine=engine(), actor=user.username, username=chosen, role=new_role
                ),
                lambda a: f"{a.username} is now {a.role.value}; their sessions have ended.",
            )
    with cols[2], st.form("reset_password", clear_on_submit=True):
        new_password = st.text_input("New password", type="password", max_chars=256)
        if st.form_submit_button("Reset password (also unlocks)"):
            _act(
                lambda: admin_reset_password(
                    engine=engine(),
                    actor=user.username,
                    username=chosen,
                    new_password=new_password,
                ),
                lambda a: f"Password of {a.username} reset; their sessions have ended.",
            )

st.subheader("Audit log")
cols = st.columns(4)
person = cols[0].selectbox("Person", options=["(anyone)", *by_name], key="audit_person")
actions = audit_actions(engine=engine())
action = cols[1].selectbox("Action", options=["(any)", *actions], key="audit_action")
today = datetime.now(tz).date()
first = cols[2].date_input("From", value=today - timedelta(days=30), key="audit_from")
last = cols[3].date_input("To", value=today, key="audit_to")
entries = audit_entries(
    engine=engine(),
    actor=None if person == "(anyone)" else person,
    action=None if action == "(any)" else action,
    since=datetime.combine(first, time.min, tz),
    until=datetime.combine(last + timedelta(days=1), time.min, tz),
)
st.caption(f"Newest first, at most 500 rows; times in {timezone}.")
st.dataframe(
    pd.DataFrame(
        [
            {
                "at": e.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
                "person": e.actor,
                "action": e.action,
                "target": e.target,
                "detail": e.detail,
            }
            for e in entries
        ],
        columns=["at", "person", "action", "target", "detail"],
    ),
    hide_index=True,
)
