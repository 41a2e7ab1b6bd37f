"""Forecast: call history -> expected calls per interval of a target week, with an 80% band.

Daily totals come from exponential smoothing (statsmodels ETS: additive errors, weekly
seasonality, damped trend) once there are 8 weeks of history, and from the seasonal naive
forecast (the same weekday of the last week) before that. Each day is split into intervals
by an intraday profile per weekday, learnt from the recent weeks and smoothed towards the
pooled profile of all days, because at helpline volumes one weekday's intervals hold only a
handful of calls. Nothing is rounded per interval.

The band reflects both the uncertainty of the daily level (the model's prediction interval)
and Poisson noise, which dominates at 0.5-2 calls an hour. A rolling-origin backtest over the
last 8 weeks scores the daily totals (WAPE, MASE) next to the seasonal naive baseline.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

import numpy as np
from pydantic import Field, model_validator
from scipy import stats

from scheduling.domain import CallIntervalRecord, Frozen, SiteProfile

MIN_WEEKS_FOR_MODEL = 8
BACKTEST_WEEKS = 8
PROFILE_WEEKS = 8
BAND = 0.80
# The model is called better or worse than the baseline only beyond this relative margin.
_MARGIN = 0.05
# At most this many days are fitted: older history says little about next week.
_MAX_FIT_DAYS = 2 * 364

Method = Literal["ets_damped_weekly", "seasonal_naive"]


class ForecastError(ValueError):
    """The history cannot give a forecast (empty, too short, nothing before the week)."""


class Adjustment(Frozen):
    """Scale the forecast over a date range (inclusive): a campaign, a surge, a holiday."""

    first_day: date
    last_day: date
    multiplier: float = Field(ge=0)
    label: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Adjustment:
        if self.last_day < self.first_day:
            raise ValueError("adjustment: last_day is before first_day")
        return self

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


class IntervalForecast(Frozen):
    """Expected calls in [start, end) (aware, site time) and the 80% band around them."""

    start: datetime
    end: datetime
    calls: float = Field(ge=0)
    low: float = Field(ge=0)
    high: float = Field(ge=0)
    open: bool


class DailyForecast(Frozen):
    day: date
    calls: float = Field(ge=0)
    low: float = Field(ge=0)
    high: float = Field(ge=0)
    open: bool
    multiplier: float = 1.0  # product of the adjustments covering the day


class Score(Frozen):
    wape: float | None  # sum |error| / sum actual
    mase: float | None  # mean |error| / in-sample mean |y_t - y_(t-7)|


class Backtest(Frozen):
    """Rolling-origin backtest of the daily totals: one week ahead from each of `weeks` origins."""

    weeks: int
    model: Score
    baseline: Score  # seasonal naive: the same weekday of the previous week
    chance_wape: float | None  # the WAPE a perfect forecast would still show (Poisson noise)
    model_better: bool | None  # None: too close to call, or nothing to compare
    verdict: str


class WeekForecast(Frozen):
    week_start: date
    timezone: str
    interval_minutes: int
    method: Method
    method_note: str
    history_start: date
    history_end: date
    intervals: tuple[IntervalForecast, ...]
    daily: tuple[DailyForecast, ...]
    backtest: Backtest
    adjustments: tuple[Adjustment, ...] = ()

    @property
    def total_calls(self) -> float:
        return float(sum(d.calls for d in self.daily))


# --- time helpers ------------------------------------------------------------------------


def week_slots(site: SiteProfile, week_start: date) -> list[tuple[datetime, datetime, bool]]:
    """Every interval of the local week [week_start, +7 days) as (start, end, open).

    Stepped in UTC from local midnight to local midnight, so a day when clocks change has
    one interval more or fewer, and no local time is skipped or counted twice.
    """
    tz = site.tz
    step = timedelta(minutes=site.interval_minutes)
    slots: list[tuple[datetime, datetime, bool]] = []
    for offset in range(7):
        day = week_start + timedelta(days=offset)
        window = site.hours_on(day.weekday())
        begin = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
        finish = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
        t = begin
        while t < finish:
            local = t.astimezone(tz)
            minute = local.hour * 60 + local.minute
            is_open = window is not None and window.start_minute <= minute < window.end_minute
            slots.append((local, (t + step).astimezone(tz), is_open))
            t += step
    return slots


# --- the daily model ---------------------------------------------------------------------


def _seasonal_naive(y: np.ndarray, horizon: int) -> np.ndarray:
    last_week = y[-7:]
    return np.array([last_week[h % 7] for h in range(horizon)], dtype=float)


def _naive_band(y: np.ndarray, mean: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    if y.size < 14:
        return mean.copy(), mean.copy()  # nothing to learn the spread from: Poisson only
    sd = float(np.std(y[7:] - y[:-7], ddof=1))
    seasons = np.arange(mean.size) // 7 + 1
    half = z * sd * np.sqrt(seasons)
    return mean - half, mean + half


@dataclass(frozen=True)
class _Daily:
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    method: Method
    note: str
    params: np.ndarray | None = None  # fitted smoothing parameters, to warm-start refits


def _ets(
    y: np.ndarray,
    start: date,
    horizon: int,
    band: float,
    with_band: bool,
    start_params: np.ndarray | None,
):
    import pandas as pd  # statsmodels needs a dated index for its prediction intervals
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    series = pd.Series(y, index=pd.date_range(start, periods=y.size, freq="D"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ETSModel(
            series,
            error="add",
            trend="add",
            damped_trend=True,
            seasonal="add",
            seasonal_periods=7,
        )
        fit = model.fit(disp=False, maxiter=200, start_params=start_params)
        params = np.asarray(fit.params, dtype=float)
        if not with_band:
            mean = np.asarray(fit.forecast(horizon), dtype=float)
            return mean, mean, mean, params
        frame = fit.get_prediction(start=y.size, end=y.size + horizon - 1).summary_frame(
            alpha=1.0 - band
        )
    return (
        frame["mean"].to_numpy(dtype=float),
        frame["pi_lower"].to_numpy(dtype=float),
        frame["pi_upper"].to_numpy(dtype=float),
        params,
    )


def _daily_forecast(
    y: np.ndarray,
    start: date,
    horizon: int,
    band: float,
    *,
    with_band: bool = True,
    start_params: np.ndarray | None = None,
) -> _Daily:
    """Forecast `horizon` days after the series y (one value a day from `start`)."""
    z = float(stats.norm.ppf(0.5 + band / 2))
    if y.size >= MIN_WEEKS_FOR_MODEL * 7:
        keep = min(y.size, _MAX_FIT_DAYS)
        fit_start = start + timedelta(days=y.size - keep)
        try:
            mean, low, high, params = _ets(
                y[-keep:], fit_start, horizon, band, with_band, start_params
            )
            if np.all(np.isfinite(mean)) and np.all(np.isfinite(low + high)):
                note = (
                    f"Exponential smoothing (weekly seasonality, damped trend) "
                    f"on {keep} days of history."
                )
                return _Daily(mean, low, high, "ets_damped_weekly", note, params)
        except (ValueError, np.linalg.LinAlgError):
            pass
        reason = "the smoothing model could not be fitted"
    else:
        weeks = y.size / 7
        reason = f"{weeks:.1f} weeks of history is under {MIN_WEEKS_FOR_MODEL}"
    mean = _seasonal_naive(y, horizon)
    low, high = _naive_band(y, mean, z) if with_band else (mean, mean)
    note = f"Seasonal naive (each day repeats the same weekday of the last week): {reason}."
    return _Daily(mean, low, high, "seasonal_naive", note)


def _poisson_widen(mean: np.ndarray, low: np.ndarray, high: np.ndarray, band: float):
    """Make sure a band is at least as wide as Poisson noise around the mean."""
    q_lo, q_hi = (1 - band) / 2, (1 + band) / 2
    p_lo = stats.poisson.ppf(q_lo, np.maximum(mean, 1e-12))
    p_hi = stats.poisson.ppf(q_hi, np.maximum(mean, 1e-12))
    return np.maximum(np.minimum(low, p_lo), 0.0), np.maximum(high, p_hi)


# --- the intraday profile ----------------------------------------------------------------


def _smooth(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """A [1, 2, 1] kernel along the day, within the open slots only."""
    v = np.where(mask, values, 0.0)
    w = mask.astype(float)
    pad_v, pad_w = np.pad(v, 1), np.pad(w, 1)
    num = pad_v[:-2] + 2 * pad_v[1:-1] + pad_v[2:]
    den = pad_w[:-2] + 2 * pad_w[1:-1] + pad_w[2:]
    return np.where(mask & (den > 0), num / np.where(den > 0, den, 1.0), 0.0)


def intraday_profiles(
    counts: np.ndarray, open_mask: np.ndarray, *, prior_calls_per_slot: float = 4.0
) -> np.ndarray:
    """Shares of each weekday's calls per slot (rows sum to 1 over open slots, 0 if closed).

    counts and open_mask are 7 x slots-per-day. A weekday's own pattern is shrunk towards the
    pooled pattern of all days by `prior_calls_per_slot` pseudo-calls per open slot, and the
    pooled pattern towards flat by one pseudo-call per slot, then smoothed along the day.
    """
    counts = np.where(open_mask, counts, 0.0)
    pooled_counts = counts.sum(axis=0)
    any_open = open_mask.any(axis=0)
    flat = any_open / max(any_open.sum(), 1)
    pooled = (pooled_counts + any_open.sum() * flat) / (pooled_counts.sum() + any_open.sum())
    shares = np.zeros(counts.shape)
    for wd in range(7):
        mask = open_mask[wd]
        n_open = int(mask.sum())
        if n_open == 0:
            continue
        prior = np.where(mask, pooled, 0.0)
        prior = prior / prior.sum() if prior.sum() > 0 else mask / n_open
        strength = prior_calls_per_slot * n_open
        own = counts[wd]
        mixed = (own + strength * prior) / (own.sum() + strength)
        smooth = _smooth(mixed, mask)
        shares[wd] = smooth / smooth.sum()
    return shares


# --- the backtest --------------------------------------------------------------------------


def _score(actual: np.ndarray, predicted: np.ndarray, scale: float | None) -> Score:
    err = np.abs(actual - predicted)
    total = float(actual.sum())
    wape = float(err.sum() / total) if total > 0 else None
    mase = float(err.mean() / scale) if scale and scale > 0 else None
    return Score(wape=wape, mase=mase)


def _poisson_mad(mean: np.ndarray) -> np.ndarray:
    """E|X - m| for X ~ Poisson(m): 2 m P(X = floor(m))."""
    return 2.0 * mean * stats.poisson.pmf(np.floor(mean), np.maximum(mean, 1e-12))


def run_backtest(
    y: np.ndarray,
    start: date,
    closed_weekdays: frozenset[int],
    *,
    weeks: int = BACKTEST_WEEKS,
    start_params: np.ndarray | None = None,
) -> Backtest:
    """Forecast each of the last `weeks` weeks from the history before it; score daily totals."""
    usable = min(weeks, y.size // 7 - 1)
    if usable < 1:
        return Backtest(
            weeks=0,
            model=Score(wape=None, mase=None),
            baseline=Score(wape=None, mase=None),
            chance_wape=None,
            model_better=None,
            verdict="Not enough history to test the forecast: at least 2 weeks are needed.",
        )
    actual, model, naive = [], [], []
    methods: set[str] = set()
    for k in range(usable, 0, -1):
        cut = y.size - 7 * k
        train = y[:cut]
        fc = _daily_forecast(train, start, 7, BAND, with_band=False, start_params=start_params)
        mean = fc.mean
        methods.add(fc.method)
        days = [start + timedelta(days=cut + i) for i in range(7)]
        closed = np.array([d.weekday() in closed_weekdays for d in days])
        model.append(np.where(closed, 0.0, np.maximum(mean, 0.0)))
        naive.append(np.where(closed, 0.0, _seasonal_naive(train, 7)))
        actual.append(y[cut : cut + 7])
    a, m, n = np.concatenate(actual), np.concatenate(model), np.concatenate(naive)
    history = y[: y.size - 7 * usable]
    if history.size < 14:
        history = y
    diffs = np.abs(history[7:] - history[:-7])
    scale = float(diffs.mean()) if diffs.size else None
    model_score, base_score = _score(a, m, scale), _score(a, n, scale)
    chance = float(_poisson_mad(a).sum() / a.sum()) if a.sum() > 0 else None
    better, verdict = _verdict(usable, methods, model_score, base_score, chance)
    return Backtest(
        weeks=usable,
        model=model_score,
        baseline=base_score,
        chance_wape=chance,
        model_better=better,
        verdict=verdict,
    )


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.0f}%"


def _verdict(
    weeks: int, methods: set[str], model: Score, base: Score, chance: float | None
) -> tuple[bool | None, str]:
    span = f"the last {weeks} week{'s' if weeks > 1 else ''}"
    noise = ""
    if chance is not None and chance >= 0.10:
        noise = (
            f" At these volumes even a perfect forecast would be off by about {_pct(chance)} "
            "a day by chance alone."
        )
    if model.wape is None or base.wape is None:
        return None, f"No calls in {span}, so the forecast could not be scored."
    if methods == {"seasonal_naive"}:
        return None, (
            f"With under {MIN_WEEKS_FOR_MODEL} weeks of history the forecast repeats last "
            f"week's pattern; over {span} that was off by {_pct(base.wape)} a day (WAPE)." + noise
        )
    if model.wape < base.wape * (1 - _MARGIN):
        return True, (
            f"Trust it: over {span} the forecast was off by {_pct(model.wape)} a day (WAPE), "
            f"against {_pct(base.wape)} for repeating the same weekday of the week before." + noise
        )
    if model.wape > base.wape * (1 + _MARGIN):
        return False, (
            f"Be careful: over {span}, repeating the same weekday of the week before was "
            f"closer ({_pct(base.wape)} off a day) than the forecast ({_pct(model.wape)})." + noise
        )
    return None, (
        f"About as accurate as repeating last week: off by {_pct(model.wape)} a day against "
        f"{_pct(base.wape)} over {span}." + noise
    )


# --- the week forecast ---------------------------------------------------------------------


def _interval_band(
    calls: np.ndarray, share: np.ndarray, day_mean: float, day_low: float, day_high: float
):
    """Band per interval: Poisson noise plus the uncertainty of the day's level."""
    z = float(stats.norm.ppf(0.5 + BAND / 2))
    day_var = ((day_high - day_low) / (2 * z)) ** 2
    level_var = max(day_var - day_mean, 0.0)  # what is left once the day's own noise is out
    extra = share**2 * level_var
    q_lo, q_hi = (1 - BAND) / 2, (1 + BAND) / 2
    safe = np.maximum(calls, 1e-12)
    low = stats.poisson.ppf(q_lo, safe)
    high = stats.poisson.ppf(q_hi, safe)
    mixed = extra > 1e-9 * safe
    if mixed.any():
        r = safe[mixed] ** 2 / extra[mixed]  # negative binomial with the same mean
        p = r / (r + safe[mixed])
        low[mixed] = stats.nbinom.ppf(q_lo, r, p)
        high[mixed] = stats.nbinom.ppf(q_hi, r, p)
    zero = calls <= 0
    low[zero], high[zero] = 0.0, 0.0
    return np.minimum(low, calls), np.maximum(high, calls)


# Further ahead than a year, a forecast from call history says nothing useful (and a far
# target would take minutes to extrapolate day by day).
MAX_HORIZON_DAYS = 371


def forecast_week(
    history: Sequence[CallIntervalRecord],
    site: SiteProfile,
    week_start: date,
    *,
    adjustments: Sequence[Adjustment] = (),
    history_end: date | None = None,
    backtest_weeks: int = BACKTEST_WEEKS,
) -> WeekForecast:
    """Expected calls per interval for the local week starting `week_start`.

    Only history before `week_start` is used. `history_end` is the last day the history
    covers (default: the day of the last record); days without records count as no calls.
    """
    if not history:
        raise ForecastError("no call history: import at least one full week of calls first")
    tz = site.tz
    slots_per_day = 1440 // site.interval_minutes
    local = [(r.start_utc.astimezone(tz), r.offered) for r in history]
    local = [(t, n) for t, n in local if t.date() < week_start]
    if not local:
        raise ForecastError(f"the call history has no day before the week of {week_start}")
    first = min(t.date() for t, _ in local)
    last = max(t.date() for t, _ in local)
    if history_end is not None:
        last = min(max(history_end, first), week_start - timedelta(days=1))
    n_days = (last - first).days + 1
    if n_days < 7:
        raise ForecastError(
            f"the call history covers {n_days} day{'s' if n_days != 1 else ''} "
            f"({first} to {last}); at least one full week (7 days) is needed"
        )

    daily = np.zeros(n_days)
    counts = np.zeros((7, slots_per_day))
    profile_from = last - timedelta(days=7 * PROFILE_WEEKS - 1)
    for t, n in local:
        day = t.date()
        if day > last:
            continue
        daily[(day - first).days] += n
        if day >= profile_from:
            counts[day.weekday(), (t.hour * 60 + t.minute) // site.interval_minutes] += n

    closed = frozenset(wd for wd in range(7) if site.hours_on(wd) is None)
    horizon = (week_start - last).days + 6
    if horizon > MAX_HORIZON_DAYS:
        raise ForecastError(
            f"the week of {week_start} starts {(week_start - last).days} days after the call "
            f"history ends ({last}); a forecast reaches at most {MAX_HORIZON_DAYS} days ahead"
        )
    fit = _daily_forecast(daily, first, horizon, BAND)
    method, note = fit.method, fit.note
    tail = slice(horizon - 7, horizon)
    mean, low, high = np.maximum(fit.mean[tail], 0.0), fit.low[tail], fit.high[tail]
    low, high = _poisson_widen(mean, low, high, BAND)
    low = np.minimum(low, mean)

    open_mask = np.zeros((7, slots_per_day), dtype=bool)
    for w in site.opening_hours:
        open_mask[
            w.weekday,
            w.start_minute // site.interval_minutes : w.end_minute // site.interval_minutes,
        ] = True
    shares = intraday_profiles(counts, open_mask)

    slots = week_slots(site, week_start)
    intervals: list[IntervalForecast] = []
    days: list[DailyForecast] = []
    for offset in range(7):
        day = week_start + timedelta(days=offset)
        factor = math.prod(a.multiplier for a in adjustments if a.covers(day))
        todays = [s for s in slots if s[0].date() == day]
        is_open = [s[2] for s in todays]
        day_open = any(is_open) and day.weekday() not in closed
        m = float(mean[offset]) * factor if day_open else 0.0
        lo = float(low[offset]) * factor if day_open else 0.0
        hi = float(high[offset]) * factor if day_open else 0.0
        days.append(
            DailyForecast(day=day, calls=m, low=lo, high=hi, open=day_open, multiplier=factor)
        )
        share = np.array(
            [
                shares[day.weekday(), (s[0].hour * 60 + s[0].minute) // site.interval_minutes]
                if s[2]
                else 0.0
                for s in todays
            ]
        )
        if share.sum() > 0:
            share = share / share.sum()
        calls = m * share
        band_lo, band_hi = _interval_band(calls, share, m, lo, hi)
        for (start, end, op), c, bl, bh in zip(todays, calls, band_lo, band_hi, strict=True):
            intervals.append(
                IntervalForecast(
                    start=start, end=end, calls=float(c), low=float(bl), high=float(bh), open=op
                )
            )

    return WeekForecast(
        week_start=week_start,
        timezone=site.timezone,
        interval_minutes=site.interval_minutes,
        method=method,
        method_note=note,
        history_start=first,
        history_end=last,
        intervals=tuple(intervals),
        daily=tuple(days),
        backtest=run_backtest(daily, first, closed, weeks=backtest_weeks, start_params=fit.params),
        adjustments=tuple(adjustments),
    )
