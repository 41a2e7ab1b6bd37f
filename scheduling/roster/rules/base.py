"""Building blocks the model and the rules share: objective terms, their scale, sums of
CP-SAT expressions, and how a rule's title writes a number of minutes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from ortools.sat.python import cp_model

SCALE = 60  # internal objective units per point: weights per hour become integer per minute


def lsum(items: Iterable[Any]) -> cp_model.LinearExpr:
    return cp_model.LinearExpr.sum(list(items))


@dataclass(frozen=True)
class Term:
    """One objective term: `coef` x `expr` in internal units, owned by a rule."""

    rule: str
    coef: int
    expr: cp_model.LinearExprT


class ModelPart(Protocol):
    """What the model needs of a rule (the full interface is rules.rule.Rule)."""

    @property
    def key(self) -> str: ...

    def add(self, ctx: Any) -> list[Term]: ...


def hours(minutes: int) -> str:
    """Minutes as a title writes them: 660 -> "11", 270 -> "4:30", 30 -> "30 minutes"."""
    h, m = divmod(minutes, 60)
    return f"{h}" if not m else f"{h}:{m:02d}" if h else f"{m} minutes"
