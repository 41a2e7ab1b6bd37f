"""Every rule alone, as its module states it: a business title and a hardness of its own; on a
bare model (coverage and that rule only) the model keeps what the rule's check checks and
scores the same points; a hard rule forced to break makes the bare model infeasible, and its
check names the hand-made roster that breaks it."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from scheduling.roster.model import RosterModel, solver_for
from scheduling.roster.rules import ALL_RULES, RULES_BY_KEY, Rule
from scheduling.roster.rules.base import SCALE
from scheduling.roster.schema import (
    LanguageCover,
    PlannedShift,
    Preference,
    RosterInstance,
    RosterSolution,
    SkillCover,
)
from scheduling.roster.view import RosterView
from scheduling.roster.week import Shift, Week
from scheduling.roster.work_rules import WorkRules
from tests.scheduling.roster.rosterkit import at, handmade, instance, member, solve_rules


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.key)
def test_rule_states_its_key_title_and_hardness(rule: Rule):
    inst = instance([member("a")])
    assert isinstance(type(rule).__dict__.get("hard"), bool), "hardness is declared in the rule"
    assert rule.title(inst) and rule.title(inst) != rule.key
    assert RULES_BY_KEY[rule.key] is rule


def test_rule_keys_are_unique():
    assert len({r.key for r in ALL_RULES}) == len(ALL_RULES)


def _busy_week() -> RosterInstance:
    """Three open days with something for every rule to do."""
    staff = [
        member("a", preferences=(Preference(weekday=0, kind="avoid"),), debrief_minutes=30),
        member("b", languages=("pa",), decompression_minutes_per_shift=30),
        member("s", skills=("counsellor", "supervisor")),
        member("l", skills=("lawyer",)),
    ]
    covers = (
        SkillCover(skill="supervisor", start=at(0, "09:00"), end=at(0, "17:00"), mode="some_time"),
        SkillCover(skill="lawyer", start=at(0, "10:00"), end=at(0, "12:00"), hard=False),
    )
    inst = instance(
        staff,
        days=(0, 5, 6),
        required=lambda d, hhmm: 2 if "12:00" <= hhmm < "14:00" else 1,
        min_on_duty=2,
        skill_covers=covers,
        language_covers=(LanguageCover(language="pa", start=at(0, "09:00"), end=at(0, "13:00")),),
        published=(
            PlannedShift(staff_id="s", start=at(0, "09:00"), end=at(0, "17:00")),
            PlannedShift(staff_id="b", start=at(5, "09:00"), end=at(5, "13:00")),
        ),
        pin_before=at(1, "00:00"),
        late_shift_end_minute=16 * 60,
    )
    peaks = tuple(
        s.model_copy(update={"peak": True}) if s.required == 2 else s for s in inst.intervals
    )
    return inst.model_copy(update={"intervals": peaks})


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.key)
def test_bare_model_keeps_what_the_check_checks_and_scores_the_same(rule: Rule):
    inst = _busy_week()
    coverage = RULES_BY_KEY["coverage"]
    rules = [coverage] if rule is coverage else [coverage, rule]
    rm, solver, sol = solve_rules(inst, rules)
    assert solver.response_proto.status == cp_model.OPTIMAL
    verdict = rule.check(RosterView(inst, sol))
    assert not [b for b in verdict.breaks if b.hard], verdict.breaks
    model_points = sum(t.coef * solver.value(t.expr) for t in rm.terms if t.rule == rule.key)
    assert model_points / SCALE == pytest.approx(verdict.points or 0.0)


def _force(inst: RosterInstance, rules: list[Rule], roster: RosterSolution) -> str:
    """Solve a bare model with these rules, its shifts fixed to the hand-made roster's."""
    week = Week(inst)
    rm = RosterModel(week, rules=rules)
    wanted = {
        pr.staff_id: {Shift(week.minute(s.start), week.minute(s.end)) for s in pr.shifts}
        for pr in roster.people
    }
    found = set()
    for p in week.people:
        for d in range(7):
            for s, v in rm.shifts(p, d):
                pick = s in wanted.get(p.id, set())
                found |= {(p.id, s)} if pick else set()
                rm.m.add(v == int(pick))
    assert found == {(sid, s) for sid, shifts in wanted.items() for s in shifts}
    solver = solver_for(5, 2)
    return solver.status_name(solver.solve(rm.m))


def _line(day: int, a: str, b: str) -> tuple[int, str, str, list]:
    return (day, a, b, [("offline", a, b)])


HARD_CASES = {
    "rest_between_shifts": (
        dict(days=(0, 1), hours=("06:00", "24:00"), required=0),
        {"a": [_line(0, "16:00", "24:00"), _line(1, "06:00", "10:00")]},
        {"a": [_line(0, "09:00", "13:00"), _line(1, "09:00", "13:00")]},
    ),
    "consecutive_days": (
        dict(days=range(7), required=0, rules=WorkRules(min_days_off_week=0)),
        {"a": [_line(d, "09:00", "13:00") for d in range(6)]},
        {"a": [_line(d, "09:00", "13:00") for d in (0, 1, 2, 3, 4, 6)]},
    ),
    "days_off": (
        dict(days=range(7), required=0, rules=WorkRules(max_consecutive_days=7)),
        {"a": [_line(d, "09:00", "13:00") for d in range(6)]},
        {"a": [_line(d, "09:00", "13:00") for d in range(5)]},
    ),
    "contract_hours": (
        dict(days=(0, 1), required=0),
        {"a": [_line(0, "09:00", "17:00"), _line(1, "09:00", "17:00")]},
        {"a": [_line(0, "09:00", "17:00")]},
    ),
    "skill_cover": (
        dict(
            days=(0,),
            required=0,
            skill_covers=(
                SkillCover(
                    skill="supervisor", start=at(0, "09:00"), end=at(0, "17:00"), mode="some_time"
                ),
            ),
        ),
        {"a": [_line(0, "09:00", "13:00")]},
        {"s": [_line(0, "09:00", "13:00")]},
    ),
    "weekends_worked": (
        dict(days=(0, 5), required=0, rules=WorkRules(max_weekends_worked=0)),
        {"a": [_line(5, "09:00", "13:00")]},
        {"a": [_line(0, "09:00", "13:00")]},
    ),
    "shift_type_cap": (
        dict(
            days=(0, 1),
            hours=("09:00", "24:00"),
            required=0,
            rules=WorkRules(max_late_shifts_week=1),
        ),
        {"a": [_line(0, "18:00", "24:00"), _line(1, "18:00", "24:00")]},
        {"a": [_line(0, "18:00", "24:00"), _line(1, "09:00", "13:00")]},
    ),
    "min_days_off_run": (
        dict(days=range(7), required=0, rules=WorkRules(min_days_off_in_a_row=2)),
        {"a": [_line(d, "09:00", "13:00") for d in (0, 1, 3)]},
        {"a": [_line(d, "09:00", "13:00") for d in (0, 1, 4)]},
    ),
    "min_working_run": (
        dict(days=range(7), required=0, rules=WorkRules(min_working_days_in_a_row=2)),
        {"a": [_line(1, "09:00", "13:00")]},
        {"a": [_line(d, "09:00", "13:00") for d in (1, 2)]},
    ),
    "pinned": (
        dict(
            days=(0, 1),
            required=0,
            published=(PlannedShift(staff_id="a", start=at(0, "09:00"), end=at(0, "13:00")),),
            pin_before=at(0, "12:00"),
        ),
        {"a": [_line(1, "09:00", "13:00")]},
        {"a": [_line(0, "09:00", "13:00"), _line(1, "09:00", "13:00")]},
    ),
}


@pytest.mark.parametrize("key", sorted(HARD_CASES))
def test_hard_rule_forced_to_break_is_infeasible_and_its_check_names_it(key: str):
    kw, bad, good = HARD_CASES[key]
    staff = [member("a", cmax=12 * 60), member("s", skills=("counsellor", "supervisor"))]
    inst = instance(staff, **kw)
    rule = RULES_BY_KEY[key]
    assert rule.hard
    bad_roster, good_roster = handmade(inst, bad), handmade(inst, good)
    assert _force(inst, [rule], bad_roster) == "INFEASIBLE"
    assert _force(inst, [rule], good_roster) in ("OPTIMAL", "FEASIBLE")
    breaks = rule.check(RosterView(inst, bad_roster)).breaks
    assert breaks and all(b.rule == key and b.hard for b in breaks)
    assert not rule.check(RosterView(inst, good_roster)).breaks


def test_the_bare_model_without_the_rule_accepts_the_roster_that_breaks_it():
    # the infeasibility above comes from the rule, not from the model's structure
    for key, (kw, bad, _good) in HARD_CASES.items():
        staff = [member("a", cmax=12 * 60), member("s", skills=("counsellor", "supervisor"))]
        inst = instance(staff, **kw)
        status = _force(inst, [], handmade(inst, bad))
        assert status in ("OPTIMAL", "FEASIBLE"), key
