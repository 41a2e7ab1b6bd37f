"""What every rule module provides (see docs/roster.md, "How to add a rule"):

- `key`: the name the model, the validator and the explanations use for the rule;
- `hard`: whether breaking it makes the roster unusable (False: it costs penalty points);
- `title(inst)`: the business rule as a manager reads it, with the instance's numbers;
- `add(ctx)`: its CP-SAT constraints on the model; returns its objective terms;
- `check(roster)`: a solver-free check of a finished roster (a RosterView), returning the
  rule's breaks and penalty points. It reads only the view and the instance, never the model,
  so a modelling mistake shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from scheduling.roster.schema import RuleBreak

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.rules.base import Term
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import PersonView, RosterView


class Rule:
    key: ClassVar[str]
    hard: ClassVar[bool]

    def title(self, inst: RosterInstance) -> str:
        raise NotImplementedError

    def add(self, ctx: RosterModel) -> list[Term]:
        """Add the rule's constraints; return its objective terms (empty for a hard rule).
        A rule the model keeps by construction (candidate shifts, activity structure) adds
        nothing and says so in its docstring."""
        return []

    def check(self, roster: RosterView) -> Verdict:
        raise NotImplementedError

    def verdict(self, roster: RosterView) -> Verdict:
        return Verdict(self, roster)


class Verdict:
    """What a check found: the rule's breaks, in a manager's words, and its penalty points
    (None when the rule scores nothing, as a hard rule)."""

    def __init__(self, rule: Rule, roster: RosterView) -> None:
        self.rule = rule
        self.roster = roster
        self.breaks: list[RuleBreak] = []
        self.points: float | None = None

    def add_points(self, value: float) -> None:
        self.points = (self.points or 0.0) + value

    def brk(
        self,
        message: str,
        *,
        who: PersonView | None = None,
        day: int | None = None,
        amount: float = 0,
        unit: str = "",
        penalty: float = 0,
        start: int | None = None,
        hard: bool | None = None,
    ) -> None:
        """Record a break; `hard` overrides the rule's for one break (a cover marked soft)."""
        r = self.roster
        self.breaks.append(
            RuleBreak(
                rule=self.rule.key,
                title=self.rule.title(r.inst),
                hard=self.rule.hard if hard is None else hard,
                staff_id=who.id if who else None,
                day=r.day(day) if day is not None else None,
                start=r.week.at(start) if start is not None else None,
                amount=amount,
                unit=unit,
                penalty=penalty,
                message=message,
            )
        )
