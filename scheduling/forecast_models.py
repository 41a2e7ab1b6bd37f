"""The candidate forecasting models, each on a day x interval matrix of calls offered.

Every candidate takes the history (one row a local day, one column a slot of the day), the
special-day flags of the history and of the days to forecast, and the open slots of each
weekday, and returns the expected calls of every slot of the next `horizon` days. The
forecast module backtests them all and chooses one per site.

- seasonal_naive: each day repeats the same weekday of last week, spread by the intraday
  profile (baseline).
- mean_4w: the mean of the same slot of the same weekday over the last 4 weeks (baseline).
- ets_damped_weekly: daily totals from exponential smoothing (additive errors, weekly
  seasonality, damped trend), split by an intraday profile per weekday learnt from recent
  weeks and shrunk towards the pooled profile of all days.
- glm_weekly_intraday: a Poisson log-linear model fitted at interval level, with a rate per
  weekday x slot (shrunk towards the pooled intraday shape), a linear trend, and recent days
  weighted more (a half-life in days), so the level follows the series.

Holidays and Ramadan enter every candidate as multipliers of the day learnt from the
history (`special_day_factors`): the models fit with them, and the baselines repeat weeks
with the special days taken out and put the coming ones back in, so whichever candidate a
site ends up with knows the calendar.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import numpy as np

Method = Literal["seasonal_naive", "mean_4w", "ets_damped_weekly", "glm_weekly_intraday"]

MIN_WEEKS_FOR_MODEL = 8
PROFILE_WEEKS = 8
# At most this many days are fitted: older history says little about next week.
MAX_FIT_DAYS = 2 * 364
# The GLM's weight halves every this many days into the past.
GLM_HALF_LIFE_DAYS = 21.0
GLM_SHAPE_HALF_LIFE_DAYS = 28.0
# Pseudo-calls per open slot pulling a weekday's intraday shape towards the pooled shape.
PRIOR_CALLS_PER_SLOT = 4.0
# Weeks on either side of a special day whose same weekday serves as its reference.
REFERENCE_WEEKS = 6


@dataclass(frozen=True)
class SeriesInput:
    """The history of one site as the candidates see it."""

    counts: np.ndarray  # days x slots, calls offered
    first: date  # the local day of row 0
    open_mask: np.ndarray  # 7 x slots, True where the site is open
    flags: np.ndarray  # (days + horizon) x kinds, 1.0 on a special day of that kind

    @property
    def days(self) -> int:
        return int(self.counts.shape[0])

    def weekdays(self, start: int, stop: int) -> np.ndarray:
        first_wd = self.first.weekday()
        return (first_wd + np.arange(start, stop)) % 7


@dataclass(frozen=True)
class CandidateSpec:
    name: Method
    label: str
    baseline: bool
    min_weeks: int  # the history a candidate needs before it is tried


Forecaster = Callable[[SeriesInput, int], np.ndarray]


# --- baselines ---------------------------------------------------------------------------


def seasonal_naive(series: SeriesInput, horizon: int) -> np.ndarray:
    """Each day repeats the total of the same weekday last week, spread over the day by the
    intraday profile of recent weeks (repeating each interval's own count would carry its
    noise, which at helpline volumes is most of it)."""
    last_week = series.counts[-7:].sum(axis=1)
    n = series.days
    shares = intraday_profiles(
        _weekday_counts(series, PROFILE_WEEKS, np.ones(n, dtype=bool)), series.open_mask
    )
    wds = series.weekdays(n, n + horizon)
    return np.array([last_week[h % 7] * shares[wds[h]] for h in range(horizon)], dtype=float)


def mean_of_weeks(series: SeriesInput, horizon: int, weeks: int = 4) -> np.ndarray:
    n = series.days
    k = max(1, min(weeks, n // 7))
    rows = np.stack([series.counts[n - 7 * j : n - 7 * j + 7] for j in range(1, k + 1)])
    mean_week = rows.mean(axis=0)
    return np.array([mean_week[h % 7] for h in range(horizon)], dtype=float)


# --- special days ----------------------------------------------------------------------------


def special_day_factors(daily: np.ndarray, flags: np.ndarray, first: date) -> np.ndarray:
    """A multiplier per kind of special day, learnt from the history.

    Each special day is compared with the same weekday in the weeks around it that are not
    special; the ratio of the sums is shrunk towards 1 by one ordinary day's worth of calls,
    so a kind seen once moves the forecast half way and a kind seen often moves it fully.
    A kind never seen stays at 1.
    """
    n = daily.size
    kinds = flags.shape[1]
    hist = flags[:n] > 0
    ordinary = np.asarray(~hist.any(axis=1), dtype=bool)
    factors = np.ones(kinds)
    for k in range(kinds):
        actual, reference, seen = 0.0, 0.0, 0
        for d in np.flatnonzero(hist[:, k]):
            around = [
                d + 7 * j
                for j in range(-REFERENCE_WEEKS, REFERENCE_WEEKS + 1)
                if j != 0 and 0 <= d + 7 * j < n and ordinary[d + 7 * j]
            ]
            if not around:
                continue
            actual += float(daily[d])
            reference += float(np.mean(daily[around]))
            seen += 1
        if seen and reference > 0:
            typical = reference / seen
            factors[k] = (actual + typical) / (reference + typical)
    return factors


def _day_multipliers(flags: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """The product of the factors of the kinds flagged on each day."""
    return np.prod(np.where(flags > 0, factors[None, :], 1.0), axis=1)


def calendar_multipliers(series: SeriesInput) -> np.ndarray:
    """The calendar's multiplier of every day, history and horizon (special days)."""
    daily = series.counts.sum(axis=1)
    return _day_multipliers(series.flags, special_day_factors(daily, series.flags, series.first))


# --- intraday profile ----------------------------------------------------------------------


def _smooth(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """A [1, 2, 1] kernel along the day, within the open slots only."""
    v = np.where(mask, values, 0.0)
    w = mask.astype(float)
    pad_v, pad_w = np.pad(v, 1), np.pad(w, 1)
    num = pad_v[:-2] + 2 * pad_v[1:-1] + pad_v[2:]
    den = pad_w[:-2] + 2 * pad_w[1:-1] + pad_w[2:]
    return np.where(mask & (den > 0), num / np.where(den > 0, den, 1.0), 0.0)


def _pooled_shape(counts: np.ndarray, open_mask: np.ndarray) -> np.ndarray:
    """The pattern of all days pooled, shrunk towards flat by one pseudo-call per slot."""
    any_open = open_mask.any(axis=0)
    flat = any_open / max(int(any_open.sum()), 1)
    pooled = np.where(open_mask, counts, 0.0).sum(axis=0)
    return (pooled + any_open.sum() * flat) / (pooled.sum() + any_open.sum())


def intraday_profiles(
    counts: np.ndarray,
    open_mask: np.ndarray,
    *,
    prior_calls_per_slot: float = PRIOR_CALLS_PER_SLOT,
    smooth: bool = True,
) -> np.ndarray:
    """Shares of each weekday's calls per slot (rows sum to 1 over open slots, 0 if closed).

    counts and open_mask are 7 x slots-per-day. A weekday's own pattern is shrunk towards the
    pooled pattern of all days by `prior_calls_per_slot` pseudo-calls per open slot, and the
    pooled pattern towards flat by one pseudo-call per slot, then (`smooth`) smoothed
    along the day.
    """
    counts = np.where(open_mask, counts, 0.0)
    pooled = _pooled_shape(counts, open_mask)
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
        if smooth:
            mixed = _smooth(mixed, mask)
        shares[wd] = mixed / mixed.sum()
    return shares


def _weekday_counts(series: SeriesInput, weeks: int, ordinary: np.ndarray) -> np.ndarray:
    """Calls per weekday x slot over the last `weeks` weeks, ordinary days only."""
    n = series.days
    start = max(0, n - 7 * weeks)
    wds = series.weekdays(start, n)
    out = np.zeros((7, series.counts.shape[1]))
    for i, wd in zip(range(start, n), wds, strict=True):
        if ordinary[i]:
            out[wd] += series.counts[i]
    return out


# --- the daily ETS model -------------------------------------------------------------------


@dataclass(frozen=True)
class DailyFit:
    mean: np.ndarray
    params: np.ndarray  # fitted smoothing parameters and initial states


def ets_daily(
    y: np.ndarray,
    start: date,
    horizon: int,
    *,
    params: np.ndarray | None = None,
    refit: bool = True,
) -> DailyFit | None:
    """Exponential smoothing of daily totals, or None when it cannot be fitted.

    With `refit` False and `params` given, the series is only filtered with those parameters
    (no optimisation): the backtest fits once at its first origin and carries the parameters
    to the later ones, which keeps the whole backtest a few seconds on two years.
    """
    import pandas as pd  # statsmodels wants a dated index
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    keep = min(y.size, MAX_FIT_DAYS)
    fit_start = start + timedelta(days=y.size - keep)
    series = pd.Series(y[-keep:], index=pd.date_range(fit_start, periods=keep, freq="D"))
    try:
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
            if params is not None and not refit:
                fit = model.smooth(params)
            else:
                fit = model.fit(disp=False, maxiter=200, start_params=params)
            fitted = np.asarray(fit.params, dtype=float)
            mean = np.asarray(fit.forecast(horizon), dtype=float)
    except (ValueError, np.linalg.LinAlgError):
        return None
    if not np.all(np.isfinite(mean)):
        return None
    return DailyFit(mean, fitted)


def ets_with_profile(
    series: SeriesInput,
    horizon: int,
    *,
    start_params: np.ndarray | None = None,
    refit: bool = True,
) -> tuple[np.ndarray, np.ndarray | None]:
    """ETS daily level (special days taken out, then put back) x the intraday profile."""
    n = series.days
    daily = series.counts.sum(axis=1)
    mult = calendar_multipliers(series)
    cleaned = daily / np.where(mult[:n] > 0, mult[:n], 1.0)
    fit = ets_daily(cleaned, series.first, horizon, params=start_params, refit=refit)
    if fit is None:
        raise ValueError("the smoothing model could not be fitted")
    level = np.maximum(fit.mean, 0.0) * mult[n : n + horizon]
    ordinary = np.asarray(~(series.flags[:n] > 0).any(axis=1), dtype=bool)
    shares = intraday_profiles(_weekday_counts(series, PROFILE_WEEKS, ordinary), series.open_mask)
    wds = series.weekdays(n, n + horizon)
    return level[:, None] * shares[wds], fit.params


# --- the interval-level Poisson model ------------------------------------------------------


def glm_weekly_intraday(
    series: SeriesInput,
    horizon: int,
    *,
    half_life_days: float = GLM_HALF_LIFE_DAYS,
    shape_half_life_days: float = GLM_SHAPE_HALF_LIFE_DAYS,
    iterations: int = 6,
) -> np.ndarray:
    """E[calls of day d, slot s] = level[weekday(d)] x shape[weekday(d), s] x exp(trend t(d))
    x special(d): a Poisson model at interval level.

    The weekday levels and the trend maximise the Poisson likelihood with weights halving
    every `half_life_days` into the past, so the level follows the series; the levels have a
    closed form given the trend, and the trend takes a Newton step given the levels (a ridge
    keeps it near flat when the data say little). The intraday shape of each weekday is
    the same likelihood's answer with a longer memory (`shape_half_life_days`), because
    the time of day people call changes more slowly than how many call, and it is shrunk
    towards the pooled shape of all days so a weekday's slots with a handful of calls borrow
    from the others.
    """
    n_all, slots = series.counts.shape
    keep = min(n_all, MAX_FIT_DAYS)
    y = series.counts[-keep:]
    offset_days = n_all - keep
    mult_all = calendar_multipliers(series)
    mult = mult_all[offset_days:n_all]
    wds = series.weekdays(offset_days, n_all)
    age = (keep - 1 - np.arange(keep)).astype(float)
    weight = 0.5 ** (age / half_life_days)
    shape_weight = 0.5 ** (age / shape_half_life_days) / np.where(mult > 0, mult, 1.0)
    t = -age / 365.0  # years, 0 on the last day
    mask = series.open_mask
    by_wd = [np.flatnonzero(wds == wd) for wd in range(7)]

    shape_counts = np.zeros((7, slots))
    for wd in range(7):
        if by_wd[wd].size:
            rows = by_wd[wd]
            shape_counts[wd] = (shape_weight[rows, None] * y[rows]).sum(axis=0)
    shape = intraday_profiles(
        shape_counts,
        mask,
        prior_calls_per_slot=PRIOR_CALLS_PER_SLOT * float(shape_weight.mean()),
        smooth=False,
    )

    daily = y.sum(axis=1)
    info = float(np.sum(weight * np.maximum(daily, 1e-9)))
    ridge = max(info, 1.0) * 0.05  # a flat trend is worth a few weeks of data
    trend = 0.0
    level = np.zeros(7)
    for _ in range(iterations):
        exposure = weight * mult * np.exp(trend * t)
        for wd in range(7):
            rows = by_wd[wd]
            exp_days = float(exposure[rows].sum()) if rows.size else 0.0
            level[wd] = float((weight[rows] * daily[rows]).sum()) / exp_days if exp_days else 0.0
        mu = level[wds] * mult * np.exp(trend * t)
        grad = float(np.sum(weight * (daily - mu) * t)) - ridge * trend
        hess = float(np.sum(weight * mu * t * t)) + ridge
        trend += grad / hess
    future_wds = series.weekdays(n_all, n_all + horizon)
    t_future = np.arange(1, horizon + 1) / 365.0
    day_level = level[future_wds] * mult_all[n_all : n_all + horizon] * np.exp(trend * t_future)
    return shape[future_wds] * day_level[:, None]


CANDIDATES: tuple[CandidateSpec, ...] = (
    CandidateSpec("seasonal_naive", "Repeat last week", baseline=True, min_weeks=1),
    CandidateSpec("mean_4w", "Mean of the last 4 weeks", baseline=True, min_weeks=1),
    CandidateSpec(
        "ets_damped_weekly",
        "Exponential smoothing x intraday profile",
        baseline=False,
        min_weeks=MIN_WEEKS_FOR_MODEL,
    ),
    CandidateSpec(
        "glm_weekly_intraday",
        "Poisson model per interval (weekday x time of day, trend, holidays)",
        baseline=False,
        min_weeks=MIN_WEEKS_FOR_MODEL,
    ),
)
CANDIDATE_BY_NAME = {c.name: c for c in CANDIDATES}


def predict(
    name: Method,
    series: SeriesInput,
    horizon: int,
    *,
    start_params: np.ndarray | None = None,
    refit: bool = True,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Expected calls (horizon x slots, closed slots 0) and the ETS parameters if any
    (`refit` False: filter with `start_params` rather than fit again)."""
    params = None
    n = series.days
    if name in ("seasonal_naive", "mean_4w"):
        # The calendar, not the baseline's weeks, says what a holiday does: a special day in
        # the weeks repeated is replaced by the same weekday before it, and the coming ones
        # get their learnt multiplier.
        mult = calendar_multipliers(series)
        counts = series.counts.copy()
        special = (series.flags[:n] > 0).any(axis=1)
        for d in np.flatnonzero(special):
            if d >= 7:
                counts[d] = counts[d - 7]
        cleaned = SeriesInput(counts, series.first, series.open_mask, series.flags)
        if name == "seasonal_naive":
            mean = seasonal_naive(cleaned, horizon)
        else:
            mean = mean_of_weeks(cleaned, horizon, 4)
        mean = mean * mult[n : n + horizon, None]
    elif name == "ets_damped_weekly":
        mean, params = ets_with_profile(series, horizon, start_params=start_params, refit=refit)
    else:
        mean = glm_weekly_intraday(series, horizon)
    wds = series.weekdays(n, n + horizon)
    return np.where(series.open_mask[wds], np.maximum(mean, 0.0), 0.0), params
