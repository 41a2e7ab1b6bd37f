"""Days off at least N in a row: no shorter break between two working days. A break touching
the end of the week is not held to it (next week may lengthen it), nor one at its start
unless the person worked the Sunday before. Off unless WorkRules.min_days_off_in_a_row is set.

The constraint is scheduling.roster.runs.forbid_short_runs, which the multi-week benchmark
model uses for its minimum run of days off too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from scheduling.domain import WEEKDAY_NAMES
from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.runs import forbid_short_runs, short_runs

if TYPE_CHECKING:
    from ortools.sat.python.cp_model_helper import Literal

    from scheduling.roster.model import RosterModel
    from scheduling.roster.rules.base import Term
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView
    from scheduling.roster.week import Person


def day_literals(ctx: RosterModel, p: Person) -> list[Literal]:
    """A literal per day of the week, true when p works (fixed false on a day without any
    candidate shift)."""
    out: list[Literal] = []
    for d in range(7):
        w = ctx.work[p.index, d]
        if isinstance(w, cp_model.IntVar):
            out.append(w)
        else:  # no candidate shift that day
            none = ctx.m.new_bool_var(f"no_work_{p.index}_{d}")
            ctx.m.add(none == 0)
            out.append(none)
    return out


class MinDaysOffRun(Rule):
    key = "min_days_off_run"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        need = inst.rules.min_days_off_in_a_row
        return "Days off in any length" if need is None else f"Days off at least {need} in a row"

    def add(self, ctx: RosterModel) -> list[Term]:
        need = ctx.inst.rules.min_days_off_in_a_row
        if need is None or need <= 1:
            return []
        for p in ctx.people:
            off = [w.Not() for w in day_literals(ctx, p)]
            for ct in forbid_short_runs(ctx.m, off, need, open_start=p.days_before == 0):
                ctx.enforce(ct, self.key, p, None)
        return []

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        need = roster.inst.rules.min_days_off_in_a_row
        if need is None or need <= 1:
            return v
        for who in roster.people:
            before = who.entry.days_worked_before_week if who.entry is not None else 0
            off = [d not in who.work_days for d in range(7)]
            for first, length in short_runs(off, need, open_start=before == 0):
                v.brk(
                    f"{who.name} has only {length} day(s) off in a row from {WEEKDAY_NAMES[first]}",
                    who=who,
                    day=first,
                    amount=need - length,
                    unit="days",
                )
        return v
