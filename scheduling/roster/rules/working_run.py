"""Working days at least N in a row: no shorter stretch of work between days off. A stretch
touching the end of the week is not held to it (next week may lengthen it), nor one at its
start when the person worked the Sunday before. Off unless
WorkRules.min_working_days_in_a_row is set.

The constraint is scheduling.roster.runs.forbid_short_runs, which the multi-week benchmark
model uses for its minimum run of shifts too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.domain import WEEKDAY_NAMES
from scheduling.roster.rules.days_off_run import day_literals
from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.runs import forbid_short_runs, short_runs

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.rules.base import Term
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView


class MinWorkingRun(Rule):
    key = "min_working_run"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        need = inst.rules.min_working_days_in_a_row
        if need is None:
            return "Working days in any length"
        return f"Working days at least {need} in a row"

    def add(self, ctx: RosterModel) -> list[Term]:
        need = ctx.inst.rules.min_working_days_in_a_row
        if need is None or need <= 1:
            return []
        for p in ctx.people:
            work = day_literals(ctx, p)
            for ct in forbid_short_runs(ctx.m, work, need, open_start=p.days_before > 0):
                ctx.enforce(ct, self.key, p, None)
        return []

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        need = roster.inst.rules.min_working_days_in_a_row
        if need is None or need <= 1:
            return v
        for who in roster.people:
            before = who.entry.days_worked_before_week if who.entry is not None else 0
            flags = [d in who.work_days for d in range(7)]
            for first, length in short_runs(flags, need, open_start=before > 0):
                v.brk(
                    f"{who.name} works only {length} day(s) in a row from {WEEKDAY_NAMES[first]}",
                    who=who,
                    day=first,
                    amount=need - length,
                    unit="days",
                )
        return v
