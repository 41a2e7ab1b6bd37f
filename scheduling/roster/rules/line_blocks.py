"""Line time in blocks, not switched back and forth: within a shift, each change between on the
line and off it costs points. Changes at the shift's start and end, at a meal break's edges and
where the line opens or closes are free, so a line-meal-line shift costs nothing.

The full model leaves this rule out of its first solve (it cost the demo week its optimality
proof) and minimises it in a second, lexicographic stage (full.py); the placement stage of
the decomposed solve, where the shifts are fixed, has it from the start."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from scheduling.roster.rules.base import SCALE, Term, lsum
from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.schema import Activity

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView
    from scheduling.roster.week import Shift, Week

FINE_PER_SHIFT = 2  # one offline stretch inside a line block is two switches, and fine


def switches_in(
    first: int, end: int, activity: Callable[[int], Activity | None], required: Mapping[int, int]
) -> int:
    """Changes on/off the line between intervals first..end-1 of one shift, leaving out a meal
    break's edges and intervals where the line is closed."""
    n = 0
    for t in range(first, end - 1):
        if t not in required or t + 1 not in required:
            continue
        a, b = activity(t), activity(t + 1)
        if Activity.MEAL in (a, b):
            continue
        n += (a == Activity.LINE) != (b == Activity.LINE)
    return n


class LineBlocks(Rule):
    key = "line_blocks"
    hard = False

    def title(self, inst: RosterInstance) -> str:
        return "Line time in blocks, not switched back and forth"

    def add(self, ctx: RosterModel) -> list[Term]:
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

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        w = roster.inst.weights.line_switch
        step = roster.step
        for who in roster.people:
            counts = [
                (s, switches_in(s.start // step, s.end // step, s.acts.get, roster.week.required))
                for s in who.shifts
            ]
            total = sum(n for _s, n in counts)
            if not total or not w:
                continue
            v.add_points(w * total)
            worst, most = max(counts, key=lambda x: x[1])
            if most > FINE_PER_SHIFT:
                v.brk(
                    f"{who.name} switches on and off the line {total} times this week "
                    f"({most} in the shift at {roster.fmt(worst.start)})",
                    who=who,
                    day=worst.day,
                    amount=total,
                    unit="switches",
                    penalty=w * total,
                )
        return v


def switch_points(
    week: Week, shifts: Mapping[int, list[Shift]], acts: Mapping[tuple[int, int], Activity]
) -> float:
    """The rule's points for a roster given as shifts and activities (a roster solved without
    the rule), counted as its check counts them."""
    n = 0
    for pi, mine in shifts.items():
        for s in mine:

            def activity(t: int, pi: int = pi) -> Activity | None:
                return acts.get((pi, t))

            n += switches_in(s.start // week.step, s.end // week.step, activity, week.required)
    return week.inst.weights.line_switch * n
