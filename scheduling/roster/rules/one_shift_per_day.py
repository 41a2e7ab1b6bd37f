"""At most one shift a day: the model ties the shifts of a day to one work[p, day] boolean
(sum of the day's shift variables == work), so nothing is left to add here."""

from __future__ import annotations

from scheduling.roster.rules.base import Rule


class OneShiftPerDay(Rule):
    key = "one_shift_per_day"
    hard = True

    def add(self, ctx):
        return []
