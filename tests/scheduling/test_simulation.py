"""The simulation: agreement with the queueing formulas, decompression, abandonment, seeds."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from scheduling.simulation import (
    CallModel,
    PersonPlan,
    ShiftPlan,
    SimulationPlan,
    replicate,
    run_replications,
    simulate,
)
from scheduling.staffing.queueing import queue_metrics

START = datetime(2026, 1, 5, tzinfo=UTC)


def constant_plan(agents: int, calls_per_interval: float, width: int = 1440) -> SimulationPlan:
    """Three long intervals with the same agents on the line throughout: the first warms the
    queue up, the second is measured, the third lets the second's callers finish."""
    horizon = 3.0 * width
    people = tuple(
        PersonPlan(f"p{i}", (ShiftPlan(0.0, horizon, ((0.0, horizon),)),)) for i in range(agents)
    )
    calls = (calls_per_interval, calls_per_interval, calls_per_interval / 4)
    return SimulationPlan(start=START, interval_minutes=width, calls=calls, people=people)


@pytest.mark.parametrize("model", ["erlang_c", "erlang_a"])
def test_exponential_talk_without_decompression_agrees_with_erlang(model: str) -> None:
    agents, traffic, handle_minutes, width = 5, 3.6, 10.0, 1440
    calls = traffic / handle_minutes * width
    plan = constant_plan(agents, calls, width)
    patience = 120.0 if model == "erlang_a" else None
    call_model = CallModel(
        talk_minutes=handle_minutes,
        talk_distribution="exponential",
        wrapup_minutes=0.0,
        difficult_share=0.0,
        decompression=False,
        patience_seconds=patience,
        target_answer_seconds=60.0,
    )
    # Four figures under each model: a 99% interval keeps the chance that one misses by luck
    # near 4%, where 95% intervals would miss one in five runs of a correct simulation.
    result = simulate(plan, call_model, replications=100, seed=11, confidence=0.99)
    q = queue_metrics(
        agents,
        traffic,
        handle_seconds=handle_minutes * 60,
        target_seconds=60.0,
        model=model,  # type: ignore[arg-type]
        patience_seconds=patience or 120.0,
    )
    expected = {
        "answered": calls * (1.0 - float(q.abandon_probability)),
        "answered_in_target": calls * float(q.service_level),
        "mean_wait_seconds": float(q.asa_seconds),
        "occupancy": float(q.occupancy),
    }
    figures = result.intervals
    for name, value in expected.items():
        low, high = figures.low[name][1], figures.high[name][1]
        assert low <= value <= high, f"{model} {name}: {value:.4g} outside [{low:.4g}, {high:.4g}]"
    if model == "erlang_c":
        assert figures.mean["abandoned"][1] == 0.0
    else:
        assert figures.mean["abandoned"][1] > 0.0


def one_counsellor_plan(calls: tuple[float, ...], shift_end: float | None = None) -> SimulationPlan:
    width = 30
    end = shift_end if shift_end is not None else len(calls) * width + 240.0
    person = PersonPlan("amna", (ShiftPlan(0.0, end, ((0.0, end),)),))
    return SimulationPlan(
        start=START, interval_minutes=width, calls=calls, people=(person,), replay=True
    )


def test_decompression_keeps_the_counsellor_off_the_queue_and_lengthens_after_two_in_a_row():
    plan = one_counsellor_plan((2.0,) * 8)
    model = CallModel(difficult_share=1.0, patience_seconds=None, talk_cv=0.1)
    run = replicate(plan, model, seed=3, keep_events=True)
    lengths = [e[2] for e in run.events if e[2].startswith("decompresses")]
    assert lengths[:4] == [
        "decompresses 10 min",
        "decompresses 30 min",
        "decompresses 10 min",
        "decompresses 30 min",
    ]
    # Nobody is answered between a decompression's start and its end.
    for k, (t, _, what) in enumerate(run.events):
        if what.startswith("decompresses"):
            minutes = float(what.split()[1])
            later = [e for e in run.events[k + 1 :] if e[2].startswith("answers")]
            assert not later or later[0][0] >= t + minutes - 1e-9
    assert run.difficult_by_person["amna"] == run.answered.sum()
    assert run.decompression_full == run.answered.sum()
    assert run.decompression_cut_short == 0


def test_a_shift_ending_during_decompression_counts_it_as_cut_short():
    plan = one_counsellor_plan((1.0,), shift_end=30.0)
    model = CallModel(difficult_share=1.0, patience_seconds=None, talk_minutes=2.0, talk_cv=0.1)
    run = replicate(plan, model, seed=1)
    # the call ends before 30 + 2 x 1.3 minutes at most; the 10-minute decompression
    # runs past the end of the shift at minute 30 unless the call came in the first minutes
    arrival_late = run.decompression_cut_short == 1
    assert run.decompression_full + run.decompression_cut_short == 1
    assert arrival_late or run.decompression_full == 1


def test_nobody_on_the_line_means_every_caller_is_lost():
    plan = SimulationPlan(
        start=START, interval_minutes=30, calls=(3.0, 3.0), people=(), replay=True
    )
    run = replicate(plan, CallModel(), seed=0)
    assert run.offered.sum() == 6
    assert run.answered.sum() == 0
    assert run.abandoned.sum() == 6


def test_calls_are_answered_only_during_line_segments():
    # On the line 0-30 and 60-90; a meal 30-60. Nobody waits forever.
    person = PersonPlan("bilal", (ShiftPlan(0.0, 90.0, ((0.0, 30.0), (60.0, 90.0))),))
    plan = SimulationPlan(
        start=START, interval_minutes=30, calls=(0.0, 4.0, 0.0), people=(person,), replay=True
    )
    model = CallModel(
        difficult_share=0.0, patience_seconds=None, talk_minutes=1.0, wrapup_minutes=0
    )
    run = replicate(plan, model, seed=2, keep_events=True)
    answer_times = [t for t, _, what in run.events if what.startswith("answers")]
    assert answer_times and all(t >= 60.0 for t in answer_times)
    assert run.answered.sum() == 4


def test_replications_are_reproducible_and_independent_of_the_process_split():
    plan = constant_plan(3, 200.0, width=240)
    model = CallModel()
    one = run_replications(plan, model, replications=8, seed=5, workers=1)
    two = run_replications(plan, model, replications=8, seed=5, workers=2)
    for a, b in zip(one, two, strict=True):
        assert np.array_equal(a.answered, b.answered)
        assert a.longest_line_run_minutes == b.longest_line_run_minutes
    other = run_replications(plan, model, replications=8, seed=6, workers=1)
    assert any(not np.array_equal(a.answered, b.answered) for a, b in zip(one, other, strict=True))


def test_totals_carry_a_confidence_interval_around_the_mean():
    result = simulate(constant_plan(3, 100.0, width=240), CallModel(), replications=30, seed=1)
    share = result.totals["answered_share"]
    assert share.low <= share.mean <= share.high
    assert 0.0 <= share.mean <= 1.0
    assert share.replications == 30
    assert result.totals["difficult_calls_per_counsellor"].mean > 0
    assert result.totals["longest_line_run_minutes"].mean > 0
    rows = result.intervals.rows()
    assert len(rows) == 3 and {"offered_low", "occupancy_high"} <= rows[0].keys()


def test_a_roster_becomes_a_plan_with_its_line_segments_and_forecast_calls():
    from scheduling.roster.schema import IntervalSlot
    from scheduling.simulation import plan_from_roster
    from tests.scheduling.roster.rosterkit import at, handmade, instance, member

    inst = instance([member("a"), member("b")], hours=("09:00", "11:00"))
    slots = tuple(
        IntervalSlot(start=s.start, required=s.required, forecast_calls=1.5) for s in inst.intervals
    )
    inst = inst.model_copy(update={"intervals": slots})
    sol = handmade(
        inst,
        {
            "a": [
                (
                    0,
                    "09:00",
                    "11:00",
                    [
                        ("line", "09:00", "10:00"),
                        ("meal", "10:00", "10:30"),
                        ("line", "10:30", "11:00"),
                    ],
                )
            ],
            "b": [(0, "09:00", "11:00", [])],
        },
    )
    plan = plan_from_roster(inst, sol)
    assert plan.start == at(0, "00:00")
    assert len(plan.calls) == 7 * 48 and sum(plan.calls) == 1.5 * 4
    assert plan.calls[18] == 1.5 and plan.calls[17] == 0.0  # 09:00 is interval 18
    a = plan.people[0].shifts[0]
    assert a.line == ((540.0, 600.0), (630.0, 660.0))
    line = plan.line_minutes_per_interval()
    assert line[18:22].tolist() == [60.0, 60.0, 30.0, 60.0]
    result = simulate(plan, CallModel(), replications=20, seed=0)
    assert result.totals["offered"].mean > 0
    assert np.all(np.isnan(result.intervals.mean["occupancy"][:18]))
