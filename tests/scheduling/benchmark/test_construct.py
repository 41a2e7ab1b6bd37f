"""The first roster built person by person and its improvement a few people at a time: every
hard rule kept (by the independent scorer), the model of some people with the rest fixed
costs the whole roster, and the improvement reaches the tiny instance's optimum."""

from __future__ import annotations

import time

import pytest
from ortools.sat.python import cp_model

from scheduling.benchmark.construct import NoRosterError, first_roster, improve_by_people
from scheduling.benchmark.instance import parse_instance
from scheduling.benchmark.model import build_model
from scheduling.benchmark.score import score
from scheduling.benchmark.solve import SearchOptions, candidate_shifts, solve_instance
from tests.scheduling.benchmark.test_curtois_qu import TINY


def rows(roster):
    return [(e, d, t) for (e, d), t in roster.items()]


def test_model_of_one_person_with_the_rest_fixed_costs_the_whole_roster():
    inst = parse_instance(TINY, "tiny")
    b_roster = {("B", 0): "D", ("B", 1): "D", ("B", 2): "D", ("B", 5): "D"}
    a_rows = [("A", 2, "D"), ("A", 3, "D"), ("A", 4, "D"), ("A", 5, "N")]
    bm = build_model(inst, people=["A"], fixed=b_roster)
    assert {k[0] for k in bm.x} == {"A"}
    for (e, d, t), v in bm.x.items():
        bm.m.add(v == int((e, d, t) in a_rows))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 5
    solver.parameters.num_workers = 1
    assert solver.solve(bm.m) == cp_model.OPTIMAL
    whole = score(inst, a_rows + rows(b_roster))
    assert whole.feasible
    assert round(solver.objective_value) == whole.objective


def test_first_roster_keeps_every_hard_rule_and_reports_its_cost():
    inst = parse_instance(TINY, "tiny")
    roster, cost = first_roster(inst, deadline=time.monotonic() + 5, workers=1)
    sc = score(inst, rows(roster))
    assert sc.feasible, sc.violations
    assert sc.objective == cost


def test_improvement_reaches_the_optimum_and_never_reports_a_wrong_cost():
    inst = parse_instance(TINY, "tiny")
    roster, cost = first_roster(inst, deadline=time.monotonic() + 5, workers=1, order=["B", "A"])
    seen = []
    better = improve_by_people(
        inst,
        roster,
        cost,
        deadline=time.monotonic() + 3,
        workers=1,
        on_better=lambda r, c: seen.append((score(inst, rows(r)).objective, c)),
    )
    assert better.objective == 11  # the brute-force optimum (test_curtois_qu)
    assert all(true == reported for true, reported in seen)
    sc = score(inst, rows(better.roster))
    assert sc.feasible and sc.objective == 11


def test_a_person_whose_rules_cannot_be_kept_is_named():
    # B needs at least 960 minutes but may work only day 3, which is a day off
    text = TINY.replace("B,D=7|N=0,2880,960,3,1,2,1", "B,D=1|N=0,2880,960,3,1,2,1")
    inst = parse_instance(text, "tiny")
    with pytest.raises(NoRosterError, match="employee B"):
        first_roster(inst, deadline=time.monotonic() + 5, workers=1)


def test_solve_by_construction_gives_a_scored_roster():
    inst = parse_instance(TINY, "tiny")
    assert candidate_shifts(inst) == 7 * 2 + 6 * 1
    # too large for the whole model: the first roster improved a few people at a time
    alone = SearchOptions(construct=True, whole_model_upto=0)
    res = solve_instance(inst, time_limit=3, workers=1, options=alone)
    assert res.status == "FEASIBLE" and res.objective is not None
    sc = score(inst, rows(res.roster))
    assert sc.feasible and sc.objective == res.objective
    # small enough: the first roster hints the whole model, which proves the optimum
    hinted = solve_instance(inst, time_limit=5, workers=1, options=SearchOptions(construct=True))
    assert hinted.status == "OPTIMAL" and hinted.objective == 11


def test_improving_by_people_after_the_whole_model_keeps_the_optimum():
    inst = parse_instance(TINY, "tiny")
    res = solve_instance(inst, time_limit=4, workers=1, options=SearchOptions(people_share=0.5))
    assert res.objective == 11
    sc = score(inst, rows(res.roster))
    assert sc.feasible and sc.objective == 11
