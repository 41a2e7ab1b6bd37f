"""Accounts: create, disable or enable, reset a password; and the audit log."""

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from data.accounts import (
    create_account,
    disable_account,
    enable_account,
    list_accounts,
    reset_password,
)
from data.audit import list_audit
from data.db import session_scope
from data.errors import ConflictError, NotFoundError
from data.models import AccountCreate
from data.staff_repo import list_staff_public
from scheduling.domain import Role
from ui.session import require_role
from ui.state import current_site_id, engine

user = require_role(Role.ADMIN)
st.title("Admin")


def _validation_message(exc: ValidationError) -> str:
    return "; ".join(str(err["msg"]).removeprefix("Value error, ") for err in exc.errors())


def _run(action, success: str) -> None:  # type: ignore[no-untyped-def]
    """One transaction per user action; a refused action saves nothing and says why."""
    try:
        with session_scope(engine()) as session:
            action(session)
    except ValidationError as exc:
        st.error(_validation_message(exc))
    except (ValueError, ConflictError, NotFoundError) as exc:
        st.error(str(exc))
    else:
        st.success(success)


site_id = current_site_id()
with session_scope(engine()) as session:
    staff = list_staff_public(session=session, site_id=site_id) if site_id else []
staff_names = {s.id: s.display_name for s in staff}

st.subheader("Create an account")
with st.form("create_account", clear_on_submit=True):
    cols = st.columns(3)
    username = cols[0].text_input("New username")
    role = cols[1].selectbox("Role", options=list(Role), format_func=lambda r: r.value)
    staff_id = cols[2].selectbox(
        "Linked staff member (staff and supervisors)",
        options=[None, *staff_names],
        format_func=lambda i: "none" if i is None else staff_names[i],
    )
    password = st.text_input("Initial password (at least 10 characters)", type="password")
    if st.form_submit_button("Create account", type="primary"):
        _run(
            lambda session: create_account(
                session=session,
                account_in=AccountCreate(
                    username=username, password=password, role=role, staff_id=staff_id
                ),
                actor=user.username,
            ),
            f"Account {username.strip().lower()} created.",
        )

with session_scope(engine()) as session:
    accounts = list_accounts(session=session)

st.subheader("Accounts")
st.dataframe(
    pd.DataFrame(
        [
            {
                "username": a.username,
                "role": a.role.value,
                "staff member": staff_names.get(a.staff_id, "") if a.staff_id else "",
                "disabled": a.disabled,
                "locked until (UTC)": a.locked_until,
                "failed logins": a.failed_login_count,
                "last login (UTC)": a.last_login_at,
            }
            for a in accounts
        ]
    ),
    hide_index=True,
)

st.subheader("Change an account")
chosen = st.selectbox("Account", options=[a.username for a in accounts], key="admin_account")
if chosen:
    cols = st.columns(2)
    with cols[0]:
        if st.button("Disable", disabled=chosen == user.username):
            _run(
                lambda s: disable_account(session=s, username=chosen, actor=user.username),
                f"{chosen} disabled.",
            )
        if st.button("Enable"):
            _run(
                lambda s: enable_account(session=s, username=chosen, actor=user.username),
                f"{chosen} enabled.",
            )
    with cols[1], st.form("reset_password", clear_on_submit=True):
        new_password = st.text_input("New password", type="password")
        if st.form_submit_button("Reset password (also unlocks)"):
            _run(
                lambda s: reset_password(
                    session=s, username=chosen, new_password=new_password, actor=user.username
                ),
                f"Password of {chosen} reset.",
            )

with st.expander("Audit log (newest first)"):
    with session_scope(engine()) as session:
        entries = list_audit(session=session, limit=200)
    st.dataframe(
        pd.DataFrame([e.model_dump() for e in entries]),
        hide_index=True,
    )
