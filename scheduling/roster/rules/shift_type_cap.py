"""At most N late shifts a week for each person (a late shift ends after the instance's
late-shift hour). Off unless WorkRules.max_late_shifts_week is set.

`cap_shift_count` is the constraint; the multi-week benchmark model caps each shift type with
it too."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from scheduling.roster.rules.rule import Rule, Verdict

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.rules.base import Term
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView


def cap_shift_count(
    m: cp_model.CpModel, lits: Sequence[cp_model.IntVar], cap: int
) -> cp_model.Constraint | None:
    """At most `cap` of these shifts (a cap at or above their number adds nothing)."""
    if cap >= len(lits):
        return None
    return m.add(cp_model.LinearExpr.sum(list(lits)) <= cap)


class ShiftTypeCap(Rule):
    key = "shift_type_cap"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        cap = inst.rules.max_late_shifts_week
        return "No cap on late shifts" if cap is None else f"At most {cap} late shifts a week"

    def add(self, ctx: RosterModel) -> list[Term]:
        cap = ctx.inst.rules.max_late_shifts_week
        if cap is None:
            return []
        for p in ctx.people:
            late = [v for s, v in ctx.all_shifts(p) if ctx.week.is_late(s)]
            ct = cap_shift_count(ctx.m, late, cap)
            if ct is not None:
                ctx.enforce(ct, self.key, p, None)
        return []

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        cap = roster.inst.rules.max_late_shifts_week
        if cap is None:
            return v
        late_end = roster.inst.late_shift_end_minute
        for who in roster.people:
            late = sum(1 for s in who.shifts if s.end - s.day * 1440 > late_end)
            if late > cap:
                v.brk(
                    f"{who.name} works {late} late shifts",
                    who=who,
                    amount=late - cap,
                    unit="shifts",
                )
        return v
