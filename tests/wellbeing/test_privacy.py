"""DOMAIN.md's privacy rules as pure functions: who may read which kind of wellbeing data."""

from __future__ import annotations

import pytest

from scheduling.domain import Role
from wellbeing.privacy import (
    AccessDenied,
    Actor,
    WellbeingData,
    enough_people,
    may_close_debrief,
    may_log_for_self,
    may_read,
    require_read,
)

OWN_KINDS = set(WellbeingData) - {WellbeingData.AGGREGATES}


@pytest.mark.parametrize("role", list(Role))
def test_everyone_with_a_staff_record_reads_their_own(role: Role) -> None:
    actor = Actor("me", role, staff_id=7)
    assert all(may_read(actor, kind, 7) for kind in OWN_KINDS)


def test_supervisor_reads_debrief_requests_and_notes_only() -> None:
    actor = Actor("sup", Role.SUPERVISOR, staff_id=1)
    allowed = {k for k in WellbeingData if may_read(actor, k, 2)}
    assert allowed == {WellbeingData.DEBRIEF_REQUESTS, WellbeingData.DEBRIEF_NOTES}


def test_manager_reads_what_rostering_needs_and_never_a_reason() -> None:
    actor = Actor("mgr", Role.MANAGER)
    allowed = {k for k in WellbeingData if may_read(actor, k, 2)}
    assert allowed == {
        WellbeingData.OFF_QUEUE,
        WellbeingData.LINE_CAP,
        WellbeingData.DEBRIEF_SLOTS,
    }


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_and_admin_read_nothing_of_others(role: Role) -> None:
    actor = Actor("x", role, staff_id=1)
    assert not any(may_read(actor, k, 2) for k in WellbeingData)
    with pytest.raises(AccessDenied, match="other people's"):
        require_read(actor, WellbeingData.DIFFICULT_CALLS, 2)


def test_leadership_reads_aggregates_over_five_or_more() -> None:
    actor = Actor("lead", Role.LEADERSHIP)
    assert {k for k in WellbeingData if may_read(actor, k, 2)} == {WellbeingData.AGGREGATES}
    assert not enough_people(4) and enough_people(5)


def test_who_logs_and_who_closes_debriefs() -> None:
    assert may_log_for_self(Actor("c", Role.STAFF, 1))
    assert may_log_for_self(Actor("s", Role.SUPERVISOR, 2))
    assert not may_log_for_self(Actor("c", Role.STAFF, None))
    assert not may_log_for_self(Actor("m", Role.MANAGER, 3))
    assert may_close_debrief(Actor("s", Role.SUPERVISOR, 2))
    assert not may_close_debrief(Actor("m", Role.MANAGER))
