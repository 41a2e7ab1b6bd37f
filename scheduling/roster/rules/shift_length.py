"""Shifts of 4 to 8 hours starting on the half hour: the candidate shifts are generated with
exactly these lengths and starts (Week.shift_types), so any chosen shift keeps the rule."""

from __future__ import annotations

from scheduling.roster.rules.base import Rule


class ShiftLength(Rule):
    key = "shift_length"
    hard = True

    def add(self, ctx):
        return []
