"""Fair spread of the unpopular work: weekend days, late shifts and peak hours on the line.
Each rule costs points per unit carried by the busiest person, so the solver spreads the load.
Proposed hires are left out: they are not people yet. A check names the spread when the
busiest person carries at least two more than the least busy one who could have."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from scheduling.domain import Skill
from scheduling.roster.rules.base import SCALE, Term, lsum
from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.schema import Activity
from scheduling.roster.week import DAY

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from scheduling.roster.model import RosterModel
    from scheduling.roster.schema import RosterInstance, StaffEntry
    from scheduling.roster.view import PersonView, RosterView


def _busiest(
    ctx: RosterModel, name: str, loads: Sequence[cp_model.LinearExprT], upper: int
) -> cp_model.IntVar | None:
    exprs = [x for x in loads if not isinstance(x, int)]
    if not exprs:
        return None
    top = ctx.m.new_int_var(0, upper, name)
    for load in exprs:
        ctx.m.add(top >= load)
    return top


def _spread(
    v: Verdict,
    loads: dict[str, tuple[PersonView, float]],
    weight: float,
    unit: str,
    what: str,
) -> Verdict:
    if not loads:
        return v
    top_who, top = max(loads.values(), key=lambda x: x[1])
    low = min(n for _w, n in loads.values())
    v.add_points(weight * top)
    if top - low >= 2:
        v.brk(
            f"{top_who.name} has {top:g} {what}; someone else has {low:g}",
            who=top_who,
            amount=top - low,
            unit=unit,
            penalty=weight * top,
        )
    return v


def _could_work(entry: StaffEntry, weekdays: set[int], after_minute: int = 0) -> bool:
    mem = entry.member
    if not mem.availability:
        return True
    return any(w.weekday in weekdays and w.end_minute > after_minute for w in mem.availability)


class FairWeekends(Rule):
    key = "fair_weekends"
    hard = False

    def title(self, inst: RosterInstance) -> str:
        return "Weekend work spread fairly"

    def add(self, ctx: RosterModel) -> list[Term]:
        loads = [
            lsum(ctx.work[p.index, d] for d in (5, 6) if ctx.x[p.index, d])
            for p in ctx.people
            if p.hire is None and (ctx.x[p.index, 5] or ctx.x[p.index, 6])
        ]
        top = _busiest(ctx, "weekend_max", loads, 2)
        w = ctx.inst.weights.weekend_days_max * SCALE
        return [Term(self.key, w, top)] if top is not None else []

    def check(self, roster: RosterView) -> Verdict:
        loads: dict[str, tuple[PersonView, float]] = {
            w.id: (w, len(w.work_days & {5, 6}))
            for w, e in roster.staff()
            if _could_work(e, {5, 6}) and not all(e.member.on_leave(roster.day(d)) for d in (5, 6))
        }
        weight = roster.inst.weights.weekend_days_max
        return _spread(self.verdict(roster), loads, weight, "days", "weekend days")


class FairLateShifts(Rule):
    key = "fair_late_shifts"
    hard = False

    def title(self, inst: RosterInstance) -> str:
        return "Late shifts spread fairly"

    def add(self, ctx: RosterModel) -> list[Term]:
        loads = []
        for p in ctx.people:
            late = [v for s, v in ctx.all_shifts(p) if ctx.week.is_late(s)]
            if p.hire is None and late:
                loads.append(lsum(late))
        top = _busiest(ctx, "late_max", loads, 7)
        w = ctx.inst.weights.late_shifts_max * SCALE
        return [Term(self.key, w, top)] if top is not None else []

    def check(self, roster: RosterView) -> Verdict:
        late_end = roster.inst.late_shift_end_minute
        loads: dict[str, tuple[PersonView, float]] = {
            w.id: (w, sum(1 for s in w.shifts if s.end - s.day * DAY > late_end))
            for w, e in roster.staff()
            if _could_work(e, set(range(7)), late_end)
        }
        weight = roster.inst.weights.late_shifts_max
        return _spread(self.verdict(roster), loads, weight, "shifts", "late shifts")


class FairPeaks(Rule):
    key = "fair_peaks"
    hard = False

    def title(self, inst: RosterInstance) -> str:
        return "Peak hours on the line spread fairly"

    def add(self, ctx: RosterModel) -> list[Term]:
        if not ctx.detailed or not ctx.week.peak:
            return []
        per: dict[int, list] = {}
        for (pi, _d, t), v in ctx.line.items():
            if t in ctx.week.peak and ctx.people[pi].hire is None:
                per.setdefault(pi, []).append(v)
        top = _busiest(ctx, "peak_max", [lsum(vs) for vs in per.values()], len(ctx.week.peak))
        w = ctx.inst.weights.peak_hours_max * ctx.step
        return [Term(self.key, w, top)] if top is not None else []

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        peak = roster.week.peak
        if not peak:
            return v
        loads: dict[str, tuple[PersonView, float]] = {}
        for w, _e in roster.staff():
            if Skill.COUNSELLOR not in w.skills:
                continue
            n = sum(
                1 for s in w.shifts for t, a in s.acts.items() if a == Activity.LINE and t in peak
            )
            loads[w.id] = (w, n * roster.step / 60)
        weight = roster.inst.weights.peak_hours_max
        return _spread(v, loads, weight, "hours", "peak hours on the line")
