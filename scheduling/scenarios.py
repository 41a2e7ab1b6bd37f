"""Leadership scenarios: a baseline plus changes -> staff, hires, cost, service and load.

A `Baseline` is the helpline as it is: the site, its staffing settings and work rules, its staff,
a representative week of expected calls per interval (from the forecast), seats, pay and the
emotional budget. A `Scenario` lists changes: volume growth, a surge, opening hours, new centres
(pooled or separate queues, or a launch with no history), handle and decompression times,
targets, pay, shrinkage, recruitment lead time. `evaluate(baseline, scenario)` runs the same
pipeline the week planner uses (staffing -> roster -> simulation) and returns a
`ScenarioResult`: a month-by-month projection with the hiring plan, cost (wages and the
emotional budget as lines of their own), where space binds, and the simulated service and load
of a representative week.

Conventions. Month k of the projection multiplies the baseline week's calls by
volume_factor x (1 + growth_per_month)^k x the surge factor in force. Calls in hours a scenario
newly opens are a share (`new_hours_rate`) of that weekday's mean rate; calls in hours it closes
are lost (and counted). A centre's `volume_share` moves that share of the main centre's calls to
it; `launch_monthly_calls` are extra calls a new centre expects (the last value repeats), spread
with the main centre's intraday shape; `stress_factor` (default 2) gives the plan that holds if a
launch brings that multiple of its assumption. Pooled centres answer one queue with the main
centre; separate ones each staff their own queue and floors.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from scheduling.domain import (
    DailyWindow,
    Frozen,
    HandleTimes,
    ServiceTargets,
    SiteProfile,
    Skill,
    StaffingSettings,
    StaffMember,
)
from scheduling.forecast import week_slots
from scheduling.roster.schema import RosterSolution
from scheduling.roster.work_rules import WorkRules
from scheduling.simulation import (
    CallModel,
    Estimate,
    PersonPlan,
    ShiftPlan,
    SimulationPlan,
    plan_from_roster,
    simulate,
)
from scheduling.staffing.requirement_types import IntervalRequirement, SkillRequirement
from scheduling.staffing.requirements import (
    fte_to_hire,
    interval_requirements,
    skill_requirements_for_week,
)

WEEKS_PER_MONTH = 52.0 / 12.0
ROLES = ("counsellor", "supervisor", "lawyer", "digital_security")
ProgressFn = Callable[[float, str], None]


class Pay(Frozen):
    """Monthly pay per role, in one currency; hourly rates for the emotional budget."""

    currency: str = Field(default="PKR", min_length=1, max_length=8)
    monthly: dict[str, float] = Field(
        default_factory=lambda: {
            "counsellor": 120_000.0,
            "supervisor": 180_000.0,
            "lawyer": 200_000.0,
            "digital_security": 180_000.0,
        }
    )
    supervision_hourly: float = Field(default=2_000.0, ge=0, description="debriefs, 1:1s")
    external_counselling_hourly: float = Field(default=5_000.0, ge=0)

    @model_validator(mode="after")
    def _known_roles(self) -> Pay:
        for role, amount in self.monthly.items():
            if role not in ROLES:
                raise ValueError(f"monthly.{role}: unknown role; expected one of {ROLES}")
            if amount < 0:
                raise ValueError(f"monthly.{role}: pay must be >= 0")
        return self

    def of(self, role: str) -> float:
        return self.monthly.get(role, self.monthly.get("counsellor", 0.0))


class EmotionalBudget(Frozen):
    """Psychological support per counsellor per month, planned like wages."""

    debrief_hours_per_month: float = Field(default=2.0, ge=0)
    supervision_hours_per_month: float = Field(default=1.0, ge=0, description="one-to-one")
    external_counselling_hours_per_month: float = Field(default=1.0, ge=0)


class Surge(Frozen):
    factor: float = Field(gt=0, description="calls multiplied by this while it lasts")
    first_month: int = Field(default=1, ge=1, description="1 = the first projected month")
    months: int = Field(default=1, ge=1)


class Centre(Frozen):
    name: str = Field(min_length=1, max_length=80)
    seats: int | None = Field(default=None, ge=1)
    staff: int = Field(default=0, ge=0, description="counsellors already there")
    volume_share: float = Field(default=0.0, ge=0, le=1, description="of the main centre's calls")
    launch_monthly_calls: tuple[float, ...] = Field(
        default=(), description="assumed extra calls per month, no history; the last repeats"
    )
    queue: Literal["pooled", "separate"] = "pooled"


class Scenario(Frozen):
    """Changes to the baseline; a field left at its default changes nothing."""

    name: str = Field(default="Baseline", min_length=1, max_length=120)
    description: str = ""
    months: int = Field(default=12, ge=1, le=24)
    volume_factor: float = Field(default=1.0, gt=0)
    growth_per_month: float = Field(default=0.0, gt=-1)
    surge: Surge | None = None
    opening_hours: tuple[DailyWindow, ...] | None = Field(
        default=None, description="replaces the site's hours; None keeps them"
    )
    new_hours_rate: float = Field(
        default=0.5, ge=0, description="calls an hour in newly opened hours / the day's mean"
    )
    centres: tuple[Centre, ...] = ()
    seats: int | None = Field(default=None, ge=1, description="main centre; None keeps baseline")
    handle: HandleTimes | None = None
    targets: ServiceTargets | None = None
    shrinkage: float | None = Field(default=None, ge=0, lt=1)
    pay: Pay | None = None
    emotional_budget: EmotionalBudget | None = None
    recruitment_lead_months: int | None = Field(default=None, ge=0, le=12)
    stress_factor: float = Field(default=2.0, ge=1)

    @model_validator(mode="after")
    def _shares(self) -> Scenario:
        total = sum(c.volume_share for c in self.centres)
        if total > 1 + 1e-9:
            raise ValueError(f"centres: volume shares add up to {total:g}, more than 1")
        names = [c.name for c in self.centres]
        if len(set(names)) != len(names):
            raise ValueError("centres: duplicate names")
        return self


class Baseline(Frozen):
    site: SiteProfile
    settings: StaffingSettings = StaffingSettings()
    rules: WorkRules = WorkRules()
    staff: tuple[StaffMember, ...] = ()
    week_start: date = Field(description="the Monday of the representative week")
    week_calls: tuple[float, ...] = Field(description="expected calls, every interval of the week")
    first_month: date = Field(description="the first projected month (its first day)")
    seats: int | None = Field(default=None, ge=1)
    pay: Pay = Pay()
    emotional_budget: EmotionalBudget = EmotionalBudget()
    recruitment_lead_months: int = Field(default=2, ge=0, le=12)
    line_hours_per_fte: float = Field(default=30.0, gt=0)

    @model_validator(mode="after")
    def _week(self) -> Baseline:
        n = len(week_slots(self.site, self.week_start))
        if len(self.week_calls) != n:
            raise ValueError(
                f"week_calls: expected {n} values (one per interval), got {len(self.week_calls)}"
            )
        if any(c < 0 or not math.isfinite(c) for c in self.week_calls):
            raise ValueError("week_calls: every value must be finite and >= 0")
        return self


class EvaluateOptions(Frozen):
    roster: bool = Field(default=True, description="False: simulate the required staffing")
    roster_time_limit: float = Field(default=10.0, gt=0, le=600)
    roster_workers: int = Field(default=2, ge=1, le=8)
    replications: int = Field(default=200, ge=2, le=100_000)
    seed: int = 0


class MonthRow(Frozen):
    month: date
    volume_factor: float
    offered_calls: float
    required_line_hours_week: float
    fte_needed: float
    fte_needed_at_stress: float
    on_board: int
    arriving: int
    start_recruiting: int
    short_people: int
    peak_required: int
    seats: int | None
    space_binds_hours_week: float
    calls_lost_to_closing: float
    wages: float
    emotional_budget: float
    emotional_hours_per_counsellor: float
    total_cost: float
    line_hours_per_counsellor_week: float
    difficult_calls_per_counsellor_week: float


class ScenarioResult(Frozen):
    scenario: Scenario
    currency: str
    months: tuple[MonthRow, ...]
    simulation: dict[str, Estimate]
    simulated_at: str = Field(description="'roster' or 'required staffing'")
    roster: RosterSolution | None = None
    representative_month: date
    notes: tuple[str, ...] = ()

    def summary(self) -> dict[str, object]:
        """One flat row (the sweep's and the comparison's columns)."""
        m = self.months
        sim = self.simulation
        row: dict[str, object] = {
            "scenario": self.scenario.name,
            "currency": self.currency,
            "months": len(m),
            "peak_fte_needed": max(r.fte_needed for r in m),
            "hires_total": sum(r.arriving for r in m),
            "months_short": sum(1 for r in m if r.short_people > 0),
            "cost_total": sum(r.total_cost for r in m),
            "cost_per_month": sum(r.total_cost for r in m) / len(m),
            "emotional_budget_total": sum(r.emotional_budget for r in m),
            "space_binds_hours_week": max(r.space_binds_hours_week for r in m),
            "line_hours_per_counsellor_week": max(r.line_hours_per_counsellor_week for r in m),
            "difficult_calls_per_counsellor_week": max(
                r.difficult_calls_per_counsellor_week for r in m
            ),
        }
        for key in (
            "answered_share",
            "service_level",
            "mean_wait_seconds",
            "occupancy",
            "decompression_cut_short",
            "longest_line_run_minutes",
        ):
            e = sim.get(key)
            row[f"sim_{key}"] = e.mean if e else None
            row[f"sim_{key}_low"] = e.low if e else None
            row[f"sim_{key}_high"] = e.high if e else None
        if self.roster is not None:
            row["roster_shortfall_hours"] = self.roster.shortfall_hours()
            row["roster_hires"] = sum(h.count for h in self.roster.hires)
        return row


# ------------------------------------------------------------------ pieces


def month_factors(scenario: Scenario) -> list[float]:
    out = []
    for k in range(scenario.months):
        f = scenario.volume_factor * (1.0 + scenario.growth_per_month) ** k
        s = scenario.surge
        if s is not None and s.first_month - 1 <= k < s.first_month - 1 + s.months:
            f *= s.factor
        out.append(f)
    return out


def add_months(day: date, k: int) -> date:
    y, m = divmod(day.month - 1 + k, 12)
    return date(day.year + y, m + 1, 1)


def reshape_week(
    calls: Sequence[float],
    old_site: SiteProfile,
    new_site: SiteProfile,
    week_start: date,
    new_hours_rate: float,
) -> tuple[np.ndarray, np.ndarray, float]:
    """Calls per interval under new opening hours, the open flags, and the calls lost a week."""
    old = week_slots(old_site, week_start)
    new = week_slots(new_site, week_start)
    base = np.asarray(calls, dtype=float)
    was_open = np.array([o for _, _, o in old])
    is_open = np.array([o for _, _, o in new])
    days = np.array([s.weekday() for s, _, _ in old])
    week_mean = base[was_open].mean() if was_open.any() else 0.0
    out = np.where(is_open & was_open, base, 0.0)
    for d in range(7):
        fresh = is_open & ~was_open & (days == d)
        if fresh.any():
            known = was_open & (days == d)
            mean = base[known].mean() if known.any() else week_mean
            out[fresh] = new_hours_rate * mean
    lost = float(base[was_open & ~is_open].sum())
    return out, is_open, lost


def counsellor_fte(staff: Sequence[StaffMember]) -> float:
    return sum(
        min(m.line_cap_minutes_week, 1800) / 1800.0 for m in staff if Skill.COUNSELLOR in m.skills
    )


def role_of(member: StaffMember) -> str:
    for skill in (Skill.SUPERVISOR, Skill.LAWYER, Skill.DIGITAL_SECURITY):
        if skill in member.skills:
            return skill.value
    return "counsellor"


def hiring_plan(
    needed: Sequence[float], on_board: int, lead_months: int
) -> list[tuple[int, int, int, int]]:
    """(on board, arriving, start recruiting, short) per month. Nobody is let go; a hire needed
    in month k is recruited from month k - lead, so the first `lead` months can run short."""
    rows = []
    starts = [0] * len(needed)
    have = on_board
    arriving_by = [0] * len(needed)
    for k, need in enumerate(needed):
        target = math.ceil(need - 1e-9)
        if k >= lead_months and target > have:
            arrive = target - have
            arriving_by[k] = arrive
            starts[k - lead_months] += arrive
            have = target
        rows.append([have, arriving_by[k], 0, max(0, target - have)])
    for k, row in enumerate(rows):
        row[2] = starts[k]
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _queue_hours(
    calls: np.ndarray, is_open: np.ndarray, settings: StaffingSettings, width: int
) -> tuple[float, np.ndarray]:
    arrays = interval_requirements(calls, is_open, settings, interval_minutes=width)
    return float(arrays.required.sum() * width / 60.0), arrays.required


class Queue:
    """One queue of the scenario: its calls (at factor 1), open flags and seats."""

    def __init__(self, name: str, main: np.ndarray, launch: np.ndarray, seats: int | None):
        self.name = name
        self.main = main  # calls that scale with the month factor
        self.launch = launch  # one week of launch calls per unit of monthly calls
        self.seats = seats

    def calls(self, factor: float, launch_calls: float) -> np.ndarray:
        return self.main * factor + self.launch * launch_calls


def _launch_at(values: Sequence[float], k: int) -> float:
    if not values:
        return 0.0
    return float(values[min(k, len(values) - 1)])


def _sum_seats(values: Sequence[int | None]) -> int | None:
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


# ------------------------------------------------------------------ evaluation


def evaluate(
    baseline: Baseline,
    scenario: Scenario,
    *,
    options: EvaluateOptions | None = None,
    progress: ProgressFn | None = None,
) -> ScenarioResult:
    opts = options or EvaluateOptions()

    def step(share: float, what: str) -> None:
        if progress is not None:
            progress(share, what)

    site = baseline.site
    if scenario.opening_hours is not None:
        site = site.model_copy(update={"opening_hours": scenario.opening_hours})
    settings = baseline.settings
    updates: dict[str, object] = {}
    if scenario.handle is not None:
        updates["handle"] = scenario.handle
    if scenario.targets is not None:
        updates["targets"] = scenario.targets
    if scenario.shrinkage is not None:
        updates["shrinkage"] = scenario.shrinkage
    if updates:
        settings = settings.model_copy(update=updates)
    pay = scenario.pay or baseline.pay
    emotional = scenario.emotional_budget or baseline.emotional_budget
    lead = (
        scenario.recruitment_lead_months
        if scenario.recruitment_lead_months is not None
        else baseline.recruitment_lead_months
    )
    width = site.interval_minutes
    notes: list[str] = []

    step(0.05, "requirements by month")
    main_calls, is_open, lost = reshape_week(
        baseline.week_calls, baseline.site, site, baseline.week_start, scenario.new_hours_rate
    )
    if lost > 0:
        notes.append(f"{lost:.1f} calls a week fall in hours the scenario closes and are lost")
    shape = (
        main_calls / main_calls.sum() if main_calls.sum() > 0 else is_open / max(is_open.sum(), 1)
    )
    launch_shape = shape / WEEKS_PER_MONTH  # one month's call spread over a week
    kept = 1.0 - sum(c.volume_share for c in scenario.centres)
    main_seats = scenario.seats if scenario.seats is not None else baseline.seats
    pooled = [c for c in scenario.centres if c.queue == "pooled"]
    separate = [c for c in scenario.centres if c.queue == "separate"]
    zero = np.zeros_like(main_calls)

    main_queue = Queue(
        "main",
        main_calls * (kept + sum(c.volume_share for c in pooled)),
        zero,
        _sum_seats([main_seats, *(c.seats for c in pooled)]),
    )
    queues = [main_queue]
    launches: list[list[Sequence[float]]] = [[c.launch_monthly_calls for c in pooled]]
    if any(c.launch_monthly_calls for c in pooled):
        main_queue.launch = launch_shape
    for c in separate:
        q = Queue(c.name, main_calls * c.volume_share, launch_shape, c.seats)
        queues.append(q)
        launches.append([c.launch_monthly_calls])

    factors = month_factors(scenario)
    counsellors = [m for m in baseline.staff if Skill.COUNSELLOR in m.skills]
    others = [m for m in baseline.staff if Skill.COUNSELLOR not in m.skills]
    have_fte = counsellor_fte(baseline.staff) + sum(c.staff for c in scenario.centres)
    on_board_start = math.floor(have_fte + 1e-9)
    fixed_wages = sum(pay.of(role_of(m)) for m in others)
    # A counsellor who also supervises is paid as a supervisor.
    premium = sum(pay.of(role_of(m)) - pay.of("counsellor") for m in counsellors)

    per_month: list[dict[str, float]] = []
    for k, factor in enumerate(factors):
        hours = hours_stress = offered = difficult = peak = binds = 0.0
        seats_any: list[int | None] = []
        for q, lq in zip(queues, launches, strict=True):
            launch = sum(_launch_at(v, k) for v in lq)
            calls = q.calls(factor, launch)
            h, req = _queue_hours(calls, is_open, settings, width)
            hours += h
            if launch > 0:
                h2, _ = _queue_hours(
                    q.calls(factor, launch * scenario.stress_factor), is_open, settings, width
                )
                hours_stress += h2
            else:
                hours_stress += h
            offered += float(calls.sum())
            difficult += float(calls.sum()) * settings.handle.difficult_share
            peak = max(peak, float(req.max(initial=0)))
            if q.seats is not None:
                binds += float(np.clip(req - q.seats, 0, None).astype(bool).sum()) * width / 60.0
            seats_any.append(q.seats)
        per_month.append(
            {
                "hours": hours,
                "hours_stress": hours_stress,
                "offered": offered,
                "difficult": difficult,
                "peak": peak,
                "binds": binds,
                "seats": _sum_seats(seats_any) or 0,
                "has_seats": float(all(s is not None for s in seats_any)),
            }
        )
    needed = [
        fte_to_hire(p["hours"], baseline.line_hours_per_fte, settings.shrinkage) for p in per_month
    ]
    plan = hiring_plan(needed, on_board_start, lead)

    rows = []
    hourly = pay.of("counsellor") / (WEEKS_PER_MONTH * 40.0)
    for k, (p, need, (board, arriving, recruit, short)) in enumerate(
        zip(per_month, needed, plan, strict=True)
    ):
        people = max(board, 1)
        difficult_month = p["difficult"] * WEEKS_PER_MONTH
        decomp_hours = difficult_month * settings.handle.decompression_minutes / 60.0 / people
        support_hours = emotional.debrief_hours_per_month + emotional.supervision_hours_per_month
        ext_hours = emotional.external_counselling_hours_per_month
        emotional_cost = (
            board
            * (support_hours * pay.supervision_hourly + ext_hours * pay.external_counselling_hourly)
            + difficult_month * settings.handle.decompression_minutes / 60.0 * hourly
        )
        wages = board * pay.of("counsellor") + fixed_wages + premium
        rows.append(
            MonthRow(
                month=add_months(baseline.first_month, k),
                volume_factor=factors[k],
                offered_calls=p["offered"] * WEEKS_PER_MONTH,
                required_line_hours_week=p["hours"],
                fte_needed=need,
                fte_needed_at_stress=fte_to_hire(
                    p["hours_stress"], baseline.line_hours_per_fte, settings.shrinkage
                ),
                on_board=board,
                arriving=arriving,
                start_recruiting=recruit,
                short_people=short,
                peak_required=int(p["peak"]),
                seats=int(p["seats"]) if p["has_seats"] else None,
                space_binds_hours_week=p["binds"],
                calls_lost_to_closing=lost * WEEKS_PER_MONTH,
                wages=wages,
                emotional_budget=emotional_cost,
                emotional_hours_per_counsellor=decomp_hours + support_hours + ext_hours,
                total_cost=wages + emotional_cost,
                line_hours_per_counsellor_week=p["hours"] / people,
                difficult_calls_per_counsellor_week=p["difficult"] / people,
            )
        )

    # The representative week: the busiest month, the queue with the main centre in it.
    busiest = int(np.argmax([r.required_line_hours_week for r in rows]))
    launch = sum(_launch_at(v, busiest) for v in launches[0])
    week_calls = main_queue.calls(factors[busiest], launch)
    call_model = CallModel.from_settings(settings)
    roster: RosterSolution | None = None
    if opts.roster:
        step(0.2, "roster for the busiest month's week")
        roster, sim_plan = _roster_week(
            baseline, site, settings, week_calls, is_open, main_queue.seats, opts, progress
        )
        simulated_at = "roster"
        if not roster.people:
            notes.append(
                f"no roster was found in {opts.roster_time_limit:g} s "
                f"({roster.stats.status}); the simulation ran at the required staffing"
            )
            sim_plan = required_staffing_plan(
                site, baseline.week_start, week_calls, is_open, settings
            )
            simulated_at = "required staffing"
        elif roster.shortfall_hours() > 0:
            notes.append(
                f"the roster of the busiest week is {roster.shortfall_hours():g} line hours short"
            )
    else:
        sim_plan = required_staffing_plan(site, baseline.week_start, week_calls, is_open, settings)
        simulated_at = "required staffing"
    step(0.8, "simulation")
    sim = simulate(sim_plan, call_model, replications=opts.replications, seed=opts.seed)
    if len(queues) > 1:
        notes.append(
            "the simulation and roster cover the main queue; separate centres are in the monthly "
            "figures"
        )
    if any(r.short_people for r in rows):
        first = next(r for r in rows if r.short_people)
        notes.append(
            f"recruitment takes {lead} month(s): {first.month:%B %Y} runs "
            f"{first.short_people} counsellor(s) short"
        )
    if any(r.space_binds_hours_week > 0 for r in rows):
        notes.append("seats bind: more counsellors are needed on the line than there are seats")
    step(1.0, "done")
    return ScenarioResult(
        scenario=scenario,
        currency=pay.currency,
        months=tuple(rows),
        simulation=sim.totals,
        simulated_at=simulated_at,
        roster=roster,
        representative_month=rows[busiest].month,
        notes=tuple(notes),
    )


def week_requirements(
    site: SiteProfile,
    week_start: date,
    calls: np.ndarray,
    is_open: np.ndarray,
    settings: StaffingSettings,
) -> tuple[list[IntervalRequirement], tuple[SkillRequirement, ...]]:
    arrays = interval_requirements(calls, is_open, settings, interval_minutes=site.interval_minutes)
    rows = []
    for k, (start, end, _open) in enumerate(week_slots(site, week_start)):
        rows.append(
            IntervalRequirement(
                start=start,
                end=end,
                forecast_calls=float(calls[k]),
                band_low=float(calls[k]),
                band_high=float(calls[k]),
                required=int(arrays.required[k]),
                queue_required=int(arrays.queue_required[k]),
                workload_erlangs=float(arrays.traffic_erlangs[k]),
                binding=arrays.binding[k],
            )
        )
    return rows, skill_requirements_for_week(site, settings, week_start)


class _Requirements:
    def __init__(self, intervals, skills) -> None:
        self.intervals = intervals
        self.skill_requirements = skills


def _roster_week(baseline, site, settings, calls, is_open, seats, opts, progress):
    from scheduling.roster.build import build_instance, default_hire_templates
    from scheduling.roster.schema import SolveOptions
    from scheduling.roster.solve import solve

    intervals, skills = week_requirements(site, baseline.week_start, calls, is_open, settings)
    hours = sum(r.required for r in intervals) * site.interval_minutes / 60.0
    spare = max(0.0, hours - counsellor_fte(baseline.staff) * baseline.line_hours_per_fte)
    extra = min(50, math.ceil(spare / 24.0) + 2)
    templates = tuple(
        t.model_copy(update={"max_count": extra}) if t.key.endswith("counsellor") else t
        for t in default_hire_templates(s.skill for s in skills)
    )
    inst = build_instance(
        site=site,
        staff=baseline.staff,
        rules=baseline.rules,
        requirements=_Requirements(intervals, skills),
        settings=settings,
        week_start=baseline.week_start,
        hire_templates=templates,
        options=SolveOptions(
            time_limit_seconds=opts.roster_time_limit, workers=opts.roster_workers, allow_hires=True
        ),
    )
    inst = inst.model_copy(update={"seats": seats})

    def report(p) -> None:
        if progress is not None:
            progress(0.2 + 0.5 * min(1.0, p.seconds / opts.roster_time_limit), f"roster: {p.stage}")

    sol = solve(inst, progress=report if progress else None)
    return sol, plan_from_roster(inst, sol)


def required_staffing_plan(
    site: SiteProfile,
    week_start: date,
    calls: np.ndarray,
    is_open: np.ndarray,
    settings: StaffingSettings,
) -> SimulationPlan:
    """Exactly the required counsellors on the line in each interval (no roster): person j is on
    the line wherever at least j are required."""
    from datetime import datetime, time

    arrays = interval_requirements(calls, is_open, settings, interval_minutes=site.interval_minutes)
    required = arrays.required
    width = float(site.interval_minutes)
    people = []
    for j in range(1, int(required.max(initial=0)) + 1):
        on = np.concatenate(([False], required >= j, [False]))
        edges = np.flatnonzero(on[1:] != on[:-1])
        windows = [(a * width, b * width) for a, b in zip(edges[::2], edges[1::2], strict=True)]
        shifts = tuple(ShiftPlan(a, b, ((a, b),)) for a, b in windows)
        people.append(PersonPlan(f"position {j}", shifts))
    start = datetime.combine(week_start, time(0), site.tz)
    return SimulationPlan(
        start=start,
        interval_minutes=site.interval_minutes,
        calls=tuple(float(c) for c in calls),
        people=tuple(people),
    )


# ------------------------------------------------------------------ presets and the demo


def _all_days(start: int, end: int, days: Sequence[int] = range(7)) -> tuple[DailyWindow, ...]:
    return tuple(DailyWindow(weekday=d, start_minute=start, end_minute=end) for d in days)


def presets() -> dict[str, Scenario]:
    """The questions the first user faced, as scenarios on any baseline."""
    # Reaching cities far from Lahore brings callers who had no office near them.
    second = Centre(name="Second centre", seats=4, volume_share=1 / 3)
    items = [
        Scenario(name="Baseline", description="No change."),
        Scenario(
            name="Five days instead of seven",
            description="Open 09:00-17:00 Monday to Friday; weekend calls are lost.",
            opening_hours=_all_days(540, 1020, range(5)),
        ),
        Scenario(
            name="24/7 during a 3.3x surge",
            description="Open around the clock for four months while calls run at 3.3x.",
            opening_hours=_all_days(0, 1440),
            surge=Surge(factor=3.3, first_month=1, months=4),
        ),
        Scenario(
            name="Second centre, pooled queue",
            description="A second centre away from Lahore (4 seats, staff to hire) takes a third "
            "of the calls, which grow by 30% as it reaches new cities; both answer one queue.",
            volume_factor=1.3,
            centres=(second,),
        ),
        Scenario(
            name="Second centre, separate queues",
            description="The same centre and calls, each centre answering its own queue.",
            volume_factor=1.3,
            centres=(second.model_copy(update={"queue": "separate"}),),
        ),
        Scenario(
            name="Volume +60% next year",
            description="Every month of the next year at 1.6x today's calls.",
            volume_factor=1.6,
        ),
        Scenario(
            name="Launch a new centre (100 then 160 calls a month)",
            description="A new centre with no history: 100 calls the first month, 160 after, "
            "the intraday shape borrowed from the main centre; the plan that holds at 2x.",
            centres=(
                Centre(
                    name="New centre",
                    seats=3,
                    staff=2,
                    launch_monthly_calls=(100.0, 160.0),
                    queue="separate",
                ),
            ),
        ),
    ]
    return {s.name: s for s in items}


def demo_baseline(samples, week: date, *, seats: int | None = 6) -> Baseline:
    """The demo helpline as a baseline: its forecast week, staff and settings (sample files)."""
    from scheduling.roster.demo import demo_forecast, demo_inputs

    site, settings, rules, staff = demo_inputs(samples)
    forecast = demo_forecast(samples, site, week)
    first = add_months(week.replace(day=1), 1)
    return Baseline(
        site=site,
        settings=settings,
        rules=rules,
        staff=tuple(staff),
        week_start=week,
        week_calls=tuple(i.calls for i in forecast.intervals),
        first_month=first,
        seats=seats,
    )
