"""Each rule alone: the model keeps it (and, where the week tempts it, breaks it without the
rule), and the validator names a hand-made roster that breaks it."""

from __future__ import annotations

import itertools
from datetime import timedelta

from scheduling.roster.schema import (
    LanguageCover,
    PlannedShift,
    Preference,
    SkillCover,
)
from scheduling.roster.validate import validate
from scheduling.roster.work_rules import WorkRules
from tests.scheduling.roster.rosterkit import at, broken, handmade, instance, member, solve_with

BASE = ["coverage"]


def line_minutes(sol, sid: str) -> int:
    pr = next(p for p in sol.people if p.staff_id == sid)
    return pr.line_minutes


def shifts_of(sol, sid: str):
    pr = next((p for p in sol.people if p.staff_id == sid), None)
    return [] if pr is None else list(pr.shifts)


# ---------------------------------------------------------------- availability and leave


def test_availability_kept_and_validator_names_the_person():
    inst = instance([member("a", availability=[(0, "13:00", "17:00")]), member("b")], days=(0,))
    sol = solve_with(inst, BASE)
    for s in shifts_of(sol, "a"):
        assert s.start >= at(0, "13:00")
    assert not broken(validate(inst, sol), "availability")

    bad = handmade(inst, {"a": [(0, "09:00", "13:00", [])]})
    (b,) = broken(validate(inst, bad), "availability")
    assert b.hard and b.staff_id == "a" and "outside their availability" in b.message


def test_leave_kept_and_validator_flags_work_on_leave():
    inst = instance([member("a", leave=[(0, 0)]), member("b")], days=(0,))
    sol = solve_with(inst, BASE)
    assert shifts_of(sol, "a") == []
    bad = handmade(inst, {"a": [(0, "09:00", "13:00", [])]})
    assert "on leave" in broken(validate(inst, bad), "availability")[0].message


# ---------------------------------------------------------------- shape of shifts


def test_one_shift_per_day_and_shift_length_are_kept_by_construction():
    inst = instance([member("a")], days=(0,), hours=("08:00", "20:00"))
    sol = solve_with(inst, BASE)
    (s,) = shifts_of(sol, "a")
    hours = (s.end - s.start) / timedelta(hours=1)
    assert 4 <= hours <= 8 and s.start.minute in (0, 30)
    report = validate(inst, sol)
    assert not broken(report, "one_shift_per_day") and not broken(report, "shift_length")


def test_validator_flags_two_shifts_a_day_and_bad_lengths():
    inst = instance([member("a")], days=(0,), hours=("08:00", "22:00"))
    bad = handmade(inst, {"a": [(0, "08:00", "11:00", []), (0, "14:15", "22:00", [])]})
    report = validate(inst, bad)
    assert broken(report, "one_shift_per_day")[0].amount == 2
    lengths = broken(report, "shift_length")
    assert any("lasts 3 h" in b.message for b in lengths)
    assert any("starts at" in b.message for b in lengths)


# ---------------------------------------------------------------- rest, days in a row, days off


def test_consecutive_days_with_and_without_the_rule():
    rules = WorkRules(min_days_off_week=0, max_consecutive_days=5)
    inst = instance([member("a", days_worked_before_week=2)], days=range(7), rules=rules)
    assert broken(validate(inst, solve_with(inst, BASE)), "consecutive_days")
    sol = solve_with(inst, [*BASE, "consecutive_days"])
    assert not broken(validate(inst, sol), "consecutive_days")
    days = {s.start.weekday() for s in shifts_of(sol, "a")}
    assert len(days) == 6  # one day off breaks the run (2 days carried from last week)


def test_days_off_with_and_without_the_rule():
    rules = WorkRules(min_days_off_week=2, max_consecutive_days=7)
    inst = instance([member("a")], days=range(7), rules=rules)
    (b,) = broken(validate(inst, solve_with(inst, BASE)), "days_off")
    assert b.amount == 2 and b.staff_id == "a"
    sol = solve_with(inst, [*BASE, "days_off"])
    assert len(shifts_of(sol, "a")) == 5


# ---------------------------------------------------------------- hours


def test_contract_maximum_and_minimum():
    inst = instance([member("a", cmax=8 * 60)], days=(0, 1))
    assert broken(validate(inst, solve_with(inst, BASE)), "contract_hours")
    sol = solve_with(inst, [*BASE, "contract_hours"])
    assert next(p for p in sol.people if p.staff_id == "a").shift_minutes <= 8 * 60

    quiet = instance([member("b", cmin=12 * 60)], days=(0, 1, 2), required=0)
    sol = solve_with(quiet, ["contract_hours", "rostered_hours"])
    assert next(p for p in sol.people if p.staff_id == "b").shift_minutes == 12 * 60
    bad = handmade(quiet, {"b": [(0, "09:00", "13:00", [])]})
    assert "below the contract minimum" in broken(validate(quiet, bad), "contract_hours")[0].message


def test_line_hours_a_day_with_and_without_the_rule():
    inst = instance([member("a")], days=(0,))
    assert line_minutes(solve_with(inst, BASE), "a") == 8 * 60
    sol = solve_with(inst, [*BASE, "line_hours"])
    assert line_minutes(sol, "a") == 6 * 60
    assert not broken(validate(inst, sol), "line_hours")
    (b,) = broken(validate(inst, solve_with(inst, BASE)), "line_hours")
    assert b.amount == 120 and b.unit == "minutes"


def test_lower_weekly_line_cap_from_wellbeing():
    inst = instance([member("a", line_cap_minutes_week=5 * 60)], days=(0, 1))
    sol = solve_with(inst, [*BASE, "line_hours"])
    assert line_minutes(sol, "a") == 5 * 60


# ---------------------------------------------------------------- breaks and debriefs


def test_meal_break_placed_inside_the_window():
    inst = instance([member("a")], days=(0,))
    assert broken(validate(inst, solve_with(inst, BASE)), "meal_break")
    sol = solve_with(inst, [*BASE, "meal_break"])
    (s,) = shifts_of(sol, "a")
    meals = [seg for seg in s.activities if seg.activity == "meal"]
    assert len(meals) == 1 and meals[0].end - meals[0].start == timedelta(minutes=30)
    assert s.start + timedelta(hours=2) <= meals[0].start
    assert meals[0].end <= s.start + timedelta(hours=5)


def test_meal_breaks_are_staggered_where_coverage_suffers_least():
    inst = instance([member("a"), member("b"), member("c")], days=(0,), required=2)
    sol = solve_with(inst, [*BASE, "meal_break"])
    assert sol.shortfall_hours() == 0


def test_validator_flags_a_meal_break_outside_the_window():
    inst = instance([member("a")], days=(0,))
    bad = handmade(
        inst,
        {"a": [(0, "09:00", "17:00", [("meal", "09:00", "09:30"), ("line", "09:30", "17:00")])]},
    )
    assert "outside the allowed window" in broken(validate(inst, bad), "meal_break")[0].message


def test_decompression_time_planned_in_every_shift():
    inst = instance([member("a", decompression_minutes_per_shift=30)], days=(0, 1))
    sol = solve_with(inst, [*BASE, "decompression"])
    for s in shifts_of(sol, "a"):
        assert any(seg.activity == "decompression" for seg in s.activities)
    bad = handmade(inst, {"a": [(0, "09:00", "13:00", [])]})
    assert broken(validate(inst, bad), "decompression")[0].amount == 30


def test_debrief_while_a_supervisor_is_on_shift():
    staff = [member("a", debrief_minutes=30), member("s", skills=("counsellor", "supervisor"))]
    inst = instance(staff, days=(0,))
    sol = solve_with(inst, [*BASE, "debrief"])
    assert not broken(validate(inst, sol), "debrief")
    deb = [g for s in shifts_of(sol, "a") for g in s.activities if g.activity == "debrief"]
    assert deb
    alone = instance([member("a", debrief_minutes=30)], days=(0,))
    (b,) = broken(validate(alone, solve_with(alone, [*BASE, "debrief"])), "debrief")
    assert not b.hard and b.penalty == alone.weights.debrief_missing


# ---------------------------------------------------------------- skills and languages


def test_supervisor_on_shift_every_open_day():
    staff = [member("a"), member("s", skills=("supervisor",))]
    covers = tuple(
        SkillCover(skill="supervisor", start=at(d, "09:00"), end=at(d, "17:00"), mode="some_time")
        for d in (0, 1)
    )
    inst = instance(staff, days=(0, 1), skill_covers=covers)
    assert broken(validate(inst, solve_with(inst, [*BASE, "rostered_hours"])), "skill_cover")
    sol = solve_with(inst, [*BASE, "rostered_hours", "skill_cover"])
    assert len(shifts_of(sol, "s")) == 2
    assert not broken(validate(inst, sol), "skill_cover")


def test_lawyer_throughout_the_window():
    staff = [member("a"), member("l", skills=("lawyer",))]
    cover = SkillCover(skill="lawyer", start=at(0, "10:00"), end=at(0, "16:00"))
    inst = instance(staff, days=(0,), skill_covers=(cover,))
    sol = solve_with(inst, [*BASE, "rostered_hours", "skill_cover"])
    (s,) = shifts_of(sol, "l")
    assert s.start <= at(0, "10:00") and s.end >= at(0, "16:00")
    bad = handmade(inst, {"l": [(0, "12:00", "16:00", [("offline", "12:00", "16:00")])]})
    (b,) = broken(validate(inst, bad), "skill_cover")
    assert b.hard and b.amount == 120


def test_language_speaker_on_the_line():
    staff = [member("a", languages=("ur",)), member("b", languages=("pa",))]
    cover = LanguageCover(language="pa", start=at(0, "09:00"), end=at(0, "13:00"))
    inst = instance(staff, days=(0,), hours=("09:00", "13:00"), language_covers=(cover,))
    sol = solve_with(inst, [*BASE, "rostered_hours", "language_cover"])
    assert line_minutes(sol, "b") == 4 * 60
    bad = handmade(inst, {"a": [(0, "09:00", "13:00", [])]})
    (b,) = broken(validate(inst, bad), "language_cover")
    assert not b.hard and b.amount == 240


# ---------------------------------------------------------------- coverage


def test_shortfall_and_min_on_duty_are_soft_and_explained():
    inst = instance([member("a")], days=(0,), required=2, min_on_duty=2)
    sol = solve_with(inst, [*BASE, "min_on_duty", "line_hours"])
    report = validate(inst, sol)
    cover = broken(report, "coverage") + broken(report, "min_on_duty")
    assert cover and all(not b.hard for b in cover)
    assert any("counsellor short" in f.message and f.kind == "shortfall" for f in sol.flags)
    assert any(f.kind == "below_min_on_duty" for f in sol.flags)


# ---------------------------------------------------------------- soft rules


def test_fair_weekends_spread_between_two_people():
    rules = WorkRules(min_days_off_week=0)
    inst = instance([member("a"), member("b")], days=(5, 6), rules=rules)
    sol = solve_with(inst, [*BASE, "rostered_hours", "fair_weekends"])
    assert len(shifts_of(sol, "a")) == 1 and len(shifts_of(sol, "b")) == 1
    bad = handmade(inst, {"a": [(5, "09:00", "17:00", []), (6, "09:00", "17:00", [])]})
    (b,) = broken(validate(inst, bad), "fair_weekends")
    assert b.staff_id == "a" and b.amount == 2


def test_fair_late_shifts():
    inst = instance(
        [member("a"), member("b")],
        days=(0, 1),
        hours=("16:00", "24:00"),
        rules=WorkRules(min_rest_minutes=0),
    )
    sol = solve_with(inst, [*BASE, "rostered_hours", "fair_late_shifts"])
    for sid in "ab":
        assert sum(1 for s in shifts_of(sol, sid) if s.end.hour == 0) == 1


def test_preferences_respected_and_reported_when_not():
    avoid = Preference(weekday=0, kind="avoid", weight=50)
    inst = instance([member("a", preferences=(avoid,)), member("b")], days=(0,))
    sol = solve_with(inst, [*BASE, "rostered_hours", "preferences"])
    assert shifts_of(sol, "a") == [] and shifts_of(sol, "b")
    bad = handmade(inst, {"a": [(0, "09:00", "17:00", [])]})
    (b,) = broken(validate(inst, bad), "preferences")
    assert b.staff_id == "a" and b.penalty == 50 and "not to work Monday" in b.message


def test_stability_keeps_the_published_roster_when_nothing_changed():
    published = (PlannedShift(staff_id="b", start=at(0, "09:00"), end=at(0, "17:00")),)
    inst = instance([member("a"), member("b")], days=(0,), published=published)
    sol = solve_with(inst, [*BASE, "stability"])
    (s,) = shifts_of(sol, "b")
    assert s.start == at(0, "09:00") and s.end == at(0, "17:00")
    assert shifts_of(sol, "a") == []


def test_pinned_shift_stays_even_when_not_needed():
    published = (PlannedShift(staff_id="a", start=at(0, "09:00"), end=at(0, "13:00")),)
    inst = instance(
        [member("a")], days=(0, 1), required=0, published=published, pin_before=at(1, "00:00")
    )
    sol = solve_with(inst, ["pinned", "rostered_hours"])
    assert [s.start for s in shifts_of(sol, "a")] == [at(0, "09:00")]
    bad = handmade(inst, {"a": [(0, "09:30", "13:30", [])]})
    assert broken(validate(inst, bad), "pinned")[0].hard


# ---------------------------------------------------------------- line time in blocks


def _switches(shift) -> int:
    acts = [g.activity for g in shift.activities]
    pairs = itertools.pairwise(acts)
    return sum(1 for a, b in pairs if "meal" not in (a, b) and (a == "line") != (b == "line"))


def test_line_time_in_blocks_when_nothing_is_lost():
    # two counsellors, 2 h of line each in a 4-hour day that needs one all the time
    staff = [member(s, line_cap_minutes_day=120) for s in "ab"]
    inst = instance(staff, days=(0,), hours=("09:00", "13:00"))
    sol = solve_with(inst, [*BASE, "line_hours", "line_blocks"])
    assert sol.shortfall_hours() == 0
    shifts = shifts_of(sol, "a") + shifts_of(sol, "b")
    assert len(shifts) == 2 and all(_switches(s) == 1 for s in shifts)
    report = validate(inst, sol)
    assert report.points["line_blocks"] == 2 * inst.weights.line_switch
    assert not broken(report, "line_blocks")


def test_coverage_outweighs_line_blocks():
    # the line needs one counsellor every other half hour and a has exactly that much line time
    inst = instance(
        [member("a", line_cap_minutes_day=120)],
        days=(0,),
        hours=("09:00", "13:00"),
        required=lambda _d, hhmm: int(hhmm.endswith(":00")),
    )
    sol = solve_with(inst, [*BASE, "line_hours", "line_blocks"])
    assert sol.shortfall_hours() == 0
    (s,) = shifts_of(sol, "a")
    assert _switches(s) == 7


def test_validator_names_switching_on_and_off_the_line():
    inst = instance([member("a")], days=(0,))
    segs = [("line" if k % 2 == 0 else "offline", f"{9 + k}:00", f"{10 + k}:00") for k in range(4)]
    segs = [(a, s.zfill(5), e.zfill(5)) for a, s, e in segs]
    bad = handmade(inst, {"a": [(0, "09:00", "13:00", segs)]})
    report = validate(inst, bad)
    (b,) = broken(report, "line_blocks")
    assert not b.hard and b.staff_id == "a" and b.amount == 3 and b.unit == "switches"
    assert b.title == "Line time in blocks, not switched back and forth"
    assert report.points["line_blocks"] == 3 * inst.weights.line_switch

    # the edges of a meal break and of the shift are free
    meal = [("line", "09:00", "12:00"), ("meal", "12:00", "12:30"), ("line", "12:30", "17:00")]
    report = validate(inst, handmade(inst, {"a": [(0, "09:00", "17:00", meal)]}))
    assert not broken(report, "line_blocks") and not report.points.get("line_blocks")
