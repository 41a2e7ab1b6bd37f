"""Supervisor and specialist cover: a supervisor on shift every open day (a shift overlapping
the day's window), a lawyer or digital-security specialist on shift throughout set windows.
A cover marked soft costs points per hour short instead."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.roster.rules.base import Term, lsum
from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.week import DAY

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from scheduling.roster.model import RosterModel
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.schema import SkillCover as CoverSpec
    from scheduling.roster.view import RosterView


class SkillCover(Rule):
    key = "skill_cover"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        return "Supervisor and specialist cover"

    def add(self, ctx: RosterModel) -> list[Term]:
        week = ctx.week
        terms = []
        for n, cover in enumerate(ctx.inst.skill_covers):
            start, end = week.minute(cover.start), week.minute(cover.end)
            day = max(0, start) // DAY
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

    def _at_least(
        self,
        ctx: RosterModel,
        cover: CoverSpec,
        counts: list[cp_model.LinearExpr],
        day: int,
        minutes_each: int,
    ) -> list[Term]:
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

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        w = roster.inst.weights.skill_short_per_hour
        step = roster.step
        for cover in roster.inst.skill_covers:
            start, end = roster.week.minute(cover.start), roster.week.minute(cover.end)
            day = max(0, start) // DAY
            label = (
                f"{cover.skill.value.replace('_', ' ')} on shift "
                f"{roster.fmt(start)}-{roster.fmt(end)[-5:]}"
            )
            skilled = [who for who in roster.people if cover.skill in who.skills]
            if cover.mode == "some_time":
                n = sum(
                    1 for who in skilled if any(s.start < end and start < s.end for s in who.shifts)
                )
                short = [(start, max(0, cover.count - n), end - start)]
            else:
                short = []
                for t in roster.week.intervals_of(start, end):
                    n = sum(1 for who, _a in roster.on_at(t) if cover.skill in who.skills)
                    short.append((t * step, max(0, cover.count - n), step))
            missing = [(m, k, mins) for m, k, mins in short if k > 0]
            if not missing:
                continue
            penalty = 0.0 if cover.hard else sum(w * k * mins / 60 for _m, k, mins in missing)
            v.add_points(penalty)
            v.brk(
                f"No {label} (missing from {roster.fmt(missing[0][0])}"
                f"{', ' + cover.reason if cover.reason else ''})",
                day=day,
                amount=sum(mins for _m, _k, mins in missing),
                unit="minutes",
                penalty=penalty,
                hard=cover.hard,
            )
        return v
