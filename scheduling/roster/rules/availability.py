"""Only when available and not on leave: the model offers a person only the shifts that fit
their availability windows and avoid their leave days (Week.candidates), so `add` has nothing
to add. The check also names anyone in the roster who is not on the staff list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.week import DAY

if TYPE_CHECKING:
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView


class Availability(Rule):
    key = "availability"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        return "Only when available and not on leave"

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        step = roster.step
        for who in roster.unknown:
            v.brk(f"{who.id} is not on the staff list", who=who)
        for who, entry in roster.staff():
            mem = entry.member
            for s in who.shifts:
                for d in range(s.day, (s.end - 1) // DAY + 1):
                    if mem.on_leave(roster.day(d)):
                        v.brk(
                            f"{who.name} works {roster.fmt(s.start)} while on leave",
                            who=who,
                            day=s.day,
                        )
                if mem.availability:
                    bad = [
                        t
                        for t in range(s.start // step, s.end // step)
                        if not any(
                            w.weekday == (t * step // DAY) % 7
                            and w.start_minute <= t * step % DAY
                            and t * step % DAY + step <= w.end_minute
                            for w in mem.availability
                        )
                    ]
                    if bad:
                        v.brk(
                            f"{who.name} works {roster.fmt(bad[0] * step)} outside their "
                            "availability",
                            who=who,
                            day=s.day,
                            amount=len(bad) * step,
                            unit="minutes",
                        )
        return v
