"""Shifts of 4 to 8 hours starting on the half hour: the candidate shifts are generated with
exactly these lengths and starts (Week.shift_types), so any chosen shift keeps the rule and
`add` has nothing to add."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.roster.rules.base import hours
from scheduling.roster.rules.rule import Rule, Verdict

if TYPE_CHECKING:
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView


class ShiftLength(Rule):
    key = "shift_length"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        r = inst.rules
        half = "half " if r.shift_start_step_minutes == 30 else ""
        return (
            f"Shifts of {hours(r.shift_min_minutes)} to {hours(r.shift_max_minutes)} hours, "
            f"starting on the {half}hour"
        )

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        r = roster.inst.rules
        for who in roster.people:
            for s in who.shifts:
                if not r.shift_min_minutes <= s.length <= r.shift_max_minutes:
                    v.brk(
                        f"{who.name}'s shift at {roster.fmt(s.start)} lasts {s.length / 60:g} h",
                        who=who,
                        day=s.day,
                        amount=s.length,
                        unit="minutes",
                    )
                if s.start % r.shift_start_step_minutes:
                    v.brk(f"{who.name}'s shift starts at {roster.fmt(s.start)}", who=who, day=s.day)
        return v
