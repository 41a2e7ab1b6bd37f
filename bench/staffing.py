"""Benchmark: required counsellors for a week (672 x 15 min) and a year (35,040 x 15 min).

Runs our vectorised staffing next to pyworkforce's ErlangC (and ErlangA for the weeks) on
identical inputs and prints, per case: the time of each (best of a few repeats), the ratio,
and the largest difference in agents and in service level. Writes bench/results/staffing.json.

    .venv/bin/python bench/staffing.py

pyworkforce is installed only for this script, in its own venv (0.5.4 needs Python >= 3.12):

    ~/.pyenv/versions/3.12.1/bin/python -m venv bench/.venv-pyworkforce
    bench/.venv-pyworkforce/bin/pip install pyworkforce==0.5.4

Without it the script still times our side and says pyworkforce was skipped.
"""

from __future__ import annotations

import json
import math
import platform
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scheduling.domain import (  # noqa: E402
    DailyWindow,
    Floors,
    ServiceTargets,
    SiteProfile,
    StaffingSettings,
)
from scheduling.forecast import (  # noqa: E402
    Backtest,
    IntervalForecast,
    Score,
    WeekForecast,
    week_slots,
)
from scheduling.staffing.queueing import queue_metrics  # noqa: E402
from scheduling.staffing.requirements import interval_requirements, requirements_for_week  # noqa: E402

PW_PYTHON = ROOT / "bench" / ".venv-pyworkforce" / "bin" / "python"
PW_SCRIPT = ROOT / "bench" / "pyworkforce_side.py"
RESULTS = ROOT / "bench" / "results" / "staffing.json"

INTERVAL_MIN = 15
HANDLE_S = 60 * (20 + 5 + 0.3 * 10)  # the domain's effective handle time: 28 min
TARGET_S = 60.0
SERVICE_LEVEL = 0.80
MAX_OCCUPANCY = 0.85
PATIENCE_S = 120.0
ANSWERED = 0.90
WEEK_START = date(2026, 1, 5)  # a Monday
SITE = SiteProfile(
    name="bench 24/7",
    timezone="Asia/Karachi",
    interval_minutes=INTERVAL_MIN,
    opening_hours=tuple(DailyWindow(weekday=d, start_minute=0, end_minute=1440) for d in range(7)),
)
# "helpline": about 12 calls a day, like the first user; "national line": 60 times that.
SCALES = {"helpline": 12.0, "national line": 720.0}


def year_of_calls(calls_per_day: float) -> np.ndarray:
    """Expected (fractional) calls per 15 minutes over 365 days: intraday, weekly, yearly."""
    hours = (np.arange(96) + 0.5) / 4
    morning = np.exp(-(((hours - 11.5) / 3.0) ** 2))
    evening = 0.7 * np.exp(-(((hours - 19) / 2.5) ** 2))
    intraday = 0.15 + morning + evening
    intraday /= intraday.sum()
    weekly = np.array([1.15, 1.1, 1.0, 1.0, 0.95, 0.9, 0.9])
    days = np.arange(365)
    weekday = (WEEK_START.weekday() + days) % 7
    season = 1.0 + 0.25 * np.sin(2 * np.pi * (days - 120) / 365)
    surge = np.where((days >= 180) & (days < 195), 3.3, 1.0)  # a two-week surge, as in July 2020
    daily = calls_per_day * weekly[weekday] * season * surge
    return (daily[:, None] * intraday[None, :]).ravel()


def settings_for(model: str) -> StaffingSettings:
    targets = (
        ServiceTargets(
            model="erlang_c",
            service_level=SERVICE_LEVEL,
            target_answer_seconds=TARGET_S,
            max_occupancy=MAX_OCCUPANCY,
        )
        if model == "c"
        else ServiceTargets(
            model="erlang_a",
            patience_seconds=PATIENCE_S,
            answered_share_min=ANSWERED,
            service_level=SERVICE_LEVEL,
            target_answer_seconds=TARGET_S,
        )
    )
    return StaffingSettings(targets=targets, floors=Floors(min_on_line=0))


def week_forecast(calls: np.ndarray) -> WeekForecast:
    slots = week_slots(SITE, WEEK_START)
    none = Score(wape=None, mase=None)
    return WeekForecast(
        week_start=WEEK_START,
        timezone=SITE.timezone,
        interval_minutes=INTERVAL_MIN,
        method="seasonal_naive",
        method_note="bench input",
        history_start=WEEK_START - timedelta(days=7),
        history_end=WEEK_START - timedelta(days=1),
        intervals=tuple(
            IntervalForecast(start=a, end=b, calls=float(c), low=0.0, high=float(c), open=o)
            for (a, b, o), c in zip(slots, calls, strict=True)
        ),
        daily=(),
        backtest=Backtest(
            weeks=0, model=none, baseline=none, chance_wape=None, model_better=None, verdict=""
        ),
    )


def best_of(repeats: int, fn) -> tuple[float, object]:
    best, result = math.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def run_pyworkforce(cases: dict[str, dict]) -> dict | None:
    job = {
        "aht_min": HANDLE_S / 60,
        "target_min": TARGET_S / 60,
        "interval_min": INTERVAL_MIN,
        "service_level": SERVICE_LEVEL,
        "max_occupancy": MAX_OCCUPANCY,
        "patience_min": PATIENCE_S / 60,
        "answered_share": ANSWERED,
        "cases": cases,
    }
    if PW_PYTHON.is_file():
        proc = subprocess.run(
            [str(PW_PYTHON), str(PW_SCRIPT)],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode == 0:
            return json.loads(proc.stdout)
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pyworkforce skipped: its run failed ({last})")
        return None
    try:
        sys.path.insert(0, str(PW_SCRIPT.parent))
        import pyworkforce_side

        return pyworkforce_side.run(job)
    except ImportError:
        print(
            "pyworkforce skipped: not installed (see the docstring of bench/staffing.py); "
            "timing our side only"
        )
        return None


def main() -> int:
    year = {name: year_of_calls(per_day) for name, per_day in SCALES.items()}
    plan = []  # (case name, scale, model, calls, our repeats, their repeats)
    for scale, calls in year.items():
        plan.append((f"{scale} week, Erlang C", scale, "c", calls[:672], 5, 3))
        plan.append((f"{scale} year, Erlang C", scale, "c", calls, 5, 1))
        plan.append((f"{scale} week, Erlang A", scale, "a", calls[:672], 5, 1))

    ours: dict[str, dict] = {}
    for name, _, model, calls, repeats, _ in plan:
        s = settings_for(model)
        is_open = np.ones(calls.size, dtype=bool)
        seconds, arr = best_of(
            repeats,
            lambda c=calls, o=is_open, s=s: interval_requirements(
                c, o, s, interval_minutes=INTERVAL_MIN
            ),
        )
        ours[name] = {
            "seconds": seconds,
            "agents": arr.required,
            "service_level": arr.service_level,
        }
        if calls.size == 672:
            # The same week through the public API, typed objects and all.
            fc = week_forecast(calls)
            seconds, req = best_of(repeats, lambda fc=fc, s=s: requirements_for_week(fc, SITE, s))
            assert [r.required for r in req.intervals] == arr.required.tolist()
            ours[name]["seconds_with_objects"] = seconds

    theirs = run_pyworkforce(
        {
            name: {"model": model, "calls": calls.tolist(), "repeats": their_repeats}
            for name, _, model, calls, _, their_repeats in plan
        }
    )

    rows = []
    print(
        f"{'case':<32}{'intervals':>10}{'ours s':>10}{'pyworkforce s':>15}{'ratio':>8}"
        f"{'max |d agents|':>16}{'differ':>8}{'max |d SL|':>12}{'same-n |d SL|':>15}"
    )
    for name, _, model, calls, _, _ in plan:
        o = ours[name]
        row: dict[str, object] = {
            "case": name,
            "intervals": int(calls.size),
            "calls": float(calls.sum()),
            "ours_seconds": o["seconds"],
            "ours_seconds_with_objects": o.get("seconds_with_objects"),
            "peak_agents": int(o["agents"].max()),
        }
        if theirs is not None:
            t = theirs["cases"][name]
            n_pw = np.array(t["raw_positions"])
            sl_pw = np.array(t["service_level"])
            diff = np.abs(o["agents"] - n_pw)
            traffic = calls * HANDLE_S / (INTERVAL_MIN * 60)
            # Our formula at their staffing isolates formula agreement from search differences.
            ours_at_theirs = queue_metrics(
                n_pw,
                traffic,
                handle_seconds=HANDLE_S,
                target_seconds=TARGET_S,
                model="erlang_c" if model == "c" else "erlang_a",
                patience_seconds=PATIENCE_S,
            ).service_level
            row.update(
                pyworkforce_seconds=t["seconds"],
                ratio=t["seconds"] / o["seconds"],
                ratio_with_objects=(
                    t["seconds"] / o["seconds_with_objects"]
                    if "seconds_with_objects" in o
                    else None
                ),
                max_abs_agent_diff=int(diff.max()),
                intervals_differing=int((diff > 0).sum()),
                max_abs_service_level_diff=float(np.nanmax(np.abs(o["service_level"] - sl_pw))),
                max_abs_service_level_diff_same_agents=float(
                    np.max(np.abs(ours_at_theirs - sl_pw))
                ),
                where_agents_differ=[
                    {
                        "calls": float(calls[i]),
                        "ours": int(o["agents"][i]),
                        "pyworkforce": int(n_pw[i]),
                    }
                    for i in np.flatnonzero(diff)[:5]
                ],
            )
        rows.append(row)
        pw = row.get("pyworkforce_seconds")
        print(
            f"{name:<32}{row['intervals']:>10}{row['ours_seconds']:>10.4f}"
            + (
                f"{pw:>15.3f}{row['ratio']:>7.0f}x{row['max_abs_agent_diff']:>16}"
                f"{row['intervals_differing']:>8}{row['max_abs_service_level_diff']:>12.2e}"
                f"{row['max_abs_service_level_diff_same_agents']:>15.2e}"
                if pw is not None
                else f"{'skipped':>15}"
            )
        )
        if row["ours_seconds_with_objects"] is not None:
            line = f"  {'  as typed objects':<30}{'':>10}{row['ours_seconds_with_objects']:>10.4f}"
            if pw is not None:
                line += f"{'':>15}{row['ratio_with_objects']:>7.0f}x"
            print(line)

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "python": platform.python_version(),
                "machine": platform.machine(),
                "pyworkforce": None if theirs is None else theirs["version"],
                "inputs": {
                    "interval_minutes": INTERVAL_MIN,
                    "handle_seconds": HANDLE_S,
                    "target_seconds": TARGET_S,
                    "service_level": SERVICE_LEVEL,
                    "max_occupancy_erlang_c": MAX_OCCUPANCY,
                    "patience_seconds_erlang_a": PATIENCE_S,
                    "answered_share_erlang_a": ANSWERED,
                    "calls_per_day": SCALES,
                },
                "cases": rows,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
