"""Benchmark: variants of the daily model and averages of candidates, on real series.

The same rolling origin as bench/forecast.py (each of the last 8 weeks forecast from the
data before it, one week ahead), scored per interval and per day (WAPE), for variants that
are not candidates of their own: the daily model without its day-of-month pattern, with
its coming level the mean of 2-8 weekly levels, and simple averages of two or three
candidates. Records what was tried for docs/forecast.md.

    .venv/bin/python bench/forecast_variants.py

Skips cleanly when ../shared/data/real-call-centres/ is absent. Writes
bench/results/forecast_variants.json.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from forecast import DATA, WEEKS, _bank, _fpp3  # noqa: E402

from scheduling.forecast import series_input  # noqa: E402
from scheduling.forecast_models import (  # noqa: E402
    Method,
    SeriesInput,
    level_weekday_monthday,
    predict,
)
from scheduling.holiday_calendar import holiday_calendar  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "forecast_variants.json"
Variant = Callable[[SeriesInput, int], np.ndarray]


def _score(series: SeriesInput, variant: Variant) -> dict[str, float]:
    n = series.days
    actual, forecast, open_cells = [], [], []
    began = time.perf_counter()
    for k in range(WEEKS, 0, -1):
        cut = n - 7 * k
        part = SeriesInput(series.counts[:cut], series.first, series.open_mask, series.flags)
        wds = series.weekdays(cut, cut + 7)
        forecast.append(np.where(series.open_mask[wds], np.maximum(variant(part, 7), 0.0), 0.0))
        actual.append(series.counts[cut : cut + 7])
        open_cells.append(series.open_mask[wds])
    a, f, o = np.concatenate(actual), np.concatenate(forecast), np.concatenate(open_cells)
    return {
        "interval_wape": float(np.abs(a - f)[o].sum() / a[o].sum()),
        "daily_wape": float(np.abs(a.sum(axis=1) - f.sum(axis=1)).sum() / a.sum()),
        "seconds": round(time.perf_counter() - began, 2),
    }


def _candidate(name: Method) -> Variant:
    return lambda s, h: predict(name, s, h)[0]


def _average(*names: Method) -> Variant:
    return lambda s, h: np.mean([predict(n, s, h)[0] for n in names], axis=0)


def _level_of(weeks: int) -> Variant:
    def variant(s: SeriesInput, h: int) -> np.ndarray:
        return level_weekday_monthday(s, h, level_weeks=weeks)

    return variant


def _variants() -> dict[str, Variant]:
    out: dict[str, Variant] = {
        "daily model (as shipped)": _candidate("level_weekday_monthday"),
        "daily model without day of month": lambda s, h: level_weekday_monthday(
            s, h, month_day_effect=False
        ),
    }
    for weeks in (2, 3, 6, 8):
        out[f"daily model, level of {weeks} weeks"] = _level_of(weeks)
    out["average: daily model + Poisson per interval"] = _average(
        "level_weekday_monthday", "glm_weekly_intraday"
    )
    out["average: daily model + mean of 4 weeks"] = _average("level_weekday_monthday", "mean_4w")
    out["average: daily model + Poisson + mean of 4 weeks"] = _average(
        "level_weekday_monthday", "glm_weekly_intraday", "mean_4w"
    )
    return out


def main() -> int:
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent")
        return 0
    series: dict[str, SeriesInput] = {}
    for minutes in (30, 60):
        matrix, first = _bank(minutes)
        cal = holiday_calendar("IL", first, first + timedelta(days=matrix.shape[0] + 7))
        series[f"Anonymous Bank 1999, {minutes} min"] = series_input(
            matrix, first, frozenset(), calendar=cal
        )
    matrix, first, open_slots = _fpp3()
    cal = holiday_calendar("US", first, first + timedelta(days=matrix.shape[0] + 7))
    series["fpp3 bank calls 2003, 30 min"] = series_input(
        matrix, first, frozenset({5, 6}), calendar=cal, open_slots=open_slots
    )
    rows = []
    for label, s in series.items():
        print(f"\n{label}: last {WEEKS} weeks, WAPE in %")
        print(f"  {'variant':<50} {'interval':>8} {'day':>6}")
        for name, variant in _variants().items():
            score = _score(s, variant)
            rows.append({"series": label, "variant": name, **score})
            print(
                f"  {name:<50} {100 * score['interval_wape']:8.1f} {100 * score['daily_wape']:6.1f}"
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"weeks": WEEKS, "rows": rows}, indent=2))
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
