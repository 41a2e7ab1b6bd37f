"""Language speakers on the line: at least `count` speakers on the line in every open interval
of the window (soft by default, per hour short)."""

from __future__ import annotations

from scheduling.roster.model import Term, lsum
from scheduling.roster.rules.base import Rule


class LanguageCover(Rule):
    key = "language_cover"
    hard = False

    def add(self, ctx):
        if not ctx.detailed:
            return []
        week = ctx.week
        terms = []
        for cover in ctx.inst.language_covers:
            speakers = {p.index for p in ctx.people if cover.language in p.languages}
            lines: dict[int, list] = {}
            for (pi, _d, t), v in ctx.line.items():
                if pi in speakers:
                    lines.setdefault(t, []).append(v)
            start, end = week.minute(cover.start), week.minute(cover.end)
            for t in week.intervals_of(start, end):
                if t not in week.required:
                    continue
                expr = lsum(lines.get(t, []))
                if cover.hard:
                    ctx.enforce(
                        ctx.m.add(expr >= cover.count), self.key, None, t * week.step // 1440
                    )
                else:
                    short = ctx.m.new_int_var(0, cover.count, f"lang_short_{t}")
                    ctx.m.add(expr + short >= cover.count)
                    w = ctx.inst.weights.language_short_per_hour * week.step
                    terms.append(Term(self.key, w, short))
        return terms
