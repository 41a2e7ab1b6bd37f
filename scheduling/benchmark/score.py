"""Independent scorer for Curtois & Qu solutions: the objective recomputed from the roster rows
and every hard rule checked, sharing no code with the model (only the instance reader).

A solution is rows (employee, day, shift); a day without a row is a day off. Solution files
are CSV with the header `employee,day,shift`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from scheduling.benchmark.instance import Instance

Row = tuple[str, int, str]


@dataclass
class Score:
    objective: int
    violations: list[str] = field(default_factory=list)  # hard rules broken
    parts: dict[str, int] = field(default_factory=dict)  # objective by kind

    @property
    def feasible(self) -> bool:
        return not self.violations


class SolutionFormatError(ValueError):
    pass


def read_solution(path: Path) -> list[Row]:
    """Rows of a solution CSV; SolutionFormatError naming the line when malformed."""
    rows: list[Row] = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != ["employee", "day", "shift"]:
            raise SolutionFormatError(f"{path.name}: line 1: expected header employee,day,shift")
        for n, rec in enumerate(reader, start=2):
            if len(rec) != 3 or not rec[1].strip().isdigit():
                raise SolutionFormatError(
                    f"{path.name}: line {n}: expected employee,day,shift with a whole day"
                )
            rows.append((rec[0].strip(), int(rec[1]), rec[2].strip()))
    return rows


def write_solution(path: Path, rows: Iterable[Row]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["employee", "day", "shift"])
        for e, d, t in sorted(rows, key=lambda r: (r[0], r[1])):
            w.writerow([e, d, t])


def _streaks(flags: list[bool]) -> list[tuple[int, int]]:
    """(start, length) of each stretch of True."""
    found = []
    d = 0
    while d < len(flags):
        if flags[d]:
            e = d
            while e < len(flags) and flags[e]:
                e += 1
            found.append((d, e - d))
            d = e
        else:
            d += 1
    return found


def score(inst: Instance, rows: Iterable[Row]) -> Score:
    bad: list[str] = []
    plan: dict[str, dict[int, str]] = {e: {} for e in inst.staff}
    for e, d, t in rows:
        if e not in inst.staff:
            bad.append(f"unknown employee {e}")
            continue
        if t not in inst.shifts:
            bad.append(f"{e} day {d}: unknown shift {t}")
            continue
        if not 0 <= d < inst.days:
            bad.append(f"{e}: day {d} outside the horizon")
            continue
        if d in plan[e]:
            bad.append(f"{e} day {d}: more than one shift")
        plan[e][d] = t

    for e, emp in inst.staff.items():
        mine = plan[e]
        for d, t in sorted(mine.items()):
            if d in inst.days_off[e]:
                bad.append(f"{e} day {d}: works on a day off")
            nxt = mine.get(d + 1)
            if nxt is not None and nxt in inst.shifts[t].not_followed_by:
                bad.append(f"{e} day {d}: {t} followed by {nxt}")
        for t in inst.shifts:
            n = sum(1 for s in mine.values() if s == t)
            if n > emp.max_shifts.get(t, 0):
                bad.append(f"{e}: {n} shifts {t}, at most {emp.max_shifts.get(t, 0)}")
        minutes = sum(inst.shifts[t].minutes for t in mine.values())
        if not emp.min_minutes <= minutes <= emp.max_minutes:
            bad.append(f"{e}: {minutes} minutes, expected {emp.min_minutes}-{emp.max_minutes}")
        worked = [d in mine for d in range(inst.days)]
        for start, length in _streaks(worked):
            if length > emp.max_consecutive_shifts:
                bad.append(f"{e}: {length} shifts in a row from day {start}")
            at_edge = start == 0 or start + length == inst.days
            if length < emp.min_consecutive_shifts and not at_edge:
                bad.append(f"{e}: only {length} shifts in a row from day {start}")
        for start, length in _streaks([not w for w in worked]):
            at_edge = start == 0 or start + length == inst.days
            if length < emp.min_consecutive_days_off and not at_edge:
                bad.append(f"{e}: only {length} days off in a row from day {start}")
        weekends = 0
        for sat in range(5, inst.days, 7):
            if sat in mine or (sat + 1 < inst.days and sat + 1 in mine):
                weekends += 1
        if weekends > emp.max_weekends:
            bad.append(f"{e}: {weekends} weekends worked, at most {emp.max_weekends}")

    parts = {"on_requests": 0, "off_requests": 0, "under_cover": 0, "over_cover": 0}
    for r in inst.on_requests:
        if plan[r.employee].get(r.day) != r.shift:
            parts["on_requests"] += r.weight
    for r in inst.off_requests:
        if plan[r.employee].get(r.day) == r.shift:
            parts["off_requests"] += r.weight
    counts: dict[tuple[int, str], int] = {}
    for mine in plan.values():
        for d, t in mine.items():
            counts[d, t] = counts.get((d, t), 0) + 1
    for c in inst.cover:
        have = counts.get((c.day, c.shift), 0)
        parts["under_cover"] += max(0, c.requirement - have) * c.under_weight
        parts["over_cover"] += max(0, have - c.requirement) * c.over_weight
    return Score(sum(parts.values()), bad, parts)
