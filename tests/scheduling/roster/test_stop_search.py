"""A progress function ends a solve by raising StopSearch: the CP-SAT search stops at that
report and the solve raises instead of returning a roster (what a cancelled job relies on)."""

from __future__ import annotations

import pytest

from scheduling.roster.schema import SolveOptions
from scheduling.roster.solve import solve
from scheduling.roster.stages import Progress, StopSearch
from tests.scheduling.roster.rosterkit import instance, member


def test_stop_search_from_the_progress_callback_ends_the_solve() -> None:
    inst = instance(
        [member(str(i)) for i in range(6)],
        days=range(7),
        required=2,
        options=SolveOptions(time_limit_seconds=20, workers=2),
    )
    seen: list[Progress] = []

    def cancel_at_first(p: Progress) -> None:
        seen.append(p)
        raise StopSearch("cancelled")

    with pytest.raises(StopSearch, match="cancelled"):
        solve(inst, progress=cancel_at_first)
    assert len(seen) == 1  # no stage ran on after the stop


def test_a_solve_without_a_stop_returns_its_roster() -> None:
    inst = instance(
        [member("1"), member("2")], options=SolveOptions(time_limit_seconds=5, workers=1)
    )
    seen: list[Progress] = []
    solution = solve(inst, progress=seen.append)
    assert seen and any(p.shifts for p in solution.people)
