"""Supervisor and specialist cover: a supervisor on shift every open day (a shift overlapping
the day's window), a lawyer or digital-security specialist on shift throughout set windows.
A cover marked soft costs points per hour short instead."""

from __future__ import annotations

from scheduling.roster.model import Term, lsum
from scheduling.roster.rules.base import Rule


class SkillCover(Rule):
    key = "skill_cover"
    hard = True

    def add(self, ctx):
        week = ctx.week
        terms = []
        for n, cover in enumerate(ctx.inst.skill_covers):
            start, end = week.minute(cover.start), week.minute(cover.end)
            day = max(0, start) // 1440
            skilled = [p for p in ctx.people if cover.skill in p.skills]
            if cover.mode == "some_time":
                present = []
                for p in skilled:
                    vs = [v for s, v in ctx.all_shifts(p) if s.overlaps(start, end)]
                    if vs:
                        b = ctx.m.new_bool_var(f"cover_{n}_{p.index}")
                        ctx.m.add(b <= lsum(vs))
                        present.append(b)
                terms += self._at_least(ctx, cover, [lsum(present)], day, end - start)
            else:
                counts = []
                for t in week.intervals_of(start, end):
                    counts.append(lsum(v for p in skilled for v in ctx.on_shift_at(p, t)))
                terms += self._at_least(ctx, cover, counts, day, week.step)
        return terms

    def _at_least(self, ctx, cover, counts, day, minutes_each) -> list[Term]:
        terms = []
        for expr in counts:
            if cover.hard:
                ctx.enforce(ctx.m.add(expr >= cover.count), self.key, None, day)
            else:
                short = ctx.m.new_int_var(0, cover.count, "skill_short")
                ctx.m.add(expr + short >= cover.count)
                w = ctx.inst.weights.skill_short_per_hour * minutes_each
                terms.append(Term(self.key, w, short))
        return terms
