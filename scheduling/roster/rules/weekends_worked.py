"""At most N weekends worked in any M weeks (a weekend counts when Saturday or Sunday is
worked); the weekends a person worked in the weeks before count against the cap.

The same constraint caps the weekends of each employee in the multi-week benchmark model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ortools.sat.python import cp_model

from scheduling.roster.rules.base import Rule
from scheduling.roster.rules.finding import Finding, Worked
from scheduling.roster.schema import RosterInstance


def cap_weekends(
    m: cp_model.CpModel,
    weekends: Sequence[Sequence[cp_model.IntVar]],
    cap: int,
    already: int = 0,
) -> cp_model.Constraint | None:
    """At most `cap` of these weekends worked, `already` counted before them. Each weekend is
    its day literals (Saturday, Sunday); a weekend is worked when any of them is."""
    weekends = [list(w) for w in weekends if w]
    if already + len(weekends) <= cap:
        return None
    flags = []
    for days in weekends:
        worked = m.new_bool_var("")
        m.add_max_equality(worked, days)
        flags.append(worked)
    return m.add(cp_model.LinearExpr.sum(flags) <= cap - already)


class WeekendsWorked(Rule):
    key = "weekends_worked"
    hard = True

    def add(self, ctx):
        cap = ctx.inst.rules.max_weekends_worked
        if cap is None:
            return []
        before = {e.id: e.weekends_worked_before for e in ctx.inst.staff}
        for p in ctx.people:
            days = [ctx.work[p.index, d] for d in (5, 6) if ctx.x[p.index, d]]
            ct = cap_weekends(ctx.m, [days], cap, before.get(p.id, 0))
            if ct is not None:
                ctx.enforce(ct, self.key, p, None)
        return []

    def check(self, inst: RosterInstance, worked: Mapping[str, Sequence[Worked]]) -> list[Finding]:
        cap = inst.rules.max_weekends_worked
        if cap is None:
            return []
        before = {e.id: e.weekends_worked_before for e in inst.staff}
        weeks = inst.rules.weekend_window_weeks
        out = []
        for sid, shifts in worked.items():
            total = before.get(sid, 0) + any(s.day in (5, 6) for s in shifts)
            if total > cap:
                msg = f"{sid} works {total} weekends in {weeks} weeks (at most {cap})"
                out.append(Finding(sid, 5, total - cap, "weekends", msg))
        return out
