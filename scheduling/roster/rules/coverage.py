"""Enough counsellors on the line (requirement per interval) and never fewer than the minimum
on duty while open (on shift and not at a meal). Both soft with very high weights, so a
short-staffed week still gets a roster and a list of shortfalls."""

from __future__ import annotations

from scheduling.roster.model import Term, lsum
from scheduling.roster.rules.base import Rule


def estimated_line_minutes(ctx, shift) -> int:
    """What one filled shift gives the line, for the assignment stage (no activities there)."""
    r = ctx.inst.rules
    meal = r.meal_break_minutes if shift.length > r.meal_break_if_shift_over_minutes else 0
    return min(shift.length - meal, r.line_max_minutes_day)


class Coverage(Rule):
    key = "coverage"
    hard = False

    def add(self, ctx):
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

    def _by_counts(self, ctx, w):
        if not ctx.counts:
            return []
        filled: dict = {}
        for p in ctx.people:
            for s, v in ctx.all_shifts(p):
                filled.setdefault(s, []).append(v)
        terms = []
        for s, n in ctx.counts.items():
            if n <= 0:
                continue
            gap = ctx.m.new_int_var(0, n, f"unfilled_{s.start}_{s.end}")
            ctx.m.add(lsum(filled.get(s, [])) + gap >= n)
            terms.append(Term(self.key, w * estimated_line_minutes(ctx, s), gap))
        return terms


class MinOnDuty(Rule):
    key = "min_on_duty"
    hard = False

    def add(self, ctx):
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
