"""What a leave request or a shift swap would do to a saved roster, before a manager decides."""

from __future__ import annotations

import pytest

from scheduling.roster.request_effect import (
    RequestEffectError,
    leave_effect,
    swap_effect,
    swapped_roster,
)
from scheduling.roster.validate import validate
from tests.scheduling.roster.rosterkit import MONDAY, at, handmade, instance, member


def _week():  # type: ignore[no-untyped-def]
    """Monday and Tuesday 09:00-13:00, two needed on the line and on duty; A and B work both
    days, C works nothing and is free; D can only work on Tuesdays."""
    inst = instance(
        [
            member("A"),
            member("B"),
            member("C"),
            member("D", availability=[(1, "09:00", "13:00")]),
        ],
        days=(0, 1),
        hours=("09:00", "13:00"),
        required=2,
        min_on_duty=2,
    )
    shifts = {
        "A": [(0, "09:00", "13:00", []), (1, "09:00", "13:00", [])],
        "B": [(0, "09:00", "13:00", []), (1, "09:00", "13:00", [])],
    }
    return inst, handmade(inst, shifts)


def test_leave_lists_the_lost_shift_and_the_intervals_below_requirement_and_floor() -> None:
    inst, sol = _week()
    effect = leave_effect(inst, sol, staff_id="A", first_day=MONDAY, last_day=MONDAY)

    assert [s.start for s in effect.lost_shifts] == [at(0, "09:00")]
    below = {d.below: d for d in effect.coverage_drops}
    assert set(below) == {"requirement", "floor"}
    need = below["requirement"]
    assert (need.start, need.end) == (at(0, "09:00"), at(0, "13:00"))  # one span, not eight
    assert (need.required, need.on_line_before, need.on_line_after) == (2, 2, 1)
    assert "1 on the line for 2 needed (was 2)" in need.message()
    assert below["floor"].on_line_after == 1
    assert effect.shortfall_hours_before == 0
    assert effect.shortfall_hours_after == 4
    # Cover is said once, as spans; A's own hours fall as asked and are not held against it.
    assert effect.new_breaks == ()
    assert not effect.harmless


def test_leave_on_a_day_without_shifts_changes_nothing() -> None:
    inst, sol = _week()
    effect = leave_effect(
        inst, sol, staff_id="C", first_day=MONDAY, last_day=MONDAY.replace(day=MONDAY.day + 1)
    )
    assert effect.lost_shifts == ()
    assert effect.harmless
    assert effect.shortfall_hours_after == effect.shortfall_hours_before


def test_a_swap_to_a_free_colleague_keeps_coverage_and_breaks_nothing() -> None:
    inst, sol = _week()
    effect = swap_effect(inst, sol, staff_id="A", start=at(0, "09:00"), colleague="C")
    assert effect.harmless
    assert effect.coverage_drops == ()


def test_a_swap_to_someone_already_working_that_day_names_the_rule() -> None:
    inst, sol = _week()
    effect = swap_effect(inst, sol, staff_id="A", start=at(0, "09:00"), colleague="B")
    titles = {b.rule: b.title for b in effect.new_breaks}
    assert "one_shift_per_day" in titles
    assert titles["one_shift_per_day"][0].isupper()  # the business title a manager reads
    # B cannot be on the line twice at once: the line loses a counsellor.
    assert any(d.below == "requirement" for d in effect.coverage_drops)


def test_a_swap_to_a_colleague_not_available_that_day_breaks_availability() -> None:
    inst, sol = _week()
    effect = swap_effect(inst, sol, staff_id="A", start=at(0, "09:00"), colleague="D")
    assert [b.rule for b in effect.new_breaks if b.hard] == ["availability"]
    assert effect.new_breaks[0].staff_id == "D"


def test_the_swapped_roster_is_revalidated_and_records_what_it_replaces() -> None:
    inst, sol = _week()
    next_inst, next_sol = swapped_roster(
        inst, sol, staff_id="A", start=at(0, "09:00"), colleague="C"
    )
    people = {p.staff_id: p for p in next_sol.people}
    assert [s.start for s in people["A"].shifts] == [at(1, "09:00")]
    assert [s.start for s in people["C"].shifts] == [at(0, "09:00")]
    assert people["C"].shift_minutes == 240 and people["C"].line_minutes == 240
    assert people["A"].shift_minutes == 240
    # The new version's instance names the old shifts as the published roster it replaces.
    assert {(s.staff_id, s.start) for s in next_inst.published} == {
        ("A", at(0, "09:00")),
        ("A", at(1, "09:00")),
        ("B", at(0, "09:00")),
        ("B", at(1, "09:00")),
    }
    assert next_inst.pin_before is None
    report = validate(next_inst, next_sol)
    assert [b.message for b in next_sol.broken_rules] == [b.message for b in report.breaks]
    assert next_sol.stats.objective == pytest.approx(report.objective)
    assert next_sol.stats.best_bound is None
    assert next_sol.shortfall_hours() == 0


def test_a_swap_of_a_shift_that_is_not_there_is_refused() -> None:
    inst, sol = _week()
    with pytest.raises(RequestEffectError, match="not in this roster"):
        swap_effect(inst, sol, staff_id="C", start=at(0, "09:00"), colleague="A")
    with pytest.raises(RequestEffectError, match="not on the staff"):
        swap_effect(inst, sol, staff_id="A", start=at(0, "09:00"), colleague="Z")
