"""The first roster built without a solver: every hard rule kept by construction (checked by
the independent scorer) on the tiny instance, on random small ones and on real instances, and
a year-long instance gets a roster within a few seconds."""

from __future__ import annotations

import random

import pytest

from scheduling.benchmark.greedy import greedy_roster
from scheduling.benchmark.instance import parse_instance, read_instance
from scheduling.benchmark.score import score
from scheduling.benchmark.solve import SearchOptions, solve_instance
from tests.scheduling.benchmark.test_curtois_qu import SHARED, TINY, needs_shared


def rows(roster):
    return [(e, d, t) for (e, d), t in roster.items()]


def random_instance(seed: int) -> str:
    """Four weeks, a few people and shift types with banned successions (one type banning
    itself), per-type maxima, mixed lengths, weekends capped, days off, requests and cover.
    Each person's limits leave room: at most 5 shifts in a row, at least 2 days off, so about
    20 shifts fit in 28 days."""
    rng = random.Random(seed)
    kinds = ["E", "D", "L", "N"][: rng.randint(2, 4)]
    lengths = {"E": 480, "D": 480, "L": rng.choice([480, 600]), "N": rng.choice([600, 720])}
    bans = {"E": "", "D": "E", "L": "E|D", "N": "E|D|L|N"}
    lines = ["SECTION_HORIZON", "28", "", "SECTION_SHIFTS"]
    lines += [
        f"{t},{lengths[t]},{'|'.join(b for b in bans[t].split('|') if b in kinds)}" for t in kinds
    ]
    lines += ["", "SECTION_STAFF"]
    staff = [f"P{i}" for i in range(rng.randint(2, 6))]
    for p in staff:
        caps = {t: rng.choice([0, 3, 6, 28]) for t in kinds}
        caps["E" if "D" not in caps else "D"] = 28  # one type they may always work
        shifts = rng.randint(10, 16)
        high = shifts * 480 + rng.choice([0, 240, 480, 960])
        cmin, omin = rng.randint(1, 2), rng.randint(1, 3)
        cap_text = "|".join(f"{t}={c}" for t, c in caps.items())
        lines.append(f"{p},{cap_text},{high},{shifts * 480},5,{cmin},{omin},{rng.randint(1, 4)}")
    lines += ["", "SECTION_DAYS_OFF"]
    lines += [f"{p},{rng.randrange(28)}" for p in staff]
    lines += ["", "SECTION_SHIFT_ON_REQUESTS"]
    lines += [f"{rng.choice(staff)},{rng.randrange(28)},{rng.choice(kinds)},2" for _ in range(4)]
    lines += ["", "SECTION_SHIFT_OFF_REQUESTS"]
    lines += [f"{rng.choice(staff)},{rng.randrange(28)},{rng.choice(kinds)},3" for _ in range(4)]
    lines += ["", "SECTION_COVER"]
    lines += [f"{d},{t},{rng.randint(0, 2)},100,1" for d in range(28) for t in kinds]
    return "\n".join(lines) + "\n"


def test_tiny_instance_gets_a_roster_keeping_every_rule_at_its_true_cost():
    inst = parse_instance(TINY, "tiny")
    built = greedy_roster(inst)
    assert built.left_out == []
    sc = score(inst, rows(built.roster))
    assert sc.feasible, sc.violations
    assert built.objective == sc.objective


@pytest.mark.parametrize("seed", range(40))
def test_every_person_it_rosters_keeps_every_hard_rule(seed):
    inst = parse_instance(random_instance(seed), f"random{seed}")
    built = greedy_roster(inst, passes=2)
    # people it cannot roster are named; everyone else's rows must pass the scorer alone
    mine = [r for r in rows(built.roster) if r[0] not in built.left_out]
    others = {e: emp for e, emp in inst.staff.items() if e not in built.left_out}
    inst.staff = others
    sc = score(inst, mine)
    assert sc.feasible, sc.violations


def test_further_passes_never_return_a_costlier_roster():
    inst = parse_instance(random_instance(3), "random3")
    once = greedy_roster(inst)
    thrice = greedy_roster(inst, passes=3)
    assert thrice.objective <= once.objective
    assert score(inst, rows(thrice.roster)).objective == thrice.objective


def test_a_person_with_no_shift_type_but_minutes_to_work_is_left_out():
    text = TINY.replace("B,D=7|N=0,2880,960,3,1,2,1", "B,D=0|N=0,2880,960,3,1,2,1")
    built = greedy_roster(parse_instance(text, "tiny"))
    assert built.left_out == ["B"]
    assert all(e == "A" for e, _ in built.roster)


@needs_shared
@pytest.mark.parametrize("number", [8, 15, 22])
def test_real_instances_get_a_roster_for_everyone_keeping_every_rule(number):
    # 8: per-type maxima of a few shifts; 15: a shift type that may not follow itself;
    # 22: a year, 50 people, weekends capped at half
    inst = read_instance(SHARED / f"Instance{number}.txt")
    built = greedy_roster(inst)
    assert built.left_out == []
    sc = score(inst, rows(built.roster))
    assert sc.feasible, sc.violations[:5]
    assert built.objective == sc.objective


@needs_shared
def test_a_year_long_instance_gets_a_scored_roster_within_a_short_limit():
    # before, the first roster was built with CP-SAT one person at a time and instance 22 got
    # none within 120 s
    inst = read_instance(SHARED / "Instance22.txt")
    res = solve_instance(inst, time_limit=6, workers=1, options=SearchOptions())
    assert res.status == "FEASIBLE" and res.objective is not None
    sc = score(inst, rows(res.roster))
    assert sc.feasible and sc.objective == res.objective
