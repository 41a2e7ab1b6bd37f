"""The Curtois & Qu benchmark: the reader (and its line-numbered errors), the model against a
brute-force optimum and the published optimum of instance 1, the independent scorer, and the
command line."""

from __future__ import annotations

import csv
import itertools
from dataclasses import replace
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from scheduling.benchmark.instance import InstanceFormatError, parse_instance, read_instance
from scheduling.benchmark.model import build_model
from scheduling.benchmark.run import parse_instances
from scheduling.benchmark.score import read_solution, score
from scheduling.benchmark.solve import SearchOptions, solve_instance
from scheduling.cli import main

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "benchmarks" / "curtois-qu"
needs_shared = pytest.mark.skipif(
    not (SHARED / "Instance1.txt").exists(), reason="../shared/benchmarks not present"
)

# One week, two people, a day shift D and a long night shift N that D may not follow.
TINY = """\
# a hand-made instance
SECTION_HORIZON
7

SECTION_SHIFTS
D,480,
N,600,D

SECTION_STAFF
A,D=7|N=2,3000,1440,4,2,2,1
B,D=7|N=0,2880,960,3,1,2,1

SECTION_DAYS_OFF
B,3

SECTION_SHIFT_ON_REQUESTS
A,0,N,3
B,1,D,2

SECTION_SHIFT_OFF_REQUESTS
A,4,D,2
B,5,D,1

SECTION_COVER
0,D,1,10,1
1,D,1,10,1
2,D,2,10,1
3,D,1,10,1
4,D,1,10,1
5,D,1,10,1
6,D,0,10,1
0,N,1,5,1
1,N,0,5,1
2,N,0,5,1
3,N,0,5,1
4,N,0,5,1
5,N,1,5,1
6,N,0,5,1
"""


def brute_force_optimum(text: str) -> int:
    """Every roster of the tiny instance scored by the scorer alone: the lowest feasible."""
    inst = parse_instance(text)
    per_person = {}
    for e, emp in inst.staff.items():
        alone = replace(inst, staff={e: emp}, on_requests=[], off_requests=[], cover=[])
        options = [None, *(t for t in inst.shifts if emp.max_shifts[t] > 0)]
        per_person[e] = [
            [(e, d, t) for d, t in enumerate(days) if t is not None]
            for days in itertools.product(options, repeat=inst.days)
        ]
        per_person[e] = [rows for rows in per_person[e] if score(alone, rows).feasible]
    best = None
    for combo in itertools.product(*per_person.values()):
        sc = score(inst, [r for rows in combo for r in rows])
        if sc.feasible and (best is None or sc.objective < best):
            best = sc.objective
    assert best is not None
    return best


def test_tiny_instance_reaches_the_brute_force_optimum_and_the_scorer_agrees():
    inst = parse_instance(TINY, "tiny")
    optimum = brute_force_optimum(TINY)
    assert optimum == 11
    res = solve_instance(inst, time_limit=10, workers=2)
    assert res.status == "OPTIMAL" and res.objective == optimum
    sc = score(inst, [(e, d, t) for (e, d), t in res.roster.items()])
    assert sc.feasible and sc.objective == optimum


@pytest.mark.parametrize("options", [SearchOptions(symmetry=False), SearchOptions(lns=True)])
def test_search_settings_keep_the_optimum(options):
    inst = parse_instance(TINY, "tiny")
    res = solve_instance(inst, time_limit=10, workers=2, options=options)
    assert res.objective == 11


def test_scorer_names_each_broken_hard_rule():
    inst = parse_instance(TINY, "tiny")
    rows = [
        ("B", 3, "D"),  # a day off
        ("B", 0, "N"),  # a type B may never work
        ("A", 0, "N"),
        ("A", 1, "D"),  # D after N
        ("A", 2, "N"),
        ("A", 3, "N"),  # a third N
        ("A", 5, "D"),
        ("A", 6, "D"),
    ]
    text = "\n".join(score(inst, rows).violations)
    for expected in (
        "B day 3: works on a day off",
        "B: 1 shifts N, at most 0",
        "A day 0: N followed by D",
        "A: 3 shifts N, at most 2",
        "only 1 days off in a row from day 4",
    ):
        assert expected in text
    twice = score(inst, [("A", 0, "D"), ("A", 0, "N")])
    assert twice.violations[0] == "A day 0: more than one shift"


def test_scorer_counts_requests_and_cover():
    inst = parse_instance(TINY, "tiny")
    sc = score(inst, [])
    # every cover unmet, both on-requests unmet, no off-request broken
    under = 10 * (1 + 1 + 2 + 1 + 1 + 1) + 5 * (1 + 1)
    assert sc.parts == {"on_requests": 5, "off_requests": 0, "under_cover": under, "over_cover": 0}
    assert "A: 0 minutes, expected 1440-3000" in sc.violations


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        (TINY.replace("D,480,", "D,eight,"), 6, "shift D length: expected a whole number"),
        (TINY.replace("B,3\n", "B,9\n"), 14, "day 9 is outside the horizon of 7 days"),
        (TINY.replace("A,0,N,3", "Z,0,N,3"), 17, "unknown employee 'Z'"),
        (TINY.replace("B,5,D,1", "B,5,X,1"), 22, "unknown shift 'X'"),
        (TINY.replace("A,D=7|N=2,3000", "A,D=7|N=2,3000,9"), 10, "expected 8 comma-separated"),
        (TINY.replace("SECTION_COVER", "SECTION_CUPBOARD"), 24, "unknown section"),
        (TINY.replace("6,N,0,5,1", "6,N,0,5,1\n0,D,1,10,1"), 39, "given twice"),
        ("7\nSECTION_HORIZON\n", 1, "expected a SECTION_ line"),
    ],
)
def test_malformed_file_is_rejected_with_its_line(text, line, what):
    with pytest.raises(InstanceFormatError) as err:
        parse_instance(text, "bad.txt")
    assert err.value.line == line
    assert str(err.value).startswith(f"bad.txt: line {line}: ") and what in str(err.value)


def test_missing_section_is_named():
    with pytest.raises(InstanceFormatError, match="missing SECTION_COVER"):
        parse_instance(TINY.split("SECTION_COVER")[0])


def test_instance_list_parsing():
    assert parse_instances("1-3,5") == [1, 2, 3, 5]
    with pytest.raises(ValueError, match="from 1 to 24"):
        parse_instances("0-3")
    with pytest.raises(ValueError, match="like 1-12"):
        parse_instances("one")


@needs_shared
def test_reader_on_instance_1():
    inst = read_instance(SHARED / "Instance1.txt")
    assert (inst.days, len(inst.staff), list(inst.shifts)) == (14, 8, ["D"])
    assert inst.staff["A"].max_minutes == 4320 and inst.days_off["B"] == {5}
    assert len(inst.on_requests) == 21 and len(inst.cover) == 14
    assert inst.weekends() == [(5, 6), (12, 13)]


@needs_shared
def test_instance_1_through_the_command_line_reaches_607_and_rescores(tmp_path, capsys):
    out, sols = tmp_path / "cq.csv", tmp_path / "cq"
    argv = ["benchmark", "curtois-qu", "--instances", "1", "--time-limit", "20"]
    argv += ["--workers", "2", "--out", str(out), "--solutions", str(sols), "--dir", str(SHARED)]
    assert main(argv) == 0
    (row,) = list(csv.DictReader(out.open()))
    assert row["objective"] == "607" and row["status"] == "OPTIMAL"
    assert row["best_known"] == "607" and row["gap_pct"] == "0.0"
    assert row["scorer_agrees"] == "True"
    rows = read_solution(sols / "Instance1.csv")
    sc = score(read_instance(SHARED / "Instance1.txt"), rows)
    assert sc.feasible and sc.objective == 607
    assert "Instance1: OPTIMAL 607" in capsys.readouterr().out


def test_command_line_errors_are_one_line(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert main(["benchmark", "curtois-qu", "--out", "x.csv", "--dir", str(missing)]) == 2
    assert "benchmark folder" in capsys.readouterr().err
    (tmp_path / "Instance1.txt").write_text(TINY.replace("D,480,", "D,-5,"))
    argv = ["benchmark", "curtois-qu", "--instances", "1", "--out", str(tmp_path / "o.csv")]
    assert main([*argv, "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Instance1.txt: line 6:" in err
    assert main([*argv[:3], "30", "--out", "o.csv"]) == 2
    assert "from 1 to 24" in capsys.readouterr().err


def test_model_objective_is_the_rosters_cost_not_only_at_the_optimum():
    # A roster the solver reports mid-search must carry its true cost: with every shift fixed
    # the objective can take one value only (under- and over-cover never both counted).
    inst = parse_instance(TINY, "tiny")
    rows = [("A", 2, "D"), ("A", 3, "D"), ("A", 4, "D"), ("A", 5, "N")]
    rows += [("B", 0, "D"), ("B", 1, "D"), ("B", 2, "D"), ("B", 5, "D")]
    sc = score(inst, rows)
    assert sc.feasible
    true_cost = sc.objective
    bm = build_model(inst)
    for (e, d, t), v in bm.x.items():
        bm.m.add(v == int((e, d, t) in rows))
    bm.m.add(bm.objective >= true_cost + 1)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 5
    solver.parameters.num_workers = 1
    assert solver.solve(bm.m) == cp_model.INFEASIBLE
