"""Solve a RosterInstance: the entry point is `solve(instance, progress=...)`.

Small weeks are solved in one CP-SAT model (the full model) and usually proven optimal. Large
weeks (many people, 24/7, 15-minute intervals) are decomposed (see decompose.py): cover the
requirement with shift counts, assign people to those shifts, then place activities.

A week that cannot keep every hard rule is never returned as a bare INFEASIBLE: the hard rules
get assumption literals, CP-SAT names a set that cannot hold together, and a relaxed solve
returns the best roster that drops as few of them as possible.
"""

from __future__ import annotations

import time

from scheduling.roster.decompose import solve_decomposed
from scheduling.roster.full import solve_full
from scheduling.roster.schema import RosterInstance, RosterSolution
from scheduling.roster.stages import ProgressFn, elapsed
from scheduling.roster.week import Week

FULL_MODEL_MAX_SHIFT_VARS = 40_000


def shift_var_count(week: Week) -> int:
    return sum(len(week.candidates(p, d)) for p in week.people for d in range(7))


def solve(
    instance: RosterInstance,
    *,
    progress: ProgressFn | None = None,
    time_limit: float | None = None,
    workers: int | None = None,
) -> RosterSolution:
    """Roster the week. Time limit and workers default to instance.options."""
    opts = instance.options
    limit = time_limit if time_limit is not None else opts.time_limit_seconds
    workers = workers if workers is not None else opts.workers
    started = time.monotonic()
    week = Week(instance)
    method = opts.method
    if method == "auto":
        method = "full" if shift_var_count(week) <= FULL_MODEL_MAX_SHIFT_VARS else "decomposed"
    if method == "decomposed":
        sol = solve_decomposed(
            week, limit=limit, workers=workers, started=started, progress=progress
        )
    else:
        sol = solve_full(week, limit=limit, workers=workers, started=started, progress=progress)
    # the whole solve, whichever phase's roster is returned (first and best are already
    # measured from `started`)
    stats = sol.stats.model_copy(update={"wall_time_seconds": round(elapsed(started), 3)})
    return sol.model_copy(update={"stats": stats})
