"""A debrief with a supervisor on shift: one block this week, inside the person's shift, while
someone else with the supervisor skill is on shift (soft: missing it costs points)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduling.domain import Skill
from scheduling.roster.rules.base import SCALE, Term, lsum
from scheduling.roster.rules.rule import Rule, Verdict
from scheduling.roster.schema import Activity

if TYPE_CHECKING:
    from scheduling.roster.model import RosterModel
    from scheduling.roster.schema import RosterInstance
    from scheduling.roster.view import RosterView


class Debrief(Rule):
    key = "debrief"
    hard = False

    def title(self, inst: RosterInstance) -> str:
        return "A debrief with a supervisor on shift"

    def add(self, ctx: RosterModel) -> list[Term]:
        if not ctx.detailed:
            return []
        terms = []
        supervisors = [q for q in ctx.people if Skill.SUPERVISOR in q.skills]
        for p in ctx.people:
            if p.debrief <= 0:
                continue
            length = -(-p.debrief // ctx.step)
            starts = []
            covered: dict[tuple[int, int, int], list] = {}
            for d in ctx.days_with_shifts(p):
                slots = set(ctx.slots(p, d))
                for t in sorted(slots):
                    if not all(t + k in slots for k in range(length)):
                        continue
                    s = ctx.m.new_bool_var(f"debrief_{p.index}_{t}")
                    starts.append(s)
                    for k in range(length):
                        covered.setdefault((p.index, d, t + k), []).append(s)
            if not starts:
                terms.append(Term(self.key, ctx.inst.weights.debrief_missing * SCALE, 1))
                continue
            done = ctx.m.new_bool_var(f"debrief_done_{p.index}")
            ctx.m.add(lsum(starts) == done)
            for key, vs in covered.items():
                expr = lsum(vs)
                ctx.deb[key] = expr
                ctx.add_busy(key, expr)
                present = [v for q in supervisors if q is not p for v in ctx.on_shift_at(q, key[2])]
                ctx.m.add(expr <= lsum(present))
            terms.append(Term(self.key, ctx.inst.weights.debrief_missing * SCALE, 1 - done))
        return terms

    def check(self, roster: RosterView) -> Verdict:
        v = self.verdict(roster)
        w = roster.inst.weights.debrief_missing
        for who, entry in roster.staff():
            need = entry.debrief_minutes
            if need <= 0:
                continue
            ok = False
            for s in who.shifts:
                deb = sorted(t for t, a in s.acts.items() if a == Activity.DEBRIEF)
                if len(deb) * roster.step >= need and all(
                    any(Skill.SUPERVISOR in o.skills and o is not who for o, _a in roster.on_at(t))
                    for t in deb
                ):
                    ok = True
            if not ok:
                v.add_points(w)
                v.brk(
                    f"{who.name}'s {need}-minute debrief is not planned while a supervisor is "
                    "on shift",
                    who=who,
                    penalty=w,
                )
        return v
