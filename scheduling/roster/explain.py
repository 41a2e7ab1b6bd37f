"""What a manager reads: flags for shortfalls and broken rules, hire advice, and why a week
cannot keep every hard rule. Words, not solver output."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from scheduling.domain import WEEKDAY_NAMES, Skill
from scheduling.roster.hire_verdict import stays_uncovered
from scheduling.roster.rules import title_of
from scheduling.roster.schema import (
    Activity,
    Conflict,
    CoverageRow,
    Flag,
    HireAdvice,
    HireShift,
    RosterSolution,
    ShortfallReason,
)
from scheduling.roster.week import DAY, Person, Week


def hm(week: Week, minute: int) -> str:
    return f"{week.at(minute):%H:%M}"


def when(week: Week, start: int, end: int) -> str:
    dt = week.at(start)
    return f"{WEEKDAY_NAMES[dt.weekday()]} {dt:%H:%M}-{hm(week, end)}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# ---------------------------------------------------------------- infeasibility


def why_not(week: Week, p: Person, day: int) -> str | None:
    """Why a person cannot take any shift on a day, or None if some shift is open to them."""
    if day in p.leave_days:
        return "on leave"
    if not any(t * week.step // DAY == day for t in p.available):
        return f"not available on {WEEKDAY_NAMES[day]}s"
    if not week.candidates(p, day):
        return "no shift of the allowed length fits their availability"
    return None


def conflict(week: Week, key: tuple[str, str | None, int | None]) -> Conflict:
    rule, staff_id, day = key
    p = week.person(staff_id) if staff_id else None
    on = f" on {WEEKDAY_NAMES[day]}" if day is not None else ""
    who = p.name if p else ""
    message = f"{title_of(rule, week.inst)}: {who}{on}".replace(": on", ":").strip(": ")
    if rule == "skill_cover" and day is not None:
        message = _skill_conflict(week, day)
    elif rule == "contract_hours" and p is not None:
        days = [d for d in range(7) if week.candidates(p, d)]
        message = (
            f"{p.name}'s contract minimum of {p.contract_min / 60:g} h cannot be met alongside "
            f"the other rules: they can work on {len(days)} day(s) this week"
        )
    elif rule == "pinned" and p is not None:
        message = f"{p.name}'s published shift{on} breaks another rule and is pinned"
    return Conflict(
        rule=rule,
        title=title_of(rule, week.inst),
        staff_id=staff_id,
        day=week.date_of(day) if day is not None else None,
        message=message,
    )


def _skill_conflict(week: Week, day: int) -> str:
    covers = [
        c for c in week.inst.skill_covers if max(0, week.minute(c.start)) // DAY == day
    ] or list(week.inst.skill_covers)
    parts = []
    for cover in covers[:1]:
        skill = cover.skill.value.replace("_", " ")
        start, end = week.minute(cover.start), week.minute(cover.end)
        skilled = [p for p in week.people if cover.skill in p.skills]
        head = f"No {skill} can be on shift {when(week, start, end)}"
        if not skilled:
            parts.append(f"{head}: nobody on the staff has the {skill} skill")
            continue
        reasons = [f"{p.name} is {why_not(week, p, day)}" for p in skilled if why_not(week, p, day)]
        free = [p.name for p in skilled if not why_not(week, p, day)]
        tail = "; ".join(reasons)
        if free:
            tail += ("; " if tail else "") + (
                f"{', '.join(free)} would break another rule (days off, rest or contract hours)"
            )
        parts.append(f"{head}: {tail}")
    return " ".join(parts)


def infeasible_message(week: Week, conflicts: Iterable[Conflict]) -> str:
    items = list(conflicts)
    if not items:
        return "The hard rules cannot all be kept this week, and no single cause was isolated."
    return (
        "The hard rules cannot all be kept this week. "
        + " ".join(c.message.rstrip(".") + "." for c in items)
        + " The roster shown drops as few of them as it can."
    )


# ---------------------------------------------------------------- hires


def hire_advice(week: Week, sol: RosterSolution) -> list[HireAdvice]:
    hires = [pr for pr in sol.people if pr.hire_template and pr.shifts]
    if not hires:
        return []
    with_total = sol.shortfall_hours()
    out = []
    templates = {t.key: t for t in week.inst.hire_templates}
    for key, group in groupby(
        sorted(hires, key=lambda pr: pr.hire_template or ""), lambda pr: pr.hire_template
    ):
        members = list(group)
        tpl = templates[key]
        shifts = []
        their_line: dict[int, int] = {}
        for pr in members:
            for s in pr.shifts:
                line = 0
                for seg in s.activities:
                    if seg.activity != Activity.LINE:
                        continue
                    a, b = week.minute(seg.start), week.minute(seg.end)
                    line += b - a
                    for t in range(a // week.step, b // week.step):
                        their_line[t] = their_line.get(t, 0) + 1
                shifts.append(
                    HireShift(day=s.start.date(), start=s.start, end=s.end, line_minutes=line)
                )
        without = 0
        for row in sol.coverage:
            t = week.minute(row.start) // week.step
            without += max(0, row.required - (row.on_line - their_line.get(t, 0)))
        without_h = without * week.step / 60
        line_h = sum(s.line_minutes for s in shifts) / 60
        days = sorted(
            {
                (s.start.weekday(), s.start.strftime("%H:%M"), s.end.strftime("%H:%M"))
                for s in shifts
            }
        )
        pattern = ", ".join(f"{WEEKDAY_NAMES[d][:3]} {a}-{b}" for d, a, b in days)
        message = (
            f"Hire {len(members)} {tpl.name.lower()}{'' if len(members) == 1 else 's'} "
            f"({pattern}): {line_h:g} h on the line. Without them, "
            f"{stays_uncovered(without_h)} (with them: {with_total:g})."
        )
        out.append(
            HireAdvice(
                template=key,
                name=tpl.name,
                count=len(members),
                cost=tpl.cost * len(members),
                shifts=tuple(sorted(shifts, key=lambda s: s.start)),
                line_hours_covered=line_h,
                shortfall_hours_with=with_total,
                shortfall_hours_without=without_h,
                message=message,
            )
        )
    return out


# ---------------------------------------------------------------- flags


def gap_message(sol: RosterSolution) -> str:
    """The optimality gap in points, as the manager can act on it."""
    s = sol.stats
    if s.objective is None or s.best_bound is None:
        return "The roster may be improved; allow more time to find out by how much."
    return (
        f"The roster may be improved: the best possible roster is at most "
        f"{max(0.0, s.objective - s.best_bound):,.0f} points better (of {s.objective:,.0f}); "
        "allow more time to close the gap."
    )


BUSY_ON = {
    Activity.MEAL: ShortfallReason.ON_MEAL,
    Activity.OFFLINE: ShortfallReason.ON_OFFLINE,
    Activity.DECOMPRESSION: ShortfallReason.ON_DECOMPRESSION,
    Activity.DEBRIEF: ShortfallReason.ON_DEBRIEF,
}


def _shortfall_reason(week: Week, sol: RosterSolution, t: int) -> ShortfallReason:
    """Why nobody else takes the line at interval t."""
    minute = t * week.step
    day = minute // DAY
    rostered = {pr.staff_id: pr for pr in sol.people}
    counsellors = [p for p in week.people if Skill.COUNSELLOR in p.skills and p.hire is None]
    if not counsellors:
        return ShortfallReason.NO_COUNSELLORS
    reasons: dict[ShortfallReason, int] = {}
    for p in counsellors:
        pr = rostered.get(p.id)
        line = pr.line_minutes if pr else 0
        shift = (
            next(
                (s for s in pr.shifts if week.minute(s.start) <= minute < week.minute(s.end)), None
            )
            if pr
            else None
        )
        if shift is not None:
            act = next(
                (
                    seg.activity
                    for seg in shift.activities
                    if week.minute(seg.start) <= minute < week.minute(seg.end)
                ),
                Activity.OFFLINE,
            )
            if act == Activity.LINE:
                continue
            r = ShortfallReason.NO_LINE_HOURS if line >= p.line_cap_week else BUSY_ON[act]
        elif day in p.leave_days or t not in p.available:
            r = ShortfallReason.LEAVE
        elif line >= p.line_cap_week:
            r = ShortfallReason.NO_LINE_HOURS
        elif pr and pr.shift_minutes + week.rules.shift_min_minutes > p.contract_max:
            r = ShortfallReason.CONTRACT
        else:
            r = ShortfallReason.REST
        reasons[r] = reasons.get(r, 0) + 1
    if not reasons:
        return ShortfallReason.ALL_ON_LINE
    return max(reasons.items(), key=lambda kv: kv[1])[0]


def _short_runs(week: Week, sol: RosterSolution) -> list[list[tuple[int, CoverageRow]]]:
    """Runs of consecutive short intervals with the same shortfall: one flag each."""
    rows = [(week.minute(r.start) // week.step, r) for r in sol.coverage]
    runs: list[list[tuple[int, CoverageRow]]] = []
    run: list[tuple[int, CoverageRow]] = []
    for t, r in [*rows, (None, None)]:
        if run and (r is None or t != run[-1][0] + 1 or r.shortfall != run[-1][1].shortfall):
            runs.append(run)
            run = []
        if r is not None and t is not None and r.shortfall:
            run.append((t, r))
    return runs


def with_short_reasons(week: Week, sol: RosterSolution) -> RosterSolution:
    """The roster with each short interval's reason set, the reason of its run's first
    interval (what the run's flag says), so no reader has to parse a flag's words."""
    reason_at: dict[int, ShortfallReason] = {}
    for run in _short_runs(week, sol):
        why = _shortfall_reason(week, sol, run[0][0])
        reason_at.update((t, why) for t, _ in run)
    coverage = tuple(
        r.model_copy(update={"short_reason": reason_at.get(week.minute(r.start) // week.step)})
        for r in sol.coverage
    )
    return sol.model_copy(update={"coverage": coverage})


def flags(week: Week, sol: RosterSolution, report) -> list[Flag]:
    out: list[Flag] = []
    if sol.infeasibility is not None:
        out.append(Flag(severity="critical", kind="infeasible", message=sol.infeasibility.message))
    for run in _short_runs(week, sol):
        t0, r0 = run[0]
        end = (run[-1][0] + 1) * week.step
        why = r0.short_reason or _shortfall_reason(week, sol, t0)
        out.append(
            Flag(
                severity="critical" if r0.on_line < week.inst.min_on_duty else "warning",
                kind="shortfall",
                message=f"{when(week, t0 * week.step, end)}: "
                f"{_plural(r0.shortfall, 'counsellor')} short; {why.value}",
                start=r0.start,
                end=week.at(end),
            )
        )
    rows = [(week.minute(r.start) // week.step, r) for r in sol.coverage]
    duty_short = [(t, r) for t, r in rows if r.on_duty < week.inst.min_on_duty]
    for _, grp in groupby(enumerate(duty_short), key=lambda x: x[1][0] - x[0]):
        items = [x[1] for x in grp]
        t0, r0 = items[0]
        end = (items[-1][0] + 1) * week.step
        out.append(
            Flag(
                severity="critical",
                kind="below_min_on_duty",
                message=f"{when(week, t0 * week.step, end)}: only {r0.on_duty} on duty, "
                f"fewer than {week.inst.min_on_duty}; nobody should be alone",
                start=r0.start,
                end=week.at(end),
            )
        )
    for b in report.breaks:
        if b.rule in ("coverage", "min_on_duty"):
            continue
        out.append(
            Flag(
                severity="critical" if b.hard else "info",
                kind="rule",
                message=f"{b.title}: {b.message}",
                staff_id=b.staff_id,
            )
        )
    for advice in sol.hires:
        out.append(Flag(severity="warning", kind="hire", message=advice.message))
    if sol.stats.status == "FEASIBLE" and sol.stats.gap and sol.stats.gap > 0.05:
        out.append(
            Flag(
                severity="info",
                kind="solver",
                message=gap_message(sol),
            )
        )
    return out
