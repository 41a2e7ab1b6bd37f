"""The pages' job actions: queue a roster solve, a re-plan of today or a scenario run; read a
job back (its progress and result, from whichever app server asks); find the site's running
job again after a reload; cancel one. Each opens and closes its own transaction.

Two jobs that write a version of the same site-week are never active at once: the second is
refused with a message naming the one that runs. Jobs of other sites and weeks run side by
side, as many at once as there are workers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from data.access import require_pool_access, require_site_access
from data.db import get_engine, lock_rows, session_scope, utcnow
from data.errors import ConflictError
from data.job_workers import wake_job_workers
from data.jobs import (
    active_job_by_key,
    create_job,
    get_job,
    job_inputs,
    latest_job,
    pool_key,
    request_cancel,
    roster_key,
)
from data.models import JobCreate, JobKind, JobPublic, Site
from data.pool_week import pool_of_site, pool_site_ids
from data.settings import settings
from data.wellbeing import actor_for, site_zone
from scheduling.domain import Role, monday_of
from scheduling.roster.replan import ShiftChange
from scheduling.roster.schema import RosterInstance
from scheduling.scenarios import Baseline, EvaluateOptions, Scenario
from scheduling.sweep import cache_key
from wellbeing.privacy import AccessDenied

WORDS = {
    "roster_solve": "a roster solve",
    "replan": "a re-plan of today",
    "scenario_run": "a run",
    "pool_solve": "a joint roster of the pool",
}
MAY_START: Mapping[JobKind, frozenset[Role]] = {
    "roster_solve": frozenset({Role.MANAGER, Role.ADMIN}),
    "replan": frozenset({Role.MANAGER}),
    "scenario_run": frozenset({Role.MANAGER, Role.LEADERSHIP}),
    # a manager only when they belong to every centre of the pool (require_pool_access)
    "pool_solve": frozenset({Role.LEADERSHIP, Role.ADMIN, Role.MANAGER}),
}


def _engine(engine: Engine | None) -> Engine:
    return engine or get_engine()


def _allowed(session: Any, username: str, kind: JobKind, verb: str = "start") -> None:
    """Only the roles that may start a kind of job see it or cancel it (an admin sees all)."""
    actor = actor_for(session=session, username=username)
    if actor.role not in MAY_START[kind] and not (verb != "start" and actor.role is Role.ADMIN):
        raise AccessDenied(f"a {actor.role.value} account may not {verb} {WORDS[kind]}")


def _require_job_access(session: Any, username: str, job: JobPublic) -> None:
    """The centre of the job, or every centre of a pool's joint roster."""
    if job.kind == "pool_solve":
        inputs = job_inputs(session=session, job_id=job.id)
        require_pool_access(session, actor=username, site_ids=inputs["site_ids"])
    else:
        require_site_access(session, actor=username, site_id=job.site_id)


def _clashing_keys(
    kind: JobKind,
    site_id: int,
    week_start: date | None,
    active_key: str,
    pool: Sequence[int],
    pool_site_ids: Sequence[int],
) -> list[tuple[str, int]]:
    """The active keys (with the centre each names) that must be free for a job to start: its
    own, and for a centre's week in a pool, the pool's joint roster of that week, or the other
    way round."""
    keys = [(active_key, site_id)]
    if week_start is not None and kind in ("roster_solve", "replan") and pool:
        keys.append((pool_key(pool[0], week_start), site_id))
    if week_start is not None and kind == "pool_solve":
        keys += [(roster_key(centre, week_start), centre) for centre in pool_site_ids]
    return keys


def _busy_message(session: Any, key: str, site_id: int, week: date | None) -> str:
    holder = active_job_by_key(session=session, active_key=key)
    what = f"the week of {week:%d %b %Y}" if week else "this site"
    if holder is None:
        return f"Another job for {what} has just started; try again when it has finished."
    when = holder.created_at.astimezone(site_zone(session, site_id))
    return (
        f"{WORDS[holder.kind].capitalize()} of {what}, asked by {holder.requested_by} at "
        f"{when:%H:%M}, is {holder.status}: wait for it to finish, or cancel it, before "
        "starting another."
    )


def _queue(
    engine: Engine | None,
    *,
    kind: JobKind,
    site_id: int,
    username: str,
    week_start: date | None,
    active_key: str,
    inputs: dict[str, Any],
    pool_site_ids: Sequence[int] = (),
) -> JobPublic:
    eng = _engine(engine)
    job_in = JobCreate(
        kind=kind,
        site_id=site_id,
        requested_by=username,
        week_start=week_start,
        inputs=inputs,
        active_key=active_key,
        max_attempts=settings().job_max_attempts,
    )
    try:
        with session_scope(eng) as session:
            _allowed(session, username, kind)
            if pool_site_ids:
                require_pool_access(session, actor=username, site_ids=pool_site_ids)
            else:
                require_site_access(session, actor=username, site_id=site_id)
            pool = pool_of_site(session=session, site_id=site_id)
            # A centre's solve and its pool's joint roster both write that centre's week, under
            # different keys: holding the centres' rows makes whichever is queued second wait
            # for the first to commit, and then see it.
            centres = sorted(set(pool_site_ids) | {site_id})
            lock_rows(session, Site, col(Site.id).in_(centres))
            for key, key_site in _clashing_keys(
                kind, site_id, week_start, active_key, pool, pool_site_ids
            ):
                if active_job_by_key(session=session, active_key=key) is not None:
                    raise ConflictError(_busy_message(session, key, key_site, week_start))
            job = create_job(session=session, job_in=job_in)
    except IntegrityError:  # queued by someone else between the check and the insert
        with session_scope(eng) as session:
            raise ConflictError(_busy_message(session, active_key, site_id, week_start)) from None
    wake_job_workers()
    return job


def start_roster_solve(
    *,
    engine: Engine | None = None,
    site_id: int,
    instance: RosterInstance,
    username: str,
    forecast_run_id: int | None,
) -> JobPublic:
    """Queue a solve of `instance`'s week; a worker saves the roster as the next draft.
    ConflictError when the week is being solved or re-planned already."""
    return _queue(
        engine,
        kind="roster_solve",
        site_id=site_id,
        username=username,
        week_start=instance.week_start,
        active_key=roster_key(site_id, instance.week_start),
        inputs={
            "instance": instance.model_dump(mode="json"),
            "forecast_run_id": forecast_run_id,
        },
    )


def start_replan(
    *,
    engine: Engine | None = None,
    username: str,
    site_id: int,
    now: datetime,
    time_limit: float = 10.0,
) -> JobPublic:
    """Queue a re-plan of the rest of today (saved as a draft; nothing is published)."""
    with session_scope(_engine(engine)) as session:
        week = monday_of(now.astimezone(site_zone(session, site_id)).date())
    return _queue(
        engine,
        kind="replan",
        site_id=site_id,
        username=username,
        week_start=week,
        active_key=roster_key(site_id, week),
        inputs={"now": now.isoformat(), "time_limit": time_limit},
    )


def start_scenario_run(
    *,
    engine: Engine | None = None,
    site_id: int,
    username: str,
    baseline: Baseline,
    scenarios: Sequence[Scenario],
    options: EvaluateOptions,
    known: Mapping[str, dict[str, Any]] | None = None,
) -> JobPublic:
    """Queue the evaluation of `scenarios` (those already in `known`, by cache key, are
    reused). One run at a time per person and site."""
    b_json, o_json = baseline.model_dump_json(), options.model_dump_json()
    keys = [cache_key(b_json, s.model_dump_json(), o_json) for s in scenarios]
    reuse = {k: dict(known[k]) for k in keys if known and k in known}
    return _queue(
        engine,
        kind="scenario_run",
        site_id=site_id,
        username=username,
        week_start=None,
        active_key=f"scenarios:{site_id}:{username}"[:80],
        inputs={
            "baseline": baseline.model_dump(mode="json"),
            "options": options.model_dump(mode="json"),
            "scenarios": [s.model_dump(mode="json") for s in scenarios],
            "keys": keys,
            "known": reuse,
        },
    )


def start_pool_solve(
    *,
    engine: Engine | None = None,
    username: str,
    number: str,
    week_start: date,
    time_limit: float = 20.0,
) -> JobPublic:
    """Queue the joint roster of the week of every centre sharing `number`; a worker saves each
    centre's part as that centre's next draft. For leadership, administrators and a manager of
    every centre of the pool. ConflictError while the pool's week, or one of its centres'
    weeks, is being rostered already."""
    if week_start.weekday() != 0:
        raise ValueError(f"week_start {week_start} is a {week_start:%A}; weeks start on Monday")
    with session_scope(_engine(engine)) as session:
        site_ids = pool_site_ids(session=session, number=number)
    return _queue(
        engine,
        kind="pool_solve",
        site_id=site_ids[0],
        username=username,
        week_start=week_start,
        active_key=pool_key(site_ids[0], week_start),
        inputs={"number": number, "site_ids": site_ids, "time_limit": time_limit},
        pool_site_ids=site_ids,
    )


def latest_pool_job(
    *, engine: Engine | None = None, username: str, number: str, week_start: date
) -> JobPublic | None:
    """The pool's newest joint roster job of the week, running or ended (a page opened again
    shows its progress or its result)."""
    with session_scope(_engine(engine)) as session:
        _allowed(session, username, "pool_solve", "see")
        site_ids = pool_site_ids(session=session, number=number)
        require_pool_access(session, actor=username, site_ids=site_ids)
        return latest_job(
            session=session,
            site_id=site_ids[0],
            kind="pool_solve",
            week_start=week_start,
            active_only=False,
        )


def job_status(*, engine: Engine | None = None, job_id: int, username: str) -> JobPublic:
    """The job as its row says now: status, progress, result."""
    with session_scope(_engine(engine)) as session:
        job = get_job(session=session, job_id=job_id)
        _allowed(session, username, job.kind, "see")
        _require_job_access(session, username, job)
        return job


def find_job(
    *,
    engine: Engine | None = None,
    username: str,
    site_id: int,
    kind: JobKind,
    week_start: date | None = None,
    only_mine: bool = False,
) -> JobPublic | None:
    """The site's queued or running job of `kind` (that week's; this person's when
    `only_mine`), for a page opened again while it runs."""
    with session_scope(_engine(engine)) as session:
        _allowed(session, username, kind, "see")
        require_site_access(session, actor=username, site_id=site_id)
        return latest_job(
            session=session,
            site_id=site_id,
            kind=kind,
            week_start=week_start,
            requested_by=username if only_mine else None,
        )


def cancel_job(*, engine: Engine | None = None, job_id: int, username: str) -> JobPublic:
    """Cancel a queued job, or ask a running one to stop; nothing it computed is saved."""
    with session_scope(_engine(engine)) as session:
        job = get_job(session=session, job_id=job_id)
        _allowed(session, username, job.kind, "cancel")
        _require_job_access(session, username, job)
        return request_cancel(session=session, job_id=job_id, by=username, now=utcnow())


class ReplanOutcome(BaseModel):
    """A finished re-plan: what it changes and the draft it was saved as."""

    model_config = ConfigDict(frozen=True)

    changes: tuple[ShiftChange, ...]
    draft_id: int


def replan_outcome(job: JobPublic) -> ReplanOutcome | None:
    """The outcome of a re-plan job that is done, else None."""
    if job.kind != "replan" or job.status != "done" or job.roster_id is None:
        return None
    changes = tuple(ShiftChange.model_validate(c) for c in job.result.get("changes", []))
    return ReplanOutcome(changes=changes, draft_id=job.roster_id)
