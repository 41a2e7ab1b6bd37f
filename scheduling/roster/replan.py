"""Re-plan the rest of today: the roster engine's solve with everything before now pinned and
everything after today kept as published; people off the queue now stay off the line until
they are back. Returns the new roster and what changed against the published one, so a manager
can see it before publishing.

The pin moment is now rounded up to the next interval boundary (shifts start on one); shifts
under way keep their times and their past, but what they do from the pin moment on may change
(someone doing off-line work can be moved to the line).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Literal

from pydantic import AwareDatetime, Field

from scheduling.domain import Frozen
from scheduling.roster.schema import (
    Activity,
    ActivitySegment,
    OffLine,
    PlannedShift,
    RosteredShift,
    RosterInstance,
    RosterSolution,
)
from scheduling.roster.solve import solve
from scheduling.roster.stages import ProgressFn

CHANGED_LINE_PER_HOUR = 20  # points: well below a shortfall hour (1000), above a switch (5)
FULL_MODEL_MAX_CELLS = 2_000  # staff x intervals a day; above it the re-plan is decomposed


class ShiftChange(Frozen):
    """One difference between the published roster and the re-plan, in a manager's words."""

    staff_id: str
    display_name: str
    kind: Literal["added", "removed", "moved", "activities"]
    before: tuple[AwareDatetime, AwareDatetime] | None = None
    after: tuple[AwareDatetime, AwareDatetime] | None = None
    message: str


class Replan(Frozen):
    pin_before: AwareDatetime
    replan_until: AwareDatetime
    solution: RosterSolution
    changes: tuple[ShiftChange, ...] = Field(description="empty when nothing needs to change")


def next_boundary(origin: datetime, moment: datetime, step_minutes: int) -> datetime:
    """The first interval boundary at or after `moment`, counting from `origin`."""
    step = step_minutes * 60
    elapsed = (moment - origin).total_seconds()
    return origin + timedelta(seconds=-(-elapsed // step) * step)


def _hm(moment: datetime, inst: RosterInstance) -> str:
    return moment.astimezone(inst.tz).strftime("%H:%M")


def _line_spans(activities: Sequence[ActivitySegment], after: datetime) -> list[tuple]:
    return [
        (max(a.start, after), a.end)
        for a in activities
        if a.activity == Activity.LINE and a.end > after
    ]


def roster_changes(
    inst: RosterInstance,
    solution: RosterSolution,
    since: datetime,
    until: datetime,
) -> tuple[ShiftChange, ...]:
    """Shifts added, removed or moved, and line time changed, from `since` to `until`."""
    names = {e.id: e.member.display_name for e in inst.staff}
    before: dict[str, list[PlannedShift]] = {}
    for s in inst.published:
        if s.end > since and s.start < until:
            before.setdefault(s.staff_id, []).append(s)
    after: dict[str, list[RosteredShift]] = {}
    for person in solution.people:
        names.setdefault(person.staff_id, person.display_name)
        for shift in person.shifts:
            if shift.end > since and shift.start < until:
                after.setdefault(person.staff_id, []).append(shift)
    out: list[ShiftChange] = []
    for sid in sorted(set(before) | set(after), key=lambda i: names.get(i, i)):
        name = names.get(sid, sid)
        old = {(s.start, s.end): s for s in before.get(sid, [])}
        new = {(s.start, s.end): s for s in after.get(sid, [])}
        gone = [k for k in old if k not in new]
        came = [k for k in new if k not in old]
        for a, b in zip(gone, came, strict=False):
            out.append(
                ShiftChange(
                    staff_id=sid,
                    display_name=name,
                    kind="moved",
                    before=a,
                    after=b,
                    message=f"{name}: shift {_hm(a[0], inst)}-{_hm(a[1], inst)} moves to "
                    f"{_hm(b[0], inst)}-{_hm(b[1], inst)}",
                )
            )
        for a in gone[len(came) :]:
            out.append(
                ShiftChange(
                    staff_id=sid,
                    display_name=name,
                    kind="removed",
                    before=a,
                    message=f"{name}: shift {_hm(a[0], inst)}-{_hm(a[1], inst)} is dropped",
                )
            )
        for b in came[len(gone) :]:
            out.append(
                ShiftChange(
                    staff_id=sid,
                    display_name=name,
                    kind="added",
                    after=b,
                    message=f"{name}: new shift {_hm(b[0], inst)}-{_hm(b[1], inst)}",
                )
            )
        for k in old.keys() & new.keys():
            was = _line_spans(old[k].activities, since)
            now = _line_spans(new[k].activities, since)
            if was != now:
                spans = ", ".join(f"{_hm(a, inst)}-{_hm(b, inst)}" for a, b in now) or "none"
                out.append(
                    ShiftChange(
                        staff_id=sid,
                        display_name=name,
                        kind="activities",
                        before=k,
                        after=k,
                        message=f"{name}: on the line from {_hm(since, inst)}: {spans}",
                    )
                )
    return tuple(out)


def replan_rest_of_day(
    inst: RosterInstance,
    now: datetime,
    off_queue: Sequence[tuple[str, datetime]] = (),
    *,
    time_limit: float = 5.0,
    workers: int = 2,
    changed_line_per_hour: int = CHANGED_LINE_PER_HOUR,
    progress: ProgressFn | None = None,
) -> Replan:
    """Re-plan what is left of today (site time) from `now`. `inst` is the week's instance with
    the published roster; `off_queue` lists (staff id, back on the queue at). Each hour of a
    kept shift's line time moved costs `changed_line_per_hour` points, so only changes that
    help are made. Large sites are solved in two stages (shifts, then activities): the full
    model of a day with every start left open does not find a roster in seconds. `progress`
    gets each improvement; a StopSearch raised from it ends the re-plan (nothing returned)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if not inst.published:
        raise ValueError("there is no published roster this week to re-plan")
    tz = inst.tz
    origin = datetime.combine(inst.week_start, time(0), tz)
    if not origin <= now.astimezone(tz) < origin + timedelta(days=7):
        raise ValueError(f"now ({now.isoformat()}) is not in the week of {inst.week_start}")
    pin = next_boundary(origin, now.astimezone(tz), inst.interval_minutes)
    local = now.astimezone(tz)
    until = datetime.combine(local.date() + timedelta(days=1), time(0), tz)
    windows = tuple(
        OffLine(staff_id=sid, start=pin, end=back.astimezone(tz))
        for sid, back in off_queue
        if back > pin and any(e.id == sid for e in inst.staff)
    )
    per_day = 24 * 60 // inst.interval_minutes
    method = inst.options.method
    large = len(inst.staff) * per_day > FULL_MODEL_MAX_CELLS
    if method == "auto" and large:
        method = "decomposed"
    day = inst.model_copy(
        update={
            "pin_before": pin,
            "replan_until": until,
            "keep_activities_after_pin": False,
            # the two-stage solve starts from a greedy roster that knows nothing of the
            # published one: on a large site, published shifts of today keep their times
            "replan_keeps_shift_times": large,
            "off_line": windows,
            "weights": inst.weights.model_copy(
                update={"changed_line_per_hour": changed_line_per_hour}
            ),
            "options": inst.options.model_copy(
                update={
                    "allow_hires": False,
                    "time_limit_seconds": time_limit,
                    "workers": workers,
                    "method": method,
                }
            ),
        }
    )
    solution = solve(day, time_limit=time_limit, workers=workers, progress=progress)
    return Replan(
        pin_before=pin,
        replan_until=until,
        solution=solution,
        changes=roster_changes(day, solution, pin, until),
    )
