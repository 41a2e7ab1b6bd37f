"""What a rule's solver-free check reads and returns, independent of the solution files: the
shifts each person works in the week and each broken rule found."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Worked:
    """A worked shift in week minutes (0 = Monday 00:00 local time)."""

    start: int
    end: int

    @property
    def day(self) -> int:
        return self.start // 1440


@dataclass(frozen=True)
class Finding:
    staff_id: str
    day: int | None
    amount: float
    unit: str
    message: str
