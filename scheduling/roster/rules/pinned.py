"""Published shifts before the pin moment stay as published, activities included."""

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


class Pinned(Rule):
    key = "pinned"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        return "Published shifts before the pin moment stay as published"

    def add(self, ctx: RosterModel) -> list[Term]:
        week = ctx.week
        if week.pin_minute is None:
            return []
        by_id = {p.id: p for p in ctx.people}
        for shift in ctx.inst.published:
            p = by_id.get(shift.staff_id)
            start = week.minute(shift.start)
            if p is None or start >= week.pin_minute:
                continue
            day = start // DAY
            var = next((v for s, v in ctx.shifts(p, day) if s.start == start), None)
            if var is None:
                continue
            ctx.enforce(ctx.m.add(var == 1), self.key, p, day)
            if not ctx.detailed:
                continue
            for seg in shift.activities:
                for t in week.intervals_of(week.minute(seg.start), week.minute(seg.end)):
                    key = (p.index, day, t)
                    sources: tuple[tuple[dict, Activity], ...] = (
                        (ctx.line, Activity.LINE),
                        (ctx.meal, Activity.MEAL),
                        (ctx.dec, Activity.DECOMPRESSION),
                        (ctx.deb, Activity.DEBRIEF),
                    )
                    for source, activity in sources:
                        if key in source:
                            want = int(seg.activity == activity)
                            ctx.enforce(ctx.m.add(source[key] == want), self.key, p, day)
        return []

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        week = roster.week
        if week.pin_minute is None:
            return v
        by_id = {who.id: who for who in roster.people}
        for ps in roster.inst.published:
            start = week.minute(ps.start)
            if start >= week.pin_minute:
                continue
            who = by_id.get(ps.staff_id)
            end = week.minute(ps.end)
            match = (
                next((s for s in who.shifts if s.start == start and s.end == end), None)
                if who
                else None
            )
            name = who.name if who else ps.staff_id
            if match is None:
                v.brk(
                    f"{name}'s published shift at {roster.fmt(start)} was changed",
                    who=who,
                    day=start // DAY,
                )
                continue
            for seg in ps.activities:
                a, b = week.minute(seg.start), week.minute(seg.end)
                if any(
                    match.acts.get(t) != seg.activity
                    for t in range(a // roster.step, b // roster.step)
                ):
                    v.brk(
                        f"{name}'s published {seg.activity.value} at {roster.fmt(a)} was changed",
                        who=who,
                        day=start // DAY,
                    )
                    break
        return v
