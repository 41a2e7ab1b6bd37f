"""Wishes for days and shifts: a wanted day (or window) without a shift, or an avoided one
with a shift overlapping it, costs the wish's weight."""

from __future__ import annotations

from scheduling.roster.model import SCALE, Term, lsum
from scheduling.roster.rules.base import Rule


class Preferences(Rule):
    key = "preferences"
    hard = False

    def add(self, ctx):
        scale = ctx.inst.weights.preference_scale * SCALE
        terms = []
        for p in ctx.people:
            for pref in p.preferences:
                d = pref.weekday
                lo, hi = d * 1440 + pref.start_minute, d * 1440 + pref.end_minute
                match = lsum(v for s, v in ctx.shifts(p, d) if s.overlaps(lo, hi))
                w = pref.weight * scale
                terms.append(Term(self.key, w, match if pref.kind == "avoid" else 1 - match))
        return terms
