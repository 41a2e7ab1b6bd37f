"""At least 11 hours between two shifts (also after the person's last shift of last week).

The rule's number lives here: MIN_REST_MINUTES, unless the site's WorkRules set their own.
Everything that needs it (the model, the check, the greedy roster) asks `min_rest` or
`rested`, so changing the rule means changing this module (and its test)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.roster.rules.base import hours, lsum
from scheduling.roster.rules.rule import Rule, Verdict

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.rules.base import Term
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView
    from scheduling.roster.work_rules import WorkRules

MIN_REST_MINUTES = 11 * 60


def min_rest(rules: WorkRules) -> int:
    """The least rest between two shifts, in minutes."""
    return MIN_REST_MINUTES if rules.min_rest_minutes is None else rules.min_rest_minutes


def rested(rules: WorkRules, end: int, start: int) -> bool:
    """Whether a shift starting at `start` keeps the rule after a shift ending at `end`."""
    return start - end >= min_rest(rules)


class RestBetweenShifts(Rule):
    key = "rest_between_shifts"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        return f"At least {hours(min_rest(inst.rules))} hours between two shifts"

    def add(self, ctx: RosterModel) -> list[Term]:
        rest = min_rest(ctx.inst.rules)
        for p in ctx.people:
            days = ctx.days_with_shifts(p)
            for d1 in days:
                first = ctx.shifts(p, d1)
                for d2 in days:
                    if d2 <= d1:
                        continue
                    second = ctx.shifts(p, d2)
                    latest_end = max(s.end for s, _ in first)
                    earliest_start = min(s.start for s, _ in second)
                    if earliest_start - latest_end >= rest:
                        continue
                    end1 = lsum(s.end * v for s, v in first)
                    start2 = lsum(s.start * v for s, v in second)
                    ct = ctx.m.add(start2 - end1 >= rest)
                    ct.only_enforce_if([ctx.work[p.index, d1], ctx.work[p.index, d2]])
                    ctx.enforce(ct, self.key, p, d2)
            if p.previous_end is not None:
                for s, v in ctx.all_shifts(p):
                    if s.start < p.previous_end + rest:
                        ctx.enforce(ctx.m.add(v == 0), self.key, p, s.day)
        return []

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        rest = min_rest(roster.inst.rules)
        for who in roster.people:
            ends = []
            if who.entry is not None and who.entry.previous_shift_end is not None:
                ends.append(roster.week.minute(who.entry.previous_shift_end))
            for s in who.shifts:
                if ends and s.start - ends[-1] < rest:
                    gap = s.start - ends[-1]
                    v.brk(
                        f"{who.name} has {gap / 60:g} h rest before {roster.fmt(s.start)}",
                        who=who,
                        day=s.day,
                        amount=rest - gap,
                        unit="minutes",
                    )
                ends.append(s.end)
        return v
