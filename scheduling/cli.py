"""Headless command line: `python -m scheduling COMMAND ...`.

Each area registers its own sub-commands; a handler raises CliError (scheduling/cli_support.py)
for bad input, which is printed as one line on stderr with exit status 2 (never a traceback).
Exit status 1 is kept for `validate`'s "a hard rule is broken" and `plan`'s "no roster".

The environment is read by the process entry point (scheduling/__main__.py) and handed in as
`env`; handlers find it as `args.env`. This package never reads it itself.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence

from scheduling.cli_support import CliError

# Kept importable from here for code written before cli_support; new code imports
# scheduling.cli_support (area CLIs importing this module would form a cycle).
__all__ = ["build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse prints usage + exits 2; keep it one line
        raise CliError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    from scheduling import scenario_cli
    from scheduling.benchmark import cli as benchmark_cli
    from scheduling.roster import cli as roster_cli
    from scheduling.staffing import cli as staffing_cli

    parser = _Parser(prog="python -m scheduling", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    staffing_cli.register(commands)
    roster_cli.register(commands)
    scenario_cli.register(commands)
    benchmark_cli.register(commands)
    return parser


def main(argv: Sequence[str] | None = None, *, env: Mapping[str, str] | None = None) -> int:
    """Run one command. `env` holds the process's environment variables (none when absent),
    e.g. PLANNER_DASK_SCHEDULER for `sweep`."""
    try:
        args = build_parser().parse_args(argv)
        args.env = dict(env or {})
        return int(args.handler(args) or 0)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OverflowError, RecursionError) as exc:
        # A value the checks let through but the computation cannot hold: still one line.
        print(f"error: a value in the input is out of range ({exc})", file=sys.stderr)
        return 2
