"""An off-line day for someone under a heavy load: wellbeing asks for a working day with no
line time, so the person rotates to case follow-up, training or admin (soft)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.roster.rules.base import SCALE, Term, lsum
from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.schema import Activity

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView


class OfflineDay(Rule):
    key = "offline_day"
    hard = False

    def title(self, inst: RosterInstance) -> str:
        return "An off-line day for someone wellbeing asks one for"

    def add(self, ctx: RosterModel) -> list[Term]:
        if not ctx.detailed:
            return []
        wanted = {e.id for e in ctx.inst.staff if e.offline_day_wanted}
        if not wanted:
            return []
        line_by_day: dict[tuple[int, int], list] = {}
        for (pi, d, _t), var in ctx.line.items():
            line_by_day.setdefault((pi, d), []).append(var)
        weight = ctx.inst.weights.offline_day_missing * SCALE
        terms = []
        for p in ctx.people:
            if p.id not in wanted:
                continue
            days = []
            for d in ctx.days_with_shifts(p):
                o = ctx.m.new_bool_var(f"offline_day_{p.index}_{d}")
                ctx.m.add(o <= ctx.work[p.index, d])
                for v in line_by_day.get((p.index, d), []):
                    ctx.m.add(v + o <= 1)
                days.append(o)
            if not days:
                terms.append(Term(self.key, weight, 1))
                continue
            got = ctx.m.new_bool_var(f"offline_day_got_{p.index}")
            ctx.m.add(got <= lsum(days))
            terms.append(Term(self.key, weight, 1 - got))
        return terms

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        w = roster.inst.weights.offline_day_missing
        for who, entry in roster.staff():
            if not entry.offline_day_wanted:
                continue
            if any(s.intervals(Activity.LINE) == 0 for s in who.shifts):
                continue
            v.add_points(w)
            v.brk(
                f"{who.name} has no working day off the line this week (asked for wellbeing)",
                who=who,
                penalty=w,
            )
        return v
