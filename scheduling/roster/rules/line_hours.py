"""At most 6 hours a day on the line, and no more than the person's weekly line cap (30 h by
default; wellbeing may lower it for someone under a heavy load)."""

from __future__ import annotations

from scheduling.roster.model import lsum
from scheduling.roster.rules.base import Rule


def line_capacity(ctx, p, shift) -> int:
    r = ctx.inst.rules
    meal = r.meal_break_minutes if shift.length > r.meal_break_if_shift_over_minutes else 0
    pinned = shift in ctx.week.pinned(p)
    # a pinned shift keeps its published activities, whatever they are
    free = shift.length if pinned else shift.length - meal - p.decompression
    return max(0, min(p.line_cap_day, free))


class LineHours(Rule):
    key = "line_hours"
    hard = True

    def add(self, ctx):
        if not ctx.detailed:
            return []
        step = ctx.step
        by_person: dict[int, dict[int, list]] = {}
        for (pi, d, _t), var in ctx.line.items():
            by_person.setdefault(pi, {}).setdefault(d, []).append(var)
        for p in ctx.people:
            days = by_person.get(p.index, {})
            for d, vs in days.items():
                # Written per chosen shift (a shift's line time is at most its length less the
                # meal break, and at most the daily cap): the same rule, a much tighter LP.
                capacity = lsum(line_capacity(ctx, p, s) * v for s, v in ctx.shifts(p, d))
                ctx.enforce(ctx.m.add(lsum(vs) * step <= capacity), self.key, p, d)
            week = [v for vs in days.values() for v in vs]
            if len(week) * step > p.line_cap_week:
                ctx.enforce(ctx.m.add(lsum(week) * step <= p.line_cap_week), self.key, p, None)
        return []
