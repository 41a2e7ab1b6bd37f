"""The wellbeing pages on the demo helpline: who sees which page, and what each shows."""

from __future__ import annotations

import pytest

from data.demo_wellbeing import NOTE
from scheduling.domain import Role
from tests.ui.conftest import page_as

pytestmark = pytest.mark.usefixtures("demo_database")

PAGES = ("my_shift.py", "debriefs.py", "team_wellbeing.py", "today.py")
ALLOWED = {
    Role.STAFF: {"my_shift.py"},
    Role.SUPERVISOR: {"my_shift.py", "debriefs.py"},
    Role.MANAGER: {"today.py"},
    Role.LEADERSHIP: {"team_wellbeing.py"},
    Role.ADMIN: set(),
}


def shown_text(at) -> str:  # type: ignore[no-untyped-def]
    parts = [
        e.value
        for kind in ("markdown", "caption", "warning", "error", "info", "success")
        for e in getattr(at, kind)
    ]
    parts += [str(t.value) for t in at.title] + [str(d.value) for d in at.dataframe]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("page", PAGES)
def test_each_wellbeing_page_checks_the_role(role: Role, page: str) -> None:
    at = page_as(page, role)
    assert not at.exception
    refused = any("not available to your role" in e.value for e in at.error)
    assert refused is (page not in ALLOWED[role])
    if refused:
        assert NOTE not in shown_text(at) and "Usman" not in shown_text(at)


def _call_kind(at):  # type: ignore[no-untyped-def]
    """The difficult call's detail question (the request forms below have selectboxes too)."""
    return [s for s in at.selectbox if s.label == "What kind of call"]


def test_staff_logs_a_difficult_call_and_is_off_the_queue() -> None:
    at = page_as("my_shift.py", Role.STAFF)
    assert not at.exception
    assert not _call_kind(at)  # nothing is asked before the tap
    at.button(key=None) if False else None
    tap = next(b for b in at.button if b.label == "Log a difficult call")
    tap.click().run()
    assert not at.exception
    assert any("Off the queue until" in w.value for w in at.warning)
    # Asked after the tap, both optional.
    [kind] = _call_kind(at)
    kind.select("sexual extortion")
    at.radio(key=None) if False else None
    distress = next(r for r in at.radio if r.label.startswith("How distressed"))
    distress.set_value(3)
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception
    assert not _call_kind(at)


def test_staff_sees_load_band_and_check_in() -> None:
    at = page_as("my_shift.py", Role.STAFF)
    assert [m.label for m in at.metric] == ["Band"]
    text = shown_text(at)
    assert "Check-in for" not in text  # this quarter not yet answered: the form is there
    assert len([r for r in at.radio if r.key and r.key.startswith("cbi_")]) == 19


def test_staff_requests_a_debrief_with_a_private_note() -> None:
    at = page_as("my_shift.py", Role.STAFF)
    at.text_area[0].input("ui-test note: the call about the school")
    next(b for b in at.button if b.label == "Request a debrief").click().run()
    assert not at.exception
    assert any("Debrief requested" in s.value for s in at.success)
    supervisor = page_as("debriefs.py", Role.SUPERVISOR)
    assert "ui-test note: the call about the school" in shown_text(supervisor)
    manager = page_as("today.py", Role.MANAGER)
    assert "ui-test note" not in shown_text(manager)


def test_supervisor_sees_the_queue_with_notes_and_overdue_and_closes_one() -> None:
    at = page_as("debriefs.py", Role.SUPERVISOR)
    assert not at.exception
    text = shown_text(at)
    assert "Usman Tariq" in text and NOTE in text and "Overdue" in text
    buttons = [b for b in at.button if b.label == "Mark done"]
    buttons[0].click().run()
    assert not at.exception
    assert len([b for b in at.button if b.label == "Mark done"]) == len(buttons) - 1


def test_manager_today_shows_who_is_off_the_queue_without_a_reason() -> None:
    staff = page_as("my_shift.py", Role.STAFF)
    next(b for b in staff.button if b.label == "Log a difficult call").click().run()
    at = page_as("today.py", Role.MANAGER)
    assert not at.exception
    text = shown_text(at)
    assert "Bilal Ahmed" in text and "off the queue until" in text
    assert "difficult" not in text.lower() and "extortion" not in text.lower()
    assert len(at.get("plotly_chart")) == 1
    assert any("floor" in e.value for e in at.error)  # the coverage flag


def test_leadership_sees_aggregates_only() -> None:
    at = page_as("team_wellbeing.py", Role.LEADERSHIP)
    assert not at.exception
    assert [m.label for m in at.metric] == ["Normal", "Watch", "High"]
    assert [m.value for m in at.metric][2] == "1"
    text = shown_text(at)
    for name in ("Usman", "Bilal", "Ayesha", "Nadia"):
        assert name not in text
    assert "Kristensen" in text


def test_re_plan_without_a_published_roster_says_so() -> None:
    at = page_as("today.py", Role.MANAGER)
    assert any("No roster is published" in w.value for w in at.warning)
    next(b for b in at.button if b.label == "Re-plan the rest of today").click().run()
    assert not at.exception
    assert any("no published roster" in e.value for e in at.error)
