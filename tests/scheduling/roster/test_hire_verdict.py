"""Hire advice agrees with the shortfall: a roster that leaves counsellor-hours uncovered never
reads "the staff can cover the week"; it names the hire that would close the gap and why the
solve did not propose it, or that hires were not allowed."""

from __future__ import annotations

from scheduling.roster.build import default_hire_templates
from scheduling.roster.explain import gap_message
from scheduling.roster.hire_verdict import counsellor_hours, hire_verdict, stays_uncovered
from scheduling.roster.quality import roster_progress
from scheduling.roster.schema import SolveOptions
from scheduling.roster.solve import solve
from scheduling.roster.stages import Progress
from tests.scheduling.roster.rosterkit import instance, member


def _week(*, allow_hires: bool, extra_at_end: int = 1):
    """One counsellor on Monday 09:00-13:00; a second one needed for the last half hour."""
    return instance(
        [member("a", availability=[(0, "09:00", "13:00")])],
        hours=("09:00", "13:00"),
        required=lambda d, hhmm: 1 + (extra_at_end if hhmm == "12:30" else 0),
        hire_templates=default_hire_templates(),
        options=SolveOptions(time_limit_seconds=5, workers=2, allow_hires=allow_hires),
    )


def test_a_shortfall_without_hires_names_the_hire_that_would_close_it() -> None:
    inst = _week(allow_hires=True)
    sol = solve(inst)
    assert sol.shortfall_hours() == 0.5 and not sol.hires
    verdict = hire_verdict(inst, sol)
    assert "staff can cover" not in verdict.message
    assert "0.5 counsellor-hours stay uncovered" in verdict.message
    assert verdict.would_close is not None and verdict.would_close_count == 1
    assert "1 part-time counsellor (Mon 09:00-13:00" in verdict.message
    assert "7,000 points against the 500 the shortfall costs" in verdict.message


def test_a_shortfall_with_hires_not_allowed_says_so() -> None:
    inst = _week(allow_hires=False)
    sol = solve(inst)
    verdict = hire_verdict(inst, sol)
    assert sol.shortfall_hours() == 0.5
    assert "hires were not allowed in this solve" in verdict.message
    assert verdict.would_close is None


def test_two_short_at_once_need_two_hires() -> None:
    inst = _week(allow_hires=True, extra_at_end=2)
    sol = solve(inst)
    assert not sol.hires
    assert hire_verdict(inst, sol).would_close_count == 2


def test_a_covered_week_says_no_hire_is_needed() -> None:
    inst = _week(allow_hires=True, extra_at_end=0)
    sol = solve(inst)
    assert sol.shortfall_hours() == 0
    assert hire_verdict(inst, sol).message.startswith("No hire advised: the staff cover")


def test_counsellor_hours_is_singular_for_one() -> None:
    assert counsellor_hours(1) == "1 counsellor-hour"
    assert stays_uncovered(1) == "1 counsellor-hour stays uncovered"
    assert stays_uncovered(2) == "2 counsellor-hours stay uncovered"
    assert counsellor_hours(1.5) == "1.5 counsellor-hours"
    assert counsellor_hours(0) == "0 counsellor-hours"


def test_the_gap_is_worded_as_points_the_best_roster_could_save() -> None:
    sol = solve(_week(allow_hires=False))
    stats = sol.stats.model_copy(update={"objective": 2000.0, "best_bound": 624.0, "gap": 0.688})
    message = gap_message(sol.model_copy(update={"stats": stats}))
    assert "the best possible roster is at most 1,376 points better" in message
    assert "within" not in message


def test_the_live_progress_keeps_to_whole_roster_stages_and_never_rises() -> None:
    history = [
        Progress("greedy", 664.0, 100.0, 0.1),
        Progress("assign", 10_500.0, 9_000.0, 0.5),  # a part of the roster, its own scale
        Progress("full", 700.0, 300.0, 1.0),  # worse than the greedy start: not plotted higher
        Progress("with hires: full", 600.0, 400.0, 2.0),
        Progress("place", 3_939.0, 3_000.0, 3.0),
    ]
    points = roster_progress(history)
    assert [p[0] for p in points] == [0.1, 1.0, 2.0]
    assert [p[1] for p in points] == [664.0, 664.0, 600.0]
    assert [p[2] for p in points] == [100.0, 300.0, 400.0]


def test_the_staff_reasons_come_from_the_roster_not_the_flag_wording() -> None:
    inst = _week(allow_hires=False)
    sol = solve(inst)
    short = [r for r in sol.coverage if r.shortfall]
    assert short and all(r.short_reason is not None for r in short)
    reason = short[0].short_reason
    assert reason is not None
    assert any(f.message.endswith(f"; {reason.value}") for f in sol.flags)
    assert reason.value in hire_verdict(inst, sol).message
    # Flags reworded (another language, a new phrasing): the verdict gives the same reasons.
    reworded = tuple(
        f.model_copy(update={"message": "Short at the end of Monday; see the roster"})
        for f in sol.flags
    )
    again = hire_verdict(inst, sol.model_copy(update={"flags": reworded}))
    assert again.message == hire_verdict(inst, sol).message
    # A flag's words are never read as a reason.
    unrecorded = tuple(r.model_copy(update={"short_reason": None}) for r in sol.coverage)
    made_up = tuple(
        f.model_copy(update={"message": "Monday: 1 counsellor short; a reason in words"})
        for f in sol.flags
    )
    verdict = hire_verdict(inst, sol.model_copy(update={"coverage": unrecorded, "flags": made_up}))
    assert "a reason in words" not in verdict.message
