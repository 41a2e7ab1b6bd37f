"""What a roster solve needs, gathered from the database: the site, its staff and rules, the
week's requirements (the latest saved forecast run of the week), the published roster to pin,
and how the week before ended (scheduling.roster.replan works out what those mean).
`instance_for_week` turns that into a RosterInstance.

The Roster page calls these; it holds no rule of its own about what goes into a solve.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlmodel import Session, col, select

from data.call_history import load_call_history
from data.forecasts import SavedForecast, latest_forecast_run, load_forecast_run, save_week_forecast
from data.models import ForecastRunPublic, Roster, RosterPublic
from data.requests_repo import staff_for_week
from data.rosters import published_roster
from data.sites import get_site_profile, get_staffing_settings, get_work_rules
from scheduling.domain import SiteProfile, StaffingSettings, StaffMember
from scheduling.roster import pinning
from scheduling.roster.build import build_instance
from scheduling.roster.pinning import CarryOver
from scheduling.roster.schema import (
    DebriefRequest,
    HireTemplate,
    PlannedShift,
    Preference,
    RosterInstance,
    SolveOptions,
    Weights,
)
from scheduling.roster.work_rules import WorkRules
from scheduling.staffing.requirement_types import IntervalRequirement, SkillRequirement
from scheduling.staffing.requirements import requirements_for_week, skill_requirements_for_week
from wellbeing.load import RosterWellbeing


class MissingRequirementsError(ValueError):
    """The week has no saved forecast, so there is nothing to roster against."""


class RosterInputs(BaseModel):
    """Everything a solve of one week takes from the database."""

    model_config = ConfigDict(frozen=True)

    site_id: int
    site: SiteProfile
    week_start: date
    staff: tuple[StaffMember, ...]
    rules: WorkRules
    # The settings that made the requirements (the forecast run's, when it recorded them).
    settings: StaffingSettings
    settings_from_forecast: bool
    # The site's saved staffing settings now (what a fresh forecast uses unless told otherwise).
    site_settings: StaffingSettings | None = None
    forecast_run: ForecastRunPublic | None
    requirements: tuple[IntervalRequirement, ...] | None
    skill_requirements: tuple[SkillRequirement, ...]
    published: RosterPublic | None = None
    published_shifts: tuple[PlannedShift, ...] = ()
    # Published shifts that cannot be pinned (a proposed hire, someone no longer on the staff).
    published_left_out: tuple[str, ...] = ()
    carry_over: tuple[CarryOver, ...] = ()
    default_pin_before: datetime | None = None
    # From wellbeing (filled by the wellbeing repositories): lowered line caps and off-line day
    # wishes for people in the "high" band, and open debrief requests with their deadlines.
    wellbeing: tuple[RosterWellbeing, ...] = ()
    debrief_requests: tuple[DebriefRequest, ...] = ()

    @property
    def forecast_run_id(self) -> int | None:
        return self.forecast_run.id if self.forecast_run else None

    @property
    def required_hours(self) -> float:
        minutes = self.site.interval_minutes
        return sum(r.required for r in self.requirements or ()) * minutes / 60

    @property
    def peak_required(self) -> int:
        return max((r.required for r in self.requirements or ()), default=0)


@dataclass(frozen=True)
class _Requirements:
    """The shape build_instance reads (as scheduling.staffing.WeekRequirements has it)."""

    intervals: Sequence[IntervalRequirement]
    skill_requirements: Sequence[SkillRequirement]
    languages_on_line: tuple[str, ...]


def _settings_of(run: ForecastRunPublic) -> StaffingSettings | None:
    raw = run.inputs.get("settings") if isinstance(run.inputs, dict) else None
    if raw is None:
        return None
    try:
        return StaffingSettings.model_validate(raw)
    except ValidationError:
        return None


def roster_inputs_for_week(
    *, session: Session, site_id: int, week_start: date, now: datetime | None = None
) -> RosterInputs:
    """Read what a solve of the week (a Monday) needs. `requirements` is None when no forecast
    was saved for the week (see save_fresh_forecast)."""
    if week_start.weekday() != 0:
        raise ValueError(f"week_start {week_start} is a {week_start:%A}; weeks start on Monday")
    site = get_site_profile(session=session, site_id=site_id)
    staff = staff_for_week(session=session, site_id=site_id, week_start=week_start)
    rules = get_work_rules(session=session, site_id=site_id)
    site_settings = get_staffing_settings(session=session, site_id=site_id)
    saved = latest_forecast_run(session=session, site_id=site_id, week_start=week_start)
    settings, from_forecast = site_settings, False
    if saved is not None:
        used = _settings_of(saved.run)
        if used is not None:
            settings, from_forecast = used, True
    staff_ids = {m.id for m in staff}

    published = published_roster(session=session, site_id=site_id, week_start=week_start)
    shifts: list[PlannedShift] = []
    left_out: list[str] = []
    if published is not None:
        shifts, left_out = pinning.published_shifts(published.solution, staff_ids)
    before = published_roster(
        session=session, site_id=site_id, week_start=week_start - timedelta(days=7)
    )
    carry = (
        [] if before is None else pinning.carry_over(before.solution, site, week_start, staff_ids)
    )

    return RosterInputs(
        site_id=site_id,
        site=site,
        week_start=week_start,
        staff=tuple(staff),
        rules=rules,
        settings=settings,
        settings_from_forecast=from_forecast,
        site_settings=site_settings,
        forecast_run=saved.run if saved else None,
        requirements=tuple(saved.requirements) if saved else None,
        skill_requirements=skill_requirements_for_week(site, settings, week_start),
        published=published.roster if published else None,
        published_shifts=tuple(shifts),
        published_left_out=tuple(left_out),
        carry_over=tuple(carry),
        default_pin_before=pinning.default_pin_moment(site, week_start, now or datetime.now(UTC)),
    )


def instance_for_week(
    *,
    inputs: RosterInputs,
    pin_before: datetime | Literal["default"] | None = "default",
    options: SolveOptions | None = None,
    weights: Weights | None = None,
    hire_templates: Sequence[HireTemplate] | None = None,
    preferences: Mapping[str, Sequence[Preference]] | None = None,
    line_caps: Mapping[str, int] | None = None,
) -> RosterInstance:
    """The RosterInstance for the week. pin_before defaults to inputs.default_pin_before; pass
    None to re-plan the published roster with nothing pinned (stability still applies)."""
    if inputs.requirements is None:
        raise MissingRequirementsError(
            f"no saved forecast for the week of {inputs.week_start:%d %B %Y}: save one on the "
            "Forecast & staffing page, or compute one here"
        )
    pin = inputs.default_pin_before if isinstance(pin_before, str) else pin_before
    return build_instance(
        site=inputs.site,
        staff=inputs.staff,
        rules=inputs.rules,
        requirements=_Requirements(
            intervals=inputs.requirements,
            skill_requirements=inputs.skill_requirements,
            languages_on_line=inputs.settings.floors.languages_required,
        ),
        settings=inputs.settings,
        week_start=inputs.week_start,
        preferences=preferences,
        line_caps=line_caps,
        hire_templates=hire_templates,
        published=inputs.published_shifts,
        pin_before=pin.astimezone(inputs.site.tz) if pin is not None else None,
        weights=weights,
        options=options,
        carry_over={
            c.staff_id: (c.previous_shift_end, c.days_worked_before_week) for c in inputs.carry_over
        },
        wellbeing_caps={w.staff_id: w.line_cap_minutes_week for w in inputs.wellbeing},
        offline_day_wanted={w.staff_id for w in inputs.wellbeing if w.offline_day_wanted},
        debrief_requests=inputs.debrief_requests,
    )


def save_fresh_forecast(
    *,
    session: Session,
    site_id: int,
    week_start: date,
    actor: str,
    settings: StaffingSettings | None = None,
) -> SavedForecast:
    """Forecast the week from the call history with `settings` (default: the site's saved
    staffing settings), work out the requirements and save them as a forecast run (inside the
    caller's transaction).
    Raises scheduling.forecast.ForecastError (a ValueError) when the history cannot support
    a forecast of that week."""
    from scheduling.forecast import forecast_week

    site = get_site_profile(session=session, site_id=site_id)
    saved_settings = get_staffing_settings(session=session, site_id=site_id)
    used = settings if settings is not None else saved_settings
    history = load_call_history(session=session, site_id=site_id)
    forecast = forecast_week(history, site, week_start, settings=used.forecast)
    requirements = requirements_for_week(forecast, site, used)
    source = "the site's saved settings" if used == saved_settings else "targets tuned this session"
    run = save_week_forecast(
        session=session,
        site_id=site_id,
        forecast=forecast,
        requirements=requirements,
        settings=used,
        actor=actor,
        extra_inputs={"source": f"roster page: {source}, no adjustments"},
    )
    return load_forecast_run(session=session, run_id=run.id)


def weeks_with_rosters(*, session: Session, site_id: int) -> list[date]:
    """The weeks that have at least one saved roster version, newest first."""
    rows = session.exec(
        select(col(Roster.week_start))
        .where(Roster.site_id == site_id)
        .distinct()
        .order_by(col(Roster.week_start).desc())
    )
    return list(rows)
