"""Line time in blocks, not switched back and forth: within a shift, each change between on the
line and off it costs points. Changes at the shift's start and end, at a meal break's edges and
where the line opens or closes are free, so a line-meal-line shift costs nothing.

The full model leaves this rule out of its first solve (it cost the demo week its optimality
proof) and minimises it in a second, lexicographic stage (solve.py); the placement stage of
the decomposed solve, where the shifts are fixed, has it from the start."""

from __future__ import annotations

from scheduling.roster.model import SCALE, Term, lsum
from scheduling.roster.rules.base import Rule
from scheduling.roster.schema import Activity


class LineBlocks(Rule):
    key = "line_blocks"
    hard = False

    def add(self, ctx):
        w = ctx.inst.weights.line_switch * SCALE
        if not ctx.detailed or not w:
            return []
        per_day: dict[tuple[int, int], list] = {}
        for (pi, d, t), here in ctx.line.items():
            nxt = ctx.line.get((pi, d, t + 1))
            if nxt is None:
                continue  # the next interval is outside every candidate shift, or closed
            on_a, on_b = ctx.on[pi, d, t], ctx.on[pi, d, t + 1]
            meal_a = ctx.meal.get((pi, d, t), 0)
            meal_b = ctx.meal.get((pi, d, t + 1), 0)
            sw = ctx.m.new_bool_var(f"switch_{pi}_{t}")
            # off -> on: free if t is before the shift starts or a meal; on -> off: likewise
            lows = (nxt - here - meal_a - (1 - on_a), here - nxt - meal_b - (1 - on_b))
            for low in lows:
                ctx.m.add(sw >= low)
            ctx.switches.append((sw, lows))
            per_day.setdefault((pi, d), []).append(sw)
        terms = []
        for (pi, d), sws in per_day.items():
            # one objective term per person and day: the solver reasons about fewer, larger terms
            total = ctx.m.new_int_var(0, len(sws), f"switches_{pi}_{d}")
            ctx.m.add(total == lsum(sws))
            ctx.switch_totals.append((total, sws))
            terms.append(Term(self.key, w, total))
        return terms


def switch_points(week, shifts, acts: dict[tuple[int, int], Activity]) -> float:
    """The rule's points for a roster (counted as the validator does), for a roster from a
    model without the rule."""
    n = 0
    for pi, mine in shifts.items():
        for s in mine:
            for t in range(s.start // week.step, s.end // week.step - 1):
                if t not in week.required or t + 1 not in week.required:
                    continue
                a, b = acts.get((pi, t)), acts.get((pi, t + 1))
                if Activity.MEAL in (a, b):
                    continue
                n += (a == Activity.LINE) != (b == Activity.LINE)
    return week.inst.weights.line_switch * n
