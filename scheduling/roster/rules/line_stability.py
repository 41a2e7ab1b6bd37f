"""In a re-plan, keep what published shifts do: each interval after the pin moment where a kept
shift's line time differs from the published roster costs points (`changed_line_per_hour`,
0 outside re-plans), so the manager sees only the changes that help."""

from __future__ import annotations

from scheduling.roster.model import Term
from scheduling.roster.rules.base import Rule
from scheduling.roster.schema import Activity


class LineStability(Rule):
    key = "line_stability"
    hard = False

    def add(self, ctx):
        week = ctx.week
        w = ctx.inst.weights.changed_line_per_hour
        if not ctx.detailed or not w or not ctx.inst.published or week.pin_minute is None:
            return []
        by_id = {p.id: p for p in ctx.people}
        terms = []
        for shift in ctx.inst.published:
            p = by_id.get(shift.staff_id)
            start, end = week.minute(shift.start), week.minute(shift.end)
            if p is None or end <= week.pin_minute:
                continue
            day = start // 1440
            var = next((v for s, v in ctx.shifts(p, day) if (s.start, s.end) == (start, end)), None)
            if var is None:
                continue
            line = {
                t
                for seg in shift.activities
                if seg.activity == Activity.LINE
                for t in week.intervals_of(week.minute(seg.start), week.minute(seg.end))
            }
            for t in week.intervals_of(max(start, week.pin_minute), end):
                lv = ctx.line.get((p.index, day, t))
                if lv is None:
                    continue
                # kept and taken off the line, or put on the line where it was not
                terms.append(Term(self.key, w * ctx.step, var - lv if t in line else lv))
        return terms
