"""Language speakers on the line: at least `count` speakers on the line in every open interval
of the window (soft by default, per hour short)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.roster.rules.base import Term, lsum
from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.schema import Activity
from scheduling.roster.week import DAY

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView


class LanguageCover(Rule):
    key = "language_cover"
    hard = False

    def title(self, inst: RosterInstance) -> str:
        return "Language speakers on the line"

    def add(self, ctx: RosterModel) -> list[Term]:
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
                        ctx.m.add(expr >= cover.count), self.key, None, t * week.step // DAY
                    )
                else:
                    short = ctx.m.new_int_var(0, cover.count, f"lang_short_{t}")
                    ctx.m.add(expr + short >= cover.count)
                    w = ctx.inst.weights.language_short_per_hour * week.step
                    terms.append(Term(self.key, w, short))
        return terms

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        w = roster.inst.weights.language_short_per_hour
        step = roster.step
        week = roster.week
        for cover in roster.inst.language_covers:
            start, end = week.minute(cover.start), week.minute(cover.end)
            short = 0
            first: int | None = None
            for t in week.intervals_of(start, end):
                if t not in week.required:
                    continue
                n = sum(
                    1
                    for who, a in roster.on_at(t)
                    if a == Activity.LINE and cover.language in who.languages
                )
                if n < cover.count:
                    short += cover.count - n
                    first = first if first is not None else t
            if short and first is not None:
                penalty = 0.0 if cover.hard else w * short * step / 60
                v.add_points(penalty)
                v.brk(
                    f"{short * step / 60:g} h without a {cover.language} "
                    f"speaker on the line, from {roster.fmt(first * step)}",
                    day=first * step // DAY,
                    amount=short * step,
                    unit="minutes",
                    penalty=penalty,
                    hard=cover.hard,
                )
        return v
