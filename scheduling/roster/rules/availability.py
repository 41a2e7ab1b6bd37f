"""Only when available and not on leave: enforced by offering a person only the shifts that
fit their availability windows and avoid their leave days (see Week.candidates)."""

from __future__ import annotations

from scheduling.roster.rules.base import Rule


class Availability(Rule):
    key = "availability"
    hard = True

    def add(self, ctx):
        return []
