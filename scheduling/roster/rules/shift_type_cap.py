"""At most N late shifts a week for each person (a shift ending after the late-shift hour).

The same constraint caps each shift type in the multi-week benchmark model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ortools.sat.python import cp_model

from scheduling.roster.rules.base import Rule
from scheduling.roster.rules.finding import Finding, Worked
from scheduling.roster.schema import RosterInstance


def cap_shift_count(
    m: cp_model.CpModel, lits: Sequence[cp_model.IntVar], cap: int
) -> cp_model.Constraint | None:
    """At most `cap` of these shifts (a cap at or above their number adds nothing)."""
    if cap >= len(lits):
        return None
    return m.add(cp_model.LinearExpr.sum(list(lits)) <= cap)


def is_late(inst: RosterInstance, shift: Worked) -> bool:
    return shift.end - shift.day * 1440 > inst.late_shift_end_minute


class ShiftTypeCap(Rule):
    key = "shift_type_cap"
    hard = True

    def add(self, ctx):
        cap = ctx.inst.rules.max_late_shifts_week
        if cap is None:
            return []
        for p in ctx.people:
            late = [v for s, v in ctx.all_shifts(p) if ctx.week.is_late(s)]
            ct = cap_shift_count(ctx.m, late, cap)
            if ct is not None:
                ctx.enforce(ct, self.key, p, None)
        return []

    def check(self, inst: RosterInstance, worked: Mapping[str, Sequence[Worked]]) -> list[Finding]:
        cap = inst.rules.max_late_shifts_week
        if cap is None:
            return []
        out = []
        for sid, shifts in worked.items():
            late = sum(1 for s in shifts if is_late(inst, s))
            if late > cap:
                msg = f"{sid} works {late} late shifts (at most {cap})"
                out.append(Finding(sid, None, late - cap, "shifts", msg))
        return out
