"""How good a roster is, in the two figures every screen, file and record repeats: how far
the solver's answer may be from the best possible one, and how many hard rules it breaks."""

from __future__ import annotations

from collections.abc import Iterable

from scheduling.roster.schema import RuleBreak


def relative_gap(objective: float, bound: float) -> float:
    """(objective - bound) / |objective|, never below 0: 0 means proven optimal. The floor on
    the divisor keeps a zero objective (a perfect roster) from dividing by zero."""
    return max(0.0, (objective - bound) / max(abs(objective), 1e-9))


def hard_rules_broken(breaks: Iterable[RuleBreak]) -> int:
    return sum(1 for b in breaks if b.hard)
