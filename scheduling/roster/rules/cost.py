"""Paid hours kept to what is needed (points per rostered hour) and the cost of each hire."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.roster.rules.base import SCALE, Term, lsum
from scheduling.roster.rules.rule import Rule, Verdict

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView


class RosteredHours(Rule):
    key = "rostered_hours"
    hard = False

    def title(self, inst: RosterInstance) -> str:
        return "Paid hours kept to what is needed"

    def add(self, ctx: RosterModel) -> list[Term]:
        w = ctx.inst.weights.rostered_hour
        if not w:
            return []
        return [
            Term(self.key, w, lsum(s.length * v for p in ctx.people for s, v in ctx.all_shifts(p)))
        ]

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        minutes = sum(s.length for who in roster.people for s in who.shifts)
        v.add_points(roster.inst.weights.rostered_hour * minutes / 60)
        return v


class HireCost(Rule):
    key = "hire_cost"
    hard = False

    def title(self, inst: RosterInstance) -> str:
        return "Cost of hiring"

    def add(self, ctx: RosterModel) -> list[Term]:
        return [
            Term(self.key, p.hire.cost * SCALE, ctx.hired(p))
            for p in ctx.people
            if p.hire is not None and ctx.days_with_shifts(p)
        ]

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        v.add_points(float(sum(w.hire.cost for w in roster.people if w.hire and w.shifts)))
        return v
