"""Benchmark commands of `python -m scheduling` (see docs/benchmarks.md):

benchmark curtois-qu [--instances 1-12] [--time-limit S] [--workers N] --out FILE.csv
                     [--solutions DIR] [--dir FOLDER]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from scheduling.benchmark.instance import InstanceFormatError
from scheduling.benchmark.run import DEFAULT_DIR, Row, parse_instances, run_benchmark, write_rows
from scheduling.cli_support import CliError, solve_seconds, solver_workers


def _instances(text: str) -> list[int]:
    try:
        return parse_instances(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(subparsers: Any) -> None:
    bench = subparsers.add_parser("benchmark", help="measure the roster engine on public instances")
    which = bench.add_subparsers(dest="benchmark", required=True, parser_class=type(bench))
    cq = which.add_parser(
        "curtois-qu", help="Curtois & Qu shift-scheduling instances: objective vs best known"
    )
    cq.add_argument("--instances", type=_instances, default=list(range(1, 13)), help="e.g. 1-12")
    cq.add_argument("--time-limit", type=solve_seconds, default=60.0, help="seconds per instance")
    cq.add_argument("--workers", type=solver_workers, default=2, help="CP-SAT workers")
    cq.add_argument("--out", type=Path, required=True, help="results CSV")
    cq.add_argument("--solutions", type=Path, help="directory for one InstanceN.csv each")
    cq.add_argument(
        "--dir", type=Path, default=DEFAULT_DIR, help="folder with InstanceN.txt and best_known.csv"
    )
    cq.set_defaults(handler=run_curtois_qu)


def _print(row: Row) -> None:
    gap = f"{row.gap_pct:+.2f}%" if row.gap_pct is not None else "-"
    agrees = "scorer agrees" if row.scorer_agrees else "SCORER DISAGREES"
    print(
        f"{row.instance}: {row.status} {row.objective} (best known {row.best_known}, "
        f"gap {gap}), best at {row.time_to_best_s} s; {agrees}",
        flush=True,
    )


def run_curtois_qu(args: argparse.Namespace) -> int:
    folder: Path = args.dir
    if not folder.is_dir():
        raise CliError(f"--dir: benchmark folder {folder} not found (expected InstanceN.txt files)")
    missing = [n for n in args.instances if not (folder / f"Instance{n}.txt").is_file()]
    if missing:
        raise CliError(f"--dir: {folder} has no Instance{missing[0]}.txt")
    try:
        rows = run_benchmark(
            folder,
            args.instances,
            time_limit=args.time_limit,
            workers=args.workers,
            solutions=args.solutions,
            progress=_print,
        )
    except InstanceFormatError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot read or write: {exc}") from None
    write_rows(args.out, rows)
    return 0 if all(r.scorer_agrees for r in rows) else 1
