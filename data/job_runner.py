"""Run one job: claim it, run it, report progress and a heartbeat, write its result. The same
function runs a job in a worker thread of an app server, in `python -m data jobs-worker` and on
a Dask worker (it takes the database URL, never a session or an engine, so it can be sent
anywhere that reaches the database).

A result is written in one transaction with marking the job done: a roster is saved whole or
not at all, and never after the job was cancelled or taken back from this worker.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from data.access import require_pool_access, require_site_access
from data.db import get_engine, session_scope, utcnow
from data.jobs import (
    ClaimedJob,
    JobLost,
    beat,
    claim_job,
    end_job,
    finish_job,
)
from data.pool_week import pool_week, save_pool_rosters
from data.rosters import save_roster
from data.today import replan_inputs
from data.wellbeing import actor_for
from scheduling.roster.pooled import solve_pool
from scheduling.roster.replan import replan_rest_of_day
from scheduling.roster.schema import RosterInstance, RosterSolution, SolveOptions
from scheduling.roster.solve import solve
from scheduling.roster.stages import Progress, StopSearch
from scheduling.scenarios import Baseline, EvaluateOptions, Scenario, ScenarioResult, evaluate

log = logging.getLogger(__name__)

MAX_POINTS = 60  # progress points kept on the job row (the chart needs no more)
BEAT_SECONDS = 1.0
SOLVER_WORKERS = 2  # the machine is shared; CP-SAT never gets more


def worker_name() -> str:
    """This thread of this process on this machine (what the job row names as its worker)."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"[:120]


@dataclass
class Reporter:
    """Collects progress from the solver's threads and, from a thread of its own, writes it
    with a heartbeat every `every` seconds; notes a cancel (or the job being taken back) and
    turns it into StopSearch at the next progress report."""

    engine: Engine
    job_id: int
    worker: str
    every: float = BEAT_SECONDS
    points: list[list[float | str]] = field(default_factory=list)
    share: float = 0.0
    text: str = ""
    limit: float | None = None  # the solve's time limit, for the page's "n s of at most m s"
    stop: threading.Event = field(default_factory=threading.Event)
    lost: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _done: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "points": list(self.points),
                "share": self.share,
                "text": self.text,
                "limit": self.limit,
            }

    def point(self, p: Progress) -> None:
        """A roster improvement (stage, objective, bound, seconds)."""
        with self._lock:
            self.points.append([p.stage, round(p.objective, 3), round(p.best_bound, 3), p.seconds])
            del self.points[:-MAX_POINTS]
        self.check()

    def step(self, share: float, text: str) -> None:
        """How far a run of several parts is (0 to 1), in words."""
        with self._lock:
            self.share, self.text = min(1.0, max(0.0, share)), text
        self.check()

    def check(self) -> None:
        if self.stop.is_set():
            raise StopSearch("the job was cancelled" if not self.lost else "the job was lost")

    def beat_once(self) -> None:
        with session_scope(self.engine) as session:
            state = beat(
                session=session,
                job_id=self.job_id,
                worker=self.worker,
                now=utcnow(),
                progress=self.snapshot(),
            )
        if state != "go":
            self.lost = state == "lost"
            self.stop.set()

    def _loop(self) -> None:
        while not self._done.wait(self.every):
            try:
                self.beat_once()
            except Exception:  # a missed beat is retried; too many and the job is taken back
                log.exception("job %s: heartbeat failed", self.job_id)

    def __enter__(self) -> Reporter:
        self._thread = threading.Thread(
            target=self._loop, name=f"job-{self.job_id}-heartbeat", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()


def _finish(
    engine: Engine, job: ClaimedJob, reporter: Reporter, save: Callable[..., Any] | None, **kw: Any
) -> None:
    """Save (when there is something to save) and mark done, in one transaction."""
    with session_scope(engine) as session:
        extra = save(session) if save is not None else {}
        finish_job(
            session=session,
            job_id=job.id,
            worker=reporter.worker,
            now=utcnow(),
            progress=reporter.snapshot(),
            **(kw | extra),
        )


def _nothing_found(week: date, solution: RosterSolution) -> str | None:
    if any(p.shifts for p in solution.people) or solution.infeasibility is not None:
        return None
    s = solution.stats
    return (
        f"Week of {week:%d %b %Y}: no roster was found in {s.wall_time_seconds:.0f} s "
        f"({s.status.lower()}); nothing was saved. Allow more time and solve again."
    )


def _require_requester(session: Session, job: ClaimedJob) -> None:
    """The worker acts with the rights the requester has now, not when they queued the job: an
    account taken off the centre (or disabled) since has the job refused (audited)."""
    require_site_access(session, actor=job.requested_by, site_id=job.site_id)


def _roster_solve(engine: Engine, job: ClaimedJob, reporter: Reporter) -> None:
    instance = RosterInstance.model_validate(job.inputs["instance"])
    forecast_run_id = job.inputs.get("forecast_run_id")
    reporter.limit = instance.options.time_limit_seconds
    with session_scope(engine) as session:
        _require_requester(session, job)
    solution = solve(instance, progress=reporter.point)
    reporter.check()
    week = instance.week_start
    nothing = _nothing_found(week, solution)
    if nothing is not None:
        _finish(engine, job, reporter, None, summary=nothing, result={"nothing_found": True})
        return

    def save(session: Session) -> dict[str, Any]:
        _require_requester(session, job)
        saved = save_roster(
            session=session,
            site_id=job.site_id,
            instance=instance,
            solution=solution,
            actor=job.requested_by,
            forecast_run_id=forecast_run_id,
        )
        return {
            "roster_id": saved.id,
            "roster_version": saved.version,
            "summary": (
                f"Week of {week:%d %b %Y}: version {saved.version} saved as a draft: "
                f"{solution.stats.status.lower()}, "
                f"{solution.shortfall_hours():g} counsellor-hours short, "
                f"{saved.hard_rules_broken} hard rule(s) broken."
            ),
        }

    _finish(engine, job, reporter, save, summary="")


def _replan(engine: Engine, job: ClaimedJob, reporter: Reporter) -> None:
    now = datetime.fromisoformat(job.inputs["now"])
    reporter.limit = float(job.inputs["time_limit"])
    with session_scope(engine) as session:
        _require_requester(session, job)
        actor = actor_for(session=session, username=job.requested_by)
        prepared = replan_inputs(session=session, actor=actor, site_id=job.site_id, now=now)
    replan = replan_rest_of_day(
        prepared.instance,
        now,
        prepared.off_queue,
        time_limit=reporter.limit,
        workers=SOLVER_WORKERS,
        progress=reporter.point,
    )
    reporter.check()

    def save(session: Session) -> dict[str, Any]:
        _require_requester(session, job)
        draft = save_roster(
            session=session,
            site_id=job.site_id,
            instance=prepared.instance,
            solution=replan.solution,
            actor=job.requested_by,
            forecast_run_id=prepared.forecast_run_id,
        )
        return {"roster_id": draft.id, "roster_version": draft.version}

    changes = [c.model_dump(mode="json") for c in replan.changes]
    _finish(
        engine,
        job,
        reporter,
        save,
        summary=f"{len(changes)} change(s) to the rest of today, saved as a draft",
        result={
            "changes": changes,
            "pin_before": replan.pin_before.isoformat(),
            "replan_until": replan.replan_until.isoformat(),
        },
    )


def _pool_solve(engine: Engine, job: ClaimedJob, reporter: Reporter) -> None:
    """The pool's week solved jointly, saved back as each centre's next draft (all or none)."""
    assert job.week_start is not None
    week_start = job.week_start
    reporter.limit = float(job.inputs["time_limit"])
    options = SolveOptions(
        time_limit_seconds=reporter.limit, workers=SOLVER_WORKERS, allow_hires=False
    )
    with session_scope(engine) as session:
        # the centres are read again: one may have left the pool, or the requester a centre
        week = pool_week(
            session=session, number=job.inputs["number"], week_start=week_start, options=options
        )
        require_pool_access(
            session, actor=job.requested_by, site_ids=[c.site_id for c in week.centres]
        )
    joint = solve_pool(
        week.named,
        week.required,
        week.shares,
        time_limit=reporter.limit,
        workers=SOLVER_WORKERS,
        progress=reporter.point,
    )
    reporter.check()
    nothing = _nothing_found(week_start, joint.solution)
    if nothing is not None:
        _finish(engine, job, reporter, None, summary=nothing, result={"nothing_found": True})
        return

    def save(session: Any) -> dict[str, Any]:
        require_pool_access(
            session, actor=job.requested_by, site_ids=[c.site_id for c in week.centres]
        )
        centres = save_pool_rosters(session=session, week=week, joint=joint, actor=job.requested_by)
        drafts = ", ".join(f"{c['name']} v{c['version']}" for c in centres)
        return {
            "result": {
                "number": job.inputs["number"],
                "status": joint.solution.stats.status,
                "wall_time_seconds": joint.solution.stats.wall_time_seconds,
                "pool_shortfall_hours": round(joint.pool_shortfall_hours, 2),
                "centres": centres,
            },
            "summary": (
                f"Week of {week_start:%d %b %Y}: the pool's roster is saved as drafts ({drafts}): "
                f"{joint.solution.stats.status.lower()}, the pool is "
                f"{joint.pool_shortfall_hours:.1f} counsellor-hours short."
            ),
        }

    _finish(engine, job, reporter, save, summary="")


def evaluated(scenario: Scenario, result: ScenarioResult) -> dict[str, Any]:
    """What is kept of one scenario's evaluation (plain JSON, as it is saved)."""
    return {
        "summary": result.summary(),
        "monthly": [
            {"scenario": scenario.name, **m.model_dump(mode="json")} for m in result.months
        ],
        "notes": list(result.notes),
        "inputs": scenario.model_dump(mode="json"),
    }


def _scenario_run(engine: Engine, job: ClaimedJob, reporter: Reporter) -> None:
    baseline = Baseline.model_validate(job.inputs["baseline"])
    options = EvaluateOptions.model_validate(job.inputs["options"])
    scenarios = [Scenario.model_validate(s) for s in job.inputs["scenarios"]]
    keys: list[str] = list(job.inputs["keys"])
    results: dict[str, dict[str, Any]] = dict(job.inputs.get("known", {}))
    n = len(scenarios)
    for i, (scenario, key) in enumerate(zip(scenarios, keys, strict=True)):
        if key in results:
            continue

        def report(share: float, what: str, i: int = i, name: str = scenario.name) -> None:
            reporter.step((i + share) / n, f"{name}: {what}")

        reporter.step(i / n, f"{scenario.name}: starting")
        outcome = evaluate(baseline, scenario, options=options, progress=report)
        results[key] = evaluated(scenario, outcome)
    reporter.step(1.0, "done")
    _finish(
        engine,
        job,
        reporter,
        None,
        summary=f"{n} scenario(s) evaluated",
        result={"keys": keys, "results": {k: results[k] for k in keys}},
    )


HANDLERS: dict[str, Callable[[Engine, ClaimedJob, Reporter], None]] = {
    "roster_solve": _roster_solve,
    "replan": _replan,
    "scenario_run": _scenario_run,
    "pool_solve": _pool_solve,
}


def run_job(
    url: str, job_id: int | None = None, *, worker: str | None = None, beat_seconds: float = 0
) -> int | None:
    """Claim `job_id` (or the oldest queued job) and run it to its end: done with its result,
    cancelled (nothing saved), or failed with the reason. Returns the id of the job run, None
    when there was nothing to claim (another worker took it)."""
    engine = get_engine(url)
    me = worker or worker_name()
    with session_scope(engine) as session:
        job = claim_job(session=session, worker=me, now=utcnow(), job_id=job_id)
    if job is None:
        return None
    log.info("job %s (%s) claimed by %s, attempt %s", job.id, job.kind, me, job.attempts)
    reporter = Reporter(engine=engine, job_id=job.id, worker=me, every=beat_seconds or BEAT_SECONDS)
    outcome: tuple[str, str] | None = None
    try:
        with reporter:
            HANDLERS[job.kind](engine, job, reporter)
    except StopSearch:
        outcome = ("cancelled", "nothing was saved")
    except JobLost:  # cancelled at the last moment, or taken back: nothing was saved
        log.warning("job %s was cancelled or taken back; its result was not saved", job.id)
        outcome = ("cancelled", "nothing was saved")
    except (ValueError, PermissionError) as exc:  # refused input: its message says why
        outcome = ("failed", str(exc))
    except Exception as exc:  # the reason goes on the job row; the traceback to the log
        log.exception("job %s (%s) failed", job.id, job.kind)
        outcome = ("failed", f"{type(exc).__name__}: {exc}")
    if outcome is not None and not reporter.lost:
        status, reason = outcome
        with session_scope(engine) as session:
            end_job(
                session=session,
                job_id=job.id,
                worker=me,
                now=utcnow(),
                status="cancelled" if status == "cancelled" else "failed",
                reason=reason,
            )
    return job.id
