"""Keep the published roster where possible: after the pin moment, each day whose shift differs
from the published one (moved, added or removed) costs points."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.domain import WEEKDAY_NAMES
from scheduling.roster.rules.base import SCALE, Term
from scheduling.roster.rules.rule import Rule, Verdict

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView


class Stability(Rule):
    key = "stability"
    hard = False

    def title(self, inst: RosterInstance) -> str:
        return "Keep the published roster where possible"

    def add(self, ctx: RosterModel) -> list[Term]:
        week = ctx.week
        if not ctx.inst.published:
            return []
        pin = week.pin_minute if week.pin_minute is not None else -1
        w = ctx.inst.weights.changed_shift * SCALE
        terms = []
        for p in ctx.people:
            if p.hire is not None:
                continue
            published = {s.day: s for s in week.published.get(p.id, [])}
            for d in range(7):
                free = [(s, v) for s, v in ctx.shifts(p, d) if s.start >= pin]
                old = published.get(d)
                if old is not None and old.start >= pin:
                    same = next((v for s, v in free if s == old), None)
                    terms.append(Term(self.key, w, 1 - same if same is not None else 1))
                elif old is None:
                    terms.extend(Term(self.key, w, v) for _, v in free)
        return terms

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        if not roster.inst.published:
            return v
        week = roster.week
        pin = week.pin_minute if week.pin_minute is not None else -1
        w = roster.inst.weights.changed_shift
        for who, _e in roster.staff():
            old = {s.day: s for s in week.published.get(who.id, [])}
            new = {s.day: s for s in who.shifts}
            for d in range(7):
                o, n = old.get(d), new.get(d)
                if o is not None and o.start < pin:
                    continue
                if n is not None and n.start < pin:
                    continue
                if o is None and n is None:
                    continue
                if o is not None and n is not None and (o.start, o.end) == (n.start, n.end):
                    continue
                v.add_points(w)
                what = "added" if o is None else "removed" if n is None else "moved"
                v.brk(
                    f"{who.name}'s {WEEKDAY_NAMES[d]} shift {what} vs the published roster",
                    who=who,
                    day=d,
                    amount=1,
                    unit="shifts",
                    penalty=w,
                )
        return v
