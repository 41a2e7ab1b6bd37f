"""The instance compiled for the model and the validator: a grid of minutes from the start of
the week, the people (staff and hire slots) and the shifts each person could work.

Minutes count elapsed time from Monday 00:00 local; a week with a daylight-saving change keeps
elapsed time (rest, lengths) right and shows wall-clock times in the files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property

from scheduling.domain import Skill, StaffMember
from scheduling.roster.schema import HireTemplate, PlannedShift, Preference, RosterInstance

DAY = 1440
WEEK = 7 * DAY


@dataclass(frozen=True, order=True)
class Shift:
    """[start, end) in week minutes; its day is the day it starts."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start

    @property
    def day(self) -> int:
        return self.start // DAY

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


@dataclass
class Person:
    index: int
    id: str
    name: str
    skills: frozenset[Skill]
    languages: frozenset[str]
    contract_min: int  # after leave; a hire's applies only if hired
    contract_max: int
    line_cap_week: int
    line_cap_day: int
    decompression: int  # minutes per shift
    debrief: int  # minutes once in the week
    preferences: tuple[Preference, ...] = ()
    previous_end: int | None = None  # week minutes (negative: before the week)
    days_before: int = 0
    hire: HireTemplate | None = None
    available: frozenset[int] = frozenset()  # open interval indices the person may work
    leave_days: frozenset[int] = frozenset()
    signature: tuple = field(default=())  # equal signatures = interchangeable people

    @property
    def counsellor(self) -> bool:
        return Skill.COUNSELLOR in self.skills


class Week:
    def __init__(self, inst: RosterInstance) -> None:
        self.inst = inst
        self.tz = inst.tz
        self.step = inst.interval_minutes
        self.rules = inst.rules
        self.origin_utc = datetime.combine(inst.week_start, time(0), self.tz).astimezone(UTC)
        self.required: dict[int, int] = {}
        self.peak: set[int] = set()
        for slot in inst.intervals:
            m = self.minute(slot.start)
            if m % self.step or not 0 <= m < WEEK:
                raise ValueError(
                    f"interval {slot.start.isoformat()}: not on a {self.step}-minute boundary "
                    f"of the week starting {inst.week_start}"
                )
            self.required[m // self.step] = slot.required
            if slot.peak:
                self.peak.add(m // self.step)
        self.open = sorted(self.required)
        self.n_intervals = WEEK // self.step
        self.pin_minute = self.minute(inst.pin_before) if inst.pin_before else None
        self.replan_until_minute = (
            self.minute(inst.replan_until) if inst.replan_until is not None else None
        )
        self._candidates: dict[tuple[int, str, int], list[Shift]] = {}

    # ---- time
    def minute(self, dt: datetime) -> int:
        return int((dt.astimezone(UTC) - self.origin_utc).total_seconds() // 60)

    def at(self, minute: int) -> datetime:
        return (self.origin_utc + timedelta(minutes=minute)).astimezone(self.tz)

    def date_of(self, day: int) -> date:
        return self.inst.week_start + timedelta(days=day)

    def intervals_of(self, start: int, end: int) -> range:
        return range(start // self.step, -(-end // self.step))

    def day_of_interval(self, t: int) -> int:
        return t * self.step // DAY

    @cached_property
    def open_days(self) -> list[int]:
        return sorted({self.day_of_interval(t) for t in self.open})

    def is_late(self, shift: Shift) -> bool:
        return shift.end - shift.day * DAY > self.inst.late_shift_end_minute

    # ---- shifts
    @cached_property
    def shift_types(self) -> dict[int, list[Shift]]:
        """Every shift of an allowed length that starts on the half hour inside opening hours."""
        r = self.rules
        step = r.shift_start_step_minutes
        lengths = range(r.shift_min_minutes, r.shift_max_minutes + 1, step)
        open_set = set(self.open)
        out: dict[int, list[Shift]] = {d: [] for d in range(7)}
        for start in range(0, WEEK, step):
            if start // self.step not in open_set:
                continue
            for length in lengths:
                end = start + length
                if end > WEEK:
                    break
                if all(t in open_set for t in self.intervals_of(start, end)):
                    out[start // DAY].append(Shift(start, end))
        return out

    @cached_property
    def people(self) -> list[Person]:
        people = [self._staff_person(n, e) for n, e in enumerate(self.inst.staff)]
        if self.inst.options.allow_hires:
            for tpl in self.inst.hire_templates:
                for k in range(tpl.max_count):
                    people.append(self._hire_person(len(people), tpl, k))
        return people

    def _available(self, member: StaffMember | None) -> frozenset[int]:
        if member is None or not member.availability:
            return frozenset(self.open)
        ok = set()
        for t in self.open:
            m = t * self.step
            day, mod = divmod(m, DAY)
            for w in member.availability:
                if (
                    w.weekday == day % 7
                    and w.start_minute <= mod
                    and mod + self.step <= w.end_minute
                ):
                    ok.add(t)
        return frozenset(ok)

    def _staff_person(self, n: int, entry) -> Person:
        mem = entry.member
        leave = frozenset(d for d in range(7) if mem.on_leave(self.date_of(d)))
        # Leave counts towards the contract: the minimum shrinks with the days away.
        cmin = mem.contract_minutes_min * (7 - len(leave)) // 7
        cap_week = mem.line_cap_minutes_week
        if entry.line_cap_minutes_week is not None:
            cap_week = min(cap_week, entry.line_cap_minutes_week)
        cap_day = self.rules.line_max_minutes_day
        if entry.line_cap_minutes_day is not None:
            cap_day = min(cap_day, entry.line_cap_minutes_day)
        prev = self.minute(entry.previous_shift_end) if entry.previous_shift_end else None
        p = Person(
            index=n,
            id=mem.id,
            name=mem.display_name,
            skills=mem.skills,
            languages=frozenset(mem.languages),
            contract_min=cmin,
            contract_max=mem.contract_minutes_max,
            line_cap_week=cap_week,
            line_cap_day=cap_day,
            decompression=entry.decompression_minutes_per_shift,
            debrief=entry.debrief_minutes,
            preferences=entry.preferences,
            previous_end=prev,
            days_before=entry.days_worked_before_week,
            available=self._available(mem),
            leave_days=leave,
        )
        published = any(s.staff_id == mem.id for s in self.inst.published)
        if not (
            entry.preferences or published or prev is not None or entry.days_worked_before_week
        ):
            p.signature = (
                "staff",
                tuple(sorted(mem.skills)),
                tuple(sorted(mem.languages)),
                cmin,
                mem.contract_minutes_max,
                cap_week,
                cap_day,
                p.decompression,
                p.debrief,
                p.available,
                leave,
            )
        return p

    def _hire_person(self, n: int, tpl: HireTemplate, k: int) -> Person:
        return Person(
            index=n,
            id=f"hire:{tpl.key}:{k + 1}",
            name=f"{tpl.name} (hire {k + 1})",
            skills=tpl.skills,
            languages=frozenset(tpl.languages),
            contract_min=tpl.contract_minutes_min,
            contract_max=tpl.contract_minutes_max,
            line_cap_week=tpl.line_cap_minutes_week,
            line_cap_day=self.rules.line_max_minutes_day,
            decompression=0,
            debrief=0,
            hire=tpl,
            available=frozenset(self.open),
            signature=("hire", tpl.key),
        )

    def person(self, staff_id: str) -> Person | None:
        return next((p for p in self.people if p.id == staff_id), None)

    # ---- published roster
    @cached_property
    def published(self) -> dict[str, list[Shift]]:
        out: dict[str, list[Shift]] = {}
        for s in self.inst.published:
            out.setdefault(s.staff_id, []).append(Shift(self.minute(s.start), self.minute(s.end)))
        return out

    def is_pinned_start(self, start: int) -> bool:
        """A published shift starting here stays as published: before the pin moment, or at or
        after the end of a re-plan window."""
        if self.pin_minute is not None and start < self.pin_minute:
            return True
        return self.replan_until_minute is not None and start >= self.replan_until_minute

    def activity_pinned(self, shift_start: int, t: int) -> bool:
        """Whether interval t of a pinned shift keeps its published activity. A re-plan of the
        rest of a day may change what a shift under way does after the pin moment."""
        if self.inst.keep_activities_after_pin or self.pin_minute is None:
            return True
        if shift_start >= self.pin_minute:  # pinned for starting after the re-plan window
            return True
        return t * self.step < self.pin_minute

    @cached_property
    def hand_pinned(self) -> dict[str, list[Shift]]:
        out: dict[str, list[Shift]] = {}
        for s in self.inst.hand_pinned:
            out.setdefault(s.staff_id, []).append(Shift(self.minute(s.start), self.minute(s.end)))
        return out

    @cached_property
    def hand_removed(self) -> dict[str, list[Shift]]:
        out: dict[str, list[Shift]] = {}
        for s in self.inst.hand_removed:
            out.setdefault(s.staff_id, []).append(Shift(self.minute(s.start), self.minute(s.end)))
        return out

    def fixed_shifts(self) -> list[tuple[PlannedShift, bool]]:
        """The shifts a solve keeps exactly: published ones the pin moment or the re-plan window
        fixes, then those a manager placed by hand. The flag says whether every activity of
        the shift is fixed too (a hand-placed shift's always are)."""
        out: list[tuple[PlannedShift, bool]] = []
        if self.pin_minute is not None or self.replan_until_minute is not None:
            out.extend(
                (s, False)
                for s in self.inst.published
                if self.is_pinned_start(self.minute(s.start))
            )
        out.extend((s, True) for s in self.inst.hand_pinned)
        return out

    def pinned(self, person: Person) -> list[Shift]:
        out = list(self.hand_pinned.get(person.id, []))
        if self.pin_minute is None and self.replan_until_minute is None:
            return out
        published = self.published.get(person.id, [])
        return [s for s in published if self.is_pinned_start(s.start) and s not in out] + out

    def can_work(self, person: Person, shift: Shift) -> bool:
        if any(d in person.leave_days for d in range(shift.day, (shift.end - 1) // DAY + 1)):
            return False
        if len(person.available) == len(self.open):  # available whenever open
            return True
        return all(t in person.available for t in self.intervals_of(shift.start, shift.end))

    def candidates(self, person: Person, day: int) -> list[Shift]:
        """Shifts the person may be given on a day: available, on no leave, and not in the
        pinned past unless it is the pinned shift itself. Cached: callers must not mutate."""
        key = (person.index, person.id, day)
        cached = self._candidates.get(key)
        if cached is not None:
            return cached
        pinned = [s for s in self.pinned(person) if s.day == day]
        kept = (
            [s for s in self.published.get(person.id, []) if s.day == day]
            if self.inst.replan_keeps_shift_times
            else []
        )
        if pinned:
            shifts = pinned
        elif kept:
            shifts = kept  # a re-plan may drop a published shift, not move it
        else:
            shifts = [s for s in self.shift_types[day] if self.can_work(person, s)]
            removed = self.hand_removed.get(person.id, [])
            if removed:
                shifts = [s for s in shifts if not any(r.overlaps(s.start, s.end) for r in removed)]
            if self.pin_minute is not None:
                shifts = [s for s in shifts if s.start >= self.pin_minute]
            if self.replan_until_minute is not None:
                shifts = [s for s in shifts if s.start < self.replan_until_minute]
        self._candidates[key] = shifts
        return shifts
