"""Wishes for days and shifts: a wanted day (or window) without a shift, or an avoided one
with a shift overlapping it, costs the wish's weight."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.domain import WEEKDAY_NAMES
from scheduling.roster.rules.base import SCALE, Term, lsum
from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.week import DAY

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


class Preferences(Rule):
    key = "preferences"
    hard = False

    def title(self, inst: RosterInstance) -> str:
        return "Wishes for days and shifts"

    def add(self, ctx: RosterModel) -> list[Term]:
        scale = ctx.inst.weights.preference_scale * SCALE
        terms = []
        for p in ctx.people:
            for pref in p.preferences:
                d = pref.weekday
                lo, hi = d * 1440 + pref.start_minute, d * 1440 + pref.end_minute
                match = lsum(v for s, v in ctx.shifts(p, d) if s.overlaps(lo, hi))
                w = pref.weight * scale
                terms.append(Term(self.key, w, match if pref.kind == "avoid" else 1 - match))
        return terms

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        scale = roster.inst.weights.preference_scale
        for who, entry in roster.staff():
            for pref in entry.preferences:
                lo = pref.weekday * DAY + pref.start_minute
                hi = pref.weekday * DAY + pref.end_minute
                hit = any(s.day == pref.weekday and s.start < hi and lo < s.end for s in who.shifts)
                if hit == (pref.kind == "avoid"):
                    penalty = pref.weight * scale
                    v.add_points(penalty)
                    wish = "not to work" if pref.kind == "avoid" else "to work"
                    v.brk(
                        f"{who.name} asked {wish} {WEEKDAY_NAMES[pref.weekday]} "
                        f"{_hhmm(pref.start_minute)}-{_hhmm(pref.end_minute)}",
                        who=who,
                        day=pref.weekday,
                        amount=1,
                        unit="wishes",
                        penalty=penalty,
                    )
        return v
