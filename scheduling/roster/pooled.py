"""The weekly rosters of centres sharing a number, solved together so that the POOL is covered.

One instance holds every centre's staff, each person restricted to their own centre's opening
hours (and their own availability within them). Its requirement per interval is the pooled
requirement (scheduling.staffing.pooled), so the coverage constraint counts counsellors on the
line at every centre together. Each centre keeps its own floor: its people on the line are
tagged with the centre, and a hard cover asks for the centre's `min_on_duty` of them in every
interval it is open (a centre's room is never left to one person). Each centre's skill and
language covers come along unchanged.

The solution is split back per centre: who works, and per interval the centre's people on the
line against the centre's share of the pooled requirement. Where a centre is short, the
report names the people at the other centres who could be lent: counsellors with spare
contract hours this week.

What the joint instance shares: the first centre's work rules and weights (centres of one
pool usually share them), no proposed hires, and nothing pinned (a fresh plan of the week).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from pydantic import Field

from scheduling.domain import DailyWindow, Frozen, Skill, StaffMember
from scheduling.roster.build import peak_flags
from scheduling.roster.hand_edits import rescore
from scheduling.roster.schema import (
    Activity,
    DebriefRequest,
    IntervalSlot,
    LanguageCover,
    RosterInstance,
    RosterSolution,
    SkillCover,
    SolveOptions,
    StaffEntry,
)
from scheduling.roster.solve import solve
from scheduling.roster.stages import ProgressFn

SEPARATOR = ":"


def centre_tag(index: int) -> str:
    """The tag a centre's people carry in the joint instance (as a pseudo-language)."""
    return f"centre-{index + 1}"


def _windows(instance: RosterInstance) -> dict[int, tuple[int, int]]:
    """The centre's open window per weekday (local minutes), from its open intervals."""
    step = instance.interval_minutes
    out: dict[int, tuple[int, int]] = {}
    for slot in instance.intervals:
        local = slot.start.astimezone(instance.tz)
        minute = local.hour * 60 + local.minute
        day = local.weekday()
        low, high = out.get(day, (minute, minute + step))
        out[day] = (min(low, minute), max(high, minute + step))
    return out


def _within(member: StaffMember, windows: Mapping[int, tuple[int, int]]) -> StaffMember | None:
    """The member, available only inside the centre's hours (and their own availability);
    None when that leaves no time this week."""
    own = {w.weekday: w for w in member.availability}
    kept = []
    for day, (low, high) in sorted(windows.items()):
        if own and day not in own:
            continue
        start = max(low, own[day].start_minute) if own else low
        end = min(high, own[day].end_minute) if own else high
        if start < end:
            kept.append(DailyWindow(weekday=day, start_minute=start, end_minute=end))
    if not kept:
        return None
    return member.model_copy(update={"availability": tuple(kept)})


def _prefixed(index: int, staff_id: str) -> str:
    return f"{index}{SEPARATOR}{staff_id}"


def pooled_instance(
    centres: Sequence[tuple[str, RosterInstance]],
    pooled_required: Mapping[datetime, int],
    *,
    options: SolveOptions | None = None,
) -> RosterInstance:
    """One instance for the pool: `centres` are (name, that centre's own instance of the week),
    `pooled_required` the pool's requirement by interval start (aware)."""
    if not centres:
        raise ValueError("a pool needs at least one centre")
    first = centres[0][1]
    for name, inst in centres:
        if inst.week_start != first.week_start:
            raise ValueError(f"{name}: its week starts {inst.week_start}, not {first.week_start}")
        if inst.interval_minutes != first.interval_minutes:
            raise ValueError(f"{name}: {inst.interval_minutes}-minute intervals in the pool")
    tz = first.tz
    starts: dict[float, datetime] = {}
    calls: dict[float, float] = {}
    for _, inst in centres:
        for slot in inst.intervals:
            key = slot.start.timestamp()
            starts.setdefault(key, slot.start.astimezone(tz))
            calls[key] = calls.get(key, 0.0) + (slot.forecast_calls or 0.0)
    required = {k: pooled_required.get(s, 0) for k, s in starts.items()}
    keys = sorted(starts)
    peaks = peak_flags([required[k] for k in keys])
    intervals = tuple(
        IntervalSlot(start=starts[k], required=required[k], peak=p, forecast_calls=calls[k])
        for k, p in zip(keys, peaks, strict=True)
    )
    staff: list[StaffEntry] = []
    language_covers: list[LanguageCover] = []
    skill_covers: list[SkillCover] = []
    debriefs: list[DebriefRequest] = []
    kept_ids: set[str] = set()
    step = timedelta(minutes=first.interval_minutes)
    for index, (name, inst) in enumerate(centres):
        tag = centre_tag(index)
        windows = _windows(inst)
        for entry in inst.staff:
            within = _within(entry.member, windows)
            if within is None:
                continue
            member = within.model_copy(
                update={
                    "id": _prefixed(index, entry.member.id),
                    "display_name": f"{entry.member.display_name} ({name})",
                    "languages": (*entry.member.languages, tag),
                }
            )
            staff.append(entry.model_copy(update={"member": member}))
            kept_ids.add(member.id)
        if inst.min_on_duty > 0:
            language_covers.extend(
                LanguageCover(
                    language=tag,
                    start=slot.start,
                    end=slot.start + step,
                    count=inst.min_on_duty,
                    hard=False,
                )
                for slot in inst.intervals
            )
        language_covers.extend(inst.language_covers)
        skill_covers.extend(inst.skill_covers)
        debriefs.extend(
            r.model_copy(update={"staff_id": _prefixed(index, r.staff_id)})
            for r in inst.debrief_requests
            if _prefixed(index, r.staff_id) in kept_ids
        )
    # Validated afresh, so the joint instance is checked like any other.
    return RosterInstance.model_validate(
        first.model_dump()
        | {
            "site_name": " + ".join(name for name, _ in centres),
            "intervals": intervals,
            "min_on_duty": 0,  # each centre's floor is its own cover above
            "seats": None,
            "skill_covers": tuple(skill_covers),
            "language_covers": tuple(language_covers),
            "staff": tuple(staff),
            "hire_templates": (),
            "published": (),
            "pin_before": None,
            "replan_until": None,
            "debrief_requests": tuple(debriefs),
            "options": (options or first.options).model_copy(update={"allow_hires": False}),
        }
    )


class CentreInterval(Frozen):
    start: datetime
    share: int = Field(ge=0)  # the centre's share of the pooled requirement
    on_line: int = Field(ge=0)  # the centre's people on the line

    @property
    def short(self) -> int:
        return max(0, self.share - self.on_line)


class Lender(Frozen):
    """Someone at another centre who could cover part of a centre's shortfall."""

    centre: str
    staff_id: str
    display_name: str
    spare_hours: float


class CentreRoster(Frozen):
    name: str
    interval_minutes: int
    people: tuple[tuple[str, str, float], ...]  # (staff id, name, line hours)
    intervals: tuple[CentreInterval, ...]
    could_lend: tuple[Lender, ...]  # to this centre, when it is short

    @property
    def shortfall_hours(self) -> float:
        """Counsellor-hours below the centre's share of the pooled requirement."""
        return sum(i.short for i in self.intervals) * self.interval_minutes / 60


class PooledRoster(Frozen):
    solution: RosterSolution  # the joint roster (people's ids prefixed "<centre index>:")
    centres: tuple[CentreRoster, ...]
    pool_shortfall_hours: float


def split_roster(
    centres: Sequence[tuple[str, RosterInstance]],
    shares: Mapping[str, Mapping[datetime, int]],
    solution: RosterSolution,
) -> PooledRoster:
    """The joint solution per centre, with who could be lent where a centre is short."""
    step = timedelta(minutes=solution.interval_minutes)
    by_centre: dict[int, list] = {i: [] for i in range(len(centres))}
    for person in solution.people:
        head, _, _ = person.staff_id.partition(SEPARATOR)
        if head.isdigit() and int(head) in by_centre:
            by_centre[int(head)].append(person)
    spare: dict[int, list[Lender]] = {}
    for index, (name, inst) in enumerate(centres):
        contracts = {e.member.id: e.member for e in inst.staff}
        lenders = []
        for person in by_centre[index]:
            own_id = person.staff_id.partition(SEPARATOR)[2]
            member = contracts.get(own_id)
            if member is None or Skill.COUNSELLOR not in member.skills:
                continue
            free = member.contract_minutes_max - person.shift_minutes
            if free >= 60:
                lenders.append(
                    Lender(
                        centre=name,
                        staff_id=own_id,
                        display_name=member.display_name,
                        spare_hours=free / 60,
                    )
                )
        spare[index] = sorted(lenders, key=lambda x: (-x.spare_hours, x.display_name))
    out = []
    for index, (name, inst) in enumerate(centres):
        line: dict[float, int] = {}
        for person in by_centre[index]:
            for shift in person.shifts:
                for seg in shift.activities:
                    if seg.activity != Activity.LINE:
                        continue
                    moment = seg.start
                    while moment < seg.end:
                        key = moment.timestamp()
                        line[key] = line.get(key, 0) + 1
                        moment += step
        share = shares.get(name, {})
        rows = tuple(
            CentreInterval(
                start=slot.start,
                share=share.get(slot.start, 0),
                on_line=line.get(slot.start.timestamp(), 0),
            )
            for slot in inst.intervals
        )
        short = any(r.short for r in rows)
        lend = tuple(
            lender
            for other, lenders in spare.items()
            if other != index and short
            for lender in lenders[:3]
        )
        out.append(
            CentreRoster(
                name=name,
                interval_minutes=solution.interval_minutes,
                people=tuple(
                    (p.staff_id.partition(SEPARATOR)[2], p.display_name, p.line_minutes / 60)
                    for p in by_centre[index]
                    if p.shifts
                ),
                intervals=rows,
                could_lend=lend,
            )
        )
    return PooledRoster(
        solution=solution, centres=tuple(out), pool_shortfall_hours=solution.shortfall_hours()
    )


def solve_pool(
    centres: Sequence[tuple[str, RosterInstance]],
    pooled_required: Mapping[datetime, int],
    shares: Mapping[str, Mapping[datetime, int]],
    *,
    time_limit: float,
    workers: int = 2,
    progress: ProgressFn | None = None,
) -> PooledRoster:
    """Solve the pool's week jointly and split it back per centre."""
    instance = pooled_instance(centres, pooled_required)
    solution = solve(instance, time_limit=time_limit, workers=workers, progress=progress)
    return split_roster(centres, shares, solution)


def centre_solution(
    centres: Sequence[tuple[str, RosterInstance]], index: int, joint: RosterSolution
) -> RosterSolution:
    """Centre `index`'s part of the joint roster as a roster of its own week: its people under
    their own ids and names, scored again against the centre's own instance (its coverage,
    broken rules and flags). The joint solve's bound says nothing of one centre's part, so the
    part carries none."""
    _, inst = centres[index]
    names = {e.member.id: e.member.display_name for e in inst.staff}
    head = f"{index}{SEPARATOR}"
    people = tuple(
        p.model_copy(
            update={
                "staff_id": p.staff_id.removeprefix(head),
                "display_name": names.get(p.staff_id.removeprefix(head), p.display_name),
            }
        )
        for p in joint.people
        if p.staff_id.startswith(head)
    )
    stats = joint.stats.model_copy(update={"best_bound": None, "gap": None})
    part = joint.model_copy(update={"site_name": inst.site_name, "people": people, "stats": stats})
    return rescore(inst, part)
