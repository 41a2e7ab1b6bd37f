"""Requests (managers; administrators too): the site's leave, availability and swap requests
waiting for a decision, each with its coverage effect on the week's roster, approved or
declined (with a reason) here."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from data.errors import ConflictError, NotFoundError
from data.models import StaffRequestPublic
from data.requests_repo import WeekEffect
from data.services.requests import decide, effect_of_request, requests_of_site
from scheduling.domain import Role
from scheduling.requests import KIND_LABELS, RequestKind, status_label
from scheduling.roster.request_effect import RequestEffect
from ui.components.request_forms import request_summary
from ui.components.wellbeing import now_utc
from ui.session import require_role
from ui.state import engine, require_site_id

FLASH = "requests_flash"

user = require_role(Role.MANAGER, Role.ADMIN)
site_id = require_site_id()
st.title("Requests")
flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(flash)


def show_effect(effect: RequestEffect) -> None:
    if effect.lost_shifts:
        st.markdown(
            "**Shifts that fall away:** " + ", ".join(s.label() for s in effect.lost_shifts)
        )
    if effect.coverage_drops:
        st.markdown("**Cover that would fall short:**")
        st.markdown("\n".join(f"- {d.message()}" for d in effect.coverage_drops))
    if effect.new_breaks:
        st.markdown("**Rules approval would break:**")
        st.markdown(
            "\n".join(
                f"- {'**Hard:** ' if b.hard else ''}{b.title}: {b.message}"
                for b in effect.new_breaks
            )
        )
    if effect.shortfall_hours_after != effect.shortfall_hours_before:
        st.caption(
            f"Shortfall {effect.shortfall_hours_before:g} h now, "
            f"{effect.shortfall_hours_after:g} h after approval."
        )
    if effect.harmless:
        st.success(
            "No interval goes below the requirement or the floor, and no rule breaks.",
            icon=":material/check:",
        )


def show_weeks(request: StaffRequestPublic, weeks: list[WeekEffect]) -> None:
    if request.kind is RequestKind.AVAILABILITY:
        st.caption(
            f"The new windows count from {request.first_day:%a %d %b %Y}: the next solve of each "
            "week from then plans with them; published rosters do not change."
        )
        return
    for week in weeks:
        label = f"Week of {week.week_start:%d %B %Y}"
        if week.effect is None:
            st.caption(
                f"{label}: no roster saved yet; the next solve plans around this request."
                if request.kind is RequestKind.LEAVE
                else f"{label}: no published roster."
            )
            continue
        st.markdown(f"*{label}, checked against the {week.roster_label}:*")
        show_effect(week.effect)


def decision_form(request: StaffRequestPublic) -> None:
    with st.form(f"decide_{request.id}"):
        reason = st.text_input(
            "Reason (needed to decline; the requester reads it)",
            max_chars=500,
            key=f"reason_{request.id}",
        )
        approve, decline = st.columns(2)
        approved = approve.form_submit_button("Approve", type="primary")
        declined = decline.form_submit_button("Decline")
    if not (approved or declined):
        return
    try:
        decided = decide(
            engine=engine(),
            username=user.username,
            request_id=request.id,
            approve=approved,
            reason=reason,
            now=now_utc(),
        )
    except ValidationError as exc:
        st.error(
            "Nothing was decided. "
            + "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        )
    except (ConflictError, PermissionError, NotFoundError, ValueError) as exc:
        st.error(f"Nothing was decided. {exc}")
    else:
        what = {
            RequestKind.LEAVE: "the leave is on the staff calendar",
            RequestKind.AVAILABILITY: "the new windows are on the staff record",
            RequestKind.SWAP: "the week's roster is published again as a new version",
        }[decided.kind]
        st.session_state[FLASH] = (
            f"Approved: {what}." if approved else "Declined: the requester sees your reason."
        )
        st.rerun()


def all_requests_table(requests: tuple[StaffRequestPublic, ...], tz: ZoneInfo) -> None:
    if not requests:
        st.caption("No requests yet.")
        return
    st.dataframe(
        pd.DataFrame(
            {
                "Asked": [f"{r.created_at.astimezone(tz):%d %b %H:%M}" for r in requests],
                "Who": [r.requester for r in requests],
                "Kind": [KIND_LABELS[r.kind] for r in requests],
                "What": [request_summary(r, tz) for r in requests],
                "State": [status_label(r.kind, r.status) for r in requests],
                "Decided by": [r.decided_by or "" for r in requests],
                "Reason": [r.decision_reason for r in requests],
            }
        ),
        hide_index=True,
    )


try:
    waiting = requests_of_site(engine=engine(), username=user.username, site_id=site_id)
except PermissionError as exc:
    st.error(str(exc))
    st.stop()
tz = waiting.tz
if not waiting.requests:
    st.info("No request is waiting for a decision.")
for request in waiting.requests:
    with st.container(border=True, key=f"request_{request.id}"):
        st.markdown(f"**{request.requester}** · {request_summary(request, tz)}")
        st.caption(
            f"Asked {request.created_at.astimezone(tz):%a %d %b %H:%M}"
            + (f" · Note: {request.note}" if request.note else "")
        )
        try:
            weeks = effect_of_request(
                engine=engine(), username=user.username, request_id=request.id
            )
        except ValueError as exc:
            st.warning(f"The coverage effect cannot be worked out: {exc}")
        else:
            show_weeks(request, weeks)
        decision_form(request)

with st.expander("All requests, decided ones too"):
    everything = requests_of_site(
        engine=engine(), username=user.username, site_id=site_id, waiting_only=False
    )
    all_requests_table(everything.requests, tz)
