"""Forecast: call history -> expected calls per interval of a target week, with an 80% band.

Several candidate models (scheduling.forecast_models) forecast a day x interval matrix of
calls offered: three baselines (repeat last week; the mean of the last 4 weeks' days spread
by the intraday profile; the mean of the last 4 weeks per interval), exponential smoothing of
the daily totals split by an intraday profile, a Poisson model fitted at interval level with
weekday x time-of-day rates, a trend and holiday effects, and a daily model of weekly level
x weekday x day of month split by the same intraday shape. A
rolling-origin backtest forecasts each of the last N weeks (a site setting, 8 by default)
from the history before it and scores every candidate per interval and per day (WAPE,
MASE) and by how often the actual calls fell inside its 80% band. The site's forecast is the
candidate with the lowest interval WAPE, or a simpler one within 5% of it or not worse beyond
chance; with under 8 weeks of history it repeats last week. Holiday weeks are scored like
any other.

The band is a negative binomial around the forecast whose extra spread over Poisson is the
least that would have held 80% of the candidate's actuals at earlier backtest origins, so it
carries both the Poisson noise that dominates at 0.5-2 calls an hour and the error of the
level. Nothing is
rounded per interval; a manager's adjustments multiply the days they cover, on top.
"""

from __future__ import annotations

import math
import time as clock
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from pydantic import Field, model_validator
from scipy import stats

from scheduling.domain import CallIntervalRecord, ForecastSettings, Frozen, SiteProfile
from scheduling.forecast_models import (
    CANDIDATE_BY_NAME,
    CANDIDATES,
    MIN_WEEKS_FOR_MODEL,
    Method,
    SeriesInput,
    intraday_profiles,
    predict,
)
from scheduling.holiday_calendar import KINDS, CalendarDay, day_flags, holiday_calendar

__all__ = [
    "BACKTEST_WEEKS",
    "BAND",
    "MIN_WEEKS_FOR_MODEL",
    "Adjustment",
    "Backtest",
    "CandidateScore",
    "DailyForecast",
    "ForecastError",
    "IntervalForecast",
    "Method",
    "Score",
    "WeekForecast",
    "daily_totals",
    "forecast_week",
    "intraday_profiles",
    "run_backtest",
    "series_input",
    "week_slots",
]

BACKTEST_WEEKS = 8
BAND = 0.80
# A simpler candidate is kept unless a more complex one beats it by more than this share.
_MARGIN = 0.05
# Backtest weeks before the scored ones, so even the first scored week has a band learnt
# from earlier errors.
_CALIBRATION_WEEKS = 2


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
    holiday: str = ""  # the public holiday or Ramadan the calendar knows for the day


class Score(Frozen):
    wape: float | None  # sum |error| / sum actual
    mase: float | None  # mean |error| / in-sample mean |y_t - y_(t-7 days)|


class CandidateScore(Frozen):
    """One candidate model's backtest: per interval, per day, and its band's coverage."""

    name: Method
    label: str
    baseline: bool
    interval: Score
    daily: Score
    band_coverage: float | None  # share of open intervals whose actual fell inside the band
    fit_seconds: float = Field(ge=0)  # fitting and forecasting at every backtest origin


class Backtest(Frozen):
    """Rolling-origin backtest: one week ahead from each of `weeks` origins.

    `model` is the best of the models proper (the chosen forecast when there is none to
    try), `baseline` is repeating last week, both scored on daily totals as they always
    were; `candidates` holds every candidate's interval and daily scores.
    """

    weeks: int
    model: Score
    baseline: Score  # seasonal naive: the same weekday of the previous week
    chance_wape: float | None  # the daily WAPE a perfect forecast would still show (Poisson)
    model_better: bool | None  # None: too close to call, or nothing to compare
    verdict: str
    interval_chance_wape: float | None = None  # the same per interval
    chosen: Method | None = None
    candidates: tuple[CandidateScore, ...] = ()

    def candidate(self, name: str) -> CandidateScore | None:
        return next((c for c in self.candidates if c.name == name), None)


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
    holiday_country: str = ""

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


def daily_totals(
    history: Sequence[CallIntervalRecord], site: SiteProfile
) -> list[tuple[date, int]]:
    """Calls offered per local day from the first to the last day of the history; a day
    without a record had no calls, as the forecast assumes."""
    tz = site.tz
    totals: dict[date, int] = {}
    for record in history:
        day = record.start_utc.astimezone(tz).date()
        totals[day] = totals.get(day, 0) + record.offered
    if not totals:
        return []
    first, last = min(totals), max(totals)
    return [
        (first + timedelta(days=i), totals.get(first + timedelta(days=i), 0))
        for i in range((last - first).days + 1)
    ]


def open_mask_of(site: SiteProfile) -> np.ndarray:
    """7 x slots-per-day: True where the site is open."""
    slots = 1440 // site.interval_minutes
    mask = np.zeros((7, slots), dtype=bool)
    for w in site.opening_hours:
        mask[
            w.weekday,
            w.start_minute // site.interval_minutes : w.end_minute // site.interval_minutes,
        ] = True
    return mask


def _flag_matrix(calendar: Mapping[date, CalendarDay], first: date, n_days: int) -> np.ndarray:
    flags = day_flags(calendar, first, n_days)
    return np.array([flags[k] for k in KINDS], dtype=float).T.reshape(n_days, len(KINDS))


# --- bands -----------------------------------------------------------------------------------


_PHI_GRID = np.concatenate([[0.0], np.geomspace(1e-4, 1.0, 41)])


def _dispersion(actual: np.ndarray, mean: np.ndarray) -> float:
    """phi in var = mean + phi mean^2 such that the band would have held `BAND` of these past
    actuals (0: Poisson is wide enough). Calibrated on coverage rather than by moments,
    because a few days of huge errors (a gap in the data, a holiday the calendar missed)
    would make a moment estimate far too wide for every other day."""
    m = mean.ravel()
    a = actual.ravel()
    keep = m > 0
    m, a = m[keep], a[keep]
    if m.size == 0:
        return 0.0

    def holds(phi: float) -> bool:
        return float(np.mean(_inside(a, m, phi))) >= BAND

    if holds(0.0):
        return 0.0
    lo, hi = 0, len(_PHI_GRID) - 1  # the band widens with phi: bisect for the least that holds
    if not holds(float(_PHI_GRID[hi])):
        return float(_PHI_GRID[hi])
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if holds(float(_PHI_GRID[mid])):
            hi = mid
        else:
            lo = mid
    return float(_PHI_GRID[hi])


def _band(mean: np.ndarray, phi: float, level: float = BAND) -> tuple[np.ndarray, np.ndarray]:
    """The central `level` band of a negative binomial with that mean and var mean + phi
    mean^2 (Poisson when phi is 0), never narrower than Poisson and always holding the mean."""
    q_lo, q_hi = (1 - level) / 2, (1 + level) / 2
    safe = np.maximum(mean, 1e-12)
    low = stats.poisson.ppf(q_lo, safe)
    high = stats.poisson.ppf(q_hi, safe)
    if phi > 1e-9:
        r = 1.0 / phi
        p = r / (r + safe)
        low = np.minimum(low, stats.nbinom.ppf(q_lo, r, p))
        high = np.maximum(high, stats.nbinom.ppf(q_hi, r, p))
    zero = mean <= 0
    low, high = np.where(zero, 0.0, low), np.where(zero, 0.0, high)
    return np.minimum(low, mean), np.maximum(high, mean)


def _inside(actual: np.ndarray, mean: np.ndarray, phi: float) -> np.ndarray:
    """Whether each actual falls inside `_band(mean, phi)`, from distribution functions
    rather than quantiles (the same answer, many times faster): k <= ppf(q) exactly when
    cdf(k - 1) < q, and k >= ppf(q) exactly when cdf(k) >= q."""
    q_lo, q_hi = (1 - BAND) / 2, (1 + BAND) / 2
    safe = np.maximum(mean, 1e-12)
    below = (actual <= mean) | (stats.poisson.cdf(actual - 1, safe) < q_hi)
    above = (actual >= mean) | (stats.poisson.cdf(actual, safe) >= q_lo)
    if phi > 1e-9:
        r = 1.0 / phi
        p = r / (r + safe)
        below |= stats.nbinom.cdf(actual - 1, r, p) < q_hi
        above |= stats.nbinom.cdf(actual, r, p) >= q_lo
    return np.where(mean <= 0, actual == 0, below & above)


def _poisson_mad(mean: np.ndarray) -> np.ndarray:
    """E|X - m| for X ~ Poisson(m): 2 m P(X = floor(m))."""
    return 2.0 * mean * stats.poisson.pmf(np.floor(mean), np.maximum(mean, 1e-12))


# --- the backtest ------------------------------------------------------------------------


def _score(actual: np.ndarray, predicted: np.ndarray, scale: float | None) -> Score:
    err = np.abs(actual - predicted)
    total = float(actual.sum())
    wape = float(err.sum() / total) if total > 0 else None
    mase = float(err.mean() / scale) if scale and scale > 0 else None
    return Score(wape=wape, mase=mase)


@dataclass
class _Run:
    """One candidate's forecasts at every backtest origin, oldest first."""

    name: Method
    means: list[np.ndarray]
    seconds: float
    params: np.ndarray | None


def _run_candidate(
    name: Method, series: SeriesInput, cuts: list[int], start_params: np.ndarray | None
) -> _Run:
    spec = CANDIDATE_BY_NAME[name]
    means = []
    params = start_params
    fitted_once = False  # after the first fit, later origins reuse its parameters
    began = clock.perf_counter()
    for cut in cuts:
        part = SeriesInput(series.counts[:cut], series.first, series.open_mask, series.flags)
        use = name if cut >= 7 * spec.min_weeks else "seasonal_naive"
        try:
            mean, fitted = predict(use, part, 7, start_params=params, refit=not fitted_once)
        except ValueError:
            mean, fitted = predict("seasonal_naive", part, 7)
        if fitted is not None:
            params, fitted_once = fitted, True
        means.append(mean)
    return _Run(name, means, clock.perf_counter() - began, params)


@dataclass(frozen=True)
class _Outcome:
    backtest: Backtest
    interval_phi: float  # the chosen candidate's extra spread, from all its backtest errors
    daily_phi: float
    params: np.ndarray | None  # ETS parameters, to warm-start the final fit


def _empty_backtest() -> Backtest:
    return Backtest(
        weeks=0,
        model=Score(wape=None, mase=None),
        baseline=Score(wape=None, mase=None),
        chance_wape=None,
        model_better=None,
        verdict="Not enough history to test the forecast: at least 2 weeks are needed.",
    )


def _backtest(series: SeriesInput, weeks: int, start_params: np.ndarray | None = None) -> _Outcome:
    n = series.days
    usable = min(weeks, n // 7 - 1)
    if n // 7 - usable < MIN_WEEKS_FOR_MODEL and n // 7 - MIN_WEEKS_FOR_MODEL >= 2:
        # Fewer weeks scored, so that the models have their 8 weeks at every origin.
        usable = n // 7 - MIN_WEEKS_FOR_MODEL
    if usable < 1:
        return _Outcome(_empty_backtest(), 0.0, 0.0, start_params)
    extra = max(0, min(_CALIBRATION_WEEKS, n // 7 - 1 - usable))
    cuts = [n - 7 * k for k in range(usable + extra, 0, -1)]
    scored = slice(extra, extra + usable)
    actual = [series.counts[c : c + 7] for c in cuts]
    history_weeks = (n - 7 * usable) // 7
    # A model needing more history than the first scored week has is not tried at all.
    runs = [
        _run_candidate(c.name, series, cuts, start_params)
        for c in CANDIDATES
        if c.min_weeks <= history_weeks
    ]

    a = np.concatenate(actual[scored])
    a_day = a.sum(axis=1)
    past = series.counts[: n - 7 * usable]
    if past.shape[0] < 14:
        past = series.counts
    interval_scale = float(np.abs(past[7:] - past[:-7]).mean()) if past.shape[0] > 7 else None
    past_day = past.sum(axis=1)
    daily_scale = float(np.abs(past_day[7:] - past_day[:-7]).mean()) if past_day.size > 7 else None
    open_cells = np.concatenate([series.open_mask[series.weekdays(c, c + 7)] for c in cuts[scored]])

    scores: list[CandidateScore] = []
    for run in runs:
        spec = CANDIDATE_BY_NAME[run.name]
        m = np.concatenate(run.means[scored])
        inside, counted = 0, 0
        for i in range(extra, extra + usable):
            earlier = range(i)
            phi = (
                _dispersion(
                    np.concatenate([actual[j] for j in earlier]),
                    np.concatenate([run.means[j] for j in earlier]),
                )
                if i > 0
                else 0.0
            )
            open_now = series.open_mask[series.weekdays(cuts[i], cuts[i] + 7)]
            hit = _inside(actual[i], run.means[i], phi)
            inside += int(hit[open_now].sum())
            counted += int(open_now.sum())
        scores.append(
            CandidateScore(
                name=run.name,
                label=spec.label,
                baseline=spec.baseline,
                interval=_score(a[open_cells], m[open_cells], interval_scale)
                if open_cells.any()
                else Score(wape=None, mase=None),
                daily=_score(a_day, m.sum(axis=1), daily_scale),
                band_coverage=inside / counted if counted else None,
                fit_seconds=run.seconds,
            )
        )

    # The noise floor: Poisson noise around the best candidate's forecast.
    best = _best(scores)
    best_mean = np.concatenate(
        next(r for r in runs if best is not None and r.name == best.name).means[scored]
        if best is not None
        else runs[0].means[scored]
    )
    floor_total = float(best_mean.sum())
    interval_chance = (
        float(_poisson_mad(best_mean).sum() / floor_total) if floor_total > 0 else None
    )
    day_errors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for run in runs:
        m = np.concatenate(run.means[scored])
        day_errors[run.name] = (
            np.where(open_cells, np.abs(a - m), 0.0).sum(axis=1),
            np.abs(a_day - m.sum(axis=1)),
        )
    chosen = _choose(scores, history_weeks, interval_chance, day_errors)
    chosen_run = next(r for r in runs if r.name == chosen)
    chance = float(_poisson_mad(a_day).sum() / a_day.sum()) if a_day.sum() > 0 else None
    models = [s for s in scores if not s.baseline]
    best_model = _best(models) if history_weeks >= MIN_WEEKS_FOR_MODEL else None
    naive = next(s for s in scores if s.name == "seasonal_naive")
    model_score = (best_model or next(s for s in scores if s.name == chosen)).daily
    better, verdict = _verdict(usable, history_weeks, scores, chosen, interval_chance)
    all_actual = np.concatenate(actual)
    all_mean = np.concatenate(chosen_run.means)
    return _Outcome(
        backtest=Backtest(
            weeks=usable,
            model=model_score,
            baseline=naive.daily,
            chance_wape=chance,
            model_better=better,
            verdict=verdict,
            interval_chance_wape=interval_chance,
            chosen=chosen,
            candidates=tuple(scores),
        ),
        interval_phi=_dispersion(all_actual, all_mean),
        daily_phi=_dispersion(all_actual.sum(axis=1), all_mean.sum(axis=1)),
        params=next((r.params for r in runs if r.name == "ets_damped_weekly"), start_params),
    )


def _wape(score: CandidateScore) -> float:
    return math.inf if score.interval.wape is None else score.interval.wape


def _best(scores: Sequence[CandidateScore]) -> CandidateScore | None:
    ranked = [s for s in scores if s.interval.wape is not None]
    return min(ranked, key=_wape) if ranked else None


def _choose(
    scores: Sequence[CandidateScore],
    history_weeks: int,
    interval_chance: float | None,
    day_errors: Mapping[str, tuple[np.ndarray, np.ndarray]],
) -> Method:
    """The lowest interval WAPE, unless a simpler candidate is within the margin of it or
    not worse beyond chance (neither its mean extra error per day nor the number of days it
    did worse is two standard errors above even); repeat last week when the history is too
    short to tell models apart.

    At helpline volumes Poisson noise is most of every interval's error, so all candidates
    land within the margin of each other per interval; then the daily totals, where the
    noise averages out, decide in the same way.
    """
    if history_weeks < MIN_WEEKS_FOR_MODEL:
        return "seasonal_naive"
    best = _best(scores)
    if best is None:
        return "seasonal_naive"
    key, which = _wape, 0
    worst = max(_wape(s) for s in scores)
    if (
        interval_chance is not None
        and interval_chance > 0.5 * _wape(best)
        and worst <= _wape(best) * (1 + _MARGIN)
    ):
        daily = [s for s in scores if s.daily.wape is not None]
        if daily:
            best = min(daily, key=_daily_wape)
            key, which = _daily_wape, 1
    for spec in CANDIDATES:  # simplest first
        score = next((s for s in scores if s.name == spec.name), None)
        if score is None:
            continue
        if key(score) <= key(best) * (1 + _MARGIN):
            return spec.name
        mine, theirs = day_errors[spec.name][which], day_errors[best.name][which]
        extra = (mine - theirs)[(mine > 0) | (theirs > 0)]  # closed days say nothing
        if extra.size < 2:
            return spec.name
        if spec.name == "seasonal_naive":
            continue  # one week's noise repeated: it wins on its scores or not at all
        # The mean extra error per day against its standard error, and a sign test (the days
        # it did worse) so that a few days of huge errors cannot hide a steady difference.
        t_mean = extra.mean() / max(extra.std(ddof=1) / math.sqrt(extra.size), 1e-12)
        worse = int((extra > 0).sum())
        z_sign = (worse - extra.size / 2) / math.sqrt(extra.size / 4)
        if t_mean < 2.0 and z_sign < 2.0:
            return spec.name
    return best.name


def _daily_wape(score: CandidateScore) -> float:
    return math.inf if score.daily.wape is None else score.daily.wape


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.0f}%"


def _verdict(
    weeks: int,
    history_weeks: int,
    scores: Sequence[CandidateScore],
    chosen: Method,
    interval_chance: float | None,
) -> tuple[bool | None, str]:
    """Whether the best model beats repeating last week (by the margin), in words, and which
    candidate the forecast uses."""
    span = f"the last {weeks} week{'s' if weeks > 1 else ''}"
    by_name = {s.name: s for s in scores}
    pick, naive = by_name[chosen], by_name["seasonal_naive"]
    noise = ""
    if interval_chance is not None:
        noise = (
            f" Poisson noise alone would leave about {_pct(interval_chance)} per interval "
            "even for a perfect forecast."
        )
    if pick.interval.wape is None:
        return None, f"No calls in {span}, so the forecast could not be scored."
    off = f"{_pct(pick.interval.wape)} an interval and {_pct(pick.daily.wape)} a day (WAPE)"
    if history_weeks < MIN_WEEKS_FOR_MODEL:
        return None, (
            f"With under {MIN_WEEKS_FOR_MODEL} weeks of history the forecast repeats last "
            f"week's pattern; over {span} that was off by {off}." + noise
        )
    model = _best([s for s in scores if not s.baseline])
    best = _best(scores)
    assert best is not None
    if model is None or model.interval.wape is None:
        return None, f"Over {span} the forecast ({pick.label.lower()}) was off by {off}." + noise
    model_off = f"{_pct(model.interval.wape)} an interval and {_pct(model.daily.wape)} a day"
    naive_off = f"{_pct(naive.interval.wape)} an interval"
    if _wape(model) < _wape(naive) * (1 - _MARGIN):
        better: bool | None = True
        text = (
            f"Trust it: over {span} the best model ({model.label.lower()}) was off by "
            f"{model_off} (WAPE), against {naive_off} for repeating the same weekday of the "
            "week before."
        )
    elif _wape(model) > _wape(naive) * (1 + _MARGIN):
        better = False
        text = (
            f"Be careful: over {span}, repeating the same weekday of the week before was "
            f"closer ({naive_off} off) than the best model ({model_off})."
        )
    else:
        better = None
        text = (
            f"About as accurate as repeating last week: the best model was off by {model_off} "
            f"against {naive_off} over {span}."
        )
    if pick.name == model.name:
        text += " The forecast uses that model."
    elif _wape(pick) <= _wape(best) * (1 + _MARGIN) or _daily_wape(pick) <= _daily_wape(best) * (
        1 + _MARGIN
    ):
        text += (
            f" The forecast uses {pick.label.lower()}, off by {off}: within "
            f"{_MARGIN:.0%} of the best and simpler."
        )
    else:
        text += (
            f" The forecast uses {pick.label.lower()}, off by {off}: simpler, and not worse "
            f"beyond chance over {weeks * 7} days."
        )
    return better, text + noise


def run_backtest(
    y: np.ndarray,
    start: date,
    closed_weekdays: frozenset[int],
    *,
    weeks: int = BACKTEST_WEEKS,
    start_params: np.ndarray | None = None,
    calendar: Mapping[date, CalendarDay] | None = None,
    open_slots: np.ndarray | None = None,
) -> Backtest:
    """Backtest every candidate on a series of daily totals (one value a day from `start`),
    or on a day x interval matrix, open in `open_slots` (slots of the day; default all)
    except on the closed weekdays."""
    series = series_input(
        y, start, closed_weekdays, calendar=calendar, open_slots=open_slots, horizon=7
    )
    return _backtest(series, weeks, start_params).backtest


def series_input(
    y: np.ndarray,
    start: date,
    closed_weekdays: frozenset[int],
    *,
    calendar: Mapping[date, CalendarDay] | None = None,
    open_slots: np.ndarray | None = None,
    horizon: int = 7,
) -> SeriesInput:
    """The candidates' view of daily totals or a day x interval matrix from `start`, open in
    `open_slots` (default all) except on the closed weekdays, with the calendar's special days
    flagged up to `horizon` days past the end."""
    counts = np.asarray(y, dtype=float)
    if counts.ndim == 1:
        counts = counts[:, None]
    day_mask = np.ones(counts.shape[1], dtype=bool) if open_slots is None else open_slots
    mask = np.tile(np.asarray(day_mask, dtype=bool), (7, 1))
    for wd in closed_weekdays:
        mask[wd] = False
    flags = _flag_matrix(calendar or {}, start, counts.shape[0] + horizon)
    return SeriesInput(counts, start, mask, flags)


# --- the week forecast ---------------------------------------------------------------------


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
    backtest_weeks: int | None = None,
    settings: ForecastSettings | None = None,
) -> WeekForecast:
    """Expected calls per interval for the local week starting `week_start`.

    Only history before `week_start` is used, and only calls offered (answered and
    abandoned may be unknown). `history_end` is the last day the history covers (default:
    the day of the last record); days without records count as no calls. `settings` names
    the holiday calendar and the backtest's weeks (default: Pakistan, 8 weeks).
    """
    settings = settings or ForecastSettings()
    weeks = backtest_weeks if backtest_weeks is not None else settings.backtest_weeks
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
    counts = np.zeros((n_days, slots_per_day))
    for t, n in local:
        day = t.date()
        if day <= last:
            counts[(day - first).days, (t.hour * 60 + t.minute) // site.interval_minutes] += n

    horizon = (week_start - last).days + 6
    if horizon > MAX_HORIZON_DAYS:
        raise ForecastError(
            f"the week of {week_start} starts {(week_start - last).days} days after the call "
            f"history ends ({last}); a forecast reaches at most {MAX_HORIZON_DAYS} days ahead"
        )
    calendar = holiday_calendar(settings.holiday_country, first, last + timedelta(days=horizon))
    series = SeriesInput(
        counts, first, open_mask_of(site), _flag_matrix(calendar, first, n_days + horizon)
    )
    outcome = _backtest(series, weeks)
    chosen: Method = outcome.backtest.chosen or "seasonal_naive"
    if outcome.backtest.weeks == 0:
        outcome = _Outcome(outcome.backtest.model_copy(update={"chosen": chosen}), 0.0, 0.0, None)
    try:
        mean, _ = predict(chosen, series, horizon, start_params=outcome.params)
    except ValueError:
        chosen = "seasonal_naive"
        mean, _ = predict(chosen, series, horizon)
    mean = mean[horizon - 7 :]
    note = _method_note(chosen, outcome.backtest, n_days, settings.holiday_country)

    slots = week_slots(site, week_start)
    closed = frozenset(wd for wd in range(7) if site.hours_on(wd) is None)
    intervals: list[IntervalForecast] = []
    days: list[DailyForecast] = []
    for offset in range(7):
        day = week_start + timedelta(days=offset)
        factor = math.prod(a.multiplier for a in adjustments if a.covers(day))
        todays = [s for s in slots if s[0].date() == day]
        day_open = any(s[2] for s in todays) and day.weekday() not in closed
        index = [(s[0].hour * 60 + s[0].minute) // site.interval_minutes for s in todays]
        calls = np.array(
            [
                mean[offset, i] * factor if s[2] and day_open else 0.0
                for s, i in zip(todays, index, strict=True)
            ]
        )
        total = float(calls.sum())
        day_low, day_high = _band(np.array([total]), outcome.daily_phi)
        band_lo, band_hi = _band(calls, outcome.interval_phi)
        entry = calendar.get(day)
        days.append(
            DailyForecast(
                day=day,
                calls=total,
                low=float(day_low[0]),
                high=float(day_high[0]),
                open=day_open,
                multiplier=factor,
                holiday=entry.name if entry else "",
            )
        )
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
        method=chosen,
        method_note=note,
        history_start=first,
        history_end=last,
        intervals=tuple(intervals),
        daily=tuple(days),
        backtest=outcome.backtest,
        adjustments=tuple(adjustments),
        holiday_country=settings.holiday_country,
    )


def _method_note(chosen: Method, backtest: Backtest, n_days: int, country: str) -> str:
    spec = CANDIDATE_BY_NAME[chosen]
    holidays = f"public holidays of {country}" if country else "no holiday calendar"
    if n_days < 7 * MIN_WEEKS_FOR_MODEL:
        return (
            f"{spec.label} (each interval repeats the same one of last week): "
            f"{n_days / 7:.1f} weeks of history is under {MIN_WEEKS_FOR_MODEL}."
        )
    if backtest.weeks == 0:
        return f"{spec.label}: the history is too short to backtest."
    return (
        f"{spec.label}, chosen by the lowest error per interval over the last "
        f"{backtest.weeks} weeks (a simpler model is kept unless another is more than "
        f"{_MARGIN:.0%} better), on {min(n_days, 728)} days of history; {holidays}."
    )
