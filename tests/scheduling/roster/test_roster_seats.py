"""Seats per centre: never more on the line than there are soundproofed seats."""

from __future__ import annotations

from scheduling.roster.rules.seats import seats_exceeded
from scheduling.roster.validate import validate
from tests.scheduling.roster.rosterkit import broken, handmade, instance, member, solve_with

BASE = ["availability", "one_shift_per_day", "shift_length", "coverage"]


def test_seats_cap_the_line_even_when_more_are_required():
    staff = [member(k) for k in "abc"]
    inst = instance(staff, hours=("09:00", "13:00"), required=3, seats=2)
    sol = solve_with(inst, [*BASE, "seats"])
    assert max(row.on_line for row in sol.coverage) == 2
    assert sol.shortfall_hours() == 4.0  # one short all morning: space binds, not staff
    assert not broken(validate(inst, sol), "seats")


def test_without_the_seats_rule_the_same_week_is_fully_covered():
    staff = [member(k) for k in "abc"]
    inst = instance(staff, hours=("09:00", "13:00"), required=3, seats=2)
    sol = solve_with(inst, BASE)
    assert max(row.on_line for row in sol.coverage) == 3
    assert broken(validate(inst, sol), "seats")


def test_validator_names_the_interval_over_the_seats():
    inst = instance([member(k) for k in "abc"], hours=("09:00", "11:00"), seats=2)
    sol = handmade(
        inst,
        {k: [(0, "09:00", "11:00", [])] for k in "abc"},
    )
    (first, *rest) = broken(validate(inst, sol), "seats")
    assert len(rest) == 3
    assert first.hard and first.amount == 1
    assert "Monday 09:00" in first.message and "2 seats" in first.message


def test_seats_check_alone():
    assert seats_exceeded(None, {0: 9}) == {}
    assert seats_exceeded(2, {0: 2, 1: 3, 2: 5}) == {1: 1, 2: 3}
