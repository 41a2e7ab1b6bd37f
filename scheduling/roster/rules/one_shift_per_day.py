"""At most one shift a day: the model ties the shifts of a day to one work[p, day] boolean
(sum of the day's shift variables == work), so `add` has nothing to add."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.domain import WEEKDAY_NAMES
from scheduling.roster.rules.rule import Rule, Verdict

if TYPE_CHECKING:
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView


class OneShiftPerDay(Rule):
    key = "one_shift_per_day"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        return "At most one shift a day"

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        for who in roster.people:
            seen: dict[int, int] = {}
            for s in who.shifts:
                seen[s.day] = seen.get(s.day, 0) + 1
            for d, n in seen.items():
                if n > 1:
                    v.brk(
                        f"{who.name} has {n} shifts on {WEEKDAY_NAMES[d]}",
                        who=who,
                        day=d,
                        amount=n,
                        unit="shifts",
                    )
        return v
