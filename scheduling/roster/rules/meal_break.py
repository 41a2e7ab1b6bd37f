"""A 30-minute meal break in any shift over 5 hours, starting no earlier than 2 hours into the
shift and ending by its 5th hour. Where it goes is left to the solver, so breaks end up
staggered where coverage suffers least."""

from __future__ import annotations

from scheduling.roster.model import lsum
from scheduling.roster.rules.base import Rule


class MealBreak(Rule):
    key = "meal_break"
    hard = True

    def add(self, ctx):
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
