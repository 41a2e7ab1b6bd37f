"""`python -m scheduling erlang ...` and `python -m scheduling requirements ...`.

erlang: an Erlang A / Erlang C calculator. With --agents it reports that staffing; without,
the fewest agents meeting the targets.

requirements: forecast a week from a call-history CSV and write the required counsellors per
interval to a CSV (interval_start, forecast_calls, band_low, band_high, required,
service_level, abandon_share, binding).

Settings file (--settings FILE.toml): the keys mirror StaffingSettings; every key is optional
and falls back to the default shown.

    shrinkage = 0.30                 # leave, training, sickness (long-range FTE only)

    [targets]
    model = "erlang_a"               # or "erlang_c" (callers never hang up)
    patience_seconds = 120           # mean time a caller waits before hanging up (Erlang A)
    answered_share_min = 0.90        # at least this share of offered calls answered
    service_level = 0.80             # ... and this share answered within
    target_answer_seconds = 60       # ... this many seconds
    # max_occupancy = 0.85           # optional: at most this share of line time busy

    [handle]
    talk_minutes = 20
    wrapup_minutes = 5
    difficult_share = 0.30           # share of calls that are difficult
    decompression_minutes = 10       # off the queue after a difficult call (at least 5)

    [floors]
    min_on_line = 2                  # never fewer on the line while open
    supervisor_every_open_day = true
    languages_required = []          # e.g. ["Urdu", "Punjabi"]: a speaker on the line
    [[floors.specialist_cover]]      # repeat per window; weekday 0 = Monday
    skill = "lawyer"                 # or "digital_security", "supervisor"
    count = 1
    window = { weekday = 0, start_minute = 660, end_minute = 900 }

Site file (--site FILE.json): a SiteProfile object, or an object with a "site" key (and
optionally "staffing", used when --settings is not given), like data/samples/demo_site.json.
Without --site the demo site is used: Asia/Karachi, 09:00-17:00 every day, 30-minute
intervals.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import tempfile
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scheduling.bounds import check_day
from scheduling.cli_support import CliError, first_validation_error, read_json
from scheduling.domain import DailyWindow, ServiceTargets, SiteProfile, StaffingSettings
from scheduling.staffing.export import REQUIREMENT_COLUMNS as REQUIREMENT_COLUMNS
from scheduling.staffing.export import write_requirements_csv
from scheduling.staffing.queueing import Targets, fewest_agents, offered_load, queue_metrics

DEMO_SITE = SiteProfile(
    name="Demo helpline",
    timezone="Asia/Karachi",
    interval_minutes=30,
    opening_hours=tuple(
        DailyWindow(weekday=d, start_minute=540, end_minute=1020) for d in range(7)
    ),
)


# --- argument types: each raises ArgumentTypeError, which the parser turns into CliError ----


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def _non_negative(text: str) -> float:
    value = _number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}")
    return value


def _positive(text: str) -> float:
    value = _number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}")
    return value


def _share_below_one(text: str) -> float:
    value = _number(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(
            f"expected a share from 0 up to (not incl.) 1, got {text!r}"
        )
    return value


def _occupancy(text: str) -> float:
    value = _number(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"expected a share above 0 and at most 1, got {text!r}")
    return value


def _agents(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of agents, got {text!r}"
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return value


def _week(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None
    try:
        return check_day(day, "week")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(subparsers: Any) -> None:
    erlang = subparsers.add_parser(
        "erlang",
        help="Erlang A/C calculator: performance at a staffing, or the fewest agents",
        description="Erlang A (callers hang up) or Erlang C calculator for one interval.",
    )
    erlang.add_argument(
        "--calls", type=_non_negative, required=True, help="calls offered (may be fractional)"
    )
    erlang.add_argument(
        "--interval-min", type=_positive, required=True, help="interval length, minutes"
    )
    erlang.add_argument(
        "--aht-sec", type=_positive, required=True, help="handle time per call, seconds"
    )
    erlang.add_argument(
        "--target-sec", type=_non_negative, required=True, help="answer-time target, seconds"
    )
    erlang.add_argument("--agents", type=_agents, help="report this staffing instead of searching")
    erlang.add_argument(
        "--model", choices=("a", "c"), default="a", help="a = Erlang A (default), c = Erlang C"
    )
    erlang.add_argument(
        "--patience-sec", type=_positive, default=120.0, help="mean patience (Erlang A), seconds"
    )
    erlang.add_argument(
        "--service-level",
        type=_share_below_one,
        default=0.80,
        help="share answered within the target (0.80)",
    )
    erlang.add_argument(
        "--answered-share",
        type=_share_below_one,
        default=None,
        help="Erlang A: least share of calls answered (default 0.90; 0 switches it off)",
    )
    erlang.add_argument(
        "--max-occupancy", type=_occupancy, default=None, help="most share of time busy"
    )
    erlang.add_argument("--json", action="store_true", help="print one JSON object")
    erlang.set_defaults(handler=run_erlang)

    req = subparsers.add_parser(
        "requirements",
        help="forecast a week from call history and write required counsellors per interval",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    req.add_argument("--history", type=Path, required=True, help="call history CSV")
    req.add_argument("--week", type=_week, required=True, help="first day of the week, YYYY-MM-DD")
    req.add_argument("--settings", type=Path, help="staffing settings TOML (see above)")
    req.add_argument("--site", type=Path, help="site JSON (default: the demo site)")
    req.add_argument("--out", type=Path, required=True, help="CSV to write")
    req.set_defaults(handler=run_requirements)


# --- erlang --------------------------------------------------------------------------------


def erlang_result(args: argparse.Namespace) -> dict[str, float | int | None]:
    """The numbers `erlang` prints (what --json holds)."""
    model = "erlang_a" if args.model == "a" else "erlang_c"
    traffic = float(offered_load(args.calls, args.interval_min * 60.0, args.aht_sec))
    if args.agents is None:
        answered = args.answered_share
        if answered is None and model == "erlang_a":
            answered = ServiceTargets().answered_share_min
        goal = Targets(
            service_level=args.service_level,
            target_seconds=args.target_sec,
            answered_share=answered if model == "erlang_a" and answered else None,
            max_occupancy=args.max_occupancy,
        )
        try:
            agents = int(
                fewest_agents(
                    traffic,
                    goal,
                    handle_seconds=args.aht_sec,
                    model=model,
                    patience_seconds=args.patience_sec,
                )
            )
        except ValueError as exc:
            raise CliError(str(exc)) from None
    else:
        agents = args.agents
    m = queue_metrics(
        agents,
        traffic,
        handle_seconds=args.aht_sec,
        target_seconds=args.target_sec,
        model=model,
        patience_seconds=args.patience_sec,
    )
    row: dict[str, float | int | None] = dict(m.row())
    return {
        k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in row.items()
    }


def run_erlang(args: argparse.Namespace) -> int:
    result = erlang_result(args)
    if args.json:
        print(json.dumps(result, allow_nan=False))
        return 0
    name = "Erlang A" if args.model == "a" else "Erlang C"
    patience = f", mean patience {args.patience_sec:g} s" if args.model == "a" else ""
    print(
        f"{name}: {args.calls:g} calls in {args.interval_min:g} min, handle {args.aht_sec:g} s"
        f"{patience} -> {result['traffic_erlangs']:.4g} Erlangs"
    )
    how = "as given" if args.agents is not None else "fewest meeting the targets"
    asa = result["asa_seconds"]
    lines = [
        ("Agents", f"{result['agents']} ({how})"),
        ("Waiting probability", f"{100 * float(result['waiting_probability'] or 0):.1f}%"),
        (
            f"Answered within {args.target_sec:g} s",
            f"{100 * float(result['service_level'] or 0):.1f}%",
        ),
        ("Abandoned", f"{100 * float(result['abandon_probability'] or 0):.1f}%"),
        (
            "Mean wait of answered calls",
            "never clears (too few agents)" if asa is None else f"{asa:.1f} s",
        ),
        ("Occupancy", f"{100 * float(result['occupancy'] or 0):.1f}%"),
    ]
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        print(f"  {key:<{width}}  {value}")
    return 0


# --- requirements --------------------------------------------------------------------------


def load_settings(path: Path) -> StaffingSettings:
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except OSError as exc:
        raise CliError(f"cannot read settings file {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CliError(f"settings file {path} is not valid TOML: {exc}") from None
    try:
        return StaffingSettings.model_validate(raw)
    except ValidationError as exc:
        raise CliError(f"settings file {path}: {first_validation_error(exc)}") from None


def load_site(path: Path) -> tuple[SiteProfile, StaffingSettings | None]:
    raw = read_json(path, "site")
    if not isinstance(raw, dict):
        raise CliError(f"site file {path}: expected a JSON object")
    site_raw = raw.get("site", raw)
    staffing_raw = raw.get("staffing") if "site" in raw else None
    try:
        site = SiteProfile.model_validate(site_raw)
        staffing = None if staffing_raw is None else StaffingSettings.model_validate(staffing_raw)
    except ValidationError as exc:
        raise CliError(f"site file {path}: {first_validation_error(exc)}") from None
    return site, staffing


def run_requirements(args: argparse.Namespace) -> int:
    from scheduling.forecast import ForecastError, forecast_week
    from scheduling.history import HistoryFileError, read_call_history_csv
    from scheduling.staffing.requirements import requirements_for_week

    site, site_settings = load_site(args.site) if args.site else (DEMO_SITE, None)
    settings = (
        load_settings(args.settings) if args.settings else (site_settings or StaffingSettings())
    )
    if not args.out.parent.is_dir():
        raise CliError(f"cannot write {args.out}: folder {args.out.parent} does not exist")

    try:
        imported = read_call_history_csv(
            args.history, site_timezone=site.timezone, interval_minutes=site.interval_minutes
        )
    except OSError as exc:
        raise CliError(f"cannot read history file {args.history}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CliError(f"history file {args.history}: expected a UTF-8 text file (CSV)") from None
    except HistoryFileError as exc:
        raise CliError(f"history file {args.history}: {exc}") from None
    try:
        forecast = forecast_week(imported.records, site, args.week)
        result = requirements_for_week(forecast, site, settings)
    except (ForecastError, ValueError) as exc:
        raise CliError(str(exc)) from None

    _write_rows(args.out, result)
    for message in imported.messages:
        if "column" in message.lower():
            print(message)
    bt = forecast.backtest
    print(f"Forecast: {forecast.method_note}")
    print(f"Backtest: {bt.verdict}")
    print(
        f"Week of {result.week_start}: {result.offered_calls:.1f} calls expected, "
        f"{result.workload_hours:.1f} h of workload, {result.required_hours:g} counsellor-hours "
        f"on the line (peak {result.peak_required} at once)."
    )
    print(f"Wrote {len(result.intervals)} intervals to {args.out}")
    return 0


def _write_rows(path: Path, result: Any) -> None:
    # Write beside the target and rename, so a failure never leaves half a file behind.
    fd, tmp = tempfile.mkstemp(prefix=".requirements-", suffix=".csv", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            write_requirements_csv(result.intervals, fh)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None
