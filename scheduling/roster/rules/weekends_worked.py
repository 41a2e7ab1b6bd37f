"""At most N weekends worked in any M weeks (a weekend counts when Saturday or Sunday is
worked); the weekends worked in the weeks before this one count against the cap. Off unless
WorkRules.max_weekends_worked is set.

`cap_weekends` is the constraint; the multi-week benchmark model caps each employee's
weekends with it too."""

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

SATURDAY, SUNDAY = 5, 6


def cap_weekends(
    m: cp_model.CpModel,
    weekends: Sequence[Sequence[cp_model.IntVar]],
    cap: int,
    already: int = 0,
) -> cp_model.Constraint | None:
    """At most `cap` of these weekends worked, `already` counted before them. Each weekend is
    its day literals; it is worked when any of them is. None when the cap cannot bind."""
    days_of = [list(w) for w in weekends if w]
    if already + len(days_of) <= cap:
        return None
    flags = []
    for days in days_of:
        # at least each day's literal is enough for a cap (and keeps the model linear)
        worked = m.new_bool_var("weekend_worked")
        for day in days:
            m.add_implication(day, worked)
        flags.append(worked)
    return m.add(cp_model.LinearExpr.sum(flags) <= cap - already)


class WeekendsWorked(Rule):
    key = "weekends_worked"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        r = inst.rules
        if r.max_weekends_worked is None:
            return "No cap on weekends worked"
        return f"At most {r.max_weekends_worked} weekends worked in {r.weekend_window_weeks} weeks"

    def add(self, ctx: RosterModel) -> list[Term]:
        cap = ctx.inst.rules.max_weekends_worked
        if cap is None:
            return []
        before = {e.id: e.weekends_worked_before for e in ctx.inst.staff}
        for p in ctx.people:
            days = [
                w
                for d in (SATURDAY, SUNDAY)
                if isinstance(w := ctx.work[p.index, d], cp_model.IntVar)  # 0: no candidate
            ]
            ct = cap_weekends(ctx.m, [days], cap, before.get(p.id, 0))
            if ct is not None:
                ctx.enforce(ct, self.key, p, None)
        return []

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        r = roster.inst.rules
        if r.max_weekends_worked is None:
            return v
        for who in roster.people:
            before = who.entry.weekends_worked_before if who.entry is not None else 0
            total = before + bool(who.work_days & {SATURDAY, SUNDAY})
            if total > r.max_weekends_worked:
                v.brk(
                    f"{who.name} works {total} weekends in {r.weekend_window_weeks} weeks",
                    who=who,
                    day=SATURDAY,
                    amount=total - r.max_weekends_worked,
                    unit="weekends",
                )
        return v
