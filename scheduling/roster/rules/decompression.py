"""Planned decompression time in every shift, for people wellbeing asks it for (minutes per
shift, off the line, placed where coverage suffers least)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.roster.rules.base import lsum
from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.schema import Activity

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.rules.base import Term
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView


class Decompression(Rule):
    key = "decompression"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        return "Planned decompression time in every shift"

    def add(self, ctx: RosterModel) -> list[Term]:
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

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        for who, entry in roster.staff():
            need = entry.decompression_minutes_per_shift
            for s in who.shifts:
                got = s.intervals(Activity.DECOMPRESSION) * roster.step
                if got < need:
                    v.brk(
                        f"{who.name}'s shift at {roster.fmt(s.start)} has {got} of "
                        f"{need} minutes of decompression",
                        who=who,
                        day=s.day,
                        amount=need - got,
                        unit="minutes",
                    )
        return v
