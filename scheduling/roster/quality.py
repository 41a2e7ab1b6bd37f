"""How good a roster is, in the two figures every screen, file and record repeats: how far
the solver's answer may be from the best possible one, and how many hard rules it breaks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from scheduling.roster.schema import RuleBreak


def relative_gap(objective: float, bound: float) -> float:
    """(objective - bound) / |objective|, never below 0: 0 means proven optimal. The floor on
    the divisor keeps a zero objective (a perfect roster) from dividing by zero."""
    return max(0.0, (objective - bound) / max(abs(objective), 1e-9))


def hard_rules_broken(breaks: Iterable[RuleBreak]) -> int:
    return sum(1 for b in breaks if b.hard)


# Stages whose objective counts the whole roster as a saved version does; the others (the
# decomposition's cover, assign and place models, the line-blocks pass, the conflict search)
# optimise a part of it on a scale of their own.
WHOLE_ROSTER = "whole roster"  # the decomposition's report after a stage improved the roster
WHOLE_ROSTER_STAGES = frozenset({"greedy", "full", "full (continued)", WHOLE_ROSTER})
HIRES_PREFIX = "with hires: "


class ProgressPoint(Protocol):
    stage: str
    objective: float
    best_bound: float
    seconds: float


def roster_progress(history: Sequence[ProgressPoint]) -> list[tuple[float, float, float]]:
    """(seconds, best roster, best bound) in points as a saved roster counts them: only the
    stages scoring the whole roster, the best roster so far never rising."""
    out: list[tuple[float, float, float]] = []
    best: float | None = None
    bound: float | None = None
    for point in history:
        stage = point.stage.removeprefix(HIRES_PREFIX)
        if stage not in WHOLE_ROSTER_STAGES:
            continue
        best = point.objective if best is None else min(best, point.objective)
        bound = point.best_bound if bound is None else max(bound, point.best_bound)
        out.append((point.seconds, best, min(bound, best)))
    return out
