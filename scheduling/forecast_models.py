"""The candidate forecasting models, each on a day x interval matrix of calls offered.

Every candidate takes the history (one row a local day, one column a slot of the day), the
special-day flags of the history and of the days to forecast, and the open slots of each
weekday, and returns the expected calls of every slot of the next `horizon` days. The
forecast module backtests them all and chooses one per site.

- seasonal_naive: each day repeats the same weekday of last week, spread by the intraday
  profile (baseline).
- mean_4w_profile: the mean of the same weekday's totals over the last 4 weeks, spread by
  the intraday profile (baseline).
- mean_4w: the mean of the same slot of the same weekday over the last 4 weeks (baseline).
- ets_damped_weekly: daily totals from exponential smoothing (additive errors, weekly
  seasonality, damped trend), split by an intraday profile per weekday learnt from recent
  weeks and shrunk towards the pooled profile of all days.
- glm_weekly_intraday: a Poisson log-linear model fitted at interval level, with a rate per
  weekday x slot (shrunk towards the pooled intraday shape), a linear trend, and recent days
  weighted more (a half-life in days), so the level follows the series.
- level_weekday_monthday: daily totals from a Poisson model with a level per week, a
  weekday pattern and a day-of-month pattern (paydays; shrunk to nothing where the history
  shows none), the coming level the mean of the last 4 weekly levels, split by the
  Poisson model's intraday shape.

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

Method = Literal[
    "seasonal_naive",
    "mean_4w_profile",
    "mean_4w",
    "ets_damped_weekly",
    "glm_weekly_intraday",
    "level_weekday_monthday",
]

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
# The daily model: the weekday pattern's weights halve every this many days into the past,
# the coming level is the mean of this many weekly levels, and a day-of-month effect is
# only looked for in at least this much history (every day of the month seen 6 times).
WEEKDAY_HALF_LIFE_DAYS = 84.0
LEVEL_WEEKS = 4
MONTH_DAY_MIN_DAYS = 182


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
    """Each interval the mean of the same interval of the same weekday over `weeks` weeks."""
    n = series.days
    k = max(1, min(weeks, n // 7))
    rows = np.stack([series.counts[n - 7 * j : n - 7 * j + 7] for j in range(1, k + 1)])
    mean_week = rows.mean(axis=0)
    return np.array([mean_week[h % 7] for h in range(horizon)], dtype=float)


def mean_of_weeks_by_profile(series: SeriesInput, horizon: int, weeks: int = 4) -> np.ndarray:
    """Each day the mean total of the same weekday over `weeks` weeks, spread over the day by
    the intraday profile of recent weeks, as repeating last week is: at a call or two an
    interval, each interval's own mean of four weeks would carry most of their noise."""
    n = series.days
    shares = intraday_profiles(
        _weekday_counts(series, PROFILE_WEEKS, np.ones(n, dtype=bool)), series.open_mask
    )
    days = mean_of_weeks(series, horizon, weeks).sum(axis=1)
    return days[:, None] * shares[series.weekdays(n, n + horizon)]


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


def interval_shape(
    series: SeriesInput,
    *,
    half_life_days: float = GLM_SHAPE_HALF_LIFE_DAYS,
    multipliers: np.ndarray | None = None,
) -> np.ndarray:
    """The share of each weekday's calls per slot (7 x slots, rows sum to 1 where open).

    The Poisson likelihood's answer with weights halving every `half_life_days` into the
    past (a special day counted by its calls over its multiplier), shrunk towards the pooled
    shape of all days so that a weekday's slots with a handful of calls borrow from the
    others. `multipliers` are the calendar's, when the caller has them already.
    """
    n_all, slots = series.counts.shape
    keep = min(n_all, MAX_FIT_DAYS)
    y = series.counts[-keep:]
    mult_all = calendar_multipliers(series) if multipliers is None else multipliers
    mult = mult_all[n_all - keep : n_all]
    wds = series.weekdays(n_all - keep, n_all)
    age = (keep - 1 - np.arange(keep)).astype(float)
    shape_weight = 0.5 ** (age / half_life_days) / np.where(mult > 0, mult, 1.0)
    shape_counts = np.zeros((7, slots))
    for wd in range(7):
        rows = np.flatnonzero(wds == wd)
        if rows.size:
            shape_counts[wd] = (shape_weight[rows, None] * y[rows]).sum(axis=0)
    return intraday_profiles(
        shape_counts,
        series.open_mask,
        prior_calls_per_slot=PRIOR_CALLS_PER_SLOT * float(shape_weight.mean()),
        smooth=False,
    )


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
    n_all = series.days
    keep = min(n_all, MAX_FIT_DAYS)
    y = series.counts[-keep:]
    offset_days = n_all - keep
    mult_all = calendar_multipliers(series)
    mult = mult_all[offset_days:n_all]
    wds = series.weekdays(offset_days, n_all)
    age = (keep - 1 - np.arange(keep)).astype(float)
    weight = 0.5 ** (age / half_life_days)
    t = -age / 365.0  # years, 0 on the last day
    by_wd = [np.flatnonzero(wds == wd) for wd in range(7)]
    shape = interval_shape(series, half_life_days=shape_half_life_days, multipliers=mult_all)

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


# --- weekly level x weekday x day of month ---------------------------------------------------


@dataclass(frozen=True)
class DailyPattern:
    """The daily model's factors: E[calls of day d] = week_level[block(d)] x weekday[wd(d)]
    x month_day[day of month(d) - 1] x special(d)."""

    week_levels: np.ndarray  # one per 7-day block, oldest first, the last ending yesterday
    weekday: np.ndarray  # 7, Monday first
    month_day: np.ndarray  # 31, 1.0 when the history shows no day-of-month effect
    smoothed_month_day: np.ndarray  # the same smoothed with neighbouring days, to forecast


def month_day_factors(calls: np.ndarray, expected: np.ndarray, month_day: np.ndarray) -> np.ndarray:
    """A multiplier per day of the month (31), from calls against what the rest of the model
    expected, shrunk by empirical Bayes: each day of the month's ratio is pulled towards 1 by
    the share of its spread that the day-to-day scatter of the series would explain on its
    own, so a series without such an effect gets 1.0 throughout and a strong, steady one
    (paydays) keeps most of it."""
    num = np.bincount(month_day, weights=calls, minlength=31)
    den = np.bincount(month_day, weights=expected, minlength=31)
    seen = den > 0
    if int(seen.sum()) < 2:
        return np.ones(31)
    ratio = np.where(seen, num / np.where(seen, den, 1.0), 1.0)
    used = expected > 0
    resid = calls[used] / expected[used] - ratio[month_day[used]]
    # Scatter of one day's ratio, per expected call, so days with more calls count more.
    scatter = float(np.sum(expected[used] * resid**2) / np.sum(expected[used]))
    sampling = scatter * float(expected[used].mean()) / np.where(seen, den, 1.0)
    spread = max(0.0, float(np.mean((ratio[seen] - 1.0) ** 2) - np.mean(sampling[seen])))
    keep = np.where(seen, spread / (spread + sampling), 0.0)
    return 1.0 + keep * (ratio - 1.0)


def smooth_month_days(factors: np.ndarray) -> np.ndarray:
    """[1, 2, 1] over the days of the month, the 31st next to the 1st."""
    padded = np.concatenate([factors[-1:], factors, factors[:1]])
    return (padded[:-2] + 2 * padded[1:-1] + padded[2:]) / 4


def fit_daily_pattern(
    daily: np.ndarray,
    weekdays: np.ndarray,
    month_day: np.ndarray,
    multipliers: np.ndarray,
    *,
    weekday_half_life_days: float = WEEKDAY_HALF_LIFE_DAYS,
    month_day_effect: bool = True,
    iterations: int = 200,
    tolerance: float = 1e-6,
) -> DailyPattern:
    """Fit the daily factors of `DailyPattern` to daily totals (one a day, oldest first) by
    the Poisson likelihood, one factor at a time given the others, until the fitted days
    move by less than `tolerance` (relative). Each 7-day block, counted back from the last
    day, has a level of its own, so the weekday and day-of-month effects are learnt within
    weeks and are not confused with the level moving; the weekday pattern weighs recent
    weeks more, and the day-of-month factors are shrunk (`month_day_factors`)."""
    n = daily.size
    block = (n - 1 - np.arange(n)) // 7  # 0: the last 7 days
    blocks = int(block.max()) + 1 if n else 0
    age = (n - 1 - np.arange(n)).astype(float)
    recent = 0.5 ** (age / weekday_half_life_days)
    levels = np.full(blocks, float(daily.mean()) if n else 0.0)
    weekday = np.ones(7)
    month = np.ones(31)
    fitted = np.zeros(n)

    def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)

    for step in range(iterations):
        levels = ratio(
            np.bincount(block, weights=daily, minlength=blocks),
            np.bincount(
                block, weights=weekday[weekdays] * month[month_day] * multipliers, minlength=blocks
            ),
        )
        weekday = ratio(
            np.bincount(weekdays, weights=recent * daily, minlength=7),
            np.bincount(
                weekdays,
                weights=recent * levels[block] * month[month_day] * multipliers,
                minlength=7,
            ),
        )
        if month_day_effect and step >= 2:  # once levels and weekdays are roughly right
            month = month_day_factors(
                daily, levels[block] * weekday[weekdays] * multipliers, month_day
            )
        now = levels[block] * weekday[weekdays] * month[month_day] * multipliers
        moved = np.abs(now - fitted) / np.maximum(np.abs(now), 1e-9)
        fitted = now
        if step > 2 and float(moved.max(initial=0.0)) < tolerance:
            break
    return DailyPattern(levels[::-1].copy(), weekday, month, smooth_month_days(month))


def level_weekday_monthday(
    series: SeriesInput,
    horizon: int,
    *,
    level_weeks: int = LEVEL_WEEKS,
    month_day_effect: bool = True,
) -> np.ndarray:
    """Daily totals from `fit_daily_pattern` (the level of the coming weeks: the mean of the
    last `level_weeks` weekly levels, each cleared of its weekdays, days of the month and
    special days), split over the day by the same intraday shape as the Poisson model per
    interval. The day-of-month effect is only tried with `MONTH_DAY_MIN_DAYS` of history."""
    n = series.days
    keep = min(n, MAX_FIT_DAYS)
    mult_all = calendar_multipliers(series)
    start = series.first + timedelta(days=n - keep)
    month_day = np.array(
        [(start + timedelta(days=i)).day - 1 for i in range(keep + horizon)], dtype=int
    )
    fit = fit_daily_pattern(
        series.counts[-keep:].sum(axis=1),
        series.weekdays(n - keep, n),
        month_day[:keep],
        mult_all[n - keep : n],
        month_day_effect=month_day_effect and keep >= MONTH_DAY_MIN_DAYS,
    )
    level = float(fit.week_levels[-level_weeks:].mean())
    future = series.weekdays(n, n + horizon)
    daily = (
        level
        * fit.weekday[future]
        * fit.smoothed_month_day[month_day[keep:]]
        * mult_all[n : n + horizon]
    )
    shape = interval_shape(series, multipliers=mult_all)
    return shape[future] * daily[:, None]


CANDIDATES: tuple[CandidateSpec, ...] = (
    CandidateSpec("seasonal_naive", "Repeat last week", baseline=True, min_weeks=1),
    CandidateSpec(
        "mean_4w_profile",
        "Mean of the last 4 weeks' days x intraday profile",
        baseline=True,
        min_weeks=1,
    ),
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
    CandidateSpec(
        "level_weekday_monthday",
        "Weekly level x weekday x day of month, with the intraday shape",
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
    if name in ("seasonal_naive", "mean_4w_profile", "mean_4w"):
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
        elif name == "mean_4w_profile":
            mean = mean_of_weeks_by_profile(cleaned, horizon, 4)
        else:
            mean = mean_of_weeks(cleaned, horizon, 4)
        mean = mean * mult[n : n + horizon, None]
    elif name == "ets_damped_weekly":
        mean, params = ets_with_profile(series, horizon, start_params=start_params, refit=refit)
    elif name == "glm_weekly_intraday":
        mean = glm_weekly_intraday(series, horizon)
    else:
        mean = level_weekday_monthday(series, horizon)
    wds = series.weekdays(n, n + horizon)
    return np.where(series.open_mask[wds], np.maximum(mean, 0.0), 0.0), params
