"""The job table's repository: queue a job, claim one (atomically, whichever process asks),
report a heartbeat with progress, finish, cancel, and take back the jobs of workers that
stopped responding. Every function works inside the caller's session (one transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import CursorResult, and_, delete, func, update
from sqlmodel import Session, col, select

from data.db import lock_rows
from data.errors import NotFoundError
from data.models import Job, JobCreate, JobKind, JobPublic
from data.models.jobs import ACTIVE_STATUSES

WORKER_STOPPED = "worker stopped responding"
Beat = Literal["go", "cancel", "lost"]


class JobLost(RuntimeError):
    """The worker no longer holds the job (cancelled, or taken back after a missed heartbeat):
    what it computed must not be saved."""


@dataclass(frozen=True)
class ClaimedJob:
    """A job a worker now holds, with what it runs on."""

    id: int
    kind: JobKind
    site_id: int
    requested_by: str
    week_start: date | None
    inputs: dict[str, Any]
    attempts: int


def roster_key(site_id: int, week_start: date) -> str:
    """Jobs that write a version of one site-week (a solve, a re-plan) run one at a time."""
    return f"roster:{site_id}:{week_start.isoformat()}"


def pool_key(first_site_id: int, week_start: date) -> str:
    """One joint roster of a pool's week at a time (a pool is named by its first centre)."""
    return f"pool:{first_site_id}:{week_start.isoformat()}"


def _public(job: Job) -> JobPublic:
    return JobPublic.model_validate(job, from_attributes=True)


def _rows(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return result.rowcount


def create_job(*, session: Session, job_in: JobCreate) -> JobPublic:
    """Queue a job. A second active job with the same active_key fails on the unique key
    (IntegrityError at flush or commit); `active_job_by_key` says which job holds it."""
    job = Job.model_validate(job_in)
    session.add(job)
    session.flush()
    return _public(job)


def get_job(*, session: Session, job_id: int) -> JobPublic:
    job = session.get(Job, job_id)
    if job is None:
        raise NotFoundError(f"job {job_id} does not exist")
    session.refresh(job)  # another process may have changed it since this session read it
    return _public(job)


def job_inputs(*, session: Session, job_id: int) -> dict[str, Any]:
    """What the job runs on (kept off JobPublic: a roster's instance is large)."""
    job = session.get(Job, job_id)
    if job is None:
        raise NotFoundError(f"job {job_id} does not exist")
    return dict(job.inputs)


def active_job_by_key(*, session: Session, active_key: str) -> JobPublic | None:
    job = session.exec(select(Job).where(Job.active_key == active_key)).first()
    return None if job is None else _public(job)


def latest_job(
    *,
    session: Session,
    site_id: int,
    kind: JobKind,
    week_start: date | None = None,
    requested_by: str | None = None,
    active_only: bool = True,
) -> JobPublic | None:
    """The site's newest job of `kind` (for that week, asked by that person when given)."""
    query = select(Job).where(Job.site_id == site_id, Job.kind == kind)
    if week_start is not None:
        query = query.where(Job.week_start == week_start)
    if requested_by is not None:
        query = query.where(Job.requested_by == requested_by)
    if active_only:
        query = query.where(col(Job.status).in_(ACTIVE_STATUSES))
    job = session.exec(query.order_by(col(Job.id).desc())).first()
    return None if job is None else _public(job)


def queued_job_ids(*, session: Session, limit: int = 200) -> list[tuple[int, int]]:
    """(id, attempts) of the queued jobs, oldest first."""
    rows = session.exec(
        select(Job.id, Job.attempts)
        .where(Job.status == "queued")
        .order_by(col(Job.created_at), col(Job.id))
        .limit(limit)
    ).all()
    return [(int(i), int(a)) for i, a in rows if i is not None]


def claim_job(
    *, session: Session, worker: str, now: datetime, job_id: int | None = None
) -> ClaimedJob | None:
    """Take the oldest queued job (or `job_id`, if it is still queued) for `worker`; None when
    there is none. Call it first in a fresh transaction. Two workers never get the same job:
    PostgreSQL skips rows another transaction has locked (SELECT ... FOR UPDATE SKIP LOCKED);
    on SQLite one UPDATE guarded by status = 'queued' picks and takes the job, and only the
    writer that changed the row gets it back (SQLite lets one writer in at a time; a read
    before the write would fail with "database is locked" when another worker wrote first)."""
    pick = select(Job.id).where(Job.status == "queued")
    if job_id is not None:
        pick = pick.where(Job.id == job_id)
    pick = pick.order_by(col(Job.created_at), col(Job.id)).limit(1)
    take = update(Job).values(
        status="running",
        worker=worker,
        attempts=col(Job.attempts) + 1,
        heartbeat_at=now,
        started_at=now,
    )
    if session.get_bind().dialect.name == "postgresql":
        candidate = session.exec(pick.with_for_update(skip_locked=True)).first()
        if candidate is None:
            return None
        taken = session.execute(take.where(col(Job.id) == candidate, col(Job.status) == "queued"))
        if _rows(taken) != 1:
            return None
    else:
        row = session.execute(
            take.where(
                col(Job.status) == "queued", col(Job.id) == pick.scalar_subquery()
            ).returning(col(Job.id))
        ).first()
        if row is None:
            return None
        candidate = row[0]
    job = session.get(Job, candidate)
    assert job is not None and job.id is not None
    session.refresh(job)
    return ClaimedJob(
        id=job.id,
        kind=job.kind,  # type: ignore[arg-type]  # the check constraint holds it
        site_id=job.site_id,
        requested_by=job.requested_by,
        week_start=job.week_start,
        inputs=dict(job.inputs),
        attempts=job.attempts,
    )


def _held(job_id: int, worker: str) -> Any:
    return and_(col(Job.id) == job_id, col(Job.worker) == worker, col(Job.status) == "running")


def beat(
    *,
    session: Session,
    job_id: int,
    worker: str,
    now: datetime,
    progress: dict[str, Any] | None = None,
) -> Beat:
    """The worker is alive (and, when given, its latest progress). "cancel" when someone asked
    to cancel the job, "lost" when the worker no longer holds it."""
    values: dict[str, Any] = {"heartbeat_at": now}
    if progress is not None:
        values["progress"] = progress
    if _rows(session.execute(update(Job).where(_held(job_id, worker)).values(**values))) != 1:
        return "lost"
    cancel = session.exec(select(Job.cancel_requested).where(Job.id == job_id)).one()
    return "cancel" if cancel else "go"


def finish_job(
    *,
    session: Session,
    job_id: int,
    worker: str,
    now: datetime,
    summary: str,
    roster_id: int | None = None,
    roster_version: int | None = None,
    result: dict[str, Any] | None = None,
    progress: dict[str, Any] | None = None,
) -> None:
    """Mark the job done with its result, in the transaction that saved the result. Raises
    JobLost (and so rolls the result back) when the job was cancelled or taken back."""
    values: dict[str, Any] = {
        "status": "done",
        "active_key": None,
        "finished_at": now,
        "heartbeat_at": now,
        "summary": summary[:500],
        "roster_id": roster_id,
        "roster_version": roster_version,
        "result": result or {},
    }
    if progress is not None:
        values["progress"] = progress
    guard = and_(_held(job_id, worker), col(Job.cancel_requested).is_(False))
    if _rows(session.execute(update(Job).where(guard).values(**values))) != 1:
        raise JobLost(f"job {job_id} is no longer held by {worker}")


def end_job(
    *,
    session: Session,
    job_id: int,
    worker: str,
    now: datetime,
    status: Literal["failed", "cancelled"],
    reason: str,
) -> bool:
    """End a job the worker holds without a result (a cancelled job keeps who cancelled it,
    `reason` added). False when it no longer held it."""
    error: Any = reason[:1000]
    if status == "cancelled":
        error = func.substr(func.coalesce(col(Job.error), "cancelled") + "; " + reason, 1, 1000)
    ended = session.execute(
        update(Job)
        .where(_held(job_id, worker))
        .values(status=status, active_key=None, finished_at=now, heartbeat_at=now, error=error)
    )
    return _rows(ended) == 1


def request_cancel(*, session: Session, job_id: int, by: str, now: datetime) -> JobPublic:
    """Cancel a queued job at once; ask a running one to stop (its worker sees the flag at its
    next progress report). A job that has ended is left as it is."""
    session.execute(
        update(Job)
        .where(and_(col(Job.id) == job_id, col(Job.status) == "queued"))
        .values(
            status="cancelled",
            active_key=None,
            finished_at=now,
            error=f"cancelled by {by} before it started",
        )
    )
    session.execute(
        update(Job)
        .where(and_(col(Job.id) == job_id, col(Job.status) == "running"))
        .values(cancel_requested=True, error=f"cancelled by {by}")
    )
    return get_job(session=session, job_id=job_id)


@dataclass(frozen=True)
class Reaped:
    job_id: int
    outcome: Literal["queued", "failed", "cancelled"]


def reap_stale_jobs(*, session: Session, now: datetime, timeout_seconds: float) -> list[Reaped]:
    """Take back every running job whose worker has not reported for `timeout_seconds`: queued
    again while it has attempts left, else failed ("worker stopped responding"); a job whose
    cancel was asked is cancelled. Each update repeats the staleness check, so two app
    servers reaping at once take a job back only once."""
    cutoff = now - timedelta(seconds=timeout_seconds)
    if session.get_bind().dialect.name == "sqlite":
        # take SQLite's write lock before reading, so the updates below cannot be refused
        lock_rows(session, Job, col(Job.status) == "running")
    stale = session.exec(
        select(Job).where(Job.status == "running", col(Job.heartbeat_at) < cutoff)
    ).all()
    out: list[Reaped] = []
    for job in stale:
        assert job.id is not None
        guard = and_(
            col(Job.id) == job.id,
            col(Job.status) == "running",
            col(Job.heartbeat_at) < cutoff,
            col(Job.worker) == job.worker,
        )
        values: dict[str, Any]
        outcome: Literal["queued", "failed", "cancelled"]
        if job.cancel_requested:
            outcome = "cancelled"
            values = {"status": "cancelled", "active_key": None, "finished_at": now}
        elif job.attempts < job.max_attempts:
            outcome = "queued"
            values = {
                "status": "queued",
                "worker": None,
                "heartbeat_at": None,
                "error": f"attempt {job.attempts}: {WORKER_STOPPED}; queued again",
            }
        else:
            outcome = "failed"
            values = {
                "status": "failed",
                "active_key": None,
                "finished_at": now,
                "error": f"{WORKER_STOPPED} (after {job.attempts} attempt(s))",
            }
        if _rows(session.execute(update(Job).where(guard).values(**values))) == 1:
            out.append(Reaped(job.id, outcome))
    return out


def purge_ended_jobs(*, session: Session, before: datetime) -> int:
    """Delete the jobs that ended (done, failed or cancelled) before `before`; the rosters and
    scenarios they saved are rows of their own and stay. Returns how many were deleted."""
    return _rows(
        session.execute(
            delete(Job).where(
                col(Job.status).in_(("done", "failed", "cancelled")),
                col(Job.finished_at) < before,
            )
        )
    )
