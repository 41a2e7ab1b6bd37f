"""Pooled centres rostered together: the pool is covered, each person works only in their own
centre's hours, each centre keeps its own floor, and a short centre is told whom the other
centre could lend."""

from __future__ import annotations

from datetime import datetime

from scheduling.roster.pooled import centre_solution, pooled_instance, solve_pool, split_roster
from scheduling.roster.schema import Activity
from tests.scheduling.roster.rosterkit import at, instance, member

LAHORE = instance(
    [member("l1"), member("l2"), member("l3")], hours=("09:00", "17:00"), min_on_duty=1
)
ISLAMABAD = instance(
    [member("i1"), member("i2", cmax=8 * 60)], hours=("10:00", "16:00"), min_on_duty=1
)
CENTRES = [("Lahore", LAHORE), ("Islamabad", ISLAMABAD)]


def _pooled() -> dict[datetime, int]:
    both = {s.start for s in ISLAMABAD.intervals}
    return {s.start: 3 if s.start in both else 1 for s in LAHORE.intervals}


def _shares(lahore_in_overlap: int = 2, isb: int = 1) -> dict[str, dict[datetime, int]]:
    both = {s.start for s in ISLAMABAD.intervals}
    return {
        "Lahore": {s.start: lahore_in_overlap if s.start in both else 1 for s in LAHORE.intervals},
        "Islamabad": {s.start: isb for s in ISLAMABAD.intervals},
    }


def test_the_joint_instance_keeps_each_centre_to_its_hours_and_asks_for_its_floor() -> None:
    joint = pooled_instance(CENTRES, _pooled())
    assert [s.required for s in joint.intervals] == [_pooled()[s.start] for s in joint.intervals]
    isb = [e.member for e in joint.staff if e.member.id.startswith("1:")]
    assert {(w.start_minute, w.end_minute) for m in isb for w in m.availability} == {(600, 960)}
    floors = [c for c in joint.language_covers if c.language == "centre-2"]
    assert len(floors) == len(ISLAMABAD.intervals) and not any(c.hard for c in floors)


def test_the_pool_is_covered_and_split_back_per_centre() -> None:
    result = solve_pool(CENTRES, _pooled(), _shares(), time_limit=5, workers=2)
    assert result.solution.stats.status in ("OPTIMAL", "FEASIBLE")
    assert result.pool_shortfall_hours == 0
    lahore, islamabad = result.centres
    for person in result.solution.people:
        if person.staff_id.startswith("1:"):
            for shift in person.shifts:
                assert at(0, "10:00") <= shift.start and shift.end <= at(0, "16:00")
    # Islamabad's room is never left without one of its own on the line.
    assert all(i.on_line >= 1 for i in islamabad.intervals)
    on_line = {i.start: i.on_line for i in lahore.intervals}
    for i in islamabad.intervals:
        on_line[i.start] += i.on_line
    assert all(on_line[s] >= need for s, need in _pooled().items())
    line_people = {
        p.staff_id
        for p in result.solution.people
        for s in p.shifts
        for a in s.activities
        if a.activity == Activity.LINE
    }
    assert any(p.startswith("0:") for p in line_people) and any(
        p.startswith("1:") for p in line_people
    )


def test_a_short_centre_is_told_whom_the_other_could_lend() -> None:
    joint = solve_pool(CENTRES, _pooled(), _shares(), time_limit=5, workers=2)
    # Islamabad asked to carry four of the pool's counsellors: it has two.
    result = split_roster(CENTRES, _shares(lahore_in_overlap=0, isb=4), joint.solution)
    lahore, islamabad = result.centres
    assert islamabad.shortfall_hours > 0
    assert islamabad.could_lend, "someone at Lahore has spare contract hours"
    assert {lender.centre for lender in islamabad.could_lend} == {"Lahore"}
    assert all(lender.spare_hours >= 1 for lender in islamabad.could_lend)
    assert lahore.could_lend == ()


def test_each_centres_part_is_a_roster_of_its_own_week() -> None:
    joint = solve_pool(CENTRES, _pooled(), _shares(), time_limit=5, workers=2)
    for index, (name, inst) in enumerate(CENTRES):
        part = centre_solution(CENTRES, index, joint.solution)
        own = {e.member.id: e.member.display_name for e in inst.staff}
        working = [p for p in part.people if p.shifts]
        assert working, f"{name}: somebody works"
        # its own people only, under their own ids and names
        assert {p.staff_id for p in part.people} <= set(own)
        assert all(p.display_name == own[p.staff_id] for p in part.people)
        # scored against the centre's own week: one coverage row per open interval, counting
        # only its own people on the line
        assert [r.start for r in part.coverage] == [s.start for s in inst.intervals]
        split = {i.start: i.on_line for i in joint.centres[index].intervals}
        assert all(r.on_line == split[r.start] for r in part.coverage)
        assert part.stats.best_bound is None and part.site_name == inst.site_name
