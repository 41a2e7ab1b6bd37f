"""People off the queue now (decompressing after a difficult call) are not put on the line
until they are back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.schema import Activity
from scheduling.roster.week import DAY

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.rules.base import Term
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView


class OffQueue(Rule):
    key = "off_queue"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        return "Nobody on the line while off the queue after a difficult call"

    def add(self, ctx: RosterModel) -> list[Term]:
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

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        by_id = {who.id: who for who in roster.people}
        for window in roster.inst.off_line:
            who = by_id.get(window.staff_id)
            if who is None:
                continue
            a, b = roster.week.minute(window.start), roster.week.minute(window.end)
            ts = set(roster.week.intervals_of(a, b))
            if any(s.acts.get(t) == Activity.LINE for s in who.shifts for t in ts):
                v.brk(
                    f"{who.name} is on the line at {roster.fmt(a)} while off the queue",
                    who=who,
                    day=max(a, 0) // DAY,
                )
        return v
