"""My shift's requests: ask for leave, change my weekly availability from a date, offer one of
my published shifts to a colleague, answer the swaps offered to me, and follow (or withdraw)
what I asked for. Each action is one call into data.services.requests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from data.errors import ConflictError, NotFoundError
from data.models import StaffRequestPublic
from data.services.requests import (
    MyRequests,
    answer_offer,
    ask_for_availability,
    ask_for_leave,
    my_requests_view,
    offer_my_shift,
    withdraw_my_request,
)
from scheduling.domain import WEEKDAY_NAMES, DailyWindow
from scheduling.requests import (
    KIND_LABELS,
    LEAVE_KIND_LABELS,
    LEAVE_KINDS,
    RequestKind,
    may_answer,
    may_withdraw,
    status_label,
)
from scheduling.staff_rules import clock
from ui.components.staff_form import describe_staff_errors, parse_availability
from ui.components.wellbeing import now_utc
from ui.state import engine

NOTE_HELP = "For the manager. No health details and nothing about callers, please."
FLASH = "my_requests_flash"
SWAP_SHIFT = "swap_shift"


def shift_words(start: datetime, end: datetime, tz: ZoneInfo) -> str:
    start, end = start.astimezone(tz), end.astimezone(tz)
    return f"{start:%a %d %b %H:%M}-{end:%H:%M}"


def windows_words(windows: list[DailyWindow]) -> str:
    return ", ".join(
        f"{WEEKDAY_NAMES[w.weekday][:3]} {clock(w.start_minute)}-{clock(w.end_minute)}"
        for w in windows
    )


def request_summary(request: StaffRequestPublic, tz: ZoneInfo) -> str:
    """What was asked, in one line (the leave kind as the reader may see it)."""
    if request.kind is RequestKind.LEAVE:
        days = f"{request.first_day:%a %d %b %Y}"
        if request.last_day and request.last_day != request.first_day:
            days += f" to {request.last_day:%a %d %b %Y}"
        return f"{LEAVE_KIND_LABELS.get(request.leave_kind or 'leave', 'Leave')}: {days}"
    if request.kind is RequestKind.AVAILABILITY:
        return (
            f"Availability from {request.first_day:%a %d %b %Y}: {windows_words(request.windows)}"
        )
    assert request.shift_start_utc is not None and request.shift_end_utc is not None
    shift = shift_words(request.shift_start_utc, request.shift_end_utc, tz)
    return f"Swap: {request.requester}'s shift {shift} to {request.colleague}"


def _problems(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return describe_staff_errors(exc)
    text = str(exc)
    field, sep, rest = text.partition(": ")
    if sep and " " not in field:
        return [f"{field.replace('_', ' ').capitalize()}: {rest}"]
    return [text]


def _show_problems(exc: Exception) -> None:
    st.error("Nothing was sent.\n\n" + "\n".join(f"- {p}" for p in _problems(exc)))


def _done(message: str) -> None:
    st.session_state[FLASH] = message
    st.rerun()


def _leave_form(username: str, view: MyRequests) -> None:
    with st.form("request_leave", clear_on_submit=False):
        first, last = st.columns(2)
        first_day = first.date_input(
            "First day", value=view.today + timedelta(days=7), key="leave_first"
        )
        last_day = last.date_input(
            "Last day", value=view.today + timedelta(days=7), key="leave_last"
        )
        kind = st.selectbox(
            "Kind",
            options=list(LEAVE_KINDS),
            format_func=LEAVE_KIND_LABELS.__getitem__,
            key="leave_kind",
            help="Managers see sickness as leave: they see the days, never the reason.",
        )
        note = st.text_input("Note (optional)", max_chars=500, help=NOTE_HELP, key="leave_note")
        if st.form_submit_button("Ask for leave"):
            if not isinstance(first_day, date) or not isinstance(last_day, date):
                st.error("Dates: choose a first and a last day.")
                return
            try:
                ask_for_leave(
                    engine=engine(),
                    username=username,
                    first_day=first_day,
                    last_day=last_day,
                    leave_kind=kind,
                    note=note,
                    now=now_utc(),
                )
            except (ValidationError, ValueError, PermissionError) as exc:
                _show_problems(exc)
            else:
                _done("Leave asked for: a manager will decide.")


def _availability_form(username: str, view: MyRequests) -> None:
    with st.form("request_availability"):
        from_day = st.date_input(
            "From", value=view.today + timedelta(days=7), key="availability_from"
        )
        text = st.text_area(
            "My weekly windows from that day (one a line)",
            placeholder="Monday 09:00-13:00\nWednesday 13:00-17:00",
            key="availability_windows",
        )
        note = st.text_input(
            "Note (optional)", max_chars=500, help=NOTE_HELP, key="availability_note"
        )
        if st.form_submit_button("Ask for this availability"):
            windows, problems = parse_availability(text)
            if not windows and not problems:
                problems = ["Weekly availability: give at least one window"]
            if problems or not isinstance(from_day, date):
                st.error("Nothing was sent.\n\n" + "\n".join(f"- {p}" for p in problems))
                return
            try:
                ask_for_availability(
                    engine=engine(),
                    username=username,
                    from_day=from_day,
                    windows=[DailyWindow.model_validate(w) for w in windows],
                    note=note,
                    now=now_utc(),
                )
            except (ValidationError, ValueError, PermissionError) as exc:
                _show_problems(exc)
            else:
                _done("Availability change asked for: a manager will decide.")


def _swap_form(username: str, view: MyRequests) -> None:
    tz = view.tz
    shifts = {s.start.isoformat(): s for s in view.future_shifts}
    options = list(shifts)
    # A shift chosen on the page as it was (since started, or moved by a newer roster) stays
    # selectable, so the answer says why it cannot be offered instead of choosing another.
    previous = st.session_state.get(SWAP_SHIFT)
    if isinstance(previous, str) and previous not in shifts:
        options.append(previous)
    if not options:
        st.caption("You have no published shift still to come to offer.")
        return
    if not view.colleagues:
        st.caption("There is no colleague to offer a shift to.")
        return

    def label(key: str) -> str:
        if key in shifts:
            return shift_words(shifts[key].start, shifts[key].end, tz)
        start = datetime.fromisoformat(key).astimezone(tz)
        return f"{start:%a %d %b %H:%M} (no longer among your shifts to come)"

    names = dict(view.colleagues)
    with st.form("offer_swap"):
        chosen = st.selectbox("My shift", options=options, format_func=label, key=SWAP_SHIFT)
        colleague = st.selectbox(
            "Colleague", options=list(names), format_func=names.__getitem__, key="swap_colleague"
        )
        note = st.text_input("Note (optional)", max_chars=500, help=NOTE_HELP, key="swap_note")
        if st.form_submit_button("Offer this shift"):
            try:
                offer_my_shift(
                    engine=engine(),
                    username=username,
                    shift_start=datetime.fromisoformat(chosen),
                    colleague_staff_id=int(colleague),
                    note=note,
                    now=now_utc(),
                )
            except (ValueError, PermissionError) as exc:
                _show_problems(exc)
            else:
                _done(f"Shift offered to {names[colleague]}: they accept, then a manager decides.")


def _offers(username: str, view: MyRequests) -> None:
    waiting = [o for o in view.offers if may_answer(o.kind, o.status)]
    if not waiting:
        return
    st.markdown("**Shifts offered to you**")
    for offer in waiting:
        with st.container(border=True, key=f"offer_{offer.id}"):
            st.write(request_summary(offer, view.tz).replace(f" to {offer.colleague}", ""))
            if offer.note:
                st.caption(f"Note: {offer.note}")
            take, refuse = st.columns(2)
            for column, accept, label in ((take, True, "Accept"), (refuse, False, "Decline")):
                if column.button(label, key=f"answer_{offer.id}_{accept}"):
                    try:
                        answer_offer(
                            engine=engine(),
                            username=username,
                            request_id=offer.id,
                            accept=accept,
                            now=now_utc(),
                        )
                    except (ConflictError, PermissionError, NotFoundError) as exc:
                        st.error(str(exc))
                    else:
                        _done(
                            "Accepted: a manager decides next."
                            if accept
                            else "Declined: the offer is closed."
                        )


def _mine(username: str, view: MyRequests) -> None:
    if not view.requests:
        st.caption("You have not asked for anything yet.")
        return
    tz = view.tz
    st.dataframe(
        pd.DataFrame(
            {
                "Asked": [f"{r.created_at.astimezone(tz):%d %b %H:%M}" for r in view.requests],
                "Kind": [KIND_LABELS[r.kind] for r in view.requests],
                "What": [request_summary(r, tz) for r in view.requests],
                "State": [status_label(r.kind, r.status) for r in view.requests],
                "Reason given": [r.decision_reason for r in view.requests],
            }
        ),
        hide_index=True,
        key="my_requests_table",
    )
    open_ones = {r.id: r for r in view.requests if may_withdraw(r.status)}
    if open_ones:
        with st.form("withdraw_request"):
            chosen = st.selectbox(
                "Withdraw a request still waiting",
                options=list(open_ones),
                format_func=lambda i: request_summary(open_ones[i], tz),
                key="withdraw_choice",
            )
            if st.form_submit_button("Withdraw"):
                try:
                    withdraw_my_request(engine=engine(), username=username, request_id=chosen)
                except (ConflictError, PermissionError, NotFoundError) as exc:
                    st.error(str(exc))
                else:
                    _done("Withdrawn.")


def show_my_requests(*, username: str) -> None:
    """The whole requests part of My shift."""
    view = my_requests_view(engine=engine(), username=username, now=now_utc())
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash)
    _offers(username, view)
    leave_tab, availability_tab, swap_tab = st.tabs(
        ["Ask for leave", "Change my availability", "Offer a shift swap"]
    )
    with leave_tab:
        _leave_form(username, view)
    with availability_tab:
        _availability_form(username, view)
    with swap_tab:
        _swap_form(username, view)
    st.markdown("**What I asked for**")
    _mine(username, view)
