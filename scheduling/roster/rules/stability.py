"""Keep the published roster where possible: after the pin moment, each day whose shift differs
from the published one (moved, added or removed) costs points."""

from __future__ import annotations

from scheduling.roster.model import SCALE, Term
from scheduling.roster.rules.base import Rule


class Stability(Rule):
    key = "stability"
    hard = False

    def add(self, ctx):
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
