"""Staffing: required counsellors, floors, binding reasons, skill requirements and FTE."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.domain import (
    DailyWindow,
    Floors,
    HandleTimes,
    ServiceTargets,
    SiteProfile,
    Skill,
    SpecialistCover,
    StaffingSettings,
)
from scheduling.forecast import Backtest, IntervalForecast, Score, WeekForecast, week_slots
from scheduling.staffing.queueing import Targets, fewest_agents
from scheduling.staffing.requirements import (
    fte_to_hire,
    interval_requirements,
    long_range_plan,
    requirements_for_week,
)

WEEK = date(2026, 11, 23)  # a Monday
SITE = SiteProfile(
    name="test",
    opening_hours=tuple(
        DailyWindow(weekday=d, start_minute=540, end_minute=1020) for d in range(6)
    ),
)  # 09:00-17:00, closed on Sundays


def _forecast(
    calls_per_open_interval: float | list[float], site: SiteProfile = SITE
) -> WeekForecast:
    slots = week_slots(site, WEEK)
    n_open = sum(s[2] for s in slots)
    per = (
        list(calls_per_open_interval)
        if isinstance(calls_per_open_interval, list)
        else [calls_per_open_interval] * n_open
    )
    it = iter(per)
    intervals = []
    for start, end, is_open in slots:
        c = next(it) if is_open else 0.0
        intervals.append(
            IntervalForecast(start=start, end=end, calls=c, low=0.0, high=c + 2, open=is_open)
        )
    none = Score(wape=None, mase=None)
    return WeekForecast(
        week_start=WEEK,
        timezone=site.timezone,
        interval_minutes=site.interval_minutes,
        method="seasonal_naive",
        method_note="test",
        history_start=WEEK - timedelta(days=7),
        history_end=WEEK - timedelta(days=1),
        intervals=tuple(intervals),
        daily=(),
        backtest=Backtest(
            weeks=0, model=none, baseline=none, chance_wape=None, model_better=None, verdict=""
        ),
    )


def test_defaults_follow_the_domain() -> None:
    settings_ = StaffingSettings()
    assert settings_.handle.effective_handle_seconds == 60 * (20 + 5 + 0.3 * 10)
    req = requirements_for_week(_forecast(1.0), SITE, settings_)
    assert req.model == "erlang_a" and req.effective_handle_seconds == 1680
    open_rows = [r for r in req.intervals if r.binding != "closed"]
    assert len(open_rows) == 6 * 16
    for r in open_rows:
        assert r.required >= 2
        assert r.answered_share >= 0.90 - 1e-9
        assert r.service_level >= 0.80 - 1e-9


def test_zero_calls_give_the_floor_while_open_and_nothing_while_closed() -> None:
    req = requirements_for_week(_forecast(0.0), SITE, StaffingSettings())
    for r in req.intervals:
        if r.start.weekday() == 6 or not 9 <= r.start.hour < 17:
            assert r.required == 0 and r.binding == "closed" and r.service_level is None
        else:
            assert r.required == 2 and r.binding == "floor: never fewer than 2 on the line"
    assert req.offered_calls == 0 and req.workload_hours == 0
    assert req.required_hours == 6 * 8 * 2


def test_binding_reason_names_the_target_that_binds() -> None:
    busy = StaffingSettings(targets=ServiceTargets(model="erlang_c"))
    req = requirements_for_week(_forecast(6.0), SITE, busy)
    r = next(r for r in req.intervals if r.binding != "closed")
    assert r.binding == "queue: 80% within 60 s"
    assert r.required == r.queue_required > 2

    # busy enough that the answered share, not the decompression cover, sets the requirement
    answered = StaffingSettings(targets=ServiceTargets(service_level=0.0))
    r = next(
        r for r in requirements_for_week(_forecast(6.0), SITE, answered).intervals if r.required
    )
    assert r.binding == "answered share >= 90%"

    capped = StaffingSettings(
        targets=ServiceTargets(model="erlang_c", service_level=0.2, max_occupancy=0.5)
    )
    r = next(r for r in requirements_for_week(_forecast(6.0), SITE, capped).intervals if r.required)
    assert r.binding == "occupancy <= 50%"


def test_requirement_uses_the_effective_handle_time() -> None:
    handle = HandleTimes(
        talk_minutes=10, wrapup_minutes=2, difficult_share=0.5, decompression_minutes=8
    )
    s = StaffingSettings(handle=handle, floors=Floors(min_on_line=0))
    req = requirements_for_week(_forecast(4.0), SITE, s)
    r = next(r for r in req.intervals if r.forecast_calls)
    aht = 60 * (10 + 2 + 0.5 * 8)
    assert r.workload_erlangs == pytest.approx(4.0 * aht / 1800)
    goal = Targets(service_level=0.8, target_seconds=60, answered_share=0.9)
    assert r.queue_required == int(fewest_agents(4.0 * aht / 1800, goal, handle_seconds=aht))


def test_totals_come_from_the_unrounded_load() -> None:
    calls = list(np.linspace(0.05, 0.7, 6 * 16))
    req = requirements_for_week(_forecast(calls), SITE, StaffingSettings())
    assert req.offered_calls == pytest.approx(sum(calls))
    assert req.workload_hours == pytest.approx(sum(calls) * 1680 / 3600)
    assert req.required_hours == sum(r.required for r in req.intervals) * 0.5


def test_skill_requirements_are_carried_to_the_roster() -> None:
    lawyer = SpecialistCover(
        skill=Skill.LAWYER, window=DailyWindow(weekday=1, start_minute=660, end_minute=900)
    )
    floors = Floors(specialist_cover=(lawyer,), languages_required=("Urdu", "Punjabi"))
    req = requirements_for_week(_forecast(1.0), SITE, StaffingSettings(floors=floors))
    sup = [s for s in req.skill_requirements if s.skill == Skill.SUPERVISOR]
    assert len(sup) == 6  # every open day, none on the closed Sunday
    assert sup[0].start.hour == 9 and sup[0].end.hour == 17 and sup[0].start.tzinfo is not None
    law = [s for s in req.skill_requirements if s.skill == Skill.LAWYER]
    assert len(law) == 1 and law[0].start.weekday() == 1
    assert (law[0].start.hour, law[0].end.hour) == (11, 15)
    assert req.languages_on_line == ("Urdu", "Punjabi")


def test_a_language_floor_keeps_someone_on_the_line() -> None:
    floors = Floors(min_on_line=0, languages_required=("Urdu",))
    req = requirements_for_week(_forecast(0.0), SITE, StaffingSettings(floors=floors))
    r = next(r for r in req.intervals if r.binding != "closed")
    assert r.required == 1 and "Urdu" in r.binding


def test_mismatched_forecast_and_site_are_refused() -> None:
    other = SITE.model_copy(update={"interval_minutes": 15})
    with pytest.raises(ValueError, match="30-minute"):
        requirements_for_week(_forecast(1.0), other, StaffingSettings())


@settings(max_examples=40, deadline=None)
@given(
    calls=st.lists(st.floats(0.0, 40.0), min_size=1, max_size=40),
    is_open=st.lists(st.booleans(), min_size=40, max_size=40),
    floor=st.integers(0, 6),
    model=st.sampled_from(["erlang_a", "erlang_c"]),
)
def test_requirement_never_below_the_floor(calls, is_open, floor, model) -> None:
    flags = is_open[: len(calls)]
    s = StaffingSettings(targets=ServiceTargets(model=model), floors=Floors(min_on_line=floor))
    out = interval_requirements(calls, flags, s, interval_minutes=30)
    for c, o, req, q in zip(calls, flags, out.required, out.queue_required, strict=True):
        if o:
            assert req >= floor and req >= q
            if c == 0:
                assert req == floor
        else:
            assert req == 0


def test_fte_to_hire() -> None:
    assert fte_to_hire(140, 40, 0.3) == pytest.approx(5.0)
    assert fte_to_hire(0, 40, 0.3) == 0
    with pytest.raises(ValueError):
        fte_to_hire(10, 0, 0.3)
    with pytest.raises(ValueError):
        fte_to_hire(10, 40, 1.0)


def test_long_range_plan_re_solves_each_volume() -> None:
    fc = _forecast(1.0)
    plan = long_range_plan(fc, SITE, StaffingSettings(), [("now", 1.0), ("July 2020 peak", 3.3)])
    now, peak = plan
    assert peak.offered_calls == pytest.approx(3.3 * now.offered_calls)
    assert peak.workload_hours == pytest.approx(3.3 * now.workload_hours)
    assert now.required_hours < peak.required_hours < 3.3 * now.required_hours
    assert now.fte == pytest.approx(now.required_hours / (30 * 0.7))
    assert now.workload_fte < now.fte


def test_dst_week_keeps_local_times() -> None:
    london = SiteProfile(
        name="uk",
        timezone="Europe/London",
        opening_hours=tuple(
            DailyWindow(weekday=d, start_minute=0, end_minute=1440) for d in range(7)
        ),
    )
    week = date(2026, 3, 23)
    slots = week_slots(london, week)
    fc = _forecast(0.5, london).model_copy(update={"week_start": week})
    fc = fc.model_copy(
        update={
            "intervals": tuple(
                IntervalForecast(start=a, end=b, calls=0.5, low=0, high=2, open=o)
                for a, b, o in slots
            )
        }
    )
    req = requirements_for_week(fc, london, StaffingSettings())
    assert len(req.intervals) == 334
    sunday = [r for r in req.intervals if r.start.date() == date(2026, 3, 29)]
    assert len(sunday) == 46
    assert req.required_hours == sum(r.required for r in req.intervals) * 0.5
    assert all(r.start.astimezone(UTC) < r.end.astimezone(UTC) for r in req.intervals)
    assert isinstance(req.intervals[0].start, datetime)
