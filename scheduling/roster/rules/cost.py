"""Paid hours kept to what is needed (points per rostered hour) and the cost of each hire."""

from __future__ import annotations

from scheduling.roster.model import SCALE, Term, lsum
from scheduling.roster.rules.base import Rule


class RosteredHours(Rule):
    key = "rostered_hours"
    hard = False

    def add(self, ctx):
        w = ctx.inst.weights.rostered_hour
        if not w:
            return []
        return [
            Term(self.key, w, lsum(s.length * v for p in ctx.people for s, v in ctx.all_shifts(p)))
        ]


class HireCost(Rule):
    key = "hire_cost"
    hard = False

    def add(self, ctx):
        return [
            Term(self.key, p.hire.cost * SCALE, ctx.hired(p))
            for p in ctx.people
            if p.hire is not None and ctx.days_with_shifts(p)
        ]
