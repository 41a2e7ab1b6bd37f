"""A roster solve in a worker thread: the page starts it on the Solve button, keeps the job in
st.session_state and polls it. The thread never touches Streamlit; it solves, saves the
result as a draft version in one transaction, and reports progress through a queue.

One solve runs at a time per server process (the machine is small and CP-SAT uses every
worker it is given); a second waits its turn and says so.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.engine import Engine

from data.db import session_scope
from data.rosters import save_roster
from scheduling.roster.schema import RosterInstance
from scheduling.roster.solve import solve
from scheduling.roster.stages import Progress

log = logging.getLogger(__name__)
_ONE_AT_A_TIME = threading.Lock()


@dataclass
class SolveJob:
    site_id: int
    week_start: date
    time_limit: float
    workers: int
    started: float = field(default_factory=time.monotonic)
    events: queue.Queue[Progress] = field(default_factory=queue.Queue)
    history: list[Progress] = field(default_factory=list)
    solving_since: float | None = None  # set when the job got its turn
    roster_id: int | None = None
    version: int | None = None
    summary: str = ""
    nothing_found: str | None = None  # the solve ended without a roster worth saving
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def running(self) -> bool:
        return not self.done.is_set()

    @property
    def waiting(self) -> bool:
        return self.solving_since is None and self.running

    def elapsed(self) -> float:
        return time.monotonic() - (self.solving_since or self.started)

    def drain(self) -> list[Progress]:
        """Move the progress reports that arrived since the last call into `history`."""
        while True:
            try:
                self.history.append(self.events.get_nowait())
            except queue.Empty:
                return self.history


def _run(
    job: SolveJob,
    *,
    engine: Engine,
    instance: RosterInstance,
    actor: str,
    forecast_run_id: int | None,
) -> None:
    try:
        with _ONE_AT_A_TIME:
            job.solving_since = time.monotonic()
            solution = solve(
                instance,
                progress=job.events.put,
                time_limit=job.time_limit,
                workers=job.workers,
            )
        if not any(p.shifts for p in solution.people) and solution.infeasibility is None:
            s = solution.stats
            job.nothing_found = (
                f"Week of {job.week_start:%d %b %Y}: no roster was found in "
                f"{s.wall_time_seconds:.0f} s ({s.status.lower()}); "
                "nothing was saved. Allow more time and solve again."
            )
            return
        with session_scope(engine) as session:
            saved = save_roster(
                session=session,
                site_id=job.site_id,
                instance=instance,
                solution=solution,
                actor=actor,
                forecast_run_id=forecast_run_id,
            )
        job.roster_id, job.version = saved.id, saved.version
        job.summary = (
            f"Week of {job.week_start:%d %b %Y}: version {saved.version} saved as a draft: "
            f"{solution.stats.status.lower()}, "
            f"{solution.shortfall_hours():g} counsellor-hours short, "
            f"{saved.hard_rules_broken} hard rule(s) broken."
        )
    except Exception as exc:  # the page shows it; the log keeps the traceback
        log.exception("roster solve failed")
        job.error = f"{type(exc).__name__}: {exc}"
    finally:
        job.done.set()


def start_solve_job(
    *,
    engine: Engine,
    site_id: int,
    instance: RosterInstance,
    actor: str,
    forecast_run_id: int | None,
    time_limit: float,
    workers: int,
) -> SolveJob:
    job = SolveJob(
        site_id=site_id,
        week_start=instance.week_start,
        time_limit=time_limit,
        workers=workers,
    )
    threading.Thread(
        target=_run,
        kwargs={
            "job": job,
            "engine": engine,
            "instance": instance,
            "actor": actor,
            "forecast_run_id": forecast_run_id,
        },
        name=f"roster-solve-{site_id}-{instance.week_start}",
        daemon=True,
    ).start()
    return job
