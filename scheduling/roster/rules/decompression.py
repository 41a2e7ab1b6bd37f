"""Planned decompression time in every shift, for people wellbeing asks it for (minutes per
shift, off the line, placed where coverage suffers least)."""

from __future__ import annotations

from scheduling.roster.model import lsum
from scheduling.roster.rules.base import Rule


class Decompression(Rule):
    key = "decompression"
    hard = True

    def add(self, ctx):
        if not ctx.detailed:
            return []
        for p in ctx.people:
            if p.decompression <= 0:
                continue
            need = -(-p.decompression // ctx.step)
            for d in ctx.days_with_shifts(p):
                vs = []
                for t in ctx.slots(p, d):
                    v = ctx.m.new_bool_var(f"dec_{p.index}_{t}")
                    ctx.dec[p.index, d, t] = v
                    ctx.add_busy((p.index, d, t), v)
                    vs.append(v)
                ct = ctx.m.add(lsum(vs) == need * ctx.work[p.index, d])
                ctx.enforce(ct, self.key, p, d)
        return []
