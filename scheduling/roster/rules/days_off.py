"""At least 2 days off in the week (days on leave count as days off).

The rule's number lives here (MIN_DAYS_OFF, unless the site's WorkRules set their own); the
model, the check, the greedy roster and the decomposed solve ask `most_working_days`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.roster.rules.base import lsum
from scheduling.roster.rules.rule import Rule, Verdict

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.rules.base import Term
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView
    from scheduling.roster.work_rules import WorkRules

MIN_DAYS_OFF = 2


def min_days_off(rules: WorkRules) -> int:
    return MIN_DAYS_OFF if rules.min_days_off_week is None else rules.min_days_off_week


def most_working_days(rules: WorkRules) -> int:
    return 7 - min_days_off(rules)


class DaysOff(Rule):
    key = "days_off"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        return f"At least {min_days_off(inst.rules)} days off in the week"

    def add(self, ctx: RosterModel) -> list[Term]:
        most = most_working_days(ctx.inst.rules)
        for p in ctx.people:
            days = ctx.days_with_shifts(p)
            if len(days) > most:
                expr = lsum(ctx.work[p.index, d] for d in days)
                ctx.enforce(ctx.m.add(expr <= most), self.key, p, None)
        return []

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        need = min_days_off(roster.inst.rules)
        for who in roster.people:
            off = 7 - len(who.work_days)
            if off < need:
                v.brk(f"{who.name} has {off} days off", who=who, amount=need - off, unit="days")
        return v
