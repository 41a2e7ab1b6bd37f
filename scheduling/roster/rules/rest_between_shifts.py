"""At least 11 hours between two shifts (also after the person's last shift of last week)."""

from __future__ import annotations

from scheduling.roster.model import lsum
from scheduling.roster.rules.base import Rule


class RestBetweenShifts(Rule):
    key = "rest_between_shifts"
    hard = True

    def add(self, ctx):
        rest = ctx.inst.rules.min_rest_minutes
        for p in ctx.people:
            days = ctx.days_with_shifts(p)
            for d1 in days:
                first = ctx.shifts(p, d1)
                for d2 in days:
                    if d2 <= d1:
                        continue
                    second = ctx.shifts(p, d2)
                    latest_end = max(s.end for s, _ in first)
                    earliest_start = min(s.start for s, _ in second)
                    if earliest_start - latest_end >= rest:
                        continue
                    end1 = lsum(s.end * v for s, v in first)
                    start2 = lsum(s.start * v for s, v in second)
                    ct = ctx.m.add(start2 - end1 >= rest)
                    ct.only_enforce_if([ctx.work[p.index, d1], ctx.work[p.index, d2]])
                    ctx.enforce(ct, self.key, p, d2)
            if p.previous_end is not None:
                for s, v in ctx.all_shifts(p):
                    if s.start < p.previous_end + rest:
                        ctx.enforce(ctx.m.add(v == 0), self.key, p, s.day)
        return []
