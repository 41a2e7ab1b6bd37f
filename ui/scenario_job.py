"""A scenario run as the Scenarios page sees it: a job in the database (data.services.jobs), run
by whichever worker claimed it and read back on every poll, so any app server shows its
progress and results, also after a reload."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine

from data.models import JobPublic
from data.services.jobs import find_job, job_status, start_scenario_run
from scheduling.scenarios import Baseline, EvaluateOptions, Scenario


@dataclass(frozen=True)
class ScenarioJob:
    """One reading of a scenario run's row."""

    row: JobPublic

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def running(self) -> bool:
        return self.row.active

    def progress(self) -> tuple[float, str]:
        if self.row.status == "queued":
            return 0.0, "queued: waiting for a free worker"
        p = self.row.progress
        return float(p.get("share", 0.0)), str(p.get("text") or "starting")

    @property
    def keys(self) -> list[str]:
        return list(self.row.result.get("keys", []))

    @property
    def results(self) -> dict[str, dict[str, Any]]:
        """cache key -> {"summary", "monthly", "notes", "inputs"}, once the run is done."""
        return dict(self.row.result.get("results", {}))


def start_scenario_job(
    *,
    engine: Engine,
    site_id: int,
    username: str,
    baseline: Baseline,
    scenarios: Sequence[Scenario],
    options: EvaluateOptions,
    known: Mapping[str, dict[str, Any]],
) -> ScenarioJob:
    """Queue the run (ConflictError while this person's previous run is still going)."""
    return ScenarioJob(
        start_scenario_run(
            engine=engine,
            site_id=site_id,
            username=username,
            baseline=baseline,
            scenarios=scenarios,
            options=options,
            known=known,
        )
    )


def read_scenario_job(*, engine: Engine, job_id: int, username: str) -> ScenarioJob:
    return ScenarioJob(job_status(engine=engine, job_id=job_id, username=username))


def running_scenario_job(*, engine: Engine, site_id: int, username: str) -> ScenarioJob | None:
    """This person's queued or running comparison at the site."""
    row = find_job(
        engine=engine, username=username, site_id=site_id, kind="scenario_run", only_mine=True
    )
    return None if row is None else ScenarioJob(row)
