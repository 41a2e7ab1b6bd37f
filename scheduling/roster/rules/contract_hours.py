"""Contract hours within the agreed minimum and maximum (shift time, meal included; the minimum
shrinks pro rata with leave days). A hire's contract applies only if the hire is made."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.roster.rules.base import lsum
from scheduling.roster.rules.rule import Rule, Verdict

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.rules.base import Term
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView


class ContractHours(Rule):
    key = "contract_hours"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        return "Contract hours within the agreed minimum and maximum"

    def add(self, ctx: RosterModel) -> list[Term]:
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

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        for who in roster.people:
            total = sum(s.length for s in who.shifts)
            if who.entry is not None:
                mem = who.entry.member
                leave = sum(1 for d in range(7) if mem.on_leave(roster.day(d)))
                lo, hi = mem.contract_minutes_min * (7 - leave) // 7, mem.contract_minutes_max
            elif who.hire is not None and who.shifts:
                lo, hi = who.hire.contract_minutes_min, who.hire.contract_minutes_max
            else:
                continue
            if total < lo:
                v.brk(
                    f"{who.name} has {total / 60:g} h, below the contract minimum of {lo / 60:g} h",
                    who=who,
                    amount=lo - total,
                    unit="minutes",
                )
            if total > hi:
                v.brk(
                    f"{who.name} has {total / 60:g} h, above the contract maximum of {hi / 60:g} h",
                    who=who,
                    amount=total - hi,
                    unit="minutes",
                )
        return v
