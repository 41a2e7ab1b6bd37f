"""Published shifts before the pin moment (and, in a re-plan of part of the week, those
starting after its window) stay as published, activities included."""

from __future__ import annotations

from scheduling.roster.rules.base import Rule
from scheduling.roster.schema import Activity


class Pinned(Rule):
    key = "pinned"
    hard = True

    def add(self, ctx):
        week = ctx.week
        if week.pin_minute is None and week.replan_until_minute is None:
            return []
        by_id = {p.id: p for p in ctx.people}
        for shift in ctx.inst.published:
            p = by_id.get(shift.staff_id)
            start = week.minute(shift.start)
            if p is None or not week.is_pinned_start(start):
                continue
            day = start // 1440
            var = next((v for s, v in ctx.shifts(p, day) if s.start == start), None)
            if var is None:
                continue
            ctx.enforce(ctx.m.add(var == 1), self.key, p, day)
            if not ctx.detailed:
                continue
            for seg in shift.activities:
                for t in week.intervals_of(week.minute(seg.start), week.minute(seg.end)):
                    if not week.activity_pinned(start, t):
                        continue
                    key = (p.index, day, t)
                    for source, activity in (
                        (ctx.line, Activity.LINE),
                        (ctx.meal, Activity.MEAL),
                        (ctx.dec, Activity.DECOMPRESSION),
                        (ctx.deb, Activity.DEBRIEF),
                    ):
                        if key in source:
                            want = int(seg.activity == activity)
                            ctx.enforce(ctx.m.add(source[key] == want), self.key, p, day)
        return []
