"""Rules that wellbeing feeds into the roster: requested debriefs before their deadline, an
off-line day for someone under a heavy load, nobody on the line while off the queue; and the
re-plan of the rest of today."""

from __future__ import annotations

from scheduling.roster.build import build_instance
from scheduling.roster.replan import replan_rest_of_day
from scheduling.roster.schema import (
    Activity,
    ActivitySegment,
    DebriefRequest,
    OffLine,
    PlannedShift,
)
from scheduling.roster.validate import validate
from scheduling.roster.work_rules import WorkRules
from tests.scheduling.roster.rosterkit import at, broken, handmade, instance, member, solve_with

BASE = ["coverage"]


def segments_of(sol, sid: str, activity: str) -> list:
    pr = next((p for p in sol.people if p.staff_id == sid), None)
    shifts = [] if pr is None else pr.shifts
    return [g for s in shifts for g in s.activities if g.activity == activity]


def request(sid: str = "a", deadline: str = "17:00", day: int = 0, **kw) -> DebriefRequest:
    return DebriefRequest(request_id=f"r-{sid}", staff_id=sid, deadline=at(day, deadline), **kw)


def test_a_requested_debrief_is_placed_with_a_supervisor_off_the_line():
    staff = [member("a"), member("b"), member("s", skills=("counsellor", "supervisor"))]
    inst = instance(staff, required=1, debrief_requests=(request(deadline="13:00"),))
    sol = solve_with(inst, [*BASE, "debrief_request"])
    assert not broken(validate(inst, sol), "debrief_request")
    mine = segments_of(sol, "a", "debrief")
    theirs = segments_of(sol, "s", "debrief")
    assert mine and theirs
    assert mine[0].end <= at(0, "13:00")
    assert (mine[0].start, mine[0].end) == (theirs[0].start, theirs[0].end)


def test_a_debrief_that_cannot_be_placed_is_a_flag_in_the_managers_words():
    inst = instance([member("a")], debrief_requests=(request(),))
    sol = solve_with(inst, [*BASE, "debrief_request"])
    (b,) = broken(validate(inst, sol), "debrief_request")
    assert not b.hard and b.penalty == inst.weights.debrief_request_missing
    assert "Person a's debrief" in b.message and "Arrange it by hand" in b.message
    assert any("could not be placed" in f.message for f in sol.flags)


def test_a_deadline_before_any_shift_cannot_be_met():
    staff = [member("a"), member("s", skills=("counsellor", "supervisor"))]
    inst = instance(staff, debrief_requests=(request(deadline="09:00"),))
    assert broken(validate(inst, solve_with(inst, [*BASE, "debrief_request"])), "debrief_request")


def test_validator_refuses_a_debrief_while_the_supervisor_is_on_the_line():
    staff = [member("a"), member("s", skills=("counsellor", "supervisor"))]
    inst = instance(staff, debrief_requests=(request(),))
    sol = handmade(
        inst,
        {
            "a": [
                (
                    0,
                    "09:00",
                    "17:00",
                    [
                        ("line", "09:00", "10:00"),
                        ("debrief", "10:00", "10:30"),
                        ("line", "10:30", "17:00"),
                    ],
                )
            ],
            "s": [(0, "09:00", "17:00", [])],
        },
    )
    assert broken(validate(inst, sol), "debrief_request")


def test_an_offline_day_for_someone_under_a_heavy_load():
    staff = [member("a", offline_day_wanted=True), member("b"), member("c")]
    inst = instance(staff, days=(0, 1), required=1, min_on_duty=0)
    sol = solve_with(inst, [*BASE, "offline_day", "rostered_hours"])
    # a 4-hour shift off the line costs fewer points than the missing wish: "a" gets one
    assert not broken(validate(inst, sol), "offline_day")
    days = [s for p in sol.people if p.staff_id == "a" for s in p.shifts]
    assert any(all(g.activity != "line" for g in s.activities) for s in days)
    plain = instance([member("a"), member("b"), member("c")], days=(0, 1), required=1)
    assert not broken(validate(plain, solve_with(plain, [*BASE, "rostered_hours"])), "offline_day")
    hand = handmade(inst, {"a": [(0, "09:00", "13:00", [])]})
    (b,) = broken(validate(inst, hand), "offline_day")
    assert "no working day off the line" in b.message
    offline = handmade(inst, {"a": [(0, "09:00", "13:00", [("offline", "09:00", "13:00")])]})
    assert not broken(validate(inst, offline), "offline_day")


def test_wellbeing_caps_reach_the_instance_with_their_reason(site_week=None):
    from datetime import date

    from scheduling.domain import DailyWindow, SiteProfile, StaffMember
    from scheduling.staffing.requirement_types import IntervalRequirement

    site = SiteProfile(
        name="Line",
        timezone="Asia/Karachi",
        opening_hours=(DailyWindow(weekday=0, start_minute=540, end_minute=1020),),
    )

    class Reqs:
        intervals = (
            IntervalRequirement(
                start=at(0, "09:00"),
                end=at(0, "09:30"),
                forecast_calls=1,
                band_low=0,
                band_high=2,
                required=2,
                queue_required=1,
                workload_erlangs=0.5,
                binding="floor",
            ),
        )
        skill_requirements = ()
        languages_on_line = ()

    staff = [StaffMember(id="h", display_name="H"), StaffMember(id="n", display_name="N")]
    inst = build_instance(
        site=site,
        staff=staff,
        rules=WorkRules(),
        requirements=Reqs(),
        week_start=date(2025, 3, 3),
        line_caps={"h": 25 * 60},
        wellbeing_caps={"h": 20 * 60},
        offline_day_wanted={"h"},
        debrief_requests=[request("h"), request("gone")],
    )
    h, n = inst.staff
    assert h.line_cap_minutes_week == 20 * 60 and h.line_cap_reason == "wellbeing"
    assert h.offline_day_wanted and not n.offline_day_wanted and n.line_cap_reason is None
    assert [r.staff_id for r in inst.debrief_requests] == ["h"]


def test_nobody_on_the_line_while_off_the_queue():
    staff = [member("a"), member("b")]
    window = OffLine(staff_id="a", start=at(0, "10:00"), end=at(0, "10:40"))
    inst = instance(staff, required=2, off_line=(window,))
    sol = solve_with(inst, [*BASE, "off_queue"])
    assert not broken(validate(inst, sol), "off_queue")
    assert not any(
        g.start < at(0, "11:00") and at(0, "10:00") < g.end for g in segments_of(sol, "a", "line")
    )
    hand = handmade(inst, {"a": [(0, "09:00", "17:00", [])]})
    assert broken(validate(inst, hand), "off_queue")


def _published_day(staff_ids, offline=("c",)):
    out = []
    for sid in staff_ids:
        act = Activity.OFFLINE if sid in offline else Activity.LINE
        out.append(
            PlannedShift(
                staff_id=sid,
                start=at(0, "09:00"),
                end=at(0, "13:00"),
                activities=(
                    ActivitySegment(activity=act, start=at(0, "09:00"), end=at(0, "13:00")),
                ),
            )
        )
    out.append(
        PlannedShift(
            staff_id="a",
            start=at(1, "09:00"),
            end=at(1, "13:00"),
            activities=(
                ActivitySegment(activity=Activity.LINE, start=at(1, "09:00"), end=at(1, "13:00")),
            ),
        )
    )
    return tuple(out)


def test_replan_the_rest_of_today_moves_offline_work_to_the_line():
    rules = WorkRules(shift_min_minutes=240, meal_break_if_shift_over_minutes=600)
    staff = [member(s) for s in "abc"]
    inst = instance(
        staff,
        days=(0, 1),
        hours=("09:00", "13:00"),
        required=2,
        rules=rules,
        published=_published_day("abc"),
    )
    now = at(0, "10:05")
    plan = replan_rest_of_day(inst, now, off_queue=[("a", at(0, "10:40"))], time_limit=5)
    assert plan.pin_before == at(0, "10:30")
    assert plan.replan_until == at(1, "00:00")
    report = validate(
        inst.model_copy(
            update={
                "pin_before": plan.pin_before,
                "replan_until": plan.replan_until,
                "keep_activities_after_pin": False,
                "off_line": (OffLine(staff_id="a", start=plan.pin_before, end=at(0, "10:40")),),
            }
        ),
        plan.solution,
    )
    assert not report.hard
    # "c" was doing off-line work: the re-plan puts them on the line while "a" is off the queue
    c_line = segments_of(plan.solution, "c", "line")
    assert any(g.start <= at(0, "10:30") < g.end for g in c_line)
    assert any(ch.staff_id == "c" and ch.kind == "activities" for ch in plan.changes)
    assert "Person c: on the line from" in next(
        c.message for c in plan.changes if c.staff_id == "c"
    )
    # the past and tomorrow are as published
    tomorrow = [s for p in plan.solution.people for s in p.shifts if s.start >= at(1, "00:00")]
    assert [(s.start, s.end) for s in tomorrow] == [(at(1, "09:00"), at(1, "13:00"))]
    a_line = segments_of(plan.solution, "a", "line")
    assert any(g.start == at(0, "09:00") for g in a_line)


def test_replan_needs_a_published_roster():
    import pytest

    inst = instance([member("a")])
    with pytest.raises(ValueError, match="no published roster"):
        replan_rest_of_day(inst, at(0, "10:00"))


def _replan_case(**kw):
    rules = WorkRules(shift_min_minutes=240, meal_break_if_shift_over_minutes=600)
    return instance(
        [member(s) for s in "abc"],
        days=(0, 1),
        hours=("09:00", "13:00"),
        required=2,
        rules=rules,
        published=_published_day("abc"),
        **kw,
    )


def test_replan_without_disruption_changes_nothing():
    plan = replan_rest_of_day(_replan_case(), at(0, "10:05"), time_limit=5)
    assert plan.changes == ()


def test_two_stage_replan_keeps_the_published_shifts_and_covers():
    from scheduling.roster.schema import SolveOptions

    inst = _replan_case(options=SolveOptions(time_limit_seconds=5, workers=2, method="decomposed"))
    plan = replan_rest_of_day(inst, at(0, "10:05"), off_queue=[("a", at(0, "10:40"))])
    kept = sorted((p.staff_id, s.start, s.end) for p in plan.solution.people for s in p.shifts)
    assert kept == sorted((s.staff_id, s.start, s.end) for s in inst.published)
    assert not any(
        g.start < at(0, "11:00") and at(0, "10:30") < g.end
        for g in segments_of(plan.solution, "a", "line")
    )
    assert any(g.start <= at(0, "10:30") < g.end for g in segments_of(plan.solution, "c", "line"))
    today = [r for r in plan.solution.coverage if r.start < at(1, "00:00")]
    assert today and all(r.shortfall == 0 for r in today)
