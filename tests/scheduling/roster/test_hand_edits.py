"""Hand edits of a solved roster: each kind of edit, the rules an edit breaks (in a manager's
words), bad edits refused without a change, undo, and the re-solve that keeps the edits."""

from __future__ import annotations

import pytest

from scheduling.roster.hand_edits import (
    AddShift,
    ChangeActivity,
    EditError,
    MoveShift,
    RemoveShift,
    apply_edit,
    apply_edits,
    break_line,
    break_lines,
    describe,
    hand_pins,
    new_breaks,
    reoptimise_instance,
    rescore,
)
from scheduling.roster.schema import (
    Activity,
    InfeasibilityExplanation,
    RosterInstance,
    RosterSolution,
    SolveOptions,
)
from scheduling.roster.solve import solve
from scheduling.roster.validate import validate
from tests.scheduling.roster.rosterkit import at, handmade, instance, member

DAYS = (0, 1, 2)


def _week() -> tuple[RosterInstance, RosterSolution]:
    inst = instance([member("a"), member("b")], days=DAYS, hours=("06:00", "22:00"), required=1)
    sol = handmade(
        inst,
        {
            "a": [
                (
                    0,
                    "14:00",
                    "22:00",
                    [
                        ("line", "14:00", "17:00"),
                        ("meal", "17:00", "17:30"),
                        ("line", "17:30", "20:30"),
                        ("offline", "20:30", "22:00"),
                    ],
                ),
                (
                    1,
                    "14:00",
                    "22:00",
                    [
                        ("line", "14:00", "17:00"),
                        ("meal", "17:00", "17:30"),
                        ("line", "17:30", "20:30"),
                        ("offline", "20:30", "22:00"),
                    ],
                ),
            ],
            "b": [
                (
                    0,
                    "06:00",
                    "14:00",
                    [
                        ("line", "06:00", "09:00"),
                        ("meal", "09:00", "09:30"),
                        ("line", "09:30", "12:30"),
                        ("offline", "12:30", "14:00"),
                    ],
                ),
            ],
        },
    )
    return inst, rescore(inst, sol)


def _shifts(sol: RosterSolution, sid: str) -> list[tuple]:
    person = next(p for p in sol.people if p.staff_id == sid)
    return [(s.start, s.end) for s in person.shifts]


def _on_line(sol: RosterSolution, day: int, hhmm: str) -> int:
    return next(r.on_line for r in sol.coverage if r.start == at(day, hhmm))


def test_moving_a_shift_moves_its_activities_and_redraws_coverage() -> None:
    inst, sol = _week()
    edited = apply_edit(
        inst,
        sol,
        MoveShift(
            staff_id="a", shift_start=at(1, "14:00"), start=at(2, "13:00"), end=at(2, "21:00")
        ),
    )
    assert _shifts(edited, "a") == [
        (at(0, "14:00"), at(0, "22:00")),
        (at(2, "13:00"), at(2, "21:00")),
    ]
    moved = next(p for p in edited.people if p.staff_id == "a").shifts[1]
    meal = [s for s in moved.activities if s.activity == Activity.MEAL]
    assert [(m.start, m.end) for m in meal] == [(at(2, "16:00"), at(2, "16:30"))]
    assert _on_line(sol, 1, "15:00") == 1 and _on_line(edited, 1, "15:00") == 0
    assert _on_line(edited, 2, "15:00") == 1
    assert edited.shortfall_hours() > sol.shortfall_hours() - 1e-9
    # the roster it was made from is untouched
    assert _shifts(sol, "a")[1] == (at(1, "14:00"), at(1, "22:00"))


def test_an_edit_that_breaks_a_rule_is_named_with_the_person_and_the_day() -> None:
    inst, sol = _week()
    edited = apply_edit(
        inst,
        sol,
        MoveShift(
            staff_id="a", shift_start=at(1, "14:00"), start=at(1, "06:00"), end=at(1, "14:00")
        ),
    )
    broke = new_breaks(sol.broken_rules, edited.broken_rules)
    rest = [b for b in broke if b.rule == "rest_between_shifts"]
    assert rest and rest[0].hard and rest[0].staff_id == "a"
    line = break_line(rest[0], {"a": "Person A"})
    assert line.startswith("At least 11 hours between two shifts (Person A, Tuesday 04 Mar)")
    assert "8 h rest" in line
    # the validator is the one judge: its breaks are the roster's
    assert list(edited.broken_rules) == validate(inst, edited).breaks


def test_adding_a_shift_lays_out_a_meal_break_and_keeps_line_within_the_cap() -> None:
    inst, sol = _week()
    edited = apply_edit(inst, sol, AddShift(staff_id="b", start=at(2, "06:00"), end=at(2, "14:00")))
    new = next(p for p in edited.people if p.staff_id == "b").shifts[-1]
    assert (new.start, new.end) == (at(2, "06:00"), at(2, "14:00"))
    kinds = {s.activity for s in new.activities}
    assert Activity.MEAL in kinds and Activity.LINE in kinds
    assert not [
        b
        for b in edited.broken_rules
        if b.staff_id == "b"
        and b.day == at(2, "06:00").date()
        and b.rule in ("meal_break", "line_hours", "activities")
    ]
    assert edited.shortfall_hours() < sol.shortfall_hours()


def test_removing_a_shift_leaves_its_hours_short() -> None:
    inst, sol = _week()
    edited = apply_edit(inst, sol, RemoveShift(staff_id="b", shift_start=at(0, "06:00")))
    assert _shifts(edited, "b") == []
    assert _on_line(edited, 0, "07:00") == 0
    assert edited.shortfall_hours() == pytest.approx(sol.shortfall_hours() + 6)


def test_changing_an_activity_merges_segments_and_recounts_line_time() -> None:
    inst, sol = _week()
    edited = apply_edit(
        inst,
        sol,
        ChangeActivity(
            staff_id="a",
            shift_start=at(0, "14:00"),
            start=at(0, "15:00"),
            end=at(0, "16:00"),
            activity=Activity.DEBRIEF,
        ),
    )
    a = next(p for p in edited.people if p.staff_id == "a")
    assert a.line_minutes == 2 * 360 - 60
    acts = [(s.activity, s.start, s.end) for s in a.shifts[0].activities]
    assert acts[:3] == [
        (Activity.LINE, at(0, "14:00"), at(0, "15:00")),
        (Activity.DEBRIEF, at(0, "15:00"), at(0, "16:00")),
        (Activity.LINE, at(0, "16:00"), at(0, "17:00")),
    ]
    assert _on_line(edited, 0, "15:30") == 0


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (
            AddShift(staff_id="b", start=at(2, "14:00"), end=at(2, "10:00")),
            "must be after the start",
        ),
        (AddShift(staff_id="b", start=at(2, "18:00"), end=at(3, "01:00")), "outside opening hours"),
        (AddShift(staff_id="zz", start=at(2, "08:00"), end=at(2, "12:00")), "no one with id 'zz'"),
        (
            AddShift(staff_id="a", start=at(0, "10:00"), end=at(0, "15:00")),
            "overlaps Person a's shift",
        ),
        (AddShift(staff_id="b", start=at(2, "08:10"), end=at(2, "12:00")), "30-minute boundary"),
        (
            MoveShift(
                staff_id="a", shift_start=at(2, "14:00"), start=at(2, "08:00"), end=at(2, "12:00")
            ),
            "no shift starting",
        ),
        (
            MoveShift(
                staff_id="a", shift_start=at(1, "14:00"), start=at(0, "18:00"), end=at(1, "02:00")
            ),
            "outside opening hours",
        ),
        (
            ChangeActivity(
                staff_id="a",
                shift_start=at(0, "14:00"),
                start=at(0, "21:00"),
                end=at(0, "23:00"),
                activity=Activity.LINE,
            ),
            "is not inside",
        ),
    ],
)
def test_a_bad_edit_is_refused_with_its_reason_and_changes_nothing(edit, words: str) -> None:
    inst, sol = _week()
    frozen = sol.model_dump()
    with pytest.raises(EditError, match=words):
        apply_edit(inst, sol, edit)
    assert sol.model_dump() == frozen
    done = apply_edits(inst, sol, [edit])
    assert done.applied == () and done.solution == sol and words in done.refused[0][1]


def test_undoing_an_edit_drops_those_that_needed_it_and_says_why() -> None:
    inst, sol = _week()
    add = AddShift(staff_id="b", start=at(2, "06:00"), end=at(2, "14:00"))
    move = MoveShift(
        staff_id="b", shift_start=at(2, "06:00"), start=at(2, "08:00"), end=at(2, "16:00")
    )
    remove = RemoveShift(staff_id="a", shift_start=at(1, "14:00"))
    both = apply_edits(inst, sol, [add, move, remove])
    assert both.applied == (add, move, remove)
    assert _shifts(both.solution, "b")[-1] == (at(2, "08:00"), at(2, "16:00"))
    undone = apply_edits(inst, sol, [move, remove])  # the add undone
    assert undone.applied == (remove,)
    assert undone.refused[0][0] == move and "no shift starting" in undone.refused[0][1]
    assert apply_edits(inst, sol, []).solution == sol
    assert describe(move, inst, sol).startswith("Move Person b's shift of Wed 05 Mar 06:00 to")


def test_rescore_counts_the_objective_as_the_validator_does() -> None:
    inst, sol = _week()
    report = validate(inst, sol)
    assert sol.stats.objective == pytest.approx(report.objective)
    assert sol.shortfall_hours() == pytest.approx(sum(r.shortfall for r in sol.coverage) * 30 / 60)


def test_reoptimising_keeps_the_edited_shifts_and_the_removed_ones_away() -> None:
    inst, sol = _week()
    add = AddShift(staff_id="b", start=at(2, "08:00"), end=at(2, "16:00"))
    remove = RemoveShift(staff_id="a", shift_start=at(1, "14:00"))
    edited = apply_edits(inst, sol, [add, remove])
    pins = hand_pins(inst, sol, edited)
    assert [(p.staff_id, p.start, p.end) for p in pins.pinned] == [
        ("b", at(2, "08:00"), at(2, "16:00"))
    ]
    assert [(p.staff_id, p.start) for p in pins.removed] == [("a", at(1, "14:00"))]
    again = reoptimise_instance(inst, pins, SolveOptions(time_limit_seconds=5, workers=2))
    assert again.hand_pinned == pins.pinned and again.options.time_limit_seconds == 5
    solved = solve(again, time_limit=5, workers=2)
    b = next(p for p in solved.people if p.staff_id == "b")
    kept = next(s for s in b.shifts if s.start == at(2, "08:00"))
    assert kept.end == at(2, "16:00") and kept.pinned
    assert kept.activities == pins.pinned[0].activities
    a = next((p for p in solved.people if p.staff_id == "a"), None)
    assert a is None or not any(
        s.start < at(1, "22:00") and at(1, "14:00") < s.end for s in a.shifts
    )
    assert not [b for b in validate(again, solved).breaks if b.rule == "pinned"]


def test_the_pinned_rule_names_a_hand_edit_the_roster_lost() -> None:
    inst, sol = _week()
    pins = hand_pins(
        inst,
        sol,
        apply_edits(
            inst,
            sol,
            [
                RemoveShift(staff_id="a", shift_start=at(1, "14:00")),
                AddShift(staff_id="b", start=at(2, "08:00"), end=at(2, "16:00")),
            ],
        ),
    )
    again = reoptimise_instance(inst, pins, inst.options)
    # the roster from before the edits breaks both: the removed shift is back, the added missing
    msgs = [b.message for b in validate(again, sol).breaks if b.rule == "pinned"]
    assert any("hand-placed shift at Wednesday 08:00 was changed" in m for m in msgs)
    assert any("removed by hand" in m for m in msgs)


def test_many_breaks_of_one_rule_on_one_day_read_as_one_line() -> None:
    inst, sol = _week()
    edited = apply_edit(inst, sol, RemoveShift(staff_id="b", shift_start=at(0, "06:00")))
    short = [b for b in new_breaks(sol.broken_rules, edited.broken_rules) if b.rule == "coverage"]
    assert len(short) > 2
    lines = break_lines(short, {})
    assert len(lines) == 1 and lines[0].endswith(f", and {len(short) - 1} more like it")


def test_an_edited_week_that_cannot_keep_every_rule_still_says_why() -> None:
    inst, sol = _week()
    why = InfeasibilityExplanation(message="Nobody can work Wednesday.", conflicts=(), relaxed=())
    stats = sol.stats.model_copy(update={"status": "INFEASIBLE"})
    impossible = sol.model_copy(update={"stats": stats, "infeasibility": why})
    edited = apply_edit(inst, impossible, RemoveShift(staff_id="b", shift_start=at(0, "06:00")))
    assert edited.stats.status == "INFEASIBLE" and edited.infeasibility == why
    assert any(f.kind == "infeasible" for f in edited.flags)
    plain = apply_edit(inst, sol, RemoveShift(staff_id="b", shift_start=at(0, "06:00")))
    assert plain.stats.status == "FEASIBLE" and plain.infeasibility is None


def test_a_shift_removed_then_placed_again_by_hand_is_kept_not_kept_away() -> None:
    inst, sol = _week()
    remove = RemoveShift(staff_id="a", shift_start=at(1, "14:00"))
    again = AddShift(staff_id="a", start=at(1, "13:00"), end=at(1, "21:00"))
    pins = hand_pins(inst, sol, apply_edits(inst, sol, [remove, again]))
    assert [(p.start, p.end) for p in pins.pinned] == [(at(1, "13:00"), at(1, "21:00"))]
    assert pins.removed == ()
    edited = apply_edits(inst, sol, [remove, again]).solution
    resolved = reoptimise_instance(inst, pins, inst.options)
    assert not [b for b in validate(resolved, edited).breaks if b.rule == "pinned"]
