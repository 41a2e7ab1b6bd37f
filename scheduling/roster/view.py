"""The solver-free view of a finished roster that every rule's `check` reads: each person's
shifts, with the activity of every interval, on the week's time grid (week.py).

It is built from the files alone (instance and solution), never from the model, so a
modelling mistake shows when a check reads the roster back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from scheduling.domain import WEEKDAY_NAMES, Skill
from scheduling.roster.schema import (
    Activity,
    HireTemplate,
    RosterInstance,
    RosterSolution,
    StaffEntry,
)
from scheduling.roster.week import DAY, Week


@dataclass
class ShiftView:
    start: int  # week minutes
    end: int
    acts: dict[int, Activity]  # interval -> activity (every interval of the shift)
    seg_errors: list[str] = field(default_factory=list)

    @property
    def day(self) -> int:
        return self.start // DAY

    @property
    def length(self) -> int:
        return self.end - self.start

    def intervals(self, activity: Activity) -> int:
        """How many intervals of the shift have this activity."""
        return sum(1 for a in self.acts.values() if a == activity)


@dataclass
class PersonView:
    """One person of the roster (staff or a proposed hire) with their shifts in start order.
    `entry` is the staff member's roster input (None for a hire or an unknown id)."""

    id: str
    name: str
    skills: frozenset[Skill]
    languages: frozenset[str]
    hire: HireTemplate | None
    entry: StaffEntry | None
    shifts: list[ShiftView]

    @property
    def work_days(self) -> set[int]:
        return {s.day for s in self.shifts}


class RosterView:
    def __init__(self, inst: RosterInstance, sol: RosterSolution) -> None:
        self.inst = inst
        self.week = Week(inst)
        self.step = inst.interval_minutes
        self.unknown: list[PersonView] = []  # listed in the roster but not on the staff list
        self.people = self._people(sol)

    # ---- time
    def fmt(self, minute: int) -> str:
        dt = self.week.at(minute)
        return f"{WEEKDAY_NAMES[dt.weekday()]} {dt:%H:%M}"

    def day(self, d: int) -> date:
        return self.week.date_of(d)

    # ---- people
    def staff(self) -> list[tuple[PersonView, StaffEntry]]:
        """The staff members (hires left out) with their roster input."""
        return [(p, p.entry) for p in self.people if p.entry is not None]

    def on_at(self, t: int) -> list[tuple[PersonView, Activity]]:
        """Who is on shift in interval t, and doing what."""
        return self._on.get(t, [])

    @cached_property
    def _on(self) -> dict[int, list[tuple[PersonView, Activity]]]:
        out: dict[int, list[tuple[PersonView, Activity]]] = {}
        for p in self.people:
            for s in p.shifts:
                for t, a in s.acts.items():
                    out.setdefault(t, []).append((p, a))
        return out

    def _people(self, sol: RosterSolution) -> list[PersonView]:
        entries = {e.id: e for e in self.inst.staff}
        templates = {t.key: t for t in self.inst.hire_templates}
        out = []
        for pr in sol.people:
            entry = entries.get(pr.staff_id)
            tpl = templates.get(pr.hire_template) if pr.hire_template else None
            if entry is None and tpl is None:
                self.unknown.append(
                    PersonView(
                        pr.staff_id, pr.display_name, frozenset(), frozenset(), None, None, []
                    )
                )
                continue
            if entry is not None:
                skills, langs = entry.member.skills, frozenset(entry.member.languages)
            else:
                assert tpl is not None
                skills, langs = tpl.skills, frozenset(tpl.languages)
            person = PersonView(pr.staff_id, pr.display_name, skills, langs, tpl, entry, [])
            for rs in pr.shifts:
                s = ShiftView(self.week.minute(rs.start), self.week.minute(rs.end), {})
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
                person.shifts.append(s)
            person.shifts.sort(key=lambda x: x.start)
            out.append(person)
        listed = {p.id for p in out}
        for e in self.inst.staff:  # staff without a shift still count for fairness
            if e.id not in listed:
                mem = e.member
                out.append(
                    PersonView(
                        e.id, mem.display_name, mem.skills, frozenset(mem.languages), None, e, []
                    )
                )
        return out
