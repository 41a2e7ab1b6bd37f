"""Who may read which kind of staff wellbeing data (DOMAIN.md's privacy rules, pure).

- a person sees all of their own;
- a clinical supervisor sees debrief requests and their private notes;
- a manager sees only what rostering needs: that a person is off the queue now and until when,
  that their line hours are capped, that a debrief slot is needed before a deadline; never why;
- leadership sees aggregates over at least MIN_GROUP people;
- admin manages accounts and sees no health data.

The data layer calls these with the acting account before every read and write and refuses
(and audits) accordingly; pages only lay out what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from scheduling.domain import Role

MIN_GROUP = 5
TOO_FEW_PEOPLE = "Too few people to show"


class WellbeingData(StrEnum):
    DIFFICULT_CALLS = "difficult calls"
    DEBRIEF_REQUESTS = "debrief requests"
    DEBRIEF_NOTES = "debrief notes"
    CHECKINS = "check-in answers"
    LOAD = "load score and band"
    OFF_QUEUE = "off the queue until"  # person + until, no reason
    LINE_CAP = "line hours capped"  # person + cap, reason "wellbeing" only
    DEBRIEF_SLOTS = "debrief slots needed"  # person + deadline, for the roster
    AGGREGATES = "team aggregates"


@dataclass(frozen=True)
class Actor:
    """The signed-in account acting: its username (for the audit log), role and staff row."""

    username: str
    role: Role
    staff_id: int | None = None


# What a role may read about people other than themselves.
_OTHERS: dict[Role, frozenset[WellbeingData]] = {
    Role.STAFF: frozenset(),
    Role.SUPERVISOR: frozenset({WellbeingData.DEBRIEF_REQUESTS, WellbeingData.DEBRIEF_NOTES}),
    Role.MANAGER: frozenset(
        {WellbeingData.OFF_QUEUE, WellbeingData.LINE_CAP, WellbeingData.DEBRIEF_SLOTS}
    ),
    Role.LEADERSHIP: frozenset({WellbeingData.AGGREGATES}),
    Role.ADMIN: frozenset(),
}
_OWN = frozenset(WellbeingData) - {WellbeingData.AGGREGATES}


class AccessDenied(PermissionError):
    """The acting account's role may not read or change this kind of wellbeing data."""


def is_own(actor: Actor, subject_staff_id: int | None) -> bool:
    return actor.staff_id is not None and subject_staff_id == actor.staff_id


def may_read(actor: Actor, kind: WellbeingData, subject_staff_id: int | None = None) -> bool:
    """Whether `actor` may read `kind` about `subject_staff_id` (None: about other people
    in general, e.g. a list across the site)."""
    if kind in _OWN and is_own(actor, subject_staff_id):
        return True
    return kind in _OTHERS[actor.role]


def may_log_for_self(actor: Actor) -> bool:
    """Logging a difficult call, asking for a debrief, answering a check-in: only about
    oneself, and only with a staff row (counsellors and supervisors take calls)."""
    return actor.staff_id is not None and actor.role in (Role.STAFF, Role.SUPERVISOR)


def may_close_debrief(actor: Actor) -> bool:
    return actor.role is Role.SUPERVISOR


def require_read(actor: Actor, kind: WellbeingData, subject_staff_id: int | None = None) -> None:
    if not may_read(actor, kind, subject_staff_id):
        whose = "your own" if is_own(actor, subject_staff_id) else "other people's"
        raise AccessDenied(f"a {actor.role.value} account may not read {whose} {kind.value}")


def enough_people(count: int) -> bool:
    """Aggregates are shown only over at least MIN_GROUP people."""
    return count >= MIN_GROUP
