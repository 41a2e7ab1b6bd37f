"""Headless command line: `python -m scheduling COMMAND ...`.

Each area registers its own sub-commands; a handler raises CliError for bad input, which is
printed as one line on stderr with exit status 2 (never a traceback).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pydantic import ValidationError


class CliError(Exception):
    """Bad arguments or a bad file: the message names what is wrong."""


def first_validation_error(exc: ValidationError) -> str:
    """The first field error of a file, named by its path ("options.workers: ...")."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(top level)"
    more = len(exc.errors()) - 1
    return f"{where}: {err['msg']}" + (f" (and {more} more)" if more else "")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse prints usage + exits 2; keep it one line
        raise CliError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    from scheduling.benchmark import cli as benchmark_cli
    from scheduling.roster import cli as roster_cli
    from scheduling.staffing import cli as staffing_cli

    parser = _Parser(prog="python -m scheduling", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    staffing_cli.register(commands)
    roster_cli.register(commands)
    benchmark_cli.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return int(args.handler(args) or 0)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
