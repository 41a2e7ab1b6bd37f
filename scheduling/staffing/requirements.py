"""Staffing: a week's forecast -> counsellors required on the line per interval, with why.

required = the larger of the queue requirement (Erlang A by default, Erlang C as an option,
with decompression counted in the effective handle time) and the floors (never fewer than
`min_on_line` while open, plus the decompression cover that keeps `min_on_line` free to answer
for `floors.free_probability` of open time, see never_alone.py). Supervisors and specialists
are not line requirements: they are carried to the roster as skill requirements (on shift
during a window). Workload totals come from the unrounded forecast; only the per-interval head
count is a whole number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from pydantic import Field

from scheduling.domain import (
    WEEKDAY_NAMES,
    Floors,
    Frozen,
    ServiceTargets,
    SiteProfile,
    Skill,
    StaffingSettings,
)
from scheduling.forecast import WeekForecast
from scheduling.languages import language_list
from scheduling.staffing.never_alone import never_alone_floor
from scheduling.staffing.queueing import Targets, staff_intervals, target_failures
from scheduling.staffing.requirement_types import IntervalRequirement, SkillRequirement

CLOSED = "closed"
NO_CALLS = "no calls expected"


class WeekRequirements(Frozen):
    """What the roster must cover for one week (times aware, in the site's zone)."""

    week_start: date
    timezone: str
    interval_minutes: int
    model: str
    effective_handle_seconds: float
    targets: ServiceTargets
    intervals: tuple[IntervalRequirement, ...]
    skill_requirements: tuple[SkillRequirement, ...]
    # At least one speaker of each on the line in every open interval.
    languages_on_line: tuple[str, ...] = ()
    offered_calls: float = Field(ge=0)  # unrounded sum of the forecast
    workload_hours: float = Field(ge=0)  # calls x effective handle time, unrounded
    required_hours: float = Field(ge=0)  # counsellor-hours on the line: sum of `required`
    forecast_method: str = ""

    @property
    def peak_required(self) -> int:
        return max((i.required for i in self.intervals), default=0)


@dataclass(frozen=True)
class IntervalArrays:
    """The vectorised result behind WeekRequirements (one element per interval)."""

    traffic_erlangs: np.ndarray
    queue_required: np.ndarray
    floor: np.ndarray
    required: np.ndarray
    service_level: np.ndarray  # nan where closed
    answered_share: np.ndarray
    abandon_share: np.ndarray
    binding: list[str]


def plain_floor(floors: Floors) -> int:
    """On the line whenever open, before any cover for decompressing colleagues: the floor,
    or one speaker when only a language is required."""
    if floors.languages_required and floors.min_on_line == 0:
        return 1
    return floors.min_on_line


def _pct(share: float) -> str:
    return f"{100 * share:.4g}%"


def queue_targets(targets: ServiceTargets) -> Targets:
    """The queueing targets in force for these settings (answered share binds under Erlang A)."""
    return Targets(
        service_level=targets.service_level,
        target_seconds=targets.target_answer_seconds,
        answered_share=targets.answered_share_min if targets.model == "erlang_a" else None,
        max_occupancy=targets.max_occupancy,
    )


def binding_words(targets: ServiceTargets) -> dict[str, str]:
    """How each reason reads for a manager."""
    occupancy = targets.max_occupancy
    return {
        "service_level": (
            f"queue: {_pct(targets.service_level)} within {targets.target_answer_seconds:g} s"
        ),
        "answered_share": f"answered share >= {_pct(targets.answered_share_min)}",
        "max_occupancy": f"occupancy <= {_pct(occupancy)}" if occupancy else "occupancy",
        "stable": "queue: enough counsellors to keep up with the calls",
    }


def interval_requirements(
    calls: Sequence[float] | np.ndarray,
    is_open: Sequence[bool] | np.ndarray,
    settings: StaffingSettings,
    *,
    interval_minutes: int,
) -> IntervalArrays:
    """Required counsellors for many intervals at once (the engine of requirements_for_week)."""
    calls_a = np.asarray(calls, dtype=float)
    open_a = np.asarray(is_open, dtype=bool)
    if calls_a.shape != open_a.shape:
        raise ValueError("calls and is_open must have the same length")
    if np.any(~np.isfinite(calls_a)) or np.any(calls_a < 0):
        raise ValueError("forecast calls must be finite and >= 0")
    t = settings.targets
    handle = settings.handle.effective_handle_seconds
    goal = queue_targets(t)
    traffic = np.where(open_a, calls_a * handle / (interval_minutes * 60.0), 0.0)

    floors = settings.floors
    floor_n = floors.min_on_line
    language_floor = bool(floors.languages_required) and floor_n == 0
    plain = plain_floor(floors)
    floor = np.where(open_a, plain, 0)

    queue = np.zeros(calls_a.shape, dtype=np.int64)
    required = np.zeros(calls_a.shape, dtype=np.int64)
    nan = np.full(calls_a.shape, np.nan)
    sl, answered, abandon = nan.copy(), nan.copy(), nan.copy()
    missed_below: dict[str, np.ndarray] = {}
    if open_a.any():

        def staffing(floor_open: np.ndarray):
            return staff_intervals(
                traffic[open_a],
                goal,
                handle_seconds=handle,
                model=t.model,
                patience_seconds=t.patience_seconds,
                floor=floor_open,
            )

        staff = staffing(floor[open_a])
        # Decompressing counsellors cannot answer: add the cover that keeps floor_n free for
        # the stated share of open time (scheduling.staffing.never_alone), then re-staff.
        staffed = np.zeros(calls_a.shape, dtype=np.int64)
        staffed[open_a] = staff.agents
        covered = never_alone_floor(
            calls_a, open_a, staffed, settings, interval_minutes=interval_minutes
        )
        # Only where the cover adds someone: elsewhere the queue or the plain floor still binds.
        cover_adds = open_a & (covered > staffed)
        if cover_adds.any():
            floor = np.where(cover_adds, covered, floor)
            staff = staffing(floor[open_a])
        queue[open_a], required[open_a] = staff.queue_agents, staff.agents
        at = staff.at_agents
        staffed = staff.agents > 0
        for out, values in (
            (sl, at.service_level),
            (answered, at.answered_share),
            (abandon, at.abandon_probability),
        ):
            out[np.flatnonzero(open_a)[staffed]] = values[staffed]
        for key, flags in target_failures(staff.below_queue, goal).items():
            missed_below[key] = np.zeros(calls_a.shape, dtype=bool)
            missed_below[key][open_a] = flags

    words = binding_words(t)
    if language_floor:
        floor_words = f"floor: a speaker of {language_list(floors.languages_required)} on the line"
    else:
        floor_words = f"floor: never fewer than {floor_n} on the line"
    # Reasons as small codes first (0 closed, 1 no calls, 2 floor, 3 + k the k-th mix of
    # missed targets), turned into words once at the end.
    order = [k for k in ("service_level", "answered_share", "max_occupancy", "stable")]
    order = [k for k in order if k in missed_below]
    code = np.where(open_a, 1, 0)
    code[open_a & (required > 0) & (queue <= floor)] = 2
    queue_bound = open_a & (queue > floor)
    mix = np.zeros(calls_a.shape, dtype=np.int64)
    for bit, key in enumerate(order):
        mix |= missed_below[key].astype(np.int64) << bit
    code = np.where(queue_bound, 3 + mix, code)
    # the floor raised for decompression cover reads differently from the plain floor
    raised = open_a & (required > 0) & (required == floor) & (floor > plain)
    lookup = [CLOSED, NO_CALLS, floor_words]
    for c in range(1 << len(order)):
        # The target that binds is the one the staffing one below would miss.
        reasons = [words[k] for bit, k in enumerate(order) if c >> bit & 1]
        lookup.append(" and ".join(reasons) if reasons else words["stable"])
    probability = floors.free_probability or 0.0
    lookup.append(
        f"floor: {floor_n} free to answer while colleagues decompress "
        f"({_pct(probability)} of open time)"
    )
    code = np.where(raised, len(lookup) - 1, code)
    binding = np.array(lookup, dtype=object)[code].tolist()
    return IntervalArrays(
        traffic_erlangs=traffic,
        queue_required=queue,
        floor=floor,
        required=required,
        service_level=sl,
        answered_share=answered,
        abandon_share=abandon,
        binding=binding,
    )


def _at(day: date, minute: int, site: SiteProfile) -> datetime:
    """Local wall-clock time `minute` minutes after midnight of `day` (1440 = next midnight)."""
    extra, minute = divmod(minute, 1440)
    return datetime.combine(
        day + timedelta(days=extra), time(minute // 60, minute % 60), tzinfo=site.tz
    )


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def skill_requirements_for_week(
    site: SiteProfile, settings: StaffingSettings, week_start: date
) -> tuple[SkillRequirement, ...]:
    """Supervisor every open day for the open hours; specialist cover windows as configured."""
    out: list[SkillRequirement] = []
    floors = settings.floors
    for offset in range(7):
        day = week_start + timedelta(days=offset)
        window = site.hours_on(day.weekday())
        if floors.supervisor_every_open_day and window is not None:
            out.append(
                SkillRequirement(
                    skill=Skill.SUPERVISOR,
                    start=_at(day, window.start_minute, site),
                    end=_at(day, window.end_minute, site),
                    count=1,
                    reason="a supervisor on shift every open day for debriefs",
                )
            )
        for cover in floors.specialist_cover:
            w = cover.window
            if w.weekday != day.weekday():
                continue
            out.append(
                SkillRequirement(
                    skill=cover.skill,
                    start=_at(day, w.start_minute, site),
                    end=_at(day, w.end_minute, site),
                    count=cover.count,
                    reason=(
                        f"{cover.skill.value.replace('_', '-')} cover "
                        f"{WEEKDAY_NAMES[w.weekday]} {_hhmm(w.start_minute)}-"
                        f"{_hhmm(w.end_minute)}"
                    ),
                )
            )
    return tuple(out)


def _optional(values: np.ndarray) -> list[float | None]:
    return [None if math.isnan(v) else v for v in values.tolist()]


def requirements_for_week(
    forecast: WeekForecast, site: SiteProfile, settings: StaffingSettings
) -> WeekRequirements:
    """Required counsellors on the line for every interval of the forecast week."""
    if forecast.interval_minutes != site.interval_minutes:
        raise ValueError(
            f"the forecast has {forecast.interval_minutes}-minute intervals but the site uses "
            f"{site.interval_minutes}"
        )
    if forecast.timezone != site.timezone:
        raise ValueError(
            f"the forecast is in {forecast.timezone} but the site is in {site.timezone}"
        )
    fc = forecast.intervals
    arrays = interval_requirements(
        [i.calls for i in fc],
        [i.open for i in fc],
        settings,
        interval_minutes=site.interval_minutes,
    )
    hours = site.interval_minutes / 60.0
    # Plain Python numbers once, not numpy scalars per field: this loop is the hot part.
    required = arrays.required.tolist()
    queue = arrays.queue_required.tolist()
    load = arrays.traffic_erlangs.tolist()
    sl, answered, abandon = (
        _optional(x) for x in (arrays.service_level, arrays.answered_share, arrays.abandon_share)
    )
    rows = tuple(
        IntervalRequirement(
            start=f.start,
            end=f.end,
            forecast_calls=f.calls,
            band_low=f.low,
            band_high=f.high,
            required=required[k],
            queue_required=queue[k],
            workload_erlangs=load[k],
            service_level=sl[k],
            answered_share=answered[k],
            abandon_share=abandon[k],
            binding=arrays.binding[k],
        )
        for k, f in enumerate(fc)
    )
    return WeekRequirements(
        week_start=forecast.week_start,
        timezone=site.timezone,
        interval_minutes=site.interval_minutes,
        model=settings.targets.model,
        effective_handle_seconds=settings.handle.effective_handle_seconds,
        targets=settings.targets,
        intervals=rows,
        skill_requirements=skill_requirements_for_week(site, settings, forecast.week_start),
        languages_on_line=settings.floors.languages_required,
        offered_calls=float(sum(f.calls for f in fc)),
        workload_hours=float(arrays.traffic_erlangs.sum() * hours),
        required_hours=float(arrays.required.sum() * hours),
        forecast_method=forecast.method,
    )


# --- long range ----------------------------------------------------------------------------


def fte_to_hire(rostered_hours: float, contract_hours: float, shrinkage: float) -> float:
    """FTE = rostered hours / (contract hours x (1 - shrinkage)); unrounded."""
    if rostered_hours < 0:
        raise ValueError("rostered_hours must be >= 0")
    if contract_hours <= 0:
        raise ValueError("contract_hours must be > 0")
    if not 0.0 <= shrinkage < 1.0:
        raise ValueError("shrinkage must be at least 0 and below 1")
    return rostered_hours / (contract_hours * (1.0 - shrinkage))


class LongRangePoint(Frozen):
    label: str
    volume_multiplier: float
    offered_calls: float
    workload_hours: float
    required_hours: float
    fte: float  # from required_hours: what a roster covering every interval needs
    workload_fte: float  # from the unrounded workload alone (100% busy): a lower bound


def long_range_plan(
    forecast: WeekForecast,
    site: SiteProfile,
    settings: StaffingSettings,
    scenarios: Sequence[tuple[str, float]],
    *,
    line_hours_per_fte: float = 30.0,
) -> tuple[LongRangePoint, ...]:
    """FTE to hire for a typical week scaled by each (label, volume multiplier).

    The queue is re-solved at each volume (staffing does not scale linearly with calls).
    `line_hours_per_fte` is the line time one full-time person gives a week (30 h by the
    default work rules; the rest of their contract is follow-up, training and admin).
    """
    calls = np.array([i.calls for i in forecast.intervals])
    is_open = np.array([i.open for i in forecast.intervals])
    hours = site.interval_minutes / 60.0
    out: list[LongRangePoint] = []
    for label, factor in scenarios:
        if factor < 0:
            raise ValueError(f"scenario {label!r}: the volume multiplier must be >= 0")
        arrays = interval_requirements(
            calls * factor, is_open, settings, interval_minutes=site.interval_minutes
        )
        workload = float(arrays.traffic_erlangs.sum() * hours)
        required = float(arrays.required.sum() * hours)
        out.append(
            LongRangePoint(
                label=label,
                volume_multiplier=factor,
                offered_calls=float(calls.sum() * factor),
                workload_hours=workload,
                required_hours=required,
                fte=fte_to_hire(required, line_hours_per_fte, settings.shrinkage),
                workload_fte=fte_to_hire(workload, line_hours_per_fte, settings.shrinkage),
            )
        )
    return tuple(out)
