"""Fair spread of the unpopular work: weekend days, late shifts and peak hours on the line.
Each rule costs points per unit carried by the busiest person, so the solver spreads the load.
Proposed hires are left out: they are not people yet."""

from __future__ import annotations

from scheduling.roster.model import SCALE, Term, lsum
from scheduling.roster.rules.base import Rule


def _busiest(ctx, name: str, loads: list, upper: int) -> object | None:
    loads = [x for x in loads if not isinstance(x, int)]
    if not loads:
        return None
    top = ctx.m.new_int_var(0, upper, name)
    for load in loads:
        ctx.m.add(top >= load)
    return top


class FairWeekends(Rule):
    key = "fair_weekends"
    hard = False

    def add(self, ctx):
        loads = [
            lsum(ctx.work[p.index, d] for d in (5, 6) if ctx.x[p.index, d])
            for p in ctx.people
            if p.hire is None and (ctx.x[p.index, 5] or ctx.x[p.index, 6])
        ]
        top = _busiest(ctx, "weekend_max", loads, 2)
        w = ctx.inst.weights.weekend_days_max * SCALE
        return [Term(self.key, w, top)] if top is not None else []


class FairLateShifts(Rule):
    key = "fair_late_shifts"
    hard = False

    def add(self, ctx):
        loads = []
        for p in ctx.people:
            late = [v for s, v in ctx.all_shifts(p) if ctx.week.is_late(s)]
            if p.hire is None and late:
                loads.append(lsum(late))
        top = _busiest(ctx, "late_max", loads, 7)
        w = ctx.inst.weights.late_shifts_max * SCALE
        return [Term(self.key, w, top)] if top is not None else []


class FairPeaks(Rule):
    key = "fair_peaks"
    hard = False

    def add(self, ctx):
        if not ctx.detailed or not ctx.week.peak:
            return []
        per: dict[int, list] = {}
        for (pi, _d, t), v in ctx.line.items():
            if t in ctx.week.peak and ctx.people[pi].hire is None:
                per.setdefault(pi, []).append(v)
        top = _busiest(ctx, "peak_max", [lsum(vs) for vs in per.values()], len(ctx.week.peak))
        w = ctx.inst.weights.peak_hours_max * ctx.step
        return [Term(self.key, w, top)] if top is not None else []
