"""Requested debriefs: each open request gets a slot of its length, ending by its deadline and
not in the pinned past, while the person and a supervisor (someone else) are both on shift and
off the line; the supervisor's time is marked as debrief too. Soft: a request that cannot be
placed costs points and is named for the manager."""

from __future__ import annotations

from scheduling.domain import Skill
from scheduling.roster.model import SCALE, Term, lsum
from scheduling.roster.rules.base import Rule


def add_debrief(ctx, key: tuple[int, int, int], expr) -> None:
    """Mark an interval of a person as debrief (several rules may add to the same slot)."""
    ctx.deb[key] = ctx.deb[key] + expr if key in ctx.deb else expr
    ctx.add_busy(key, expr)


class DebriefRequests(Rule):
    key = "debrief_request"
    hard = False

    def add(self, ctx):
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
            length = -(-req.minutes // step)
            deadline = week.minute(req.deadline)
            starts = []
            covered: dict[tuple[int, int, int], list] = {}
            for d in ctx.days_with_shifts(p) if p is not None else ():
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
