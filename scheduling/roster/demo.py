"""The demo helpline's roster instance for a week, from the sample files in data/samples/
(read as files: the domain does not import the data layer) + forecast + staffing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from scheduling.domain import SiteProfile, StaffingSettings, StaffMember
from scheduling.roster.build import build_instance
from scheduling.roster.schema import RosterInstance
from scheduling.roster.work_rules import WorkRules


class DemoFilesError(ValueError):
    """A sample file is missing or malformed; the message names it."""


def _load(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DemoFilesError(
            f"cannot read {path}: {exc.strerror or exc} (run `python -m data write-samples`)"
        ) from None
    except json.JSONDecodeError as exc:
        raise DemoFilesError(f"{path} is not valid JSON: {exc}") from None


def demo_instance(week: date, samples: Path) -> RosterInstance:
    from scheduling.forecast import ForecastError, forecast_week
    from scheduling.history import HistoryFileError, read_call_history_csv
    from scheduling.staffing.requirements import requirements_for_week

    raw = _load(samples / "demo_site.json")
    try:
        site = SiteProfile.model_validate(raw["site"])
        settings = StaffingSettings.model_validate(raw.get("staffing", {}))
        rules = WorkRules.model_validate(raw.get("work_rules", {}))
        staff = TypeAdapter(list[StaffMember]).validate_python(_load(samples / "demo_staff.json"))
    except (KeyError, ValidationError) as exc:
        raise DemoFilesError(f"demo sample files in {samples}: {exc}") from None
    history_path = samples / "demo_call_history.csv"
    try:
        history = read_call_history_csv(
            history_path, site_timezone=site.timezone, interval_minutes=site.interval_minutes
        )
        forecast = forecast_week(history.records, site, week)
    except (OSError, HistoryFileError, ForecastError) as exc:
        raise DemoFilesError(f"{history_path}: {exc}") from None
    requirements = requirements_for_week(forecast, site, settings)
    return build_instance(
        site=site,
        staff=staff,
        rules=rules,
        requirements=requirements,
        settings=settings,
        week_start=week,
    )
