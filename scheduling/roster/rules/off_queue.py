"""People off the queue now (decompressing after a difficult call) are not put on the line
until they are back."""

from __future__ import annotations

from scheduling.roster.rules.base import Rule


class OffQueue(Rule):
    key = "off_queue"
    hard = True

    def add(self, ctx):
        if not ctx.detailed or not ctx.inst.off_line:
            return []
        week = ctx.week
        by_id = {p.id: p for p in ctx.people}
        for window in ctx.inst.off_line:
            p = by_id.get(window.staff_id)
            if p is None:
                continue
            ts = set(week.intervals_of(week.minute(window.start), week.minute(window.end)))
            for (pi, d, t), var in ctx.line.items():
                if pi == p.index and t in ts:
                    ctx.enforce(ctx.m.add(var == 0), self.key, p, d)
        return []
