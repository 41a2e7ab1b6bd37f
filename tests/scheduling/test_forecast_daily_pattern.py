"""The daily model (weekly level x weekday x day of month) on generated series with a known
answer: it recovers a payday pattern, finds none in a series without one, follows a level
that has moved, and is chosen by the backtest where the pattern is strong."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from scheduling.forecast import run_backtest
from scheduling.forecast_models import DailyPattern, SeriesInput, fit_daily_pattern, predict

WEEKDAY = np.array([1.3, 1.2, 1.1, 1.0, 0.9, 0.4, 0.3])  # Monday first
FIRST = date(2025, 1, 6)  # a Monday


def _payday(day: date) -> float:
    if day.day <= 5:
        return 1.3
    if 17 <= day.day <= 28:
        return 0.8
    return 1.0


def _daily(n_days: int, *, level: float, seed: int, payday: bool) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rates = np.array(
        [
            level
            * WEEKDAY[(FIRST + timedelta(days=d)).weekday()]
            * (_payday(FIRST + timedelta(days=d)) if payday else 1.0)
            for d in range(n_days)
        ]
    )
    return rng.poisson(rates).astype(float)


def _fit(daily: np.ndarray) -> DailyPattern:
    n = daily.size
    days = [FIRST + timedelta(days=d) for d in range(n)]
    return fit_daily_pattern(
        daily,
        np.array([d.weekday() for d in days]),
        np.array([d.day - 1 for d in days]),
        np.ones(n),
    )


def test_a_payday_pattern_is_recovered() -> None:
    fit = _fit(_daily(364, level=400.0, seed=1, payday=True))
    weekday, month_day = fit.weekday / fit.weekday.mean(), fit.month_day
    assert weekday == pytest.approx(WEEKDAY / WEEKDAY.mean(), rel=0.03)
    # The factors are relative to an average day of the month; the smoothing with
    # neighbours softens the steps at their edges, so compare the middles of the runs.
    middle_high = month_day[1:4].mean()  # 2nd-4th
    middle_low = month_day[18:27].mean()  # 19th-27th
    ordinary = month_day[6:15].mean()  # 7th-15th
    assert middle_high / ordinary == pytest.approx(1.3, rel=0.06)
    assert middle_low / ordinary == pytest.approx(0.8, rel=0.06)


@pytest.mark.parametrize("seed", [2, 3, 4, 5])
def test_no_day_of_month_effect_is_found_where_there_is_none(seed: int) -> None:
    # Each day of the month has about 12 days x 360 calls, so Poisson scatter alone moves
    # its raw ratio by about 1.5% (up to 4-5% for the worst of 31); shrunk, little is left.
    daily = _daily(364, level=400.0, seed=seed, payday=False)
    fit = _fit(daily)
    assert np.abs(fit.month_day - 1.0).max() < 0.02
    assert np.abs(fit.smoothed_month_day - 1.0).max() < 0.015


def test_the_forecast_follows_a_level_that_has_moved() -> None:
    # The level doubled five weeks before the forecast: the coming week is at the new level,
    # with the weekday pattern, in every slot of the day alike (one slot a day here).
    daily = np.concatenate([_daily(20 * 7, level=100.0, seed=3, payday=False), np.zeros(5 * 7)])
    daily[-35:] = _daily(5 * 7, level=200.0, seed=4, payday=False)
    series = SeriesInput(
        daily[:, None], FIRST, np.ones((7, 1), dtype=bool), np.zeros((daily.size + 7, 2))
    )
    mean, _ = predict("level_weekday_monthday", series, 7)
    weekdays = series.weekdays(daily.size, daily.size + 7)
    assert mean[:, 0] == pytest.approx(200.0 * WEEKDAY[weekdays], rel=0.08)


def test_the_backtest_chooses_it_where_paydays_move_the_calls() -> None:
    daily = _daily(364, level=400.0, seed=5, payday=True)
    bt = run_backtest(daily, FIRST, frozenset())
    assert bt.chosen == "level_weekday_monthday"
    ours = bt.candidate("level_weekday_monthday")
    others = [c for c in bt.candidates if c.name != "level_weekday_monthday"]
    assert ours is not None and ours.daily.wape is not None
    assert all(c.daily.wape is not None and ours.daily.wape < c.daily.wape for c in others)
