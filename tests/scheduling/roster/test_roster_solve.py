"""Whole weeks: solved rosters checked by the validator, re-plans, impossible weeks, hires."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from scheduling.roster.samples import synthetic_instance
from scheduling.roster.schema import (
    PlannedShift,
    RosterSolution,
    SkillCover,
    SolveOptions,
)
from scheduling.roster.solve import solve
from scheduling.roster.stages import Progress
from scheduling.roster.validate import validate
from tests.scheduling.roster.rosterkit import at, instance, member


def quick(**kw) -> SolveOptions:
    return SolveOptions(time_limit_seconds=kw.pop("time_limit_seconds", 8), workers=2, **kw)


@pytest.fixture(scope="module")
def small_week():
    inst = synthetic_instance(staff=6, supervisors=2, lawyers=0, peak=3, time_limit=8)
    seen: list[Progress] = []
    return inst, solve(inst, progress=seen.append), seen


def test_small_week_keeps_every_hard_rule(small_week):
    inst, sol, _ = small_week
    report = validate(inst, sol)
    assert report.hard == []
    st = sol.stats
    assert st.status in ("OPTIMAL", "FEASIBLE") and st.method == "full"
    assert st.objective is not None and st.best_bound is not None and st.gap is not None
    assert st.best_bound <= st.objective + 1e-6
    assert st.time_limit_seconds == 8 and st.workers == 2
    # the validator's points are the solver's objective, rule by rule
    assert report.objective == pytest.approx(st.objective, abs=0.01)


def test_progress_reports_objective_and_bound(small_week):
    _, sol, seen = small_week
    assert seen and all(p.best_bound <= p.objective + 1e-6 for p in seen)
    assert seen[-1].objective >= sol.stats.objective - 1e-6


def test_solution_round_trips_through_json(small_week):
    _, sol, _ = small_week
    again = RosterSolution.model_validate_json(sol.model_dump_json())
    assert again == sol
    assert '+05:00"' in sol.model_dump_json()  # local ISO times with the site's offset


def test_coverage_rows_add_up(small_week):
    inst, sol, _ = small_week
    assert len(sol.coverage) == len(inst.intervals)
    for row in sol.coverage:
        assert row.shortfall == max(0, row.required - row.on_line)


def test_replan_keeps_pinned_shifts_and_changes_little():
    inst = synthetic_instance(staff=6, supervisors=2, lawyers=0, peak=3, time_limit=6)
    first = solve(inst)
    published = tuple(
        PlannedShift(staff_id=p.staff_id, start=s.start, end=s.end, activities=s.activities)
        for p in first.people
        for s in p.shifts
    )
    pin = at(3, "00:00")  # Thursday: Monday-Wednesday have happened
    busier = tuple(
        slot.model_copy(
            update={"required": slot.required + (1 if slot.start.weekday() == 4 else 0)}
        )
        for slot in inst.intervals
    )
    weights = inst.weights.model_copy(update={"changed_shift": 2000})
    again = inst.model_copy(
        update={"published": published, "pin_before": pin, "intervals": busier, "weights": weights}
    )
    second = solve(again)
    assert validate(again, second).hard == []
    before = {
        (p.staff_id, s.start, s.end, s.activities)
        for p in first.people
        for s in p.shifts
        if s.start < pin
    }
    after = {
        (p.staff_id, s.start, s.end, s.activities)
        for p in second.people
        for s in p.shifts
        if s.start < pin
    }
    assert before == after
    assert all(s.pinned for p in second.people for s in p.shifts if s.start < pin)
    moved = [b for b in second.broken_rules if b.rule == "stability"]
    after_pin = [s for p in first.people for s in p.shifts if s.start >= pin]
    # Friday needs more people: some shifts move or are added, most of the rest stay
    assert len(moved) <= len(after_pin) // 2


def _no_supervisor_on_sunday(**opts):
    staff = [
        member("amna", skills=("counsellor", "supervisor"), leave=[(6, 6)]),
        member(
            "bilal",
            skills=("counsellor", "supervisor"),
            availability=[(d, "09:00", "17:00") for d in range(6)],
        ),
        member("c1"),
        member("c2"),
    ]
    covers = tuple(
        SkillCover(skill="supervisor", start=at(d, "09:00"), end=at(d, "17:00"), mode="some_time")
        for d in (5, 6)
    )
    return instance(staff, days=(5, 6), skill_covers=covers, options=quick(**opts))


def test_impossible_week_names_the_rule_and_the_people():
    inst = _no_supervisor_on_sunday(allow_hires=False)
    sol = solve(inst)
    assert sol.stats.status == "INFEASIBLE"
    info = sol.infeasibility
    assert info is not None
    (c,) = info.conflicts
    assert c.rule == "skill_cover" and c.day == at(6, "00:00").date()
    assert "Sunday" in c.message and "Person amna is on leave" in c.message
    assert "Person bilal is not available on Sundays" in c.message
    # the best roster without that rule is still returned, and the break is listed
    assert sol.people and sol.shortfall_hours() == 0
    assert [b.rule for b in validate(inst, sol).hard] == ["skill_cover"]
    assert any(f.kind == "infeasible" for f in sol.flags)


def test_impossible_contract_names_the_person():
    staff = [member("a", cmin=30 * 60, availability=[(0, "09:00", "17:00")]), member("b")]
    inst = instance(staff, days=(0, 1), options=quick(allow_hires=False))
    sol = solve(inst)
    assert sol.infeasibility is not None
    (c,) = sol.infeasibility.conflicts
    assert c.rule == "contract_hours" and c.staff_id == "a"
    assert "contract minimum of 30 h" in c.message


def test_hire_advice_when_the_staff_cannot_cover():
    from scheduling.roster.build import default_hire_templates

    inst = instance(
        [member("a")],
        days=(0, 1, 2),
        required=2,
        hire_templates=default_hire_templates(),
        options=quick(),
    )
    sol = solve(inst)
    assert validate(inst, sol).hard == []
    assert sol.hires
    advice = sol.hires[0]
    assert advice.count >= 1 and advice.shifts
    assert advice.shortfall_hours_without > advice.shortfall_hours_with
    assert "Hire" in advice.message and "Without them" in advice.message
    assert sum(h.count for h in sol.hires) == len([p for p in sol.people if p.hire_template])


def test_hires_make_an_impossible_week_possible_and_say_why():
    from scheduling.roster.build import default_hire_templates

    inst = _no_supervisor_on_sunday().model_copy(
        update={"hire_templates": default_hire_templates(["supervisor"])}
    )
    sol = solve(inst)
    assert validate(inst, sol).hard == []
    assert any(h.template == "specialist_supervisor" for h in sol.hires)
    assert sol.infeasibility is not None and "With the current staff" in sol.infeasibility.message


def test_decomposed_solve_keeps_every_hard_rule():
    inst = synthetic_instance(staff=8, supervisors=2, lawyers=1, time_limit=8)
    inst = inst.model_copy(
        update={"options": inst.options.model_copy(update={"method": "decomposed"})}
    )
    sol = solve(inst)
    assert sol.stats.method == "decomposed"
    assert sol.stats.stages[0].name == "greedy"  # a roster at once, improved by CP-SAT
    assert sol.people and sol.stats.first_solution_seconds is not None
    assert validate(inst, sol).hard == []
    assert sol.stats.best_bound <= sol.stats.objective + 1e-6


def test_fifteen_minute_intervals_and_night_shifts():
    inst = instance(
        [member(x) for x in "abcd"],
        days=(0, 1),
        hours=("00:00", "24:00"),
        interval=15,
        required=1,
        options=quick(time_limit_seconds=10),
    )
    sol = solve(inst)
    assert validate(inst, sol).hard == []
    assert all(s.end - s.start <= timedelta(hours=8) for p in sol.people for s in p.shifts)


def test_demo_week_keeps_every_hard_rule():
    from scheduling.roster.cli import SAMPLES
    from scheduling.roster.demo import demo_instance

    if not (SAMPLES / "demo_site.json").exists():
        pytest.skip("no demo sample files")
    from datetime import date

    inst = demo_instance(date(2026, 11, 23), SAMPLES)
    # The staff can cover the whole week. The full model's first roster already does (the
    # greedy shifts, with the activities placed by CP-SAT), so a short limit is enough and no
    # hire is advised.
    sol = solve(inst, time_limit=10)
    assert validate(inst, sol).hard == []
    assert sol.shortfall_hours() == 0
    assert not sol.hires and not any(p.hire_template for p in sol.people)
    # the staff's roster is improved in a second phase from half the limit on; the first
    # roster of the whole solve is still the greedy one at the start
    assert sol.stats.first_solution_seconds is not None
    assert sol.stats.first_solution_seconds < 5


def _demo(week):
    from scheduling.roster.cli import SAMPLES
    from scheduling.roster.demo import demo_instance

    if not (SAMPLES / "demo_site.json").exists():
        pytest.skip("no demo sample files")
    return demo_instance(week, SAMPLES)


def _demo_plain_floor(week):
    """The demo week staffed to the plain floor of 2 (no decompression cover): the greedy
    roster alone covers that one."""
    from scheduling.roster.build import build_instance
    from scheduling.roster.cli import SAMPLES
    from scheduling.roster.demo import demo_forecast, demo_inputs
    from scheduling.staffing.requirements import requirements_for_week

    if not (SAMPLES / "demo_site.json").exists():
        pytest.skip("no demo sample files")
    site, settings, rules, staff = demo_inputs(SAMPLES)
    floors = settings.floors.model_copy(update={"free_probability": None})
    settings = settings.model_copy(update={"floors": floors})
    requirements = requirements_for_week(demo_forecast(SAMPLES, site, week), site, settings)
    return build_instance(
        site=site,
        staff=staff,
        rules=rules,
        requirements=requirements,
        settings=settings,
        week_start=week,
    )


def test_demo_week_with_leave_reaches_zero_shortfall():
    from datetime import date

    # Hina is on leave Tuesday-Thursday; staffed to the plain floor (with the decompression
    # cover the week needs about 40 more line hours and is tight for nine counsellors)
    inst = _demo_plain_floor(date(2026, 11, 30))
    assert any(e.member.leave for e in inst.staff)
    sol = solve(inst, time_limit=60, workers=2)
    assert validate(inst, sol).hard == []
    assert sol.shortfall_hours() == 0
    assert sol.stats.status in ("OPTIMAL", "FEASIBLE") and not sol.hires


def test_a_roster_even_when_cp_sat_has_no_time():
    """The greedy roster keeps every hard rule, so it is returned when CP-SAT finds nothing."""
    from datetime import date

    inst = _demo_plain_floor(date(2026, 11, 30))
    sol = solve(inst, time_limit=0.3, workers=2)
    assert sol.people and sol.stats.objective is not None
    report = validate(inst, sol)
    assert report.hard == []
    # the roster returned is scored as the validator scores it, shortfall included
    assert report.objective == pytest.approx(sol.stats.objective, abs=0.01)
    assert sol.stats.first_solution_seconds is not None


def _short_an_hour(**opts):
    """Two counsellors cannot put three on the line at Monday noon: an hour short that a hire
    (7000 points at least) is not worth, so the hires phase runs and the staff's roster wins."""
    from scheduling.roster.build import default_hire_templates

    return instance(
        [member("a"), member("b")],
        days=(0, 1),
        required=lambda d, hhmm: 3 if d == 0 and hhmm in ("12:00", "12:30") else 1,
        hire_templates=default_hire_templates(),
        options=quick(**opts),
    )


@pytest.fixture(scope="module")
def staff_win():
    inst = _short_an_hour(time_limit_seconds=6)
    seen: list[Progress] = []
    t0 = time.monotonic()
    sol = solve(inst, progress=seen.append)
    return inst, sol, seen, time.monotonic() - t0


def test_wall_time_covers_the_whole_solve(staff_win):
    inst, sol, _, elapsed = staff_win
    st = sol.stats
    assert not sol.hires and validate(inst, sol).hard == []
    assert any(s.name.startswith("with hires: ") for s in st.stages)  # both phases ran
    # the stages run one after another within the solve
    assert st.wall_time_seconds >= sum(s.wall_time_seconds for s in st.stages) - 0.01
    assert st.wall_time_seconds <= elapsed + 0.01
    assert st.best_solution_seconds <= st.wall_time_seconds


def test_stage_names_are_distinct_and_bounds_never_drop_within_one(staff_win):
    _, sol, seen, _ = staff_win
    names = [s.name for s in sol.stats.stages]
    assert len(names) == len(set(names))
    assert {p.stage for p in seen} <= set(names)
    for name in set(names):
        bounds = [p.best_bound for p in seen if p.stage == name]
        assert bounds == sorted(bounds)


def test_a_supervisor_hire_when_nobody_can_supervise():
    from scheduling.domain import Skill
    from scheduling.roster.build import default_hire_templates

    templates = {t.key: t for t in default_hire_templates([Skill.SUPERVISOR])}
    psychologist = templates["specialist_supervisor"]
    # one person works at most five days: a seven-day week needs two
    assert Skill.SUPERVISOR in psychologist.skills and psychologist.max_count >= 2
    days = range(7)
    covers = tuple(
        SkillCover(skill="supervisor", start=at(d, "09:00"), end=at(d, "17:00"), mode="some_time")
        for d in days
    )
    inst = instance(
        [member(x) for x in "abcd"],
        days=days,
        skill_covers=covers,
        hire_templates=tuple(templates.values()),
        options=quick(time_limit_seconds=12),
    )
    sol = solve(inst)
    assert validate(inst, sol).hard == []
    (advice,) = [h for h in sol.hires if h.template == "specialist_supervisor"]
    assert advice.count >= 2
    assert sol.infeasibility is not None
    assert "With the current staff" in sol.infeasibility.message
    assert "supervisor" in sol.infeasibility.message


def test_line_blocks_is_a_second_stage_that_keeps_the_bound(small_week):
    inst, sol, seen = small_week
    names = [s.name for s in sol.stats.stages]
    assert len(names) == len(set(names))
    # the first stage's bound is reported on: switches only add points (and with no time for
    # the line-blocks stage, the switches of the first stage's roster are counted)
    full = [p for p in seen if p.stage == "full"]
    blocks = [p for p in seen if p.stage == "line blocks"]
    assert all(p.best_bound >= full[-1].best_bound - 1e-6 for p in blocks)
    assert sol.stats.best_bound <= sol.stats.objective + 1e-6
    assert validate(inst, sol).points.get("line_blocks", 0) == pytest.approx(
        sol.stats.objective_by_rule.get("line_blocks", 0)
    )
