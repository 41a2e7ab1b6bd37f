"""A 30-minute meal break in any shift over 5 hours, starting no earlier than 2 hours into the
shift and ending by its 5th hour. Where it goes is left to the solver, so breaks end up
staggered where coverage suffers least."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.roster.rules.base import hours, lsum
from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.schema import Activity

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.rules.base import Term
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView


class MealBreak(Rule):
    key = "meal_break"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        r = inst.rules
        return (
            f"A {r.meal_break_minutes}-minute meal break in any shift over "
            f"{hours(r.meal_break_if_shift_over_minutes)} hours, between hour "
            f"{hours(r.meal_break_earliest_minutes)} and hour "
            f"{hours(r.meal_break_latest_end_minutes)}"
        )

    def add(self, ctx: RosterModel) -> list[Term]:
        r = ctx.inst.rules
        step = ctx.step
        if not ctx.detailed or r.meal_break_minutes == 0:
            return []
        length = -(-r.meal_break_minutes // step)
        for p in ctx.people:
            for d in ctx.days_with_shifts(p):
                long = [
                    (s, v)
                    for s, v in ctx.shifts(p, d)
                    if s.length > r.meal_break_if_shift_over_minutes
                ]
                if not long:
                    continue
                allowed: dict[int, list] = {}  # meal start interval -> shifts allowing it
                for s, v in long:
                    first = -(-(s.start + r.meal_break_earliest_minutes) // step)
                    last = (s.start + r.meal_break_latest_end_minutes) // step - length
                    for t in range(first, last + 1):
                        allowed.setdefault(t, []).append(v)
                starts = {}
                for t, vs in allowed.items():
                    ms = ctx.m.new_bool_var(f"meal_{p.index}_{t}")
                    ctx.m.add(ms <= lsum(vs))
                    starts[t] = ms
                ct = ctx.m.add(lsum(starts.values()) == lsum(v for _, v in long))
                ctx.enforce(ct, self.key, p, d)
                covered: dict[int, list] = {}
                for t, ms in starts.items():
                    for k in range(length):
                        covered.setdefault(t + k, []).append(ms)
                for t, vs in covered.items():
                    key = (p.index, d, t)
                    expr = vs[0] if len(vs) == 1 else lsum(vs)
                    ctx.meal[key] = expr
                    ctx.add_busy(key, expr)
        return []

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        r = roster.inst.rules
        step = roster.step
        if r.meal_break_minutes == 0:
            return v
        for who in roster.people:
            for s in who.shifts:
                if s.length <= r.meal_break_if_shift_over_minutes:
                    continue
                meal = sorted(t for t, a in s.acts.items() if a == Activity.MEAL)
                where = f"{who.name}'s shift at {roster.fmt(s.start)}"
                if len(meal) * step < r.meal_break_minutes:
                    v.brk(
                        f"{where} has no {r.meal_break_minutes}-minute meal break",
                        who=who,
                        day=s.day,
                        amount=r.meal_break_minutes - len(meal) * step,
                        unit="minutes",
                    )
                    continue
                first, last = meal[0] * step, (meal[-1] + 1) * step
                if last - first != len(meal) * step:
                    v.brk(f"{where} has its meal break in pieces", who=who, day=s.day)
                if first < s.start + r.meal_break_earliest_minutes or (
                    last > s.start + r.meal_break_latest_end_minutes
                ):
                    v.brk(
                        f"{where} has its meal break at {roster.fmt(first)}, outside the "
                        "allowed window",
                        who=who,
                        day=s.day,
                    )
        return v
