"""Accounts: create, disable or enable, change the role, reset a password, end sessions; the
centres each account belongs to; and the audit log, filtered by person, action and date. Times
are the site's."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from data.services.accounts import (
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
from data.services.centres import assign_centres, centre_memberships
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
    if st.form_submit_button("Create account", type="primary") and role is not None:
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

rows = account_rows(engine=engine(), actor=user.username, site_id=site_id, timezone=timezone)
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
        if st.form_submit_button("Change role") and new_role is not None:
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

st.subheader("Centres")
memberships = centre_memberships(engine=engine(), actor=user.username)
centre_names = memberships.centres
st.caption(
    "Managers, supervisors and counsellors work only on their centres (a counsellor also on "
    "the centre of their staff record); leadership and administrators see every centre."
)
st.dataframe(
    pd.DataFrame(
        [
            {
                "username": a.username,
                "role": a.role.value,
                "centres": "every centre"
                if a.every_centre
                else ", ".join(centre_names[i] for i in a.site_ids if i in centre_names),
            }
            for a in memberships.accounts
        ],
        columns=["username", "role", "centres"],
    ),
    hide_index=True,
)
by_account = {a.username: a for a in memberships.accounts}
member = st.selectbox("Account", options=list(by_account), key="centres_account")
if member:
    with st.form(f"centres_{member}"):
        picked = st.multiselect(
            "Centres",
            options=list(centre_names),
            default=[i for i in by_account[member].site_ids if i in centre_names],
            format_func=centre_names.__getitem__,
            key=f"centres_of_{member}",
        )
        if st.form_submit_button("Save centres"):
            _act(
                lambda: assign_centres(
                    engine=engine(), actor=user.username, username=member, site_ids=picked
                ),
                lambda ids: (
                    f"{member} now belongs to "
                    + (", ".join(centre_names[i] for i in ids) or "no centre")
                    + "."
                ),
            )

st.subheader("Audit log")
filters = st.columns(4)
person = filters[0].selectbox("Person", options=["(anyone)", *by_name], key="audit_person")
actions = audit_actions(engine=engine(), reader=user.username)
action = filters[1].selectbox("Action", options=["(any)", *actions], key="audit_action")
today = datetime.now(tz).date()
first = filters[2].date_input("From", value=today - timedelta(days=30), key="audit_from")
last = filters[3].date_input("To", value=today, key="audit_to")
entries = audit_entries(
    engine=engine(),
    reader=user.username,
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
