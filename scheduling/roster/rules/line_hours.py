"""At most 6 hours a day on the line, and no more than the person's weekly line cap (30 h by
default; wellbeing may lower it for someone under a heavy load)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.domain import WEEKDAY_NAMES
from scheduling.roster.rules.base import hours, lsum
from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.schema import Activity

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.rules.base import Term
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import PersonView, RosterView
    from scheduling.roster.week import Person, Shift, Week


def line_capacity(week: Week, p: Person, shift: Shift) -> int:
    """The most line time a shift can give: its length less the meal break and decompression,
    at most the person's daily cap."""
    r = week.rules
    meal = r.meal_break_minutes if shift.length > r.meal_break_if_shift_over_minutes else 0
    pinned = shift in week.pinned(p)
    # a pinned shift keeps its published activities, whatever they are
    free = shift.length if pinned else shift.length - meal - p.decompression
    return max(0, min(p.line_cap_day, free))


def _caps(roster: RosterView, who: PersonView) -> tuple[int, int]:
    day_cap = roster.inst.rules.line_max_minutes_day
    e = who.entry
    if e is None:
        assert who.hire is not None
        return day_cap, who.hire.line_cap_minutes_week
    week_cap = e.member.line_cap_minutes_week
    if e.line_cap_minutes_week is not None:
        week_cap = min(week_cap, e.line_cap_minutes_week)
    if e.line_cap_minutes_day is not None:
        day_cap = min(day_cap, e.line_cap_minutes_day)
    return day_cap, week_cap


class LineHours(Rule):
    key = "line_hours"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        return (
            f"At most {hours(inst.rules.line_max_minutes_day)} hours a day on the line, "
            "and no more than the weekly line cap"
        )

    def add(self, ctx: RosterModel) -> list[Term]:
        if not ctx.detailed:
            return []
        step = ctx.step
        by_person: dict[int, dict[int, list]] = {}
        for (pi, d, _t), var in ctx.line.items():
            by_person.setdefault(pi, {}).setdefault(d, []).append(var)
        for p in ctx.people:
            days = by_person.get(p.index, {})
            for d, vs in days.items():
                # Written per chosen shift (a shift's line time is at most its length less the
                # meal break, and at most the daily cap): the same rule, a much tighter LP.
                capacity = lsum(line_capacity(ctx.week, p, s) * v for s, v in ctx.shifts(p, d))
                ctx.enforce(ctx.m.add(lsum(vs) * step <= capacity), self.key, p, d)
            week = [v for vs in days.values() for v in vs]
            if len(week) * step > p.line_cap_week:
                ctx.enforce(ctx.m.add(lsum(week) * step <= p.line_cap_week), self.key, p, None)
        return []

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        for who in roster.people:
            if who.hire is None and who.entry is None:
                continue
            day_cap, week_cap = _caps(roster, who)
            total = 0
            for s in who.shifts:
                line = s.intervals(Activity.LINE) * roster.step
                total += line
                if line > day_cap:
                    v.brk(
                        f"{who.name} is on the line {line / 60:g} h on {WEEKDAY_NAMES[s.day]}",
                        who=who,
                        day=s.day,
                        amount=line - day_cap,
                        unit="minutes",
                    )
            if total > week_cap:
                v.brk(
                    f"{who.name} is on the line {total / 60:g} h this week, "
                    f"cap {week_cap / 60:g} h",
                    who=who,
                    amount=total - week_cap,
                    unit="minutes",
                )
        return v
