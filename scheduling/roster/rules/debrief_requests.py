"""Requested debriefs: each open request gets a slot of its length, ending by its deadline and
not in the pinned past, while the person and a supervisor (someone else) are both on shift and
off the line; the supervisor's time is marked as debrief too. Soft: a request that cannot be
placed costs points and is named for the manager."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scheduling.domain import Skill
from scheduling.roster.rules.base import SCALE, Term, lsum
from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.schema import Activity
from scheduling.roster.week import DAY

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import PersonView, RosterView

URGENCY = {"before_shift_end": "before their shift ends", "within_24h": "within 24 hours"}


def add_debrief(ctx: RosterModel, key: tuple[int, int, int], expr: Any) -> None:
    """Mark an interval of a person as debrief (several rules may add to the same slot)."""
    ctx.deb[key] = ctx.deb[key] + expr if key in ctx.deb else expr
    ctx.add_busy(key, expr)


class DebriefRequests(Rule):
    key = "debrief_request"
    hard = False

    def title(self, inst: RosterInstance) -> str:
        return "A requested debrief with a supervisor before its deadline"

    def add(self, ctx: RosterModel) -> list[Term]:
        if not ctx.detailed or not ctx.inst.debrief_requests:
            return []
        week = ctx.week
        step = ctx.step
        by_id = {p.id: p for p in ctx.people}
        earliest = week.pin_minute or 0
        weight = ctx.inst.weights.debrief_request_missing * SCALE
        terms = []
        demand: dict[int, list] = {}
        for n, req in enumerate(ctx.inst.debrief_requests):
            p = by_id.get(req.staff_id)
            if p is None:  # not on the staff (the instance refuses that)
                continue
            length = -(-req.minutes // step)
            deadline = week.minute(req.deadline)
            starts = []
            covered: dict[tuple[int, int, int], list] = {}
            for d in ctx.days_with_shifts(p):
                slots = set(ctx.slots(p, d))
                for t in sorted(slots):
                    if t * step < earliest or (t + length) * step > deadline:
                        continue
                    if not all(t + k in slots for k in range(length)):
                        continue
                    s = ctx.m.new_bool_var(f"debrief_req_{n}_{t}")
                    starts.append(s)
                    for k in range(length):
                        covered.setdefault((p.index, d, t + k), []).append(s)
            if not starts:
                terms.append(Term(self.key, weight, 1))
                continue
            done = ctx.m.new_bool_var(f"debrief_req_done_{n}")
            ctx.m.add(lsum(starts) == done)
            for key, vs in covered.items():
                expr = lsum(vs)
                add_debrief(ctx, key, expr)
                demand.setdefault(key[2], []).append(expr)
            terms.append(Term(self.key, weight, 1 - done))
        # One supervisor's time for each debrief under way: on shift, off the line, and marked
        # as debrief (the busy rule keeps a supervisor from being in their own debrief too).
        supervisors = [q for q in ctx.people if Skill.SUPERVISOR in q.skills]
        for t, exprs in demand.items():
            free = []
            for q in supervisors:
                for d in ctx.days_with_shifts(q):
                    key = (q.index, d, t)
                    if key not in ctx.on:
                        continue
                    z = ctx.m.new_bool_var(f"debrief_sup_{q.index}_{t}")
                    add_debrief(ctx, key, z)
                    free.append(z)
            ctx.m.add(lsum(free) == lsum(exprs))
        return terms

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        w = roster.inst.weights.debrief_request_missing
        by_id = {who.id: who for who in roster.people}
        earliest = roster.week.pin_minute or 0
        step = roster.step
        used: set[tuple[str, int]] = set()
        for req in sorted(roster.inst.debrief_requests, key=lambda r: (r.deadline, r.request_id)):
            who = by_id[req.staff_id]
            need = -(-req.minutes // step)
            deadline = roster.week.minute(req.deadline)

            def ok(t: int, who: PersonView = who) -> bool:
                return (who.id, t) not in used and any(
                    Skill.SUPERVISOR in o.skills and o is not who and a == Activity.DEBRIEF
                    for o, a in roster.on_at(t)
                )

            placed: list[int] | None = None
            for s in who.shifts:
                deb = [
                    t
                    for t in sorted(s.acts)
                    if s.acts[t] == Activity.DEBRIEF
                    and t * step >= earliest
                    and (t + 1) * step <= deadline
                    and ok(t)
                ]
                for i in range(len(deb) - need + 1):
                    if deb[i + need - 1] - deb[i] == need - 1:
                        placed = deb[i : i + need]
                        break
                if placed:
                    break
            if placed:
                used.update((who.id, t) for t in placed)
                continue
            v.add_points(w)
            v.brk(
                f"{who.name}'s debrief, asked for {URGENCY[req.urgency]}, could not be placed "
                f"before {roster.fmt(deadline)}: no {req.minutes} minutes when {who.name} and a "
                "supervisor are both on shift and off the line. Arrange it by hand.",
                who=who,
                day=min(max(deadline - 1, 0) // DAY, 6),
                penalty=w,
            )
        return v
