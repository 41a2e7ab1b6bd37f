"""Enough counsellors on the line (requirement per interval) and never fewer than the minimum
on duty while open (on shift and not at a meal). Both soft with very high weights, so a
short-staffed week still gets a roster and a list of shortfalls."""

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
    from scheduling.roster.week import Shift, Week


def estimated_line_minutes(week: Week, shift: Shift) -> int:
    """What one filled shift gives the line, for the assignment stage (no activities there)."""
    r = week.rules
    meal = r.meal_break_minutes if shift.length > r.meal_break_if_shift_over_minutes else 0
    return min(shift.length - meal, r.line_max_minutes_day)


class Coverage(Rule):
    key = "coverage"
    hard = False

    def title(self, inst: RosterInstance) -> str:
        return "Enough counsellors on the line"

    def add(self, ctx: RosterModel) -> list[Term]:
        w = ctx.inst.weights.shortfall_per_hour
        if not ctx.detailed:
            return self._by_counts(ctx, w)
        step = ctx.step
        on_line: dict[int, list] = {}
        for (_pi, _d, t), v in ctx.line.items():
            on_line.setdefault(t, []).append(v)
        terms = []
        for t, need in ctx.week.required.items():
            if need <= 0:
                continue
            short = ctx.m.new_int_var(0, need, f"short_{t}")
            ctx.m.add(lsum(on_line.get(t, [])) + short >= need)
            terms.append(Term(self.key, w * step, short))
        return terms

    def _by_counts(self, ctx: RosterModel, w: int) -> list[Term]:
        if not ctx.counts:
            return []
        filled: dict[Shift, list] = {}
        for p in ctx.people:
            for s, v in ctx.all_shifts(p):
                filled.setdefault(s, []).append(v)
        terms = []
        for s, n in ctx.counts.items():
            if n <= 0:
                continue
            gap = ctx.m.new_int_var(0, n, f"unfilled_{s.start}_{s.end}")
            ctx.m.add(lsum(filled.get(s, [])) + gap >= n)
            terms.append(Term(self.key, w * estimated_line_minutes(ctx.week, s), gap))
        return terms

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        w = roster.inst.weights.shortfall_per_hour
        step = roster.step
        for t, need in sorted(roster.week.required.items()):
            on_line = sum(1 for _who, a in roster.on_at(t) if a == Activity.LINE)
            short = max(0, need - on_line)
            if short:
                penalty = w * short * step / 60
                v.add_points(penalty)
                v.brk(
                    f"{roster.fmt(t * step)}: {short} counsellor(s) short on the line",
                    day=t * step // DAY,
                    start=t * step,
                    amount=short,
                    unit="counsellors",
                    penalty=penalty,
                )
        return v


class MinOnDuty(Rule):
    key = "min_on_duty"
    hard = False

    def title(self, inst: RosterInstance) -> str:
        return f"Never fewer than {inst.min_on_duty} on duty while open"

    def add(self, ctx: RosterModel) -> list[Term]:
        floor = ctx.inst.min_on_duty
        if floor <= 0 or not ctx.detailed:
            return []
        duty: dict[int, list] = {}
        meals: dict[int, list] = {}
        for (_pi, _d, t), expr in ctx.on.items():
            duty.setdefault(t, []).append(expr)
        for (_pi, _d, t), expr in ctx.meal.items():
            meals.setdefault(t, []).append(expr)
        w = ctx.inst.weights.below_min_on_duty_per_hour * ctx.step
        terms = []
        for t in ctx.week.required:
            below = ctx.m.new_int_var(0, floor, f"below_{t}")
            ctx.m.add(lsum(duty.get(t, [])) - lsum(meals.get(t, [])) + below >= floor)
            terms.append(Term(self.key, w, below))
        return terms

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        floor = roster.inst.min_on_duty
        w = roster.inst.weights.below_min_on_duty_per_hour
        step = roster.step
        for t in sorted(roster.week.required):
            duty = sum(1 for _who, a in roster.on_at(t) if a != Activity.MEAL)
            below = max(0, floor - duty)
            if below:
                penalty = w * below * step / 60
                v.add_points(penalty)
                v.brk(
                    f"{roster.fmt(t * step)}: only {duty} on duty",
                    day=t * step // DAY,
                    start=t * step,
                    amount=below,
                    unit="people",
                    penalty=penalty,
                )
        return v
