"""The rules on runs of days, weekends worked and late shifts, each alone: its constraint on a
bare CP-SAT model (feasible and infeasible), the weekly model with and without it, and its
solver-free check on a hand-made roster."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduling.roster.rules.shift_type_cap import cap_shift_count
from scheduling.roster.rules.weekends_worked import cap_weekends
from scheduling.roster.runs import forbid_short_runs, short_runs
from scheduling.roster.validate import validate
from scheduling.roster.work_rules import WorkRules
from tests.scheduling.roster.rosterkit import broken, handmade, instance, member, solve_with

BASE = ["coverage"]


def fixed(m: cp_model.CpModel, pattern: str) -> list[cp_model.IntVar]:
    out = []
    for ch in pattern:
        v = m.new_bool_var("")
        m.add(v == (ch == "1"))
        out.append(v)
    return out


def feasible(m: cp_model.CpModel) -> bool:
    s = cp_model.CpSolver()
    s.parameters.max_time_in_seconds = 5
    s.parameters.num_workers = 1
    return s.solve(m) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def days_worked(sol, sid: str) -> list[int]:
    pr = next((p for p in sol.people if p.staff_id == sid), None)
    return [] if pr is None else sorted(s.start.weekday() for s in pr.shifts)


# ---------------------------------------------------------------- bare constraints


def test_short_runs_forbidden_inside_allowed_at_open_edges():
    def ok(pattern: str, min_len: int, **edges) -> bool:
        m = cp_model.CpModel()
        forbid_short_runs(m, fixed(m, pattern), min_len, **edges)
        return feasible(m)

    assert not ok("0100", 2)
    assert ok("0110", 2)
    assert ok("1000", 2) and ok("0001", 2)  # a run touching an open edge
    assert not ok("1000", 2, open_start=False)
    assert not ok("0001", 2, open_end=False)
    assert short_runs([False, True, False, False], 2) == [(1, 1)]
    assert short_runs([True, False, True], 2) == []
    assert short_runs([True, False], 2, open_start=False) == [(0, 1)]


def test_weekend_cap_counts_a_weekend_once_whichever_day_is_worked():
    def ok(weekends: list[str], cap: int, already: int = 0) -> bool:
        m = cp_model.CpModel()
        cap_weekends(m, [fixed(m, w) for w in weekends], cap, already)
        return feasible(m)

    assert ok(["11", "00"], 1)
    assert not ok(["10", "01"], 1)
    assert ok(["10", "01"], 2)
    assert not ok(["10"], 1, already=1)


def test_shift_count_cap():
    m = cp_model.CpModel()
    cap_shift_count(m, fixed(m, "111"), 2)
    assert not feasible(m)
    m = cp_model.CpModel()
    cap_shift_count(m, fixed(m, "101"), 2)
    assert feasible(m)


# ---------------------------------------------------------------- in the weekly model


def test_weekends_worked_with_and_without_the_rule():
    rules = WorkRules(min_days_off_week=0, max_weekends_worked=2, weekend_window_weeks=4)
    inst = instance([member("a", weekends_worked_before=2)], days=(5, 6), rules=rules)
    assert days_worked(solve_with(inst, BASE), "a") == [5, 6]
    (b,) = broken(validate(inst, solve_with(inst, BASE)), "weekends_worked")
    assert b.hard and b.staff_id == "a" and b.amount == 1
    sol = solve_with(inst, [*BASE, "weekends_worked"])
    assert days_worked(sol, "a") == []
    assert not broken(validate(inst, sol), "weekends_worked")

    fresh = instance([member("b", weekends_worked_before=1)], days=(5, 6), rules=rules)
    assert days_worked(solve_with(fresh, [*BASE, "weekends_worked"]), "b") == [5, 6]
    bad = handmade(fresh, {"b": [(6, "09:00", "17:00", [])]})
    assert not broken(validate(fresh, bad), "weekends_worked")


def test_late_shift_cap_with_and_without_the_rule():
    rules = WorkRules(min_rest_minutes=0, min_days_off_week=0, max_late_shifts_week=1)
    inst = instance([member("a")], days=(0, 1, 2), hours=("16:00", "24:00"), rules=rules)
    assert len(days_worked(solve_with(inst, BASE), "a")) == 3
    sol = solve_with(inst, [*BASE, "shift_type_cap"])
    (pr,) = sol.people
    late = [
        s
        for s in pr.shifts
        if s.end.hour == 0 or s.end.hour > 20 or (s.end.minute and s.end.hour == 20)
    ]
    assert len(late) == 1 and len(pr.shifts) == 3  # the other days end by 20:00
    assert not broken(validate(inst, sol), "shift_type_cap")
    bad = handmade(inst, {"a": [(0, "16:00", "24:00", []), (1, "16:00", "24:00", [])]})
    (b,) = broken(validate(inst, bad), "shift_type_cap")
    assert b.amount == 1 and "2 late shifts" in b.message
    early = handmade(inst, {"a": [(0, "16:00", "20:00", []), (1, "16:00", "20:00", [])]})
    assert not broken(validate(inst, early), "shift_type_cap")


def test_min_days_off_run_with_and_without_the_rule():
    # the line is closed on Thursday: working every other day leaves it a lone day off
    rules = WorkRules(min_days_off_week=0, max_consecutive_days=7, min_days_off_in_a_row=2)
    inst = instance([member("a")], days=(0, 1, 2, 4, 5, 6), rules=rules)
    without = solve_with(inst, BASE)
    assert days_worked(without, "a") == [0, 1, 2, 4, 5, 6]
    (b,) = broken(validate(inst, without), "min_days_off_run")
    assert b.staff_id == "a" and b.amount == 1 and "Thursday" in b.message
    sol = solve_with(inst, [*BASE, "min_days_off_run"])
    worked = days_worked(sol, "a")
    assert len(worked) == 5 and 3 not in worked
    assert not broken(validate(inst, sol), "min_days_off_run")
    # a break at the end of the week may run on into next week
    edge = handmade(inst, {"a": [(d, "09:00", "17:00", []) for d in range(6)]})
    assert not broken(validate(inst, edge), "min_days_off_run")


def test_min_working_run_with_and_without_the_rule():
    rules = WorkRules(min_days_off_week=0, max_consecutive_days=7, min_working_days_in_a_row=2)
    inst = instance([member("a")], days=(1, 2, 4, 6), rules=rules)
    without = solve_with(inst, BASE)
    (b,) = broken(validate(inst, without), "min_working_run")
    assert b.amount == 1 and "Friday" in b.message  # Sunday's run may go on next week
    sol = solve_with(inst, [*BASE, "min_working_run"])
    assert days_worked(sol, "a") == [1, 2, 6]
    assert not broken(validate(inst, sol), "min_working_run")
    carried = instance([member("b", days_worked_before_week=3)], days=(0,), rules=rules)
    assert days_worked(solve_with(carried, [*BASE, "min_working_run"]), "b") == [0]


def test_the_normal_solve_keeps_the_rules_a_site_switches_on():
    from scheduling.roster.solve import solve

    rules = WorkRules(
        min_days_off_week=0,
        max_consecutive_days=7,
        max_weekends_worked=1,
        min_days_off_in_a_row=2,
        min_working_days_in_a_row=2,
        max_late_shifts_week=1,
    )
    staff = [member("a", weekends_worked_before=1), member("b"), member("c")]
    inst = instance(staff, days=range(7), hours=("09:00", "22:00"), rules=rules)
    sol = solve(inst)
    report = validate(inst, sol)
    assert not report.hard, [b.message for b in report.hard]
    assert {5, 6}.isdisjoint(days_worked(sol, "a"))
