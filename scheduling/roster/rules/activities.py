"""Every minute of a shift has one activity; only counsellors take calls. The model keeps it
by construction (each interval's activities sum to at most being on shift, and only a
counsellor has line variables, only while the line is open), so `add` has nothing to add."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.domain import Skill
from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.schema import Activity

if TYPE_CHECKING:
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView


class Activities(Rule):
    key = "activities"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        return "Every minute of a shift has one activity; only counsellors take calls"

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        for who in roster.people:
            for s in who.shifts:
                for msg in s.seg_errors:
                    v.brk(f"{who.name}: {msg}", who=who, day=s.day)
                lines = [t for t, a in s.acts.items() if a == Activity.LINE]
                if lines and Skill.COUNSELLOR not in who.skills:
                    v.brk(
                        f"{who.name} is on the line without the counsellor skill",
                        who=who,
                        day=s.day,
                    )
                closed = [t for t in lines if t not in roster.week.required]
                if closed:
                    v.brk(
                        f"{who.name} is on the line at {roster.fmt(closed[0] * roster.step)} "
                        "while the line is closed",
                        who=who,
                        day=s.day,
                    )
        return v
