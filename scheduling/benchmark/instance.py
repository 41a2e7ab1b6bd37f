"""The Curtois & Qu shift-scheduling instance format: typed objects and a reader.

An instance is a horizon of whole days (day 0 a Monday), shift types with their length and
the types that may not follow them on the next day, staff with their limits, days off, on and
off requests, and a cover requirement per day and shift type. A file that does not follow the
format is rejected with an InstanceFormatError naming its line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)
REQUIRED = ("SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF", "SECTION_COVER")


class InstanceFormatError(ValueError):
    """A line that does not follow the format; the message starts with "line N:"."""

    def __init__(self, line: int | None, message: str, source: str = "") -> None:
        where = f"{source}: " if source else ""
        where += f"line {line}: " if line is not None else ""
        super().__init__(where + message)
        self.line = line


@dataclass(frozen=True)
class ShiftType:
    id: str
    minutes: int
    not_followed_by: frozenset[str]


@dataclass(frozen=True)
class Employee:
    id: str
    max_shifts: dict[str, int]  # shift type -> most shifts of that type over the horizon
    max_minutes: int
    min_minutes: int
    max_consecutive_shifts: int
    min_consecutive_shifts: int
    min_consecutive_days_off: int
    max_weekends: int


@dataclass(frozen=True)
class Request:
    employee: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class Cover:
    day: int
    shift: str
    requirement: int
    under_weight: int
    over_weight: int


@dataclass
class Instance:
    name: str
    days: int
    shifts: dict[str, ShiftType]
    staff: dict[str, Employee]
    days_off: dict[str, frozenset[int]]
    on_requests: list[Request] = field(default_factory=list)
    off_requests: list[Request] = field(default_factory=list)
    cover: list[Cover] = field(default_factory=list)

    @property
    def weeks(self) -> int:
        return self.days // 7

    def weekends(self) -> list[tuple[int, ...]]:
        """Saturday and Sunday of each week (only the days inside the horizon)."""
        return [
            tuple(d for d in (w * 7 + 5, w * 7 + 6) if d < self.days)
            for w in range((self.days + 6) // 7)
            if w * 7 + 5 < self.days
        ]


class _Reader:
    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source

    def fail(self, line: int | None, message: str) -> InstanceFormatError:
        return InstanceFormatError(line, message, self.source)

    def lines(self) -> Iterator[tuple[int, str]]:
        for number, raw in enumerate(self.text.splitlines(), start=1):
            line = raw.strip()
            if line and not line.startswith("#"):
                yield number, line

    def integer(self, n: int, text: str, what: str, *, low: int = 0) -> int:
        text = text.strip()
        if not text.lstrip("-").isdigit():
            raise self.fail(n, f"{what}: expected a whole number, got {text!r}")
        value = int(text)
        if value < low:
            raise self.fail(n, f"{what}: expected at least {low}, got {value}")
        return value

    def fields(self, n: int, line: str, count: int, what: str) -> list[str]:
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != count:
            raise self.fail(n, f"{what}: expected {count} comma-separated fields, got {len(parts)}")
        return parts

    def read(self) -> Instance:
        sections: dict[str, list[tuple[int, str]]] = {}
        current: str | None = None
        for n, line in self.lines():
            if line.startswith("SECTION_"):
                if line not in SECTIONS:
                    raise self.fail(n, f"unknown section {line!r}")
                if line in sections:
                    raise self.fail(n, f"{line} appears twice")
                current = line
                sections[current] = []
            elif current is None:
                raise self.fail(n, "expected a SECTION_ line before any data")
            else:
                sections[current].append((n, line))
        for name in REQUIRED:
            if name not in sections:
                raise self.fail(None, f"missing {name}")

        horizon = sections["SECTION_HORIZON"]
        if len(horizon) != 1:
            where = horizon[1][0] if len(horizon) > 1 else None
            raise self.fail(where, "SECTION_HORIZON: expected exactly one number of days")
        days = self.integer(horizon[0][0], horizon[0][1], "horizon", low=1)

        shifts = self.read_shifts(sections["SECTION_SHIFTS"])
        staff = self.read_staff(sections["SECTION_STAFF"], shifts)
        inst = Instance(
            name=self.source or "instance",
            days=days,
            shifts=shifts,
            staff=staff,
            days_off={e: frozenset() for e in staff},
        )
        for n, line in sections.get("SECTION_DAYS_OFF", []):
            parts = [p.strip() for p in line.split(",")]
            who = self.employee(n, parts[0], staff)
            inst.days_off[who] = inst.days_off[who] | {self.day(n, p, days) for p in parts[1:] if p}
        inst.on_requests = self.read_requests(sections.get("SECTION_SHIFT_ON_REQUESTS", []), inst)
        inst.off_requests = self.read_requests(sections.get("SECTION_SHIFT_OFF_REQUESTS", []), inst)
        seen: set[tuple[int, str]] = set()
        for n, line in sections["SECTION_COVER"]:
            day, shift, req, under, over = self.fields(n, line, 5, "cover")
            c = Cover(
                day=self.day(n, day, days),
                shift=self.shift(n, shift, shifts),
                requirement=self.integer(n, req, "requirement"),
                under_weight=self.integer(n, under, "weight for under-cover"),
                over_weight=self.integer(n, over, "weight for over-cover"),
            )
            if (c.day, c.shift) in seen:
                raise self.fail(n, f"cover for day {c.day}, shift {c.shift} given twice")
            seen.add((c.day, c.shift))
            inst.cover.append(c)
        return inst

    def read_shifts(self, rows: list[tuple[int, str]]) -> dict[str, ShiftType]:
        ids: list[str] = []
        raw: list[tuple[int, str, int, list[str]]] = []
        for n, line in rows:
            sid, minutes_text, follow = self.fields(n, line, 3, "shift")
            if not sid:
                raise self.fail(n, "shift: empty ShiftID")
            if sid in ids:
                raise self.fail(n, f"shift {sid!r} defined twice")
            ids.append(sid)
            banned = [s.strip() for s in follow.split("|") if s.strip()]
            length = self.integer(n, minutes_text, f"shift {sid} length", low=1)
            raw.append((n, sid, length, banned))
        if not ids:
            raise self.fail(None, "SECTION_SHIFTS: no shift types")
        out = {}
        for n, sid, minutes, banned in raw:
            for b in banned:
                if b not in ids:
                    raise self.fail(n, f"shift {sid}: unknown shift {b!r} in the forbidden list")
            out[sid] = ShiftType(sid, minutes, frozenset(banned))
        return out

    def read_staff(
        self, rows: list[tuple[int, str]], shifts: dict[str, ShiftType]
    ) -> dict[str, Employee]:
        staff: dict[str, Employee] = {}
        for n, line in rows:
            parts = self.fields(n, line, 8, "staff")
            eid = parts[0]
            if not eid:
                raise self.fail(n, "staff: empty ID")
            if eid in staff:
                raise self.fail(n, f"employee {eid!r} defined twice")
            caps: dict[str, int] = {s: 0 for s in shifts}
            for item in (p for p in parts[1].split("|") if p.strip()):
                if "=" not in item:
                    msg = f"employee {eid} MaxShifts: expected ShiftID=max, got {item!r}"
                    raise self.fail(n, msg)
                sid, _, cap = item.partition("=")
                caps[self.shift(n, sid.strip(), shifts)] = self.integer(
                    n, cap, f"employee {eid} MaxShifts {sid.strip()}"
                )
            what: tuple[str, ...] = ("MaxTotalMinutes", "MinTotalMinutes", "MaxConsecutiveShifts")
            what += ("MinConsecutiveShifts", "MinConsecutiveDaysOff", "MaxWeekends")
            pairs = zip(parts[2:], what, strict=True)
            values = [self.integer(n, v, f"employee {eid} {w}") for v, w in pairs]
            staff[eid] = Employee(eid, caps, *values)
        if not staff:
            raise self.fail(None, "SECTION_STAFF: no employees")
        return staff

    def read_requests(self, rows: list[tuple[int, str]], inst: Instance) -> list[Request]:
        out = []
        for n, line in rows:
            who, day, shift, weight = self.fields(n, line, 4, "request")
            out.append(
                Request(
                    employee=self.employee(n, who, inst.staff),
                    day=self.day(n, day, inst.days),
                    shift=self.shift(n, shift, inst.shifts),
                    weight=self.integer(n, weight, "request weight"),
                )
            )
        return out

    def employee(self, n: int, text: str, staff: dict[str, Employee]) -> str:
        if text not in staff:
            raise self.fail(n, f"unknown employee {text!r}")
        return text

    def shift(self, n: int, text: str, shifts: dict[str, ShiftType]) -> str:
        if text not in shifts:
            raise self.fail(n, f"unknown shift {text!r}")
        return text

    def day(self, n: int, text: str, days: int) -> int:
        d = self.integer(n, text, "day")
        if d >= days:
            raise self.fail(n, f"day {d} is outside the horizon of {days} days (0-{days - 1})")
        return d


def parse_instance(text: str, name: str = "") -> Instance:
    return _Reader(text, name).read()


def read_instance(path: Path) -> Instance:
    """Read an instance file; OSError when it cannot be read, InstanceFormatError when
    malformed."""
    text = path.read_text(encoding="utf-8")
    inst = parse_instance(text, path.name)
    inst.name = path.stem
    return inst
