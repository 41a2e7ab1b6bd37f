"""Published shifts before the pin moment (and, in a re-plan of part of the week, those
starting after its window) stay as published, activities included; shifts a manager placed by
hand stay as placed, and those removed by hand stay away."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.schema import Activity
from scheduling.roster.week import DAY

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.rules.base import Term
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView


class Pinned(Rule):
    key = "pinned"
    hard = True

    def title(self, inst: RosterInstance) -> str:
        if inst.hand_pinned or inst.hand_removed:
            return "Published shifts before the pin moment and hand edits stay as they are"
        return "Published shifts before the pin moment stay as published"

    def add(self, ctx: RosterModel) -> list[Term]:
        """Hand-removed shifts need nothing here: Week.candidates offers no shift over them."""
        week = ctx.week
        by_id = {p.id: p for p in ctx.people}
        for shift, all_fixed in week.fixed_shifts():
            p = by_id.get(shift.staff_id)
            start = week.minute(shift.start)
            if p is None:
                continue
            day = start // DAY
            var = next((v for s, v in ctx.shifts(p, day) if s.start == start), None)
            if var is None:
                continue
            ctx.enforce(ctx.m.add(var == 1), self.key, p, day)
            if not ctx.detailed:
                continue
            for seg in shift.activities:
                for t in week.intervals_of(week.minute(seg.start), week.minute(seg.end)):
                    if not (all_fixed or week.activity_pinned(start, t)):
                        continue
                    key = (p.index, day, t)
                    sources: tuple[tuple[dict, Activity], ...] = (
                        (ctx.line, Activity.LINE),
                        (ctx.meal, Activity.MEAL),
                        (ctx.dec, Activity.DECOMPRESSION),
                        (ctx.deb, Activity.DEBRIEF),
                    )
                    for source, activity in sources:
                        if key in source:
                            want = int(seg.activity == activity)
                            ctx.enforce(ctx.m.add(source[key] == want), self.key, p, day)
        return []

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        week = roster.week
        by_id = {who.id: who for who in roster.people}
        for ps, all_fixed in week.fixed_shifts():
            start = week.minute(ps.start)
            who = by_id.get(ps.staff_id)
            end = week.minute(ps.end)
            match = (
                next((s for s in who.shifts if s.start == start and s.end == end), None)
                if who
                else None
            )
            name = who.name if who else ps.staff_id
            kind = "hand-placed" if all_fixed else "published"
            if match is None:
                v.brk(
                    f"{name}'s {kind} shift at {roster.fmt(start)} was changed",
                    who=who,
                    day=start // DAY,
                )
                continue
            for seg in ps.activities:
                a, b = week.minute(seg.start), week.minute(seg.end)
                if any(
                    match.acts.get(t) != seg.activity
                    for t in range(a // roster.step, b // roster.step)
                    if all_fixed or week.activity_pinned(start, t)
                ):
                    v.brk(
                        f"{name}'s {kind} {seg.activity.value} at {roster.fmt(a)} was changed",
                        who=who,
                        day=start // DAY,
                    )
                    break
        for staff_id, removed in week.hand_removed.items():
            who = by_id.get(staff_id)
            if who is None:
                continue
            for gone in removed:
                back = next((s for s in who.shifts if gone.overlaps(s.start, s.end)), None)
                if back is not None:
                    v.brk(
                        f"{who.name} works at {roster.fmt(back.start)}, over the shift at "
                        f"{roster.fmt(gone.start)} removed by hand",
                        who=who,
                        day=back.start // DAY,
                    )
        return v
