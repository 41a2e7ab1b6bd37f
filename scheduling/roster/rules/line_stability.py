"""In a re-plan, keep what published shifts do: each interval after the pin moment where a kept
shift's line time differs from the published roster costs points (`changed_line_per_hour`,
0 outside re-plans), so the manager sees only the changes that help."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.roster.rules.base import Term
from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.schema import Activity
from scheduling.roster.week import DAY

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.schema import PlannedShift, RosterInstance
    from scheduling.roster.view import RosterView
    from scheduling.roster.week import Week


def published_line(week: Week, shift: PlannedShift) -> set[int]:
    return {
        t
        for seg in shift.activities
        if seg.activity == Activity.LINE
        for t in week.intervals_of(week.minute(seg.start), week.minute(seg.end))
    }


class LineStability(Rule):
    key = "line_stability"
    hard = False

    def title(self, inst: RosterInstance) -> str:
        return "Keep published line time in a re-plan"

    def add(self, ctx: RosterModel) -> list[Term]:
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
            day = start // DAY
            var = next((v for s, v in ctx.shifts(p, day) if (s.start, s.end) == (start, end)), None)
            if var is None:
                continue
            line = published_line(week, shift)
            for t in week.intervals_of(max(start, week.pin_minute), end):
                lv = ctx.line.get((p.index, day, t))
                if lv is None:
                    continue
                # kept and taken off the line, or put on the line where it was not
                terms.append(Term(self.key, w * ctx.step, var - lv if t in line else lv))
        return terms

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        w = roster.inst.weights.changed_line_per_hour
        week = roster.week
        pin = week.pin_minute
        if not w or not roster.inst.published or pin is None:
            return v
        by_id = {who.id: who for who in roster.people}
        for ps in roster.inst.published:
            who = by_id.get(ps.staff_id)
            start, end = week.minute(ps.start), week.minute(ps.end)
            if who is None or end <= pin:
                continue
            kept = next((s for s in who.shifts if (s.start, s.end) == (start, end)), None)
            if kept is None:
                continue
            line = published_line(week, ps)
            changed = sum(
                1
                for t in week.intervals_of(max(start, pin), end)
                if (t in line) != (kept.acts.get(t) == Activity.LINE)
            )
            if changed:
                penalty = w * changed * roster.step / 60
                v.add_points(penalty)
                v.brk(
                    f"{who.name}'s line time changed for {changed * roster.step} minutes of the "
                    f"shift at {roster.fmt(start)}",
                    who=who,
                    day=start // DAY,
                    amount=changed * roster.step / 60,
                    unit="hours",
                    penalty=penalty,
                )
        return v
