"""Forecast: seasonality recovered, fallbacks, closed days, DST weeks, bands and the backtest."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from scheduling.domain import CallIntervalRecord, DailyWindow, SiteProfile
from scheduling.forecast import (
    Adjustment,
    ForecastError,
    forecast_week,
    intraday_profiles,
    run_backtest,
    week_slots,
)

WEEKLY = np.array([140.0, 120.0, 110.0, 100.0, 90.0, 50.0, 40.0])  # Monday first
# 16 half-hours, 09:00-17:00: a morning peak and a smaller afternoon one.
INTRADAY = np.array([1, 2, 3, 3, 2, 2, 1, 1, 1, 1, 2, 2, 3, 2, 1, 1.0])
INTRADAY = INTRADAY / INTRADAY.sum()


def _site(days: range = range(7), zone: str = "Asia/Karachi", start=540, end=1020) -> SiteProfile:
    return SiteProfile(
        name="test",
        timezone=zone,
        interval_minutes=30,
        opening_hours=tuple(
            DailyWindow(weekday=d, start_minute=start, end_minute=end) for d in days
        ),
    )


def _history(
    site: SiteProfile, first: date, n_days: int, weekly=WEEKLY, seed: int = 0
) -> list[CallIntervalRecord]:
    """Poisson counts per open interval with the given weekly and intraday pattern."""
    rng = np.random.default_rng(seed)
    out = []
    for d in range(n_days):
        day = first + timedelta(days=d)
        slots = [s for s in week_slots(site, day) if s[0].date() == day and s[2]]
        shares = np.full(len(slots), 1 / max(len(slots), 1))
        if len(slots) == INTRADAY.size:
            shares = INTRADAY
        for (start, _, _), share in zip(slots, shares, strict=True):
            n = int(rng.poisson(weekly[day.weekday()] * share))
            out.append(
                CallIntervalRecord(
                    start_utc=start.astimezone(UTC),
                    offered=n,
                    answered=n,
                    abandoned=0,
                    handle_seconds=1200 * n,
                    difficult=0,
                )
            )
    return out


MONDAY = date(2025, 1, 6)


def test_recovers_known_weekly_seasonality() -> None:
    site = _site()
    history = _history(site, MONDAY, 20 * 7)
    fc = forecast_week(history, site, MONDAY + timedelta(weeks=20))
    assert fc.method == "ets_damped_weekly"
    daily = np.array([d.calls for d in fc.daily])
    assert np.allclose(daily, WEEKLY, rtol=0.12)
    assert daily[0] / daily[6] == pytest.approx(WEEKLY[0] / WEEKLY[6], rel=0.2)
    # The intraday shape comes back too (per weekday, shrunk and smoothed, so roughly).
    monday = np.array([i.calls for i in fc.intervals if i.open and i.start.weekday() == 0])
    assert np.corrcoef(monday / monday.sum(), INTRADAY)[0, 1] > 0.9
    assert monday.argmax() in (2, 3)


def test_short_history_falls_back_to_seasonal_naive() -> None:
    site = _site()
    history = _history(site, MONDAY, 3 * 7)
    fc = forecast_week(history, site, MONDAY + timedelta(weeks=3))
    assert fc.method == "seasonal_naive"
    last_week = np.zeros(7)
    for r in history:
        day = r.start_utc.astimezone(site.tz).date()
        if day >= MONDAY + timedelta(weeks=2):
            last_week[day.weekday()] += r.offered
    assert [d.calls for d in fc.daily] == pytest.approx(list(last_week))
    assert "8" in fc.method_note and fc.backtest.model_better is None


def test_never_rounds_per_interval() -> None:
    site = _site()
    fc = forecast_week(_history(site, MONDAY, 14), site, MONDAY + timedelta(weeks=2))
    calls = np.array([i.calls for i in fc.intervals])
    assert np.any(np.abs(calls - np.round(calls)) > 1e-6)
    for d in fc.daily:
        day_sum = sum(i.calls for i in fc.intervals if i.start.date() == d.day)
        assert day_sum == pytest.approx(d.calls)


def test_empty_or_too_short_history_is_a_clear_error() -> None:
    site = _site()
    with pytest.raises(ForecastError, match="no call history"):
        forecast_week([], site, MONDAY)
    with pytest.raises(ForecastError, match=r"covers 5 days.*7 days"):
        forecast_week(_history(site, MONDAY, 5), site, MONDAY + timedelta(days=7))
    with pytest.raises(ForecastError, match="no day before"):
        forecast_week(_history(site, MONDAY, 14), site, MONDAY)


def test_closed_days_and_hours_get_zero() -> None:
    site = _site(days=range(6))  # closed on Sundays
    fc = forecast_week(_history(site, MONDAY, 21), site, MONDAY + timedelta(weeks=3))
    sunday = [i for i in fc.intervals if i.start.weekday() == 6]
    assert sunday and all(not i.open and i.calls == 0 and i.high == 0 for i in sunday)
    assert not fc.daily[6].open and fc.daily[6].calls == 0
    night = [i for i in fc.intervals if i.start.hour < 9 or i.start.hour >= 17]
    assert all(i.calls == 0 and not i.open for i in night)


@pytest.mark.parametrize(
    ("week", "expected"), [(date(2026, 3, 23), 334), (date(2026, 10, 19), 338)]
)
def test_weeks_when_clocks_change(week: date, expected: int) -> None:
    site = _site(zone="Europe/London", start=0, end=1440)
    history = _history(site, week - timedelta(days=21), 21, weekly=WEEKLY / 4)
    fc = forecast_week(history, site, week)
    assert len(fc.intervals) == expected
    starts = [i.start for i in fc.intervals]
    assert len({s.astimezone(UTC) for s in starts}) == expected
    for a, b in zip(fc.intervals, fc.intervals[1:], strict=False):
        assert a.end == b.start
        # Aware datetimes in one zone subtract as wall clocks: compare real time in UTC.
        assert a.end.astimezone(UTC) - a.start.astimezone(UTC) == timedelta(minutes=30)
    assert all(i.start.tzinfo == ZoneInfo("Europe/London") for i in fc.intervals)


def test_adjustment_scales_its_days_only() -> None:
    site = _site()
    history = _history(site, MONDAY, 21)
    week = MONDAY + timedelta(weeks=3)
    plain = forecast_week(history, site, week)
    surge = Adjustment(
        first_day=week + timedelta(days=1),
        last_day=week + timedelta(days=2),
        multiplier=2.0,
        label="campaign",
    )
    adjusted = forecast_week(history, site, week, adjustments=[surge])
    for p, a in zip(plain.daily, adjusted.daily, strict=True):
        factor = 2.0 if surge.covers(p.day) else 1.0
        assert a.calls == pytest.approx(p.calls * factor)
        assert a.multiplier == factor


def test_band_holds_the_forecast_and_poisson_noise() -> None:
    site = _site()
    fc = forecast_week(
        _history(site, MONDAY, 21, weekly=WEEKLY / 10), site, MONDAY + timedelta(weeks=3)
    )
    for i in fc.intervals:
        assert i.low <= i.calls <= i.high
        if i.calls > 0.15:
            assert i.high >= 1.0  # at under a call an interval, one call is well within reach
    for d in fc.daily:
        assert d.low <= d.calls <= d.high
        assert d.high - d.low >= 2.0


def test_intraday_profile_without_calls_is_flat_over_open_slots() -> None:
    mask = np.zeros((7, 48), dtype=bool)
    mask[0, 18:34] = True
    shares = intraday_profiles(np.zeros((7, 48)), mask)
    assert shares[0, 18:34] == pytest.approx(np.full(16, 1 / 16))
    assert shares[1].sum() == 0 and shares[0, :18].sum() == 0


def test_backtest_reports_the_baseline_better_when_it_is() -> None:
    # A noisy, stable weekly pattern for 12 weeks, then a new pattern that repeats exactly:
    # repeating last week is exact from then on; a smoother is still blending the old pattern.
    rng = np.random.default_rng(1)
    old = np.tile(WEEKLY, 12)
    new = np.tile(WEEKLY[::-1], 9)
    series = np.concatenate([rng.poisson(old).astype(float), new])
    bt = run_backtest(series, MONDAY, frozenset())
    assert bt.weeks == 8
    assert bt.baseline.wape < bt.model.wape
    assert bt.model_better is False
    assert "Be careful" in bt.verdict


def test_backtest_reports_the_model_better_on_a_noisy_stable_pattern() -> None:
    rng = np.random.default_rng(2)
    series = rng.poisson(np.tile(WEEKLY / 5, 20)).astype(float)
    bt = run_backtest(series, MONDAY, frozenset())
    assert bt.model.wape < bt.baseline.wape and bt.model_better is True
    assert bt.model.mase is not None and bt.model.mase < bt.baseline.mase
    assert "Trust it" in bt.verdict and bt.chance_wape is not None


def test_backtest_needs_two_weeks() -> None:
    bt = run_backtest(np.ones(10), MONDAY, frozenset())
    assert bt.weeks == 0 and bt.model.wape is None and "2 weeks" in bt.verdict
