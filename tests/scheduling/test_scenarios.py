"""Scenario arithmetic: the baseline reproduced, more calls never fewer staff, pooling helps."""

from __future__ import annotations

import threading
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.domain import DailyWindow, SiteProfile, Skill, StaffMember
from scheduling.forecast import week_slots
from scheduling.scenarios import (
    Baseline,
    Centre,
    EvaluateOptions,
    Scenario,
    Surge,
    evaluate,
    hiring_plan,
    month_factors,
    presets,
)
from scheduling.staffing.requirements import fte_to_hire, interval_requirements

MONDAY = date(2026, 11, 23)
FAST = EvaluateOptions(roster=False, replications=20)


def make_baseline(calls_per_open_interval: float = 1.0, staff: int = 11) -> Baseline:
    site = SiteProfile(
        name="Test line",
        opening_hours=tuple(
            DailyWindow(weekday=d, start_minute=540, end_minute=1020) for d in range(7)
        ),
    )
    slots = week_slots(site, MONDAY)
    return Baseline(
        site=site,
        staff=tuple(
            StaffMember(
                id=str(i),
                display_name=f"P{i}",
                skills=frozenset(
                    {Skill.COUNSELLOR, Skill.SUPERVISOR} if i < 2 else {Skill.COUNSELLOR}
                ),
            )
            for i in range(staff)
        ),
        week_start=MONDAY,
        week_calls=tuple(calls_per_open_interval if o else 0.0 for _, _, o in slots),
        first_month=date(2027, 1, 1),
        seats=6,
    )


def test_no_change_reproduces_the_baseline():
    base = make_baseline()
    result = evaluate(base, Scenario(), options=FAST)
    calls = np.array(base.week_calls)
    is_open = np.array([o for _, _, o in week_slots(base.site, MONDAY)])
    arrays = interval_requirements(calls, is_open, base.settings, interval_minutes=30)
    hours = arrays.required.sum() / 2
    fte = fte_to_hire(hours, 30.0, base.settings.shrinkage)
    assert len(result.months) == 12
    for row in result.months:
        assert row.volume_factor == 1.0
        assert row.required_line_hours_week == pytest.approx(hours)
        assert row.fte_needed == pytest.approx(fte)
        assert row.offered_calls == pytest.approx(calls.sum() * 52 / 12)
        assert row.calls_lost_to_closing == 0
    assert result.months[0].on_board == 11
    assert all(r.arriving == 0 for r in result.months)
    assert len({r.total_cost for r in result.months}) == 1
    assert result.notes == ()


@settings(max_examples=15, deadline=None)
@given(
    rate=st.floats(min_value=0.05, max_value=6.0),
    factor=st.floats(min_value=0.5, max_value=3.0),
)
def test_doubling_volume_never_needs_fewer_staff(rate: float, factor: float):
    base = make_baseline(rate)
    one = evaluate(base, Scenario(volume_factor=factor), options=FAST)
    two = evaluate(base, Scenario(volume_factor=2 * factor), options=FAST)
    for a, b in zip(one.months, two.months, strict=True):
        assert b.fte_needed >= a.fte_needed
        assert b.peak_required >= a.peak_required
        assert b.on_board >= a.on_board


@settings(max_examples=15, deadline=None)
@given(
    rate=st.floats(min_value=0.05, max_value=6.0),
    share=st.floats(min_value=0.05, max_value=0.95),
)
def test_one_pooled_queue_never_needs_more_than_separate_queues(rate: float, share: float):
    base = make_baseline(rate)
    centre = Centre(name="Second", volume_share=share, seats=4)
    pooled = evaluate(base, Scenario(centres=(centre,)), options=FAST)
    separate = evaluate(
        base, Scenario(centres=(centre.model_copy(update={"queue": "separate"}),)), options=FAST
    )
    for p, s in zip(pooled.months, separate.months, strict=True):
        assert p.offered_calls == pytest.approx(s.offered_calls)
        assert p.fte_needed <= s.fte_needed + 1e-9


def test_month_factors_compound_growth_and_apply_the_surge():
    sc = Scenario(volume_factor=2.0, growth_per_month=0.1, surge=Surge(factor=3, first_month=2))
    f = month_factors(sc)
    assert f[0] == pytest.approx(2.0)
    assert f[1] == pytest.approx(2.0 * 1.1 * 3)
    assert f[2] == pytest.approx(2.0 * 1.1**2)


def test_recruitment_lead_time_leaves_early_months_short_and_starts_recruiting_earlier():
    rows = hiring_plan([5.0, 7.2, 7.5, 9.0], on_board=5, lead_months=1)
    assert [r[0] for r in rows] == [5, 8, 8, 9]  # on board
    assert [r[1] for r in rows] == [0, 3, 0, 1]  # arriving
    assert [r[2] for r in rows] == [3, 0, 1, 0]  # start recruiting a month ahead
    short = hiring_plan([8.0, 8.0], on_board=5, lead_months=1)
    assert short[0][3] == 3 and short[1][3] == 0


def test_closing_days_loses_their_calls_and_opening_hours_adds_some():
    base = make_baseline()
    five = evaluate(base, presets()["Five days instead of seven"], options=FAST)
    assert five.months[0].calls_lost_to_closing == pytest.approx(2 * 16 * 52 / 12)
    assert (
        five.months[0].offered_calls
        < evaluate(base, Scenario(), options=FAST).months[0].offered_calls
    )
    always = Scenario(
        opening_hours=tuple(
            DailyWindow(weekday=d, start_minute=0, end_minute=1440) for d in range(7)
        ),
        new_hours_rate=0.5,
    )
    r = evaluate(base, always, options=FAST)
    # 16 open intervals a day at 1 call, 32 more at half the rate
    assert r.months[0].offered_calls == pytest.approx(7 * (16 + 32 * 0.5) * 52 / 12)


def test_seats_show_when_space_binds():
    base = make_baseline(rate := 6.0)
    assert rate
    tight = evaluate(base, Scenario(seats=2), options=FAST)
    assert tight.months[0].space_binds_hours_week > 0
    assert any("seats" in n for n in tight.notes)
    roomy = evaluate(base, Scenario(seats=40), options=FAST)
    assert roomy.months[0].space_binds_hours_week == 0


def test_launch_gives_the_plan_that_holds_at_twice_the_assumption():
    base = make_baseline()
    launch = presets()["Launch a new centre (100 then 160 calls a month)"]
    r = evaluate(base, launch, options=FAST)
    first, second = r.months[0], r.months[1]
    baseline_calls = sum(base.week_calls) * 52 / 12
    assert first.offered_calls == pytest.approx(baseline_calls + 100)
    assert second.offered_calls == pytest.approx(baseline_calls + 160)
    assert all(m.fte_needed_at_stress >= m.fte_needed for m in r.months)


def test_emotional_budget_is_a_line_of_its_own():
    base = make_baseline()
    r = evaluate(base, Scenario(), options=FAST)
    m = r.months[0]
    assert m.emotional_budget > 0
    assert m.total_cost == pytest.approx(m.wages + m.emotional_budget)
    assert m.emotional_hours_per_counsellor >= 4.0  # debriefs 2 + supervision 1 + external 1
    assert r.summary()["emotional_budget_total"] == pytest.approx(12 * m.emotional_budget)


def test_every_preset_evaluates():
    base = make_baseline()
    for name, sc in presets().items():
        r = evaluate(base, sc, options=FAST)
        s = r.summary()
        assert s["scenario"] == name
        assert 0 <= s["sim_answered_share"] <= 1


def test_a_roster_is_made_for_the_busiest_month_with_hires_allowed():
    base = make_baseline(2.0, staff=3)
    progress: list[float] = []
    threads: set[int] = set()

    def report(share: float, _what: str) -> None:
        progress.append(share)
        threads.add(threading.get_ident())

    r = evaluate(
        base,
        Scenario(months=2),
        options=EvaluateOptions(roster_time_limit=4, replications=20),
        progress=report,
    )
    # a page's progress bar can only be drawn from the thread that asked
    assert threads == {threading.get_ident()}
    assert r.roster is not None and r.simulated_at == "roster"
    assert r.roster.people
    # 3 people cannot cover seven days: the roster adds hires or says how short it is
    short = r.roster.shortfall_hours()
    assert r.roster.hires or (
        short > 0 and any(f"{short:g} line hours short" in n for n in r.notes)
    )
    assert progress[-1] == 1.0 and progress == sorted(progress)
