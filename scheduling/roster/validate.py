"""Solver-free check of a roster against its instance: every rule, hard and soft, from the
files alone. It shares only the time grid with the model, so a modelling mistake shows here.

`validate(instance, solution)` lists each broken rule (hard/soft, person, day, amount) and the
penalty points of every soft rule; the points add up to the objective the solver reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from scheduling.domain import WEEKDAY_NAMES, Skill
from scheduling.languages import language_name
from scheduling.roster.catalogue import HARD, title
from scheduling.roster.schema import Activity, RosterInstance, RosterSolution, RuleBreak
from scheduling.roster.week import DAY, Week


@dataclass
class _Shift:
    start: int
    end: int
    acts: dict[int, Activity]  # interval -> activity (every interval of the shift)
    seg_errors: list[str] = field(default_factory=list)

    @property
    def day(self) -> int:
        return self.start // DAY

    def minutes(self, activity: Activity) -> int:
        return sum(1 for a in self.acts.values() if a == activity)


@dataclass
class _Who:
    id: str
    name: str
    skills: frozenset[Skill]
    languages: frozenset[str]
    hire_key: str | None
    entry: object | None  # StaffEntry for staff
    shifts: list[_Shift]


@dataclass
class ValidationReport:
    breaks: list[RuleBreak]
    points: dict[str, float]  # penalty points per soft rule

    @property
    def hard(self) -> list[RuleBreak]:
        return [b for b in self.breaks if b.hard]

    @property
    def soft(self) -> list[RuleBreak]:
        return [b for b in self.breaks if not b.hard]

    @property
    def objective(self) -> float:
        return sum(self.points.values())


class _Check:
    def __init__(self, inst: RosterInstance, sol: RosterSolution) -> None:
        self.inst = inst
        self.week = Week(inst)
        self.step = inst.interval_minutes
        self.breaks: list[RuleBreak] = []
        self.points: dict[str, float] = {}
        self.people = self._people(sol)

    # ---- helpers
    def fmt(self, minute: int) -> str:
        dt = self.week.at(minute)
        return f"{WEEKDAY_NAMES[dt.weekday()]} {dt:%H:%M}"

    def day(self, d: int) -> date:
        return self.week.date_of(d)

    def brk(
        self,
        rule: str,
        message: str,
        *,
        who: _Who | None = None,
        day: int | None = None,
        amount: float = 0,
        unit: str = "",
        penalty: float = 0,
        start: int | None = None,
    ):
        self.breaks.append(
            RuleBreak(
                rule=rule,
                title=title(rule, self.inst),
                hard=HARD[rule],
                staff_id=who.id if who else None,
                day=self.day(day) if day is not None else None,
                start=self.week.at(start) if start is not None else None,
                amount=amount,
                unit=unit,
                penalty=penalty,
                message=message,
            )
        )

    def add_points(self, rule: str, value: float) -> None:
        self.points[rule] = self.points.get(rule, 0.0) + value

    def _people(self, sol: RosterSolution) -> list[_Who]:
        entries = {e.id: e for e in self.inst.staff}
        templates = {t.key: t for t in self.inst.hire_templates}
        out = []
        for pr in sol.people:
            entry = entries.get(pr.staff_id)
            tpl = templates.get(pr.hire_template) if pr.hire_template else None
            if entry is None and tpl is None:
                who = _Who(pr.staff_id, pr.display_name, frozenset(), frozenset(), None, None, [])
                self.brk("availability", f"{pr.staff_id} is not on the staff list", who=who)
                continue
            if entry is not None:
                skills, langs = entry.member.skills, frozenset(entry.member.languages)
            else:
                skills, langs = tpl.skills, frozenset(tpl.languages)
            who = _Who(
                pr.staff_id, pr.display_name, skills, langs, tpl.key if tpl else None, entry, []
            )
            for rs in pr.shifts:
                s = _Shift(self.week.minute(rs.start), self.week.minute(rs.end), {})
                pos = s.start
                for seg in rs.activities:
                    a, b = self.week.minute(seg.start), self.week.minute(seg.end)
                    if a != pos or b <= a:
                        s.seg_errors.append(f"activity at {self.fmt(a)} leaves a gap or overlaps")
                    for t in range(a // self.step, -(-b // self.step)):
                        s.acts[t] = seg.activity
                    pos = b
                if rs.activities and pos != s.end:
                    s.seg_errors.append(
                        f"activities end at {self.fmt(pos)}, the shift at {self.fmt(s.end)}"
                    )
                for t in range(s.start // self.step, s.end // self.step):
                    s.acts.setdefault(t, Activity.OFFLINE)
                who.shifts.append(s)
            who.shifts.sort(key=lambda x: x.start)
            out.append(who)
        listed = {w.id for w in out}
        for e in self.inst.staff:  # staff without a shift still count for fairness
            if e.id not in listed:
                mem = e.member
                out.append(
                    _Who(e.id, mem.display_name, mem.skills, frozenset(mem.languages), None, e, [])
                )
        return out

    def staff(self) -> Iterator[tuple[_Who, object]]:
        for who in self.people:
            if who.entry is not None:
                yield who, who.entry

    def work_days(self, who: _Who) -> set[int]:
        return {s.day for s in who.shifts}

    def on_at(self, t: int) -> list[tuple[_Who, Activity]]:
        return self._on.get(t, [])

    @property
    def _on(self) -> dict[int, list[tuple[_Who, Activity]]]:
        cached = getattr(self, "_on_cache", None)
        if cached is None:
            cached = {}
            for who in self.people:
                for s in who.shifts:
                    for t, a in s.acts.items():
                        cached.setdefault(t, []).append((who, a))
            self._on_cache = cached
        return cached


CHECKS: dict[str, Callable[[_Check], None]] = {}


def check(key: str):
    def register(fn: Callable[[_Check], None]) -> Callable[[_Check], None]:
        CHECKS[key] = fn
        return fn

    return register


@check("availability")
def _availability(c: _Check) -> None:
    for who, entry in c.staff():
        mem = entry.member
        for s in who.shifts:
            for d in range(s.day, (s.end - 1) // DAY + 1):
                if mem.on_leave(c.day(d)):
                    c.brk(
                        "availability",
                        f"{who.name} works {c.fmt(s.start)} while on leave",
                        who=who,
                        day=s.day,
                    )
            if mem.availability:
                bad = [
                    t
                    for t in range(s.start // c.step, s.end // c.step)
                    if not any(
                        w.weekday == (t * c.step // DAY) % 7
                        and w.start_minute <= t * c.step % DAY
                        and t * c.step % DAY + c.step <= w.end_minute
                        for w in mem.availability
                    )
                ]
                if bad:
                    c.brk(
                        "availability",
                        f"{who.name} works {c.fmt(bad[0] * c.step)} outside their availability",
                        who=who,
                        day=s.day,
                        amount=len(bad) * c.step,
                        unit="minutes",
                    )


@check("one_shift_per_day")
def _one_a_day(c: _Check) -> None:
    for who in c.people:
        seen: dict[int, int] = {}
        for s in who.shifts:
            seen[s.day] = seen.get(s.day, 0) + 1
        for d, n in seen.items():
            if n > 1:
                c.brk(
                    "one_shift_per_day",
                    f"{who.name} has {n} shifts on {WEEKDAY_NAMES[d]}",
                    who=who,
                    day=d,
                    amount=n,
                    unit="shifts",
                )


@check("shift_length")
def _length(c: _Check) -> None:
    r = c.inst.rules
    for who in c.people:
        for s in who.shifts:
            length = s.end - s.start
            if not r.shift_min_minutes <= length <= r.shift_max_minutes:
                c.brk(
                    "shift_length",
                    f"{who.name}'s shift at {c.fmt(s.start)} lasts {length / 60:g} h",
                    who=who,
                    day=s.day,
                    amount=length,
                    unit="minutes",
                )
            if s.start % r.shift_start_step_minutes:
                c.brk(
                    "shift_length",
                    f"{who.name}'s shift starts at {c.fmt(s.start)}",
                    who=who,
                    day=s.day,
                )


@check("rest_between_shifts")
def _rest(c: _Check) -> None:
    rest = c.inst.rules.min_rest_minutes
    for who in c.people:
        ends = []
        if who.entry is not None and who.entry.previous_shift_end is not None:
            ends.append(c.week.minute(who.entry.previous_shift_end))
        for s in who.shifts:
            if ends and s.start - ends[-1] < rest:
                gap = s.start - ends[-1]
                c.brk(
                    "rest_between_shifts",
                    f"{who.name} has {gap / 60:g} h rest before {c.fmt(s.start)}",
                    who=who,
                    day=s.day,
                    amount=rest - gap,
                    unit="minutes",
                )
            ends.append(s.end)


@check("consecutive_days")
def _consecutive(c: _Check) -> None:
    limit = c.inst.rules.max_consecutive_days
    for who in c.people:
        run = who.entry.days_worked_before_week if who.entry is not None else 0
        days = c.work_days(who)
        for d in range(7):
            run = run + 1 if d in days else 0
            if run > limit and (d + 1 not in days or d == 6):
                c.brk(
                    "consecutive_days",
                    f"{who.name} works {run} days in a row to {WEEKDAY_NAMES[d]}",
                    who=who,
                    day=d,
                    amount=run - limit,
                    unit="days",
                )


@check("days_off")
def _days_off(c: _Check) -> None:
    need = c.inst.rules.min_days_off_week
    for who in c.people:
        off = 7 - len(c.work_days(who))
        if off < need:
            c.brk(
                "days_off",
                f"{who.name} has {off} days off",
                who=who,
                amount=need - off,
                unit="days",
            )


@check("contract_hours")
def _contract(c: _Check) -> None:
    templates = {t.key: t for t in c.inst.hire_templates}
    for who in c.people:
        total = sum(s.end - s.start for s in who.shifts)
        if who.entry is not None:
            mem = who.entry.member
            leave = sum(1 for d in range(7) if mem.on_leave(c.day(d)))
            lo, hi = mem.contract_minutes_min * (7 - leave) // 7, mem.contract_minutes_max
        elif who.hire_key is not None and who.shifts:
            tpl = templates[who.hire_key]
            lo, hi = tpl.contract_minutes_min, tpl.contract_minutes_max
        else:
            continue
        if total < lo:
            c.brk(
                "contract_hours",
                f"{who.name} has {total / 60:g} h, below the contract minimum of {lo / 60:g} h",
                who=who,
                amount=lo - total,
                unit="minutes",
            )
        if total > hi:
            c.brk(
                "contract_hours",
                f"{who.name} has {total / 60:g} h, above the contract maximum of {hi / 60:g} h",
                who=who,
                amount=total - hi,
                unit="minutes",
            )


def _caps(c: _Check, who: _Who) -> tuple[int, int]:
    day_cap = c.inst.rules.line_max_minutes_day
    if who.entry is None:
        tpl = next(t for t in c.inst.hire_templates if t.key == who.hire_key)
        return day_cap, tpl.line_cap_minutes_week
    e = who.entry
    week_cap = e.member.line_cap_minutes_week
    if e.line_cap_minutes_week is not None:
        week_cap = min(week_cap, e.line_cap_minutes_week)
    if e.line_cap_minutes_day is not None:
        day_cap = min(day_cap, e.line_cap_minutes_day)
    return day_cap, week_cap


@check("line_hours")
def _line(c: _Check) -> None:
    for who in c.people:
        if who.hire_key is None and who.entry is None:
            continue
        day_cap, week_cap = _caps(c, who)
        total = 0
        for s in who.shifts:
            line = s.minutes(Activity.LINE) * c.step
            total += line
            if line > day_cap:
                c.brk(
                    "line_hours",
                    f"{who.name} is on the line {line / 60:g} h on {WEEKDAY_NAMES[s.day]}",
                    who=who,
                    day=s.day,
                    amount=line - day_cap,
                    unit="minutes",
                )
        if total > week_cap:
            c.brk(
                "line_hours",
                f"{who.name} is on the line {total / 60:g} h this week, cap {week_cap / 60:g} h",
                who=who,
                amount=total - week_cap,
                unit="minutes",
            )


@check("meal_break")
def _meal(c: _Check) -> None:
    r = c.inst.rules
    if r.meal_break_minutes == 0:
        return
    for who in c.people:
        for s in who.shifts:
            if s.end - s.start <= r.meal_break_if_shift_over_minutes:
                continue
            meal = sorted(t for t, a in s.acts.items() if a == Activity.MEAL)
            where = f"{who.name}'s shift at {c.fmt(s.start)}"
            if len(meal) * c.step < r.meal_break_minutes:
                c.brk(
                    "meal_break",
                    f"{where} has no {r.meal_break_minutes}-minute meal break",
                    who=who,
                    day=s.day,
                    amount=r.meal_break_minutes - len(meal) * c.step,
                    unit="minutes",
                )
                continue
            first, last = meal[0] * c.step, (meal[-1] + 1) * c.step
            if last - first != len(meal) * c.step:
                c.brk("meal_break", f"{where} has its meal break in pieces", who=who, day=s.day)
            if first < s.start + r.meal_break_earliest_minutes or (
                last > s.start + r.meal_break_latest_end_minutes
            ):
                c.brk(
                    "meal_break",
                    f"{where} has its meal break at {c.fmt(first)}, outside the allowed window",
                    who=who,
                    day=s.day,
                )


@check("decompression")
def _decompression(c: _Check) -> None:
    for who, entry in c.staff():
        need = entry.decompression_minutes_per_shift
        for s in who.shifts:
            got = s.minutes(Activity.DECOMPRESSION) * c.step
            if got < need:
                c.brk(
                    "decompression",
                    f"{who.name}'s shift at {c.fmt(s.start)} has {got} of "
                    f"{need} minutes of decompression",
                    who=who,
                    day=s.day,
                    amount=need - got,
                    unit="minutes",
                )


@check("activities")
def _activities(c: _Check) -> None:
    for who in c.people:
        for s in who.shifts:
            for msg in s.seg_errors:
                c.brk("activities", f"{who.name}: {msg}", who=who, day=s.day)
            lines = [t for t, a in s.acts.items() if a == Activity.LINE]
            if lines and Skill.COUNSELLOR not in who.skills:
                c.brk(
                    "activities",
                    f"{who.name} is on the line without the counsellor skill",
                    who=who,
                    day=s.day,
                )
            closed = [t for t in lines if t not in c.week.required]
            if closed:
                c.brk(
                    "activities",
                    f"{who.name} is on the line at {c.fmt(closed[0] * c.step)} "
                    "while the line is closed",
                    who=who,
                    day=s.day,
                )


@check("skill_cover")
def _skills(c: _Check) -> None:
    w = c.inst.weights.skill_short_per_hour
    for cover in c.inst.skill_covers:
        start, end = c.week.minute(cover.start), c.week.minute(cover.end)
        day = max(0, start) // DAY
        label = f"{cover.skill.value.replace('_', ' ')} on shift {c.fmt(start)}-{c.fmt(end)[-5:]}"
        skilled = [who for who in c.people if cover.skill in who.skills]
        if cover.mode == "some_time":
            n = sum(
                1 for who in skilled if any(s.start < end and start < s.end for s in who.shifts)
            )
            short = [(start, max(0, cover.count - n), end - start)]
        else:
            short = []
            for t in c.week.intervals_of(start, end):
                n = sum(1 for who, _a in c.on_at(t) if cover.skill in who.skills)
                short.append((t * c.step, max(0, cover.count - n), c.step))
        missing = [(m, k, mins) for m, k, mins in short if k > 0]
        if not missing:
            continue
        penalty = 0.0 if cover.hard else sum(w * k * mins / 60 for _m, k, mins in missing)
        c.add_points("skill_cover", penalty)
        minutes = sum(mins for _m, _k, mins in missing)
        c.brk(
            "skill_cover",
            f"No {label} (missing from {c.fmt(missing[0][0])}"
            f"{', ' + cover.reason if cover.reason else ''})",
            day=day,
            amount=minutes,
            unit="minutes",
            penalty=penalty,
        )
        if not cover.hard:
            c.breaks[-1] = c.breaks[-1].model_copy(update={"hard": False})


@check("language_cover")
def _languages(c: _Check) -> None:
    w = c.inst.weights.language_short_per_hour
    for cover in c.inst.language_covers:
        start, end = c.week.minute(cover.start), c.week.minute(cover.end)
        short = 0
        first = None
        for t in c.week.intervals_of(start, end):
            if t not in c.week.required:
                continue
            n = sum(
                1 for who, a in c.on_at(t) if a == Activity.LINE and cover.language in who.languages
            )
            if n < cover.count:
                short += cover.count - n
                first = first if first is not None else t
        if short:
            penalty = 0.0 if cover.hard else w * short * c.step / 60
            c.add_points("language_cover", penalty)
            c.brk(
                "language_cover",
                f"{short * c.step / 60:g} h without a {language_name(cover.language)} "
                f"speaker on the line, from {c.fmt(first * c.step)}",
                day=first * c.step // DAY,
                amount=short * c.step,
                unit="minutes",
                penalty=penalty,
            )
            if cover.hard:
                c.breaks[-1] = c.breaks[-1].model_copy(update={"hard": True})


@check("pinned")
def _pinned(c: _Check) -> None:
    if c.week.pin_minute is None:
        return
    by_id = {who.id: who for who in c.people}
    for ps in c.inst.published:
        start = c.week.minute(ps.start)
        if start >= c.week.pin_minute:
            continue
        who = by_id.get(ps.staff_id)
        end = c.week.minute(ps.end)
        match = (
            next((s for s in who.shifts if s.start == start and s.end == end), None)
            if who
            else None
        )
        name = who.name if who else ps.staff_id
        if match is None:
            c.brk(
                "pinned",
                f"{name}'s published shift at {c.fmt(start)} was changed",
                who=who,
                day=start // DAY,
            )
            continue
        for seg in ps.activities:
            a, b = c.week.minute(seg.start), c.week.minute(seg.end)
            if any(match.acts.get(t) != seg.activity for t in range(a // c.step, b // c.step)):
                c.brk(
                    "pinned",
                    f"{name}'s published {seg.activity.value} at {c.fmt(a)} was changed",
                    who=who,
                    day=start // DAY,
                )
                break


@check("coverage")
def _coverage(c: _Check) -> None:
    w = c.inst.weights.shortfall_per_hour
    for t, need in sorted(c.week.required.items()):
        on_line = sum(1 for _who, a in c.on_at(t) if a == Activity.LINE)
        short = max(0, need - on_line)
        if short:
            penalty = w * short * c.step / 60
            c.add_points("coverage", penalty)
            c.brk(
                "coverage",
                f"{c.fmt(t * c.step)}: {short} counsellor(s) short on the line",
                day=t * c.step // DAY,
                start=t * c.step,
                amount=short,
                unit="counsellors",
                penalty=penalty,
            )


@check("min_on_duty")
def _duty(c: _Check) -> None:
    floor = c.inst.min_on_duty
    w = c.inst.weights.below_min_on_duty_per_hour
    for t in sorted(c.week.required):
        duty = sum(1 for _who, a in c.on_at(t) if a != Activity.MEAL)
        below = max(0, floor - duty)
        if below:
            penalty = w * below * c.step / 60
            c.add_points("min_on_duty", penalty)
            c.brk(
                "min_on_duty",
                f"{c.fmt(t * c.step)}: only {duty} on duty",
                day=t * c.step // DAY,
                start=t * c.step,
                amount=below,
                unit="people",
                penalty=penalty,
            )


@check("debrief")
def _debrief(c: _Check) -> None:
    w = c.inst.weights.debrief_missing
    for who, entry in c.staff():
        need = entry.debrief_minutes
        if need <= 0:
            continue
        ok = False
        for s in who.shifts:
            deb = sorted(t for t, a in s.acts.items() if a == Activity.DEBRIEF)
            if len(deb) * c.step >= need and all(
                any(Skill.SUPERVISOR in o.skills and o is not who for o, _a in c.on_at(t))
                for t in deb
            ):
                ok = True
        if not ok:
            c.add_points("debrief", w)
            c.brk(
                "debrief",
                f"{who.name}'s {need}-minute debrief is not planned while a supervisor is on shift",
                who=who,
                penalty=w,
            )


def _spread(
    c: _Check, rule: str, loads: dict[str, tuple[_Who, float]], weight: float, unit: str, what: str
) -> None:
    if not loads:
        return
    top_who, top = max(loads.values(), key=lambda x: x[1])
    low = min(v for _w, v in loads.values())
    c.add_points(rule, weight * top)
    if top - low >= 2:
        c.brk(
            rule,
            f"{top_who.name} has {top:g} {what}; someone else has {low:g}",
            who=top_who,
            amount=top - low,
            unit=unit,
            penalty=weight * top,
        )


def _could_work(entry, weekdays: set[int], after_minute: int = 0) -> bool:
    mem = entry.member
    if not mem.availability:
        return True
    return any(w.weekday in weekdays and w.end_minute > after_minute for w in mem.availability)


@check("fair_weekends")
def _weekends(c: _Check) -> None:
    loads = {
        w.id: (w, len(c.work_days(w) & {5, 6}))
        for w, e in c.staff()
        if _could_work(e, {5, 6}) and not all(e.member.on_leave(c.day(d)) for d in (5, 6))
    }
    _spread(c, "fair_weekends", loads, c.inst.weights.weekend_days_max, "days", "weekend days")


@check("fair_late_shifts")
def _late(c: _Check) -> None:
    late_end = c.inst.late_shift_end_minute
    loads = {
        w.id: (w, sum(1 for s in w.shifts if s.end - s.day * DAY > late_end))
        for w, e in c.staff()
        if _could_work(e, set(range(7)), late_end)
    }
    _spread(c, "fair_late_shifts", loads, c.inst.weights.late_shifts_max, "shifts", "late shifts")


@check("fair_peaks")
def _peaks(c: _Check) -> None:
    peak = c.week.peak
    if not peak:
        return
    loads = {}
    for w, _e in c.staff():
        if Skill.COUNSELLOR not in w.skills:
            continue
        n = sum(1 for s in w.shifts for t, a in s.acts.items() if a == Activity.LINE and t in peak)
        loads[w.id] = (w, n * c.step / 60)
    _spread(
        c, "fair_peaks", loads, c.inst.weights.peak_hours_max, "hours", "peak hours on the line"
    )


def line_switches(shift: _Shift, required: dict[int, int]) -> int:
    """Changes on/off the line inside a shift, leaving out a meal break's edges and intervals
    where the line is closed (the shift's own start and end are never counted)."""
    n = 0
    acts = shift.acts
    for t in sorted(acts):
        a, b = acts[t], acts.get(t + 1)
        if b is None or t not in required or t + 1 not in required:
            continue
        if Activity.MEAL in (a, b):
            continue
        n += (a == Activity.LINE) != (b == Activity.LINE)
    return n


@check("line_blocks")
def _line_blocks(c: _Check) -> None:
    w = c.inst.weights.line_switch
    for who in c.people:
        counts = [(s, line_switches(s, c.week.required)) for s in who.shifts]
        total = sum(n for _s, n in counts)
        if not total or not w:
            continue
        c.add_points("line_blocks", w * total)
        worst, most = max(counts, key=lambda x: x[1])
        if most > 2:  # one offline stretch in a line block is two switches, and fine
            c.brk(
                "line_blocks",
                f"{who.name} switches on and off the line {total} times this week "
                f"({most} in the shift at {c.fmt(worst.start)})",
                who=who,
                day=worst.day,
                amount=total,
                unit="switches",
                penalty=w * total,
            )


@check("preferences")
def _preferences(c: _Check) -> None:
    scale = c.inst.weights.preference_scale
    for who, entry in c.staff():
        for pref in entry.preferences:
            lo = pref.weekday * DAY + pref.start_minute
            hi = pref.weekday * DAY + pref.end_minute
            hit = any(s.day == pref.weekday and s.start < hi and lo < s.end for s in who.shifts)
            if hit == (pref.kind == "avoid"):
                penalty = pref.weight * scale
                c.add_points("preferences", penalty)
                wish = "not to work" if pref.kind == "avoid" else "to work"
                c.brk(
                    "preferences",
                    f"{who.name} asked {wish} {WEEKDAY_NAMES[pref.weekday]} "
                    f"{pref.start_minute // 60:02d}:{pref.start_minute % 60:02d}-"
                    f"{pref.end_minute // 60:02d}:{pref.end_minute % 60:02d}",
                    who=who,
                    day=pref.weekday,
                    amount=1,
                    unit="wishes",
                    penalty=penalty,
                )


@check("stability")
def _stability(c: _Check) -> None:
    if not c.inst.published:
        return
    pin = c.week.pin_minute if c.week.pin_minute is not None else -1
    w = c.inst.weights.changed_shift
    for who, _e in c.staff():
        old = {s.day: s for s in c.week.published.get(who.id, [])}
        new = {s.day: s for s in who.shifts}
        for d in range(7):
            o, n = old.get(d), new.get(d)
            if o is not None and o.start < pin:
                continue
            if n is not None and n.start < pin:
                continue
            if o is None and n is None:
                continue
            if o is not None and n is not None and (o.start, o.end) == (n.start, n.end):
                continue
            c.add_points("stability", w)
            what = "added" if o is None else "removed" if n is None else "moved"
            c.brk(
                "stability",
                f"{who.name}'s {WEEKDAY_NAMES[d]} shift {what} vs the published roster",
                who=who,
                day=d,
                amount=1,
                unit="shifts",
                penalty=w,
            )


@check("rostered_hours")
def _hours(c: _Check) -> None:
    minutes = sum(s.end - s.start for who in c.people for s in who.shifts)
    c.add_points("rostered_hours", c.inst.weights.rostered_hour * minutes / 60)


@check("hire_cost")
def _hire_cost(c: _Check) -> None:
    costs = {t.key: t.cost for t in c.inst.hire_templates}
    total = sum(costs[w.hire_key] for w in c.people if w.hire_key and w.shifts)
    c.add_points("hire_cost", float(total))


def validate(inst: RosterInstance, sol: RosterSolution) -> ValidationReport:
    c = _Check(inst, sol)
    for fn in CHECKS.values():
        fn(c)
    return ValidationReport(c.breaks, c.points)
