"""The rest rule's number lives in its module: changing MIN_REST_MINUTES changes the title,
the model, the check and the greedy roster, and nothing else needs to change."""

from __future__ import annotations

import itertools

import pytest

from scheduling.roster.greedy import greedy_shifts
from scheduling.roster.rules import rest_between_shifts
from scheduling.roster.rules.rest_between_shifts import RestBetweenShifts, min_rest
from scheduling.roster.validate import validate
from scheduling.roster.view import RosterView
from scheduling.roster.week import Week
from scheduling.roster.work_rules import WorkRules
from tests.scheduling.roster.rosterkit import at, broken, handmade, instance, member, solve_with


def _late_then_early():
    # Monday's line needs someone until midnight, Tuesday's from 10:00 to 14:00
    def need(day: int, hhmm: str) -> int:
        return int(hhmm >= "20:00") if day == 0 else int("10:00" <= hhmm < "14:00")

    return instance([member("a", cmin=0)], days=(0, 1), hours=("06:00", "24:00"), required=need)


def test_eleven_hours_by_default_and_a_site_may_set_its_own():
    assert min_rest(WorkRules()) == 11 * 60
    assert min_rest(WorkRules(min_rest_minutes=8 * 60)) == 8 * 60
    inst = _late_then_early()
    assert RestBetweenShifts().title(inst) == "At least 11 hours between two shifts"


@pytest.mark.parametrize("hours", [11, 12])
def test_one_number_moves_title_model_check_and_greedy(monkeypatch, hours: int):
    monkeypatch.setattr(rest_between_shifts, "MIN_REST_MINUTES", hours * 60)
    inst = _late_then_early()
    rule = RestBetweenShifts()
    assert rule.title(inst) == f"At least {hours} hours between two shifts"

    # Monday 16:00-24:00 then Tuesday 10:00: 10 hours' rest, always too little;
    # Tuesday 11:00 (11 hours) keeps 11 and breaks 12
    short = handmade(inst, {"a": [(0, "16:00", "24:00", []), (1, "10:00", "14:00", [])]})
    eleven = handmade(inst, {"a": [(0, "16:00", "24:00", []), (1, "11:00", "15:00", [])]})
    assert rule.check(RosterView(inst, short)).breaks
    assert bool(rule.check(RosterView(inst, eleven)).breaks) == (hours > 11)

    sol = solve_with(inst, ["coverage", "rest_between_shifts"])
    assert not rule.check(RosterView(inst, sol)).breaks
    week = Week(inst)
    shifts = sorted(s for mine in greedy_shifts(week).values() for s in mine)
    assert len(shifts) == 2
    for a, b in itertools.pairwise(shifts):
        assert b.start - a.end >= hours * 60


def _late_then_early_week():
    def need(day, hhmm):
        if day == 0:
            return 1 if hhmm >= "18:00" else 0
        return 1 if hhmm < "12:00" else 0

    return instance([member("a")], days=(0, 1), hours=("06:00", "24:00"), required=need)


def test_rest_between_shifts_with_and_without_the_rule():
    inst = _late_then_early_week()
    without = solve_with(inst, ["coverage"])
    assert broken(validate(inst, without), "rest_between_shifts")
    with_rule = solve_with(inst, ["coverage", "rest_between_shifts"])
    assert not broken(validate(inst, with_rule), "rest_between_shifts")
    assert with_rule.shortfall_hours() > 0


def test_rest_after_last_weeks_shift():
    inst = instance(
        [member("a", previous_shift_end=at(0, "02:00"))], days=(0,), hours=("09:00", "17:00")
    )
    sol = solve_with(inst, ["coverage", "rest_between_shifts"])
    assert all(s.start >= at(0, "13:00") for pr in sol.people for s in pr.shifts)
    bad = handmade(inst, {"a": [(0, "09:00", "13:00", [])]})
    (b,) = broken(validate(inst, bad), "rest_between_shifts")
    assert b.staff_id == "a" and b.amount == 4 * 60
