"""Benchmark: the forecast's backtest on real call-centre series.

For each series, every candidate model forecasts each of the last 8 weeks from the data
before it (one week ahead, rolling origin) and is scored per interval and per day (WAPE) and
by how often the actual calls fell inside its 80% band, next to the two baselines and the
error Poisson noise alone would leave; the time each candidate took is printed too. Then the
whole forecast of a week (fit and backtest) is timed on the demo helpline's two years.

    .venv/bin/python bench/forecast.py

Series (from ../shared/data/real-call-centres/, skipped when the folder is absent):
- Anonymous Bank 1999 (SEE Lab, Technion; Brown et al. 2005, JASA 100:36-50), calls per
  6 min summed to 30 and 60 minutes, open 24 h, Israeli holidays;
- fpp3 bank_calls (R package fpp3, GPL-3; Weinberg, Brown and Stroud 2007), calls per
  5 min summed to 30 minutes, 07:00-21:30 on weekdays, US holidays.
Writes bench/results/forecast.json.
"""

from __future__ import annotations

import json
import math
import os
import platform
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scheduling.forecast import (  # noqa: E402
    Backtest,
    forecast_week,
    run_backtest,
    series_input,
)
from scheduling.forecast_models import (  # noqa: E402
    LEVEL_WEEKS,
    Method,
    SeriesInput,
    calendar_multipliers,
    fit_daily_pattern,
    predict,
)
from scheduling.history import read_call_history_csv  # noqa: E402
from scheduling.holiday_calendar import holiday_calendar  # noqa: E402
from scheduling.staffing.cli import load_site  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "real-call-centres"
RESULTS = ROOT / "bench" / "results" / "forecast.json"
WEEKS = 8
AIMS = {
    "interval_wape_max": 0.18,
    "daily_wape_max": 0.09,
    "band_coverage": [0.75, 0.85],
    "two_year_fit_and_backtest_seconds_max": 10.0,
}


def _bank(minutes: int) -> tuple[np.ndarray, date]:
    import pandas as pd

    frame = pd.read_csv(DATA / "anonymous_bank_1999_6min.csv")
    frame["slot"] = (frame["interval"] - 1) // (minutes // 6)
    matrix = frame.groupby(["date", "slot"])["calls"].sum().unstack(fill_value=0)
    return matrix.to_numpy(dtype=float), date.fromisoformat(str(matrix.index[0]))


def _fpp3() -> tuple[np.ndarray, date, np.ndarray]:
    import pandas as pd

    frame = pd.read_csv(DATA / "fpp3_bank_calls.csv")
    # The Z suffix is local clock time, not UTC.
    stamps = pd.to_datetime(frame["DateTime"].str.rstrip("Z"))
    day = stamps.dt.date
    slot = (stamps.dt.hour * 60 + stamps.dt.minute) // 30
    first, last = day.min(), day.max()
    n_days = (last - first).days + 1
    matrix = np.zeros((n_days, 48))
    np.add.at(
        matrix, ((day - first).map(lambda d: d.days).to_numpy(), slot.to_numpy()), frame["Calls"]
    )
    open_slots = np.zeros(48, dtype=bool)
    open_slots[14:43] = True  # 07:00-21:30
    return matrix, first, open_slots


def _row(name: str, bt: Backtest, seconds: float, slots: int) -> dict[str, object]:
    candidates = [
        {
            "name": c.name,
            "label": c.label,
            "baseline": c.baseline,
            "interval_wape": c.interval.wape,
            "interval_mase": c.interval.mase,
            "daily_wape": c.daily.wape,
            "band_coverage": c.band_coverage,
            "fit_seconds": round(c.fit_seconds, 3),
        }
        for c in bt.candidates
    ]
    return {
        "series": name,
        "slots_per_day": slots,
        "weeks": bt.weeks,
        "chosen": bt.chosen,
        "noise_floor_interval_wape": bt.interval_chance_wape,
        "noise_floor_daily_wape": bt.chance_wape,
        "backtest_seconds": round(seconds, 2),
        "candidates": candidates,
        "verdict": bt.verdict,
    }


def _floors(series: SeriesInput, name: Method, weeks: int) -> dict[str, float]:
    """How far the aims are from what the series allows.

    - week_known_*: the candidate's own backtest forecasts with each scored week rescaled to
      that week's actual total, i.e. the error left if the level of every week were known;
    - week_scatter: how far a week's level (cleared of weekdays, days of the month and
      special days) lies from the mean of the weeks either side, mean |relative|, over
      sqrt(1.5) as that mean carries scatter of its own: the part of the level no history can
      foretell;
    - level_error: the same weekly levels against the mean of the 4 weeks before, the
      forecast's own rule;
    - day_floor: the daily WAPE of a forecast whose level is off by the week scatter alone
      and whose days scatter as with the week known (both taken as normal and independent).
    """
    n = series.days
    actual_i, known_i, actual_d, known_d = [], [], [], []
    for k in range(weeks, 0, -1):
        cut = n - 7 * k
        part = SeriesInput(series.counts[:cut], series.first, series.open_mask, series.flags)
        mean, _ = predict(name, part, 7)
        actual = series.counts[cut : cut + 7]
        open_now = series.open_mask[series.weekdays(cut, cut + 7)]
        scaled = mean * (actual.sum() / mean.sum()) if mean.sum() > 0 else mean
        actual_i.append(actual[open_now])
        known_i.append(scaled[open_now])
        actual_d.append(actual.sum(axis=1))
        known_d.append(scaled.sum(axis=1))
    a_i, k_i = np.concatenate(actual_i), np.concatenate(known_i)
    a_d, k_d = np.concatenate(actual_d), np.concatenate(known_d)

    month_day = np.array([(series.first + timedelta(days=i)).day - 1 for i in range(n)])
    special = (series.flags[:n] > 0).any(axis=1)
    fit = fit_daily_pattern(
        series.counts.sum(axis=1),
        series.weekdays(0, n),
        month_day,
        calendar_multipliers(series)[:n],
    )
    levels = fit.week_levels
    block = (n - 1 - np.arange(n)) // 7
    quiet = np.bincount(block, weights=special.astype(float), minlength=levels.size)[::-1] == 0
    # A week far below the others is a gap in the data, not a level.
    quiet &= levels > 0.6 * np.median(levels)
    centred = [
        abs(levels[w] - (levels[w - 1] + levels[w + 1]) / 2) / levels[w]
        for w in range(1, levels.size - 1)
        if quiet[w - 1 : w + 2].all()
    ]
    behind = [
        abs(levels[w] - levels[w - LEVEL_WEEKS : w].mean()) / levels[w]
        for w in range(LEVEL_WEEKS, levels.size)
        if quiet[w - LEVEL_WEEKS : w + 1].all()
    ]
    week_known_day = float(np.abs(a_d - k_d).sum() / a_d.sum())
    scatter = float(np.mean(centred)) / math.sqrt(1.5)
    # For a normal error, mean |e| = sigma sqrt(2 / pi).
    half_normal = math.sqrt(2 / math.pi)
    day_floor = half_normal * math.hypot(scatter / half_normal, week_known_day / half_normal)
    return {
        "week_known_interval_wape": float(np.abs(a_i - k_i).sum() / a_i.sum()),
        "week_known_daily_wape": week_known_day,
        "week_scatter": scatter,
        "level_error": float(np.mean(behind)),
        "day_floor": day_floor,
    }


def _print(row: dict[str, object]) -> None:
    def pct(v: object) -> str:
        return "  n/a" if v is None else f"{100 * float(v):5.1f}"  # type: ignore[arg-type]

    print(f"\n{row['series']}: last {row['weeks']} weeks, chosen {row['chosen']}")
    print(f"  {'candidate':<24} {'int WAPE':>8} {'day WAPE':>8} {'band':>6} {'fit s':>6}")
    for c in row["candidates"]:  # type: ignore[attr-defined]
        mark = "*" if c["name"] == row["chosen"] else " "
        print(
            f"{mark} {c['name']:<24} {pct(c['interval_wape']):>8} {pct(c['daily_wape']):>8} "
            f"{pct(c['band_coverage']):>6} {c['fit_seconds']:>6.2f}"
        )
    print(
        f"  {'Poisson noise floor':<24} {pct(row['noise_floor_interval_wape']):>8} "
        f"{pct(row['noise_floor_daily_wape']):>8}"
    )
    print(f"  backtest of all candidates: {row['backtest_seconds']} s")
    for name, f in row.get("floors", {}).items():  # type: ignore[attr-defined]
        print(
            f"  {name}, each week's total known: {pct(f['week_known_interval_wape'])} per "
            f"interval, {pct(f['week_known_daily_wape'])} per day"
        )
    if row.get("level"):
        lv = row["level"]
        print(
            f"  weekly level: scatter no history foretells {pct(lv['week_scatter'])}, "  # type: ignore[index]
            f"the mean of {LEVEL_WEEKS} weeks is off by {pct(lv['level_error'])}; "  # type: ignore[index]
            f"floor of the daily WAPE about {pct(lv['day_floor'])}"  # type: ignore[index]
        )


def _add_floors(row: dict[str, object], bt: Backtest, series: SeriesInput) -> None:
    names: list[Method] = []
    for name in (bt.chosen, "level_weekday_monthday"):
        if name is not None and name != "ets_damped_weekly" and name not in names:
            names.append(name)
    floors = {name: _floors(series, name, bt.weeks) for name in names}
    row["floors"] = floors
    last = floors[names[-1]]
    row["level"] = {k: last[k] for k in ("week_scatter", "level_error", "day_floor")}


def main() -> int:
    rows: list[dict[str, object]] = []
    if not DATA.is_dir():
        print(f"skipped the real series: {DATA} is absent")
    else:
        for minutes in (30, 60):
            matrix, first = _bank(minutes)
            cal = holiday_calendar("IL", first, first + timedelta(days=matrix.shape[0] + 7))
            began = time.perf_counter()
            bt = run_backtest(matrix, first, frozenset(), weeks=WEEKS, calendar=cal)
            rows.append(
                _row(
                    f"Anonymous Bank 1999, {minutes} min",
                    bt,
                    time.perf_counter() - began,
                    matrix.shape[1],
                )
            )
            _add_floors(rows[-1], bt, series_input(matrix, first, frozenset(), calendar=cal))
            _print(rows[-1])
        matrix, first, open_slots = _fpp3()
        cal = holiday_calendar("US", first, first + timedelta(days=matrix.shape[0] + 7))
        began = time.perf_counter()
        bt = run_backtest(
            matrix, first, frozenset({5, 6}), weeks=WEEKS, calendar=cal, open_slots=open_slots
        )
        rows.append(_row("fpp3 bank calls 2003, 30 min", bt, time.perf_counter() - began, 48))
        series = series_input(matrix, first, frozenset({5, 6}), calendar=cal, open_slots=open_slots)
        _add_floors(rows[-1], bt, series)
        _print(rows[-1])

    demo = ROOT / "data" / "samples" / "demo_call_history.csv"
    timing: dict[str, object] = {}
    if demo.is_file():
        site, _ = load_site(ROOT / "data" / "samples" / "demo_site.json")
        history = read_call_history_csv(
            demo, site_timezone=site.timezone, interval_minutes=site.interval_minutes
        ).records
        last = max(r.start_utc for r in history).date()
        week = last + timedelta(days=7 - last.weekday())
        runs = []
        for _ in range(3):
            began = time.perf_counter()
            fc = forecast_week(history, site, week)
            runs.append(time.perf_counter() - began)
        days = (fc.history_end - fc.history_start).days + 1
        timing = {
            "series": "demo helpline, 30 min",
            "history_days": days,
            "seconds": [round(r, 2) for r in runs],
            "best_seconds": round(min(runs), 2),
            "chosen": fc.method,
        }
        print(
            f"\nForecast of one week (fit + backtest of every candidate) on the demo helpline's "
            f"{days} days: best of 3 {min(runs):.2f} s (runs {', '.join(f'{r:.2f}' for r in runs)})"
        )
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} (shared)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "aims": AIMS,
                "series": rows,
                "two_year_forecast": timing,
                "machine": {
                    "python": platform.python_version(),
                    "cores": os.cpu_count(),
                    "load_average": load,
                    "note": "shared by several people working at once",
                },
            },
            indent=2,
        )
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
