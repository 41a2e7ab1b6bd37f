"""At least 2 days off in the week (days on leave count as days off)."""

from __future__ import annotations

from scheduling.roster.model import lsum
from scheduling.roster.rules.base import Rule


class DaysOff(Rule):
    key = "days_off"
    hard = True

    def add(self, ctx):
        most = 7 - ctx.inst.rules.min_days_off_week
        for p in ctx.people:
            days = ctx.days_with_shifts(p)
            if len(days) > most:
                expr = lsum(ctx.work[p.index, d] for d in days)
                ctx.enforce(ctx.m.add(expr <= most), self.key, p, None)
        return []
