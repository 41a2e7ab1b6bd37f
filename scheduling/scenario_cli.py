"""Scenario commands of `python -m scheduling` (see docs/scenarios.md):

scenario SCENARIO.toml --out DIR        summary.csv, monthly.csv, roster.json (busiest week)
simulate INSTANCE.json ROSTER.json --replications N [--seed S] --out FILE.csv
sweep GRID.toml --out FILE.csv [--scheduler ADDRESS] [--workers N] [--cache DIR]

The sweep runs on the Dask scheduler named by --scheduler, or by PLANNER_DASK_SCHEDULER when
the option is absent (the process entry point reads the environment and hands it to the command
line as `args.env`; the sweep itself takes the address).
"""

from __future__ import annotations

import argparse
import csv
import tomllib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from scheduling.cli_support import CliError, first_validation_error, load_json_model, read_json
from scheduling.roster.schema import RosterInstance, RosterSolution

if TYPE_CHECKING:
    from scheduling.domain import StaffingSettings
    from scheduling.scenarios import Baseline, EvaluateOptions, Scenario, ScenarioResult

M = TypeVar("M", bound=BaseModel)
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
SCHEDULER_ENV = "PLANNER_DASK_SCHEDULER"
MAX_SCENARIOS_PER_FILE = 4


def _count(low: int, high: int, what: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not text.isdigit() or not low <= int(text) <= high:
            raise argparse.ArgumentTypeError(f"expected {what} {low}-{high}, got {text!r}")
        return int(text)

    return parse


def read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CliError(f"{path}: expected UTF-8 TOML") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CliError(f"{path} is not valid TOML: {exc}") from None


def _validated(model: type[M], raw: Any, where: str) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise CliError(f"{where}.{first_validation_error(exc)}") from None


def load_baseline(raw: Any, path: Path) -> Baseline:
    """[baseline]: demo_week = "YYYY-MM-DD" (the demo helpline) or file = "baseline.json"."""
    from scheduling.roster.demo import DemoFilesError
    from scheduling.scenarios import Baseline, demo_baseline

    if not isinstance(raw, dict):
        raise CliError(f"{path}: baseline: expected a table with demo_week or file")
    unknown = set(raw) - {"demo_week", "file", "seats"}
    if unknown:
        raise CliError(f"{path}: baseline.{sorted(unknown)[0]}: unknown field")
    if "file" in raw:
        file = (path.parent / str(raw["file"])).resolve()
        baseline = load_json_model(file, Baseline, "baseline")
        if "seats" in raw:
            baseline = _validated(
                Baseline, baseline.model_dump() | {"seats": raw["seats"]}, f"{path}: baseline"
            )
        return baseline
    week = raw.get("demo_week")
    if isinstance(week, str):
        try:
            week = datetime.strptime(week, "%Y-%m-%d").date()
        except ValueError:
            raise CliError(
                f"{path}: baseline.demo_week: expected YYYY-MM-DD, got {week!r}"
            ) from None
    if not isinstance(week, date) or week.weekday() != 0:
        raise CliError(f"{path}: baseline.demo_week: expected the date of a Monday")
    seats = raw.get("seats", 6)
    if seats is not None and (not isinstance(seats, int) or seats < 1):
        raise CliError(f"{path}: baseline.seats: expected a whole number >= 1")
    try:
        return demo_baseline(SAMPLES, week, seats=seats)
    except DemoFilesError as exc:
        raise CliError(str(exc)) from None


def load_scenario(raw: Any, where: str) -> Scenario:
    """A scenario table: optional `preset` (a preset's name), then any Scenario field."""
    from scheduling.scenarios import Scenario, presets

    if not isinstance(raw, dict):
        raise CliError(f"{where}: expected a table of scenario fields")
    data = dict(raw)
    name = data.pop("preset", None)
    base: dict[str, Any] = {}
    if name is not None:
        known = presets()
        if name not in known:
            raise CliError(
                f"{where}.preset: unknown preset {name!r}; expected one of {list(known)}"
            )
        base = known[name].model_dump()
    return _validated(Scenario, base | data, where)


def load_options(raw: Any, where: str, **defaults: Any) -> EvaluateOptions:
    from scheduling.scenarios import EvaluateOptions

    return _validated(EvaluateOptions, defaults | (raw or {}), where)


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fields: list[str] = []
    for row in rows:
        fields += [k for k in row if k not in fields]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def monthly_rows(result: ScenarioResult) -> list[dict[str, Any]]:
    return [{"scenario": result.scenario.name, **r.model_dump(mode="json")} for r in result.months]


# ------------------------------------------------------------------ handlers


def cmd_scenario(args: argparse.Namespace) -> int:
    from scheduling.scenarios import evaluate

    path: Path = args.file
    raw = read_toml(path)
    unknown = set(raw) - {"baseline", "options", "scenario", "scenarios"}
    if unknown:
        raise CliError(f"{path}: {sorted(unknown)[0]}: unknown table")
    if "scenario" in raw and "scenarios" in raw:
        raise CliError(f"{path}: give [scenario] or [[scenarios]], not both")
    tables = raw.get("scenarios", [raw.get("scenario", {})])
    if not isinstance(tables, list) or not 1 <= len(tables) <= MAX_SCENARIOS_PER_FILE:
        raise CliError(f"{path}: scenarios: expected 1-{MAX_SCENARIOS_PER_FILE} scenarios")
    scenarios = [load_scenario(t, f"{path}: scenarios[{i}]") for i, t in enumerate(tables)]
    options = load_options(raw.get("options"), f"{path}: options")
    baseline = load_baseline(raw.get("baseline", {"demo_week": None}), path)

    out: Path = args.out
    summaries, monthly = [], []
    for k, scenario in enumerate(scenarios, start=1):
        result = evaluate(baseline, scenario, options=options)
        summaries.append(result.summary())
        monthly += monthly_rows(result)
        if result.roster is not None:
            out.mkdir(parents=True, exist_ok=True)
            name = "roster.json" if k == 1 else f"roster-{k}.json"
            (out / name).write_text(result.roster.model_dump_json(indent=2), encoding="utf-8")
        for note in result.notes:
            print(f"{scenario.name}: {note}")
    _write_csv(out / "summary.csv", summaries)
    _write_csv(out / "monthly.csv", monthly)
    for s in summaries:
        share = s.get("sim_answered_share")
        print(
            f"{s['scenario']}: peak FTE {s['peak_fte_needed']:.1f}, hires {s['hires_total']}, "
            f"cost {s['cost_per_month']:,.0f} {s['currency']}/month, answered "
            + (
                f"{share:.1%} [{s['sim_answered_share_low']:.1%}, "
                f"{s['sim_answered_share_high']:.1%}]"
                if share is not None
                else "n/a"
            )
        )
    print(f"wrote {out / 'summary.csv'}, {out / 'monthly.csv'}")
    return 0


def _read_settings(path: Path) -> StaffingSettings:
    from scheduling.domain import StaffingSettings

    raw = read_json(path, "settings")
    # a site file (like data/samples/demo_site.json) holds the settings under "staffing"
    if isinstance(raw, dict) and "staffing" in raw:
        return _validated(StaffingSettings, raw["staffing"], f"settings file {path}: staffing")
    return _validated(StaffingSettings, raw, f"settings file {path}")


def _read_calls(path: Path, starts: list[datetime]) -> list[float]:
    """CALLS.csv: interval_start,calls - replayed counts for some intervals (the rest 0)."""
    index = {s: k for k, s in enumerate(starts)}
    calls = [0.0] * len(starts)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = {"interval_start", "calls"} - set(reader.fieldnames or ())
            if missing:
                raise CliError(f"{path}: missing column {sorted(missing)[0]}")
            for n, row in enumerate(reader, start=2):
                try:
                    start = datetime.fromisoformat(row["interval_start"])
                    value = float(row["calls"])
                except (TypeError, ValueError):
                    raise CliError(
                        f"{path} row {n}: expected an ISO time with offset and a number of calls"
                    ) from None
                if start.tzinfo is None:
                    raise CliError(f"{path} row {n}: interval_start needs a UTC offset")
                if value < 0 or value != int(value):
                    raise CliError(f"{path} row {n}: calls: expected a whole number >= 0")
                if start not in index:
                    raise CliError(f"{path} row {n}: {start} is not an interval of the week")
                calls[index[start]] = value
    except OSError as exc:
        raise CliError(f"cannot read calls file {path}: {exc.strerror or exc}") from None
    return calls


def cmd_simulate(args: argparse.Namespace) -> int:
    from scheduling.domain import StaffingSettings
    from scheduling.simulation import CallModel, plan_from_roster, simulate, totals_rows

    inst = load_json_model(args.instance, RosterInstance, "instance")
    sol = load_json_model(args.roster, RosterSolution, "roster")
    if sol.week_start != inst.week_start:
        raise CliError(
            f"roster {args.roster}: week_start {sol.week_start} is not the instance's "
            f"{inst.week_start}"
        )
    settings = _read_settings(args.settings) if args.settings else StaffingSettings()
    calls = None
    if args.calls:
        probe = plan_from_roster(inst, sol)
        starts = [probe.interval_start(k).astimezone(inst.tz) for k in range(len(probe.calls))]
        calls = _read_calls(args.calls, starts)
    elif not any(s.forecast_calls for s in inst.intervals):
        raise CliError(
            f"instance {args.instance}: intervals carry no forecast_calls; give --calls CALLS.csv"
        )
    plan = plan_from_roster(inst, sol, calls=calls, replay=calls is not None)
    result = simulate(
        plan,
        CallModel.from_settings(settings),
        replications=args.replications,
        seed=args.seed,
        workers=args.workers,
    )
    _write_csv(args.out, result.intervals.rows())
    totals_path = args.out.with_name(args.out.stem + "-totals.csv")
    rows = totals_rows(result)
    _write_csv(totals_path, rows)
    for r in rows:
        if r["mean"] is not None:
            print(f"{r['metric']}: {r['mean']:.4g} [{r['low']:.4g}, {r['high']:.4g}]")
    print(f"wrote {args.out} and {totals_path}")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    from scheduling.sweep import SweepError, grid_scenarios, run_sweep

    path: Path = args.file
    raw = read_toml(path)
    unknown = set(raw) - {"baseline", "options", "base", "grid"}
    if unknown:
        raise CliError(f"{path}: {sorted(unknown)[0]}: unknown table")
    if not isinstance(raw.get("grid"), dict) or not raw["grid"]:
        raise CliError(f"{path}: grid: expected a table of axes, e.g. volume_factor = [1.0, 1.6]")
    base = load_scenario(raw.get("base", {}), f"{path}: base")
    options = load_options(raw.get("options"), f"{path}: options", roster=False)
    try:
        scenarios = grid_scenarios(base, raw["grid"])
    except SweepError as exc:
        raise CliError(f"{path}: {exc}") from None
    baseline = load_baseline(raw.get("baseline", {"demo_week": None}), path)
    scheduler = args.scheduler or args.env.get(SCHEDULER_ENV) or None
    where = f"Dask scheduler {scheduler}" if scheduler else f"{args.workers} local worker(s)"
    print(f"{len(scenarios)} scenarios on {where}")
    try:
        table = run_sweep(
            baseline,
            scenarios,
            options=options,
            scheduler=scheduler,
            workers=args.workers,
            cache_dir=args.cache,
            progress=lambda done, total: print(f"  {done}/{total}", flush=True),
        )
    except OSError as exc:  # an unreachable scheduler
        raise CliError(f"sweep: {exc}") from None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    print(f"wrote {args.out} ({len(table)} rows)")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("scenario", help="evaluate scenarios against a baseline")
    p.add_argument("file", type=Path, metavar="SCENARIO.toml")
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.set_defaults(handler=cmd_scenario)

    p = commands.add_parser("simulate", help="simulate a roster against calls")
    p.add_argument("instance", type=Path, metavar="INSTANCE.json")
    p.add_argument("roster", type=Path, metavar="ROSTER.json")
    p.add_argument("--replications", type=_count(1, 100_000, "replications"), default=200)
    p.add_argument("--seed", type=_count(0, 2**31, "a seed"), default=0)
    p.add_argument("--workers", type=_count(1, 64, "workers"), default=1)
    p.add_argument("--settings", type=Path, metavar="SETTINGS.json")
    p.add_argument("--calls", type=Path, metavar="CALLS.csv", help="replay these counts")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    p.set_defaults(handler=cmd_simulate)

    p = commands.add_parser("sweep", help="evaluate a grid of scenarios in parallel")
    p.add_argument("file", type=Path, metavar="GRID.toml")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    p.add_argument("--scheduler", metavar="ADDRESS", help=f"Dask scheduler (or ${SCHEDULER_ENV})")
    p.add_argument("--workers", type=_count(1, 64, "workers"), default=2)
    p.add_argument("--cache", type=Path, metavar="DIR", help="reuse rows evaluated before")
    p.set_defaults(handler=cmd_sweep)
