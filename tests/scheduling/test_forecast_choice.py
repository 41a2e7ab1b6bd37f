"""The forecast's candidates and its chooser on generated series with a known answer: a pure
weekly x intraday pattern is forecast within the Poisson noise, a holiday's known drop is
learnt, and a baseline is kept when the history is too short or pure noise."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import numpy as np
import pytest
from pydantic import ValidationError

from scheduling.domain import CallIntervalRecord, DailyWindow, ForecastSettings, SiteProfile
from scheduling.forecast import daily_totals, forecast_week, run_backtest, week_slots
from scheduling.forecast_models import SeriesInput, predict
from scheduling.holiday_calendar import holiday_calendar

WEEKLY = np.array([140.0, 120.0, 110.0, 100.0, 90.0, 50.0, 40.0])  # Monday first
INTRADAY = np.array([1, 2, 3, 3, 2, 2, 1, 1, 1, 1, 2, 2, 3, 2, 1, 1.0])
INTRADAY = INTRADAY / INTRADAY.sum()
NO_HOLIDAYS = ForecastSettings(holiday_country="")


def _site() -> SiteProfile:
    return SiteProfile(
        name="test",
        timezone="Asia/Karachi",
        interval_minutes=30,
        opening_hours=tuple(
            DailyWindow(weekday=d, start_minute=540, end_minute=1020) for d in range(7)
        ),
    )


def _history(
    site: SiteProfile, first: date, n_days: int, *, seed: int, drop: dict[date, float] | None = None
) -> list[CallIntervalRecord]:
    rng = np.random.default_rng(seed)
    out = []
    for d in range(n_days):
        day = first + timedelta(days=d)
        slots = [s for s in week_slots(site, day) if s[0].date() == day and s[2]]
        level = WEEKLY[day.weekday()] * (drop or {}).get(day, 1.0)
        for (start, _, _), share in zip(slots, INTRADAY, strict=True):
            n = int(rng.poisson(level * share))
            out.append(
                CallIntervalRecord(
                    start_utc=start.astimezone(UTC),
                    offered=n,
                    answered=n,
                    abandoned=0,
                    handle_seconds=0,
                    difficult=0,
                )
            )
    return out


def test_a_pure_weekly_and_intraday_pattern_is_forecast_within_the_noise() -> None:
    site = _site()
    first = date(2025, 1, 6)
    fc = forecast_week(
        _history(site, first, 20 * 7, seed=3), site, first + timedelta(weeks=20),
        settings=NO_HOLIDAYS,
    )  # fmt: skip
    bt = fc.backtest
    assert {c.name for c in bt.candidates} == {
        "seasonal_naive",
        "mean_4w_profile",
        "mean_4w",
        "ets_damped_weekly",
        "glm_weekly_intraday",
        "level_weekday_monthday",
    }
    chosen = bt.candidate(fc.method)
    assert chosen is not None and bt.chosen == fc.method
    # Scored per interval, the forecast is off by little more than Poisson noise alone.
    assert bt.interval_chance_wape is not None and chosen.interval.wape is not None
    assert chosen.interval.wape <= 1.1 * bt.interval_chance_wape
    # Against the true rates the forecast is off by well under what noise adds to any
    # interval: the noise, not the model, is most of the error.
    truth = np.concatenate([WEEKLY[d] * INTRADAY for d in range(7)])
    got = np.array([i.calls for i in fc.intervals if i.open])
    assert np.abs(got - truth).sum() / truth.sum() < 0.5 * bt.interval_chance_wape
    assert got.sum() == pytest.approx(truth.sum(), rel=0.05)
    # The 80% band holds about 80% of intervals (a little more: counts are whole numbers).
    assert chosen.band_coverage is not None and 0.7 <= chosen.band_coverage <= 0.95


def test_a_holiday_with_a_known_drop_is_learnt() -> None:
    site = _site()
    first = date(2025, 11, 3)
    week = date(2026, 8, 10)  # Friday 14 August is Independence Day in Pakistan
    calendar = holiday_calendar("PK", first, week)
    drop = {day: 0.3 for day, entry in calendar.items() if entry.kind == "holiday"}
    history = _history(site, first, (week - first).days, seed=4, drop=drop)

    fc = forecast_week(history, site, week)
    friday = fc.daily[4]
    assert friday.holiday == "Independence Day"
    assert 0.2 * WEEKLY[4] < friday.calls < 0.5 * WEEKLY[4]
    for d in fc.daily[:4]:
        assert d.calls == pytest.approx(WEEKLY[d.day.weekday()], rel=0.25)
    # Weeks with holidays in them are scored, not left out.
    assert fc.backtest.weeks == 8
    # Without the calendar the same history gives an ordinary Friday: the calendar did it.
    plain = forecast_week(history, site, week, settings=NO_HOLIDAYS)
    assert plain.daily[4].holiday == ""
    assert plain.daily[4].calls > 0.75 * WEEKLY[4]


def test_the_chooser_repeats_last_week_when_the_history_is_too_short() -> None:
    rng = np.random.default_rng(5)
    counts = rng.poisson(np.tile(WEEKLY[:, None] * INTRADAY, (6, 1))).astype(float)
    bt = run_backtest(counts, date(2025, 1, 6), frozenset())
    assert bt.chosen == "seasonal_naive"
    assert "under 8 weeks" in bt.verdict


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_chooser_keeps_a_baseline_on_pure_noise(seed: int) -> None:
    # One call an interval on average, nothing to learn: no model may claim to be better.
    rng = np.random.default_rng(seed)
    counts = rng.poisson(np.ones((12 * 7, 16))).astype(float)
    bt = run_backtest(counts, date(2025, 1, 6), frozenset(), weeks=4)
    chosen = bt.candidate(bt.chosen or "")
    assert chosen is not None and chosen.baseline


def test_holiday_country_is_a_setting_with_a_clear_message() -> None:
    assert ForecastSettings().holiday_country == "PK"
    assert ForecastSettings(holiday_country=" gb ").holiday_country == "GB"
    with pytest.raises(ValidationError, match="unknown holiday country 'XX'"):
        ForecastSettings(holiday_country="XX")


def test_ramadan_is_the_month_before_eid_and_eid_is_a_holiday() -> None:
    calendar = holiday_calendar("PK", date(2026, 1, 1), date(2026, 12, 31))
    eid = date(2026, 3, 20)
    assert calendar[eid].kind == "holiday" and "Fitr" in calendar[eid].name
    ramadan = sorted(d for d, e in calendar.items() if e.kind == "ramadan")
    assert ramadan[0] == eid - timedelta(days=30) and ramadan[-1] == eid - timedelta(days=1)
    assert holiday_calendar("", date(2026, 1, 1), date(2026, 12, 31)) == {}


def test_only_calls_offered_count_and_daily_totals_fill_empty_days() -> None:
    # A file with offered calls only (nothing known of answered or abandoned) forecasts as well.
    site = _site()
    first = date(2025, 1, 6)
    history = [
        r.model_copy(update={"answered": 0, "abandoned": 0})
        for r in _history(site, first, 21, seed=6)
    ]
    fc = forecast_week(history, site, first + timedelta(weeks=3), settings=NO_HOLIDAYS)
    assert fc.total_calls == pytest.approx(sum(r.offered for r in history[-7 * 16 :]))

    gap = [r for r in history if r.start_utc.astimezone(site.tz).date() != first + timedelta(1)]
    totals = daily_totals(gap, site)
    assert [d for d, _ in totals] == [first + timedelta(days=i) for i in range(21)]
    assert totals[1] == (first + timedelta(days=1), 0)
    local_day = {r.start_utc: r.start_utc.astimezone(site.tz).date() for r in gap}
    assert totals[0][1] == sum(r.offered for r in gap if local_day[r.start_utc] == first)


@pytest.mark.parametrize("seed", [6, 7])
def test_at_a_call_an_interval_the_forecast_does_not_repeat_interval_noise(seed: int) -> None:
    # About one call an interval: Poisson noise is most of every interval's error, so the
    # daily totals decide, and whichever candidate wins must spread its days by a profile
    # rather than repeat four weeks of each interval's own counts.
    site = _site()
    first = date(2025, 1, 6)
    history = _history(site, first, 20 * 7, seed=seed)
    quiet = [r.model_copy(update={"offered": 0}) for r in history]
    rng = np.random.default_rng(seed)
    truth = np.concatenate([0.1 * WEEKLY[d] * INTRADAY for d in range(7)])
    rates = np.tile(truth, 20)
    low = [
        r.model_copy(update={"offered": int(n), "answered": int(n)})
        for r, n in zip(quiet, rng.poisson(rates), strict=True)
    ]
    fc = forecast_week(low, site, first + timedelta(weeks=20), settings=NO_HOLIDAYS)
    got = np.array([i.calls for i in fc.intervals if i.open])
    # Four weeks' mean of one interval is off its rate by about 40% at these volumes.
    assert np.abs(got - truth).sum() / truth.sum() < 0.25, fc.method


def test_the_mean_of_four_weeks_by_profile_keeps_the_days_and_smooths_the_intervals() -> None:
    rng = np.random.default_rng(8)
    weeks = 10
    # About a call an interval, as on the demo helpline.
    counts = rng.poisson(np.tile(0.2 * WEEKLY[:, None] * INTRADAY, (weeks, 1))).astype(float)
    series = SeriesInput(
        counts, date(2025, 1, 6), np.ones((7, INTRADAY.size), dtype=bool), np.zeros((77, 2))
    )
    mean, _ = predict("mean_4w_profile", series, 7)
    last4 = counts[-28:].reshape(4, 7, -1).sum(axis=2).mean(axis=0)
    # The days are the mean of the same weekday's totals over the last 4 weeks...
    assert mean.sum(axis=1) == pytest.approx(last4)
    # ...spread by a profile learnt from 8 weeks, nearer the true shape of the day than each
    # interval's own mean of 4 weeks.
    per_interval, _ = predict("mean_4w", series, 7)

    def shape_error(m: np.ndarray) -> float:
        return float(np.abs(m / m.sum(axis=1, keepdims=True) - INTRADAY).sum())

    assert shape_error(mean) < 0.6 * shape_error(per_interval)
