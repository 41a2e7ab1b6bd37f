"""Staff requests: leave, a change of weekly availability from a date, and a swap of one
published shift with a named colleague. The life of a request, who sees what of it, and what
an approved availability change means for a given week, as pure functions.

    leave, availability:  pending -> approved | declined | withdrawn
    swap:                 pending -> accepted (by the colleague) -> approved | declined
                                  -> refused (by the colleague)
                          pending | accepted -> withdrawn (by the requester)

A manager sees a sickness request as "leave": rostering needs the days, never the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Literal

from scheduling.domain import DailyWindow, LeavePeriod, StaffMember


class RequestKind(StrEnum):
    LEAVE = "leave"
    AVAILABILITY = "availability"
    SWAP = "swap"


class RequestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"  # a swap the colleague took, waiting for a manager
    REFUSED = "refused"  # a swap the colleague turned down
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


LeaveKind = Literal["leave", "training", "sick", "other"]
LEAVE_KINDS: tuple[LeaveKind, ...] = ("leave", "training", "sick", "other")
LEAVE_KIND_LABELS: dict[str, str] = {
    "leave": "Leave",
    "training": "Training",
    "sick": "Sickness",
    "other": "Other",
}

KIND_LABELS = {
    RequestKind.LEAVE: "Leave",
    RequestKind.AVAILABILITY: "Availability change",
    RequestKind.SWAP: "Shift swap",
}

STATUS_LABELS = {
    RequestStatus.PENDING: "Waiting",
    RequestStatus.ACCEPTED: "Accepted by the colleague, waiting for a manager",
    RequestStatus.REFUSED: "Declined by the colleague",
    RequestStatus.APPROVED: "Approved",
    RequestStatus.DECLINED: "Declined",
    RequestStatus.WITHDRAWN: "Withdrawn",
}


def status_label(kind: RequestKind, status: RequestStatus) -> str:
    if kind is RequestKind.SWAP and status is RequestStatus.PENDING:
        return "Waiting for the colleague"
    if status is RequestStatus.PENDING:
        return "Waiting for a manager"
    return STATUS_LABELS[status]


def awaits_manager(kind: RequestKind, status: RequestStatus) -> bool:
    if kind is RequestKind.SWAP:
        return status is RequestStatus.ACCEPTED
    return status is RequestStatus.PENDING


def may_withdraw(status: RequestStatus) -> bool:
    return status in (RequestStatus.PENDING, RequestStatus.ACCEPTED)


def may_answer(kind: RequestKind, status: RequestStatus) -> bool:
    return kind is RequestKind.SWAP and status is RequestStatus.PENDING


def leave_kind_for_manager(kind: str) -> LeaveKind:
    """What a manager (or anyone but the requester) is told about the kind of leave."""
    return "leave" if kind == "sick" else kind  # type: ignore[return-value]


def calendar_reason(kind: str) -> LeaveKind:
    """The reason an approved leave request is written to the staff calendar with: the
    calendar is read by managers, so sickness asked for by the person goes in as leave."""
    return leave_kind_for_manager(kind)


@dataclass(frozen=True)
class AvailabilityChange:
    """An approved change: from `from_day` on, the person's windows are the ones on their
    record; before it, `previous` (the windows the change replaced)."""

    from_day: date
    previous: tuple[DailyWindow, ...]


def _windows_on(
    windows: Sequence[DailyWindow], weekday: int, opening_hours: Sequence[DailyWindow]
) -> list[DailyWindow]:
    # No windows at all means "whenever the site is open".
    source = windows if windows else opening_hours
    return [w for w in source if w.weekday == weekday]


def member_for_week(
    member: StaffMember,
    changes: Sequence[AvailabilityChange],
    week_start: date,
    opening_hours: Sequence[DailyWindow],
) -> StaffMember:
    """The person as a solve of the week starting `week_start` sees them: on each day before an
    approved change's date, the windows that change replaced."""
    days = [week_start + timedelta(days=d) for d in range(7)]
    sources: list[tuple[DailyWindow, ...] | None] = []
    for day in days:
        later = [c for c in changes if c.from_day > day]
        sources.append(min(later, key=lambda c: c.from_day).previous if later else None)
    if all(s is None for s in sources):
        return member
    windows: list[DailyWindow] = []
    for day, source in zip(days, sources, strict=True):
        chosen = member.availability if source is None else source
        todays = _windows_on(chosen, day.weekday(), opening_hours)
        windows.extend(todays)
    if windows:
        return member.model_copy(update={"availability": tuple(windows)})
    # Available on no day of this week: only leave can say so (empty windows mean any time).
    away = LeavePeriod(first_day=days[0], last_day=days[-1], reason="other")
    return member.model_copy(update={"availability": (), "leave": (*member.leave, away)})
