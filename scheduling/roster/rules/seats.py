"""Seats: calls are taken in soundproofed rooms with restricted access, so a centre's seats cap
how many counsellors can be on the line at once. Hard: a roster never puts more people on the
line than there are seats; when the requirement is above the seats the shortfall shows that
space, not staff, binds."""

from __future__ import annotations

from collections.abc import Mapping

from scheduling.roster.model import Term, lsum
from scheduling.roster.rules.base import Rule


def seats_exceeded(seats: int | None, on_line: Mapping[int, int]) -> dict[int, int]:
    """Solver-free check: interval -> counsellors on the line beyond the seats."""
    if seats is None:
        return {}
    return {t: n - seats for t, n in sorted(on_line.items()) if n > seats}


class Seats(Rule):
    key = "seats"
    hard = True

    def add(self, ctx) -> list[Term]:
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
