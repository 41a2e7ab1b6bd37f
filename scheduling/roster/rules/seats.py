"""Seats: calls are taken in soundproofed rooms with restricted access, so a centre's seats cap
how many counsellors can be on the line at once. Hard: a roster never puts more people on the
line than there are seats; when the requirement is above the seats the shortfall shows that
space, not staff, binds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from scheduling.roster.rules.base import Term, lsum
from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.schema import Activity
from scheduling.roster.week import DAY

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView


def seats_exceeded(seats: int | None, on_line: Mapping[int, int]) -> dict[int, int]:
    """Solver-free check: interval -> counsellors on the line beyond the seats."""
    if seats is None:
        return {}
    return {t: n - seats for t, n in sorted(on_line.items()) if n > seats}


class Seats(Rule):
    key = "seats"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        if inst.seats is None:
            return "No more counsellors on the line than the seats"
        return f"No more counsellors on the line than the {inst.seats} seats"

    def add(self, ctx: RosterModel) -> list[Term]:
        seats = ctx.inst.seats
        if seats is None:
            return []
        if not ctx.detailed:
            # The assignment stage has no per-interval line time; cap the shifts filled at once.
            return []
        on_line: dict[int, list] = {}
        for (_pi, _d, t), v in ctx.line.items():
            on_line.setdefault(t, []).append(v)
        for items in on_line.values():
            if len(items) > seats:
                ctx.m.add(lsum(items) <= seats)
        return []

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        seats = roster.inst.seats
        counts: dict[int, int] = {}
        for who in roster.people:
            for s in who.shifts:
                for t, a in s.acts.items():
                    if a == Activity.LINE:
                        counts[t] = counts.get(t, 0) + 1
        for t, over in seats_exceeded(seats, counts).items():
            v.brk(
                f"{roster.fmt(t * roster.step)}: {over} more on the line than the {seats} seats",
                day=t * roster.step // DAY,
                start=t * roster.step,
                amount=over,
                unit="counsellors",
            )
        return v
