"""At most 5 working days in a row, counting the days worked at the end of last week."""

from __future__ import annotations

from scheduling.roster.model import lsum
from scheduling.roster.rules.base import Rule


class ConsecutiveDays(Rule):
    key = "consecutive_days"
    hard = True

    def add(self, ctx):
        limit = ctx.inst.rules.max_consecutive_days
        if limit >= 7:
            return []
        for p in ctx.people:
            before = min(p.days_before, limit)
            # windows of limit+1 days; days before the week count as worked
            for first in range(-before, 7 - limit):
                days = range(max(first, 0), first + limit + 1)
                carried = max(0, -first)
                expr = lsum(ctx.work[p.index, d] for d in days)
                ctx.enforce(ctx.m.add(expr <= limit - carried), self.key, p, None)
        return []
