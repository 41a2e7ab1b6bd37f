"""Days off at least N in a row: no shorter break between two working days. A break that
touches the end of the week is not held to it (next week may extend it), nor one at its start
unless the person worked the Sunday before.

The same constraint holds the minimum run of days off in the multi-week benchmark model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scheduling.roster.rules.base import Rule
from scheduling.roster.rules.finding import Finding, Worked
from scheduling.roster.runs import forbid_short_runs, short_runs
from scheduling.roster.schema import RosterInstance


def day_literals(ctx, p) -> list:
    """A literal per day of the week, true when p works (fixed false on a day without any
    candidate shift)."""
    out = []
    for d in range(7):
        w = ctx.work[p.index, d]
        if isinstance(w, int):
            w = ctx.m.new_bool_var(f"no_work_{p.index}_{d}")
            ctx.m.add(w == 0)
        out.append(w)
    return out


class MinDaysOffRun(Rule):
    key = "min_days_off_run"
    hard = True

    def add(self, ctx):
        need = ctx.inst.rules.min_days_off_in_a_row
        if need <= 1:
            return []
        for p in ctx.people:
            off = [w.Not() for w in day_literals(ctx, p)]
            for ct in forbid_short_runs(ctx.m, off, need, open_start=p.days_before == 0):
                ctx.enforce(ct, self.key, p, None)
        return []

    def check(self, inst: RosterInstance, worked: Mapping[str, Sequence[Worked]]) -> list[Finding]:
        need = inst.rules.min_days_off_in_a_row
        if need <= 1:
            return []
        before = {e.id: e.days_worked_before_week for e in inst.staff}
        out = []
        for sid, shifts in worked.items():
            days = {s.day for s in shifts}
            off = [d not in days for d in range(7)]
            for first, length in short_runs(off, need, open_start=before.get(sid, 0) == 0):
                msg = f"{sid} has {length} day(s) off in a row from day {first} (at least {need})"
                out.append(Finding(sid, first, need - length, "days", msg))
        return out
