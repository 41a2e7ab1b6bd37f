"""A roster solve as the Roster page sees it: a job in the database (data.services.jobs), run by
whichever worker claimed it, read back on every poll. Nothing lives in this server's memory, so
any app server shows the solve's progress and result, also after a reload."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine

from data.models import JobPublic
from data.services.jobs import find_job, job_status, start_roster_solve
from scheduling.roster.schema import RosterInstance
from scheduling.roster.stages import Progress


@dataclass(frozen=True)
class SolveJob:
    """One reading of a solve job's row."""

    row: JobPublic

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def week_start(self) -> date:
        assert self.row.week_start is not None
        return self.row.week_start

    @property
    def running(self) -> bool:
        return self.row.active

    @property
    def waiting(self) -> bool:
        return self.row.status == "queued"

    @property
    def time_limit(self) -> float:
        return float(self.row.progress.get("limit") or 0.0)

    @property
    def history(self) -> list[Progress]:
        return [Progress(str(s), float(o), float(b), float(t)) for s, o, b, t in self.points]

    @property
    def points(self) -> list[list]:
        return list(self.row.progress.get("points", []))

    def elapsed(self) -> float:
        since = self.row.started_at or self.row.created_at
        return (datetime.now(UTC) - since).total_seconds()


def start_solve_job(
    *,
    engine: Engine,
    site_id: int,
    instance: RosterInstance,
    actor: str,
    forecast_run_id: int | None,
) -> SolveJob:
    """Queue the solve (ConflictError when the week is being solved already)."""
    return SolveJob(
        start_roster_solve(
            engine=engine,
            site_id=site_id,
            instance=instance,
            username=actor,
            forecast_run_id=forecast_run_id,
        )
    )


def read_solve_job(*, engine: Engine, job_id: int, username: str) -> SolveJob:
    return SolveJob(job_status(engine=engine, job_id=job_id, username=username))


def running_solve_job(
    *, engine: Engine, site_id: int, week_start: date, username: str
) -> SolveJob | None:
    """The week's queued or running solve, whoever started it on whichever server."""
    row = find_job(
        engine=engine,
        username=username,
        site_id=site_id,
        kind="roster_solve",
        week_start=week_start,
    )
    return None if row is None else SolveJob(row)
