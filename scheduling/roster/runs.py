"""Runs of days (days worked in a row, days off in a row): CP-SAT constraints on a sequence of
day literals, and the solver-free counting the rule checks use. Shared by the weekly roster
rules and the multi-week benchmark model, which mean the same thing by a run."""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model
from ortools.sat.python.cp_model_helper import Literal


def forbid_short_runs(
    m: cp_model.CpModel,
    lits: Sequence[Literal],
    min_len: int,
    *,
    open_start: bool = True,
    open_end: bool = True,
) -> list[cp_model.Constraint]:
    """Every run of true literals is at least min_len long. A run touching the first (last)
    day is exempt when open_start (open_end): what lies outside the sequence is unknown.
    Returns the clauses added."""
    n = len(lits)
    added = []
    for first in range(n):
        for length in range(1, min_len):
            last = first + length - 1
            if last >= n:
                break
            if (first == 0 and open_start) or (last == n - 1 and open_end):
                continue
            clause = [lits[i].Not() for i in range(first, last + 1)]
            if first > 0:
                clause.append(lits[first - 1])
            if last < n - 1:
                clause.append(lits[last + 1])
            added.append(m.add_bool_or(clause))
    return added


def cap_runs(
    m: cp_model.CpModel, lits: Sequence[cp_model.LinearExprT], limit: int, before: int = 0
) -> None:
    """At most `limit` true literals in a row; `before` true days precede the sequence."""
    n = len(lits)
    before = min(before, limit)
    for first in range(-before, n - limit):
        window = lits[max(first, 0) : first + limit + 1]
        m.add(cp_model.LinearExpr.sum(list(window)) <= limit - max(0, -first))


def runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """(first index, length) of each run of True values."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    for i, f in enumerate([*flags, False]):
        if f and start is None:
            start = i
        elif not f and start is not None:
            out.append((start, i - start))
            start = None
    return out


def short_runs(
    flags: Sequence[bool], min_len: int, *, open_start: bool = True, open_end: bool = True
) -> list[tuple[int, int]]:
    """The runs of True shorter than min_len, except those exempt at an open edge."""
    n = len(flags)
    return [
        (first, length)
        for first, length in runs(flags)
        if length < min_len
        and not (first == 0 and open_start)
        and not (first + length == n and open_end)
    ]
