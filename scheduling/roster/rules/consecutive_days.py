"""At most 5 working days in a row, counting the days worked at the end of last week.

The rule's number lives here (MAX_DAYS_IN_A_ROW, unless the site's WorkRules set their own);
the model, the check and the greedy roster ask `max_days_in_a_row` or `run_ok`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from scheduling.domain import WEEKDAY_NAMES
from scheduling.roster.rules.base import lsum
from scheduling.roster.rules.rule import Rule, Verdict

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.rules.base import Term
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView
    from scheduling.roster.work_rules import WorkRules

MAX_DAYS_IN_A_ROW = 5


def max_days_in_a_row(rules: WorkRules) -> int:
    limit = rules.max_consecutive_days
    return MAX_DAYS_IN_A_ROW if limit is None else limit


def run_ok(rules: WorkRules, days: Iterable[int], days_before: int) -> bool:
    """Whether working these days of the week (0-6), after `days_before` days worked in a
    row up to last Sunday, keeps the rule."""
    limit = max_days_in_a_row(rules)
    if limit >= 7:
        return True
    worked = set(days) | {-k for k in range(1, min(days_before, limit) + 1)}
    run = 0
    for d in range(-limit - 1, 7):
        run = run + 1 if d in worked else 0
        if run > limit:
            return False
    return True


class ConsecutiveDays(Rule):
    key = "consecutive_days"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        return f"At most {max_days_in_a_row(inst.rules)} working days in a row"

    def add(self, ctx: RosterModel) -> list[Term]:
        limit = max_days_in_a_row(ctx.inst.rules)
        if limit >= 7:
            return []
        for p in ctx.people:
            before = min(p.days_before, limit)
            # windows of limit+1 days; days before the week count as worked
            for first in range(-before, 7 - limit):
                days = range(max(first, 0), first + limit + 1)
                carried = max(0, -first)
                expr = lsum(ctx.work[p.index, d] for d in days)
                ctx.enforce(ctx.m.add(expr <= limit - carried), self.key, p, None)
        return []

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        limit = max_days_in_a_row(roster.inst.rules)
        for who in roster.people:
            run = who.entry.days_worked_before_week if who.entry is not None else 0
            days = who.work_days
            for d in range(7):
                run = run + 1 if d in days else 0
                if run > limit and (d + 1 not in days or d == 6):
                    v.brk(
                        f"{who.name} works {run} days in a row to {WEEKDAY_NAMES[d]}",
                        who=who,
                        day=d,
                        amount=run - limit,
                        unit="days",
                    )
        return v
