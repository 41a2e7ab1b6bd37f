"""Contract hours within the agreed minimum and maximum (shift time, meal included; the minimum
shrinks pro rata with leave days). A hire's contract applies only if the hire is made."""

from __future__ import annotations

from scheduling.roster.model import lsum
from scheduling.roster.rules.base import Rule


class ContractHours(Rule):
    key = "contract_hours"
    hard = True

    def add(self, ctx):
        for p in ctx.people:
            total = lsum(s.length * v for s, v in ctx.all_shifts(p))
            if p.hire is not None:
                used = ctx.hired(p)
                ctx.m.add(total >= p.contract_min * used)
                ctx.m.add(total <= p.contract_max * used)
                continue
            if p.contract_min > 0:
                ctx.enforce(ctx.m.add(total >= p.contract_min), self.key, p, None)
            ctx.enforce(ctx.m.add(total <= p.contract_max), self.key, p, None)
        return []
