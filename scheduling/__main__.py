"""`python -m scheduling`: the process entry point, and the one place in scheduling/ that reads
the environment. It hands the variables to the command line, which passes on what a command
needs (PLANNER_DASK_SCHEDULER for `sweep`)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from scheduling import cli


def main(argv: Sequence[str] | None = None) -> int:
    return cli.main(argv, env=os.environ)


if __name__ == "__main__":
    raise SystemExit(main())
