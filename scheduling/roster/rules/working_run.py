"""Working days at least N in a row: no isolated working day between days off. A run that
touches the end of the week is not held to it (next week may extend it), nor one at its
start when the person worked the Sunday before.

The same constraint holds the minimum run of shifts in the multi-week benchmark model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scheduling.roster.rules.base import Rule
from scheduling.roster.rules.days_off_run import day_literals
from scheduling.roster.rules.finding import Finding, Worked
from scheduling.roster.runs import forbid_short_runs, short_runs
from scheduling.roster.schema import RosterInstance


class MinWorkingRun(Rule):
    key = "min_working_run"
    hard = True

    def add(self, ctx):
        need = ctx.inst.rules.min_working_days_in_a_row
        if need <= 1:
            return []
        for p in ctx.people:
            work = day_literals(ctx, p)
            for ct in forbid_short_runs(ctx.m, work, need, open_start=p.days_before > 0):
                ctx.enforce(ct, self.key, p, None)
        return []

    def check(self, inst: RosterInstance, worked: Mapping[str, Sequence[Worked]]) -> list[Finding]:
        need = inst.rules.min_working_days_in_a_row
        if need <= 1:
            return []
        before = {e.id: e.days_worked_before_week for e in inst.staff}
        out = []
        for sid, shifts in worked.items():
            days = {s.day for s in shifts}
            flags = [d in days for d in range(7)]
            for first, length in short_runs(flags, need, open_start=before.get(sid, 0) > 0):
                msg = f"{sid} works {length} day(s) in a row from day {first} (at least {need})"
                out.append(Finding(sid, first, need - length, "days", msg))
        return out
