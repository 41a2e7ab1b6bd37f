"""Jobs in the database (SQLite and PostgreSQL): a solve queued by one app server is claimed by
exactly one worker, reports progress, saves its roster in the transaction that marks it done,
can be cancelled (nothing saved), and is retried or failed when its worker stops responding.
Two solves of one site-week are never active at once; two sites' solves run side by side."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlmodel import select

import data.job_runner as job_runner
from data.access import member_site_ids, set_memberships
from data.db import session_scope, utcnow
from data.errors import ConflictError
from data.job_runner import run_job
from data.job_workers import JobWorkers
from data.jobs import WORKER_STOPPED, claim_job, get_job, reap_stale_jobs
from data.models import Account, Job, JobCreate, JobPublic, Roster, SiteCreate
from data.services.jobs import cancel_job, find_job, job_status, start_roster_solve
from data.settings import Settings
from data.sites import create_site
from scheduling.domain import DailyWindow, Role
from scheduling.roster.schema import RosterInstance, SolveOptions
from tests.data.conftest import MigratedDatabase, member_of
from tests.scheduling.roster.rosterkit import instance, member

MANAGER = "jobs-manager"


def read_job(engine: Engine, job_id: int) -> JobPublic:
    """The job row as it is now (the repository: no account needed)."""
    with session_scope(engine) as session:
        return get_job(session=session, job_id=job_id)


def add_manager(engine: Engine, site_id: int) -> str:
    """A manager of the centre `site_id`."""
    return member_of(engine, site_id, MANAGER)


@pytest.fixture
def manager(engine: Engine, site_id: int) -> str:
    return add_manager(engine, site_id)


def _site(engine: Engine, name: str, *, managed_by: str) -> int:
    """Another centre, which the manager `managed_by` belongs to as well."""
    hours = [DailyWindow(weekday=d, start_minute=540, end_minute=1020) for d in range(7)]
    with session_scope(engine) as session:
        site = create_site(
            session=session,
            site_in=SiteCreate(name=name, timezone="Asia/Karachi", opening_hours=hours),
            actor="test",
        )
        account = session.exec(select(Account).where(Account.username == managed_by)).one()
        centres = member_site_ids(session=session, account_id=account.id or 0)
        set_memberships(
            session=session, username=managed_by, site_ids=[*centres, site.id], actor="test"
        )
    return site.id


def tiny(limit: float = 5.0) -> RosterInstance:
    """Two counsellors, one Monday 09:00-17:00 needing one on the line: solved in a moment."""
    return instance(
        [member("1"), member("2")],
        options=SolveOptions(time_limit_seconds=limit, workers=1),
    )


def _wait(engine: Engine, job_id: int, seconds: float = 60) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = read_job(engine, job_id)
        if not job.active:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job.status} after {seconds} s")


def _rosters(engine: Engine, site_id: int) -> list[Roster]:
    with session_scope(engine) as session:
        return list(session.exec(select(Roster).where(Roster.site_id == site_id)).all())


def test_a_queued_solve_is_run_by_a_worker_and_saves_its_roster_with_the_job(
    database: MigratedDatabase, site_id: int, manager: str
) -> None:
    engine = database.engine
    job = start_roster_solve(
        engine=engine, site_id=site_id, instance=tiny(), username=manager, forecast_run_id=None
    )
    assert job.status == "queued" and job.attempts == 0
    assert run_job(database.url, worker="w1", beat_seconds=0.05) == job.id

    done = read_job(engine, job.id)
    assert done.status == "done" and done.attempts == 1 and done.worker == "w1"
    assert done.finished_at is not None and done.started_at is not None
    assert "version 1 saved as a draft" in done.summary
    (roster,) = _rosters(engine, site_id)
    assert (done.roster_id, done.roster_version) == (roster.id, 1)
    assert roster.created_by == manager
    points = done.progress["points"]
    assert points and all(len(p) == 4 for p in points)  # stage, objective, bound, seconds
    # nothing is left to claim
    assert run_job(database.url, worker="w2") is None


def test_a_second_solve_of_the_same_week_is_refused_and_another_site_is_not(
    database: MigratedDatabase, site_id: int, manager: str
) -> None:
    engine = database.engine
    first = start_roster_solve(
        engine=engine, site_id=site_id, instance=tiny(), username=manager, forecast_run_id=None
    )
    with pytest.raises(ConflictError, match=r"roster solve of the week of 03 Mar 2025.*queued"):
        start_roster_solve(
            engine=engine, site_id=site_id, instance=tiny(), username=manager, forecast_run_id=None
        )
    other = start_roster_solve(
        engine=engine,
        site_id=_site(engine, "Islamabad", managed_by=manager),
        instance=tiny(),
        username=manager,
        forecast_run_id=None,
    )
    assert other.status == "queued"
    # once the first has ended, the week can be solved again
    run_job(database.url, first.id, worker="w")
    again = start_roster_solve(
        engine=engine, site_id=site_id, instance=tiny(), username=manager, forecast_run_id=None
    )
    assert again.status == "queued"


def test_two_workers_never_claim_one_job(database: MigratedDatabase, site_id: int) -> None:
    engine = database.engine
    with session_scope(engine) as session:
        for i in range(24):
            session.add(
                Job.model_validate(
                    JobCreate(kind="scenario_run", site_id=site_id, requested_by=f"u{i}", inputs={})
                )
            )
    claimed: dict[str, list[int]] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker(name: str) -> None:
        mine = claimed.setdefault(name, [])
        start.wait()
        try:
            while True:
                with session_scope(engine) as session:
                    job = claim_job(session=session, worker=name, now=utcnow())
                if job is None:
                    return
                mine.append(job.id)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    every = [i for ids in claimed.values() for i in ids]
    assert len(every) == 24 and len(set(every)) == 24
    with session_scope(engine) as session:
        rows = session.exec(select(Job)).all()
    assert all(r.status == "running" and r.attempts == 1 for r in rows)
    assert {r.worker for r in rows} <= set(claimed)
    assert all(r.id in claimed[r.worker or ""] for r in rows)


def _with_solve(monkeypatch: pytest.MonkeyPatch, before: Callable[[], None]) -> None:
    real = job_runner.solve

    def wrapped(inst: RosterInstance, **kw: Any) -> Any:
        before()
        return real(inst, **kw)

    monkeypatch.setattr(job_runner, "solve", wrapped)


def test_a_cancelled_solve_stops_and_saves_nothing(
    database: MigratedDatabase, site_id: int, manager: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = database.engine
    job = start_roster_solve(
        engine=engine, site_id=site_id, instance=tiny(), username=manager, forecast_run_id=None
    )

    def cancel_then_wait_for_the_heartbeat() -> None:
        cancel_job(engine=engine, job_id=job.id, username=manager)
        time.sleep(0.5)

    _with_solve(monkeypatch, cancel_then_wait_for_the_heartbeat)
    run_job(database.url, worker="w", beat_seconds=0.05)
    ended = read_job(engine, job.id)
    assert ended.status == "cancelled"
    assert ended.error is not None and f"cancelled by {manager}" in ended.error
    assert "nothing was saved" in ended.error
    assert _rosters(engine, site_id) == []
    # the week is free again
    start_roster_solve(
        engine=engine, site_id=site_id, instance=tiny(), username=manager, forecast_run_id=None
    )


def test_a_queued_job_cancelled_never_runs(
    database: MigratedDatabase, site_id: int, manager: str
) -> None:
    engine = database.engine
    job = start_roster_solve(
        engine=engine, site_id=site_id, instance=tiny(), username=manager, forecast_run_id=None
    )
    assert cancel_job(engine=engine, job_id=job.id, username=manager).status == "cancelled"
    assert run_job(database.url, worker="w") is None
    assert _rosters(engine, site_id) == []


def test_a_solve_queued_by_a_manager_since_removed_from_the_centre_saves_nothing(
    database: MigratedDatabase, site_id: int, manager: str
) -> None:
    engine = database.engine
    job = start_roster_solve(
        engine=engine, site_id=site_id, instance=tiny(), username=manager, forecast_run_id=None
    )
    with session_scope(engine) as session:  # an administrator takes them off the centre
        set_memberships(session=session, username=manager, site_ids=[], actor="test-admin")
    assert run_job(database.url, worker="w") == job.id
    failed = read_job(engine, job.id)
    assert failed.status == "failed"
    assert failed.error == "Your account does not belong to the centre 'Test helpline'."
    assert _rosters(engine, site_id) == []


def test_a_roster_is_not_saved_when_the_job_was_taken_back_meanwhile(
    database: MigratedDatabase, site_id: int, manager: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = database.engine
    job = start_roster_solve(
        engine=engine, site_id=site_id, instance=tiny(), username=manager, forecast_run_id=None
    )

    def another_worker_took_it() -> None:
        with session_scope(engine) as session:
            session.execute(update(Job).where(Job.id == job.id).values(worker="someone else"))

    _with_solve(monkeypatch, another_worker_took_it)
    run_job(database.url, worker="w", beat_seconds=30)
    assert _rosters(engine, site_id) == []
    assert read_job(engine, job.id).worker == "someone else"


def _stale(engine: Engine, job_id: int, worker: str, seconds: float) -> None:
    """A job left running by `worker`, which last reported `seconds` ago (it died)."""
    with session_scope(engine) as session:
        claim_job(session=session, worker=worker, now=utcnow(), job_id=job_id)
    with session_scope(engine) as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(heartbeat_at=datetime.now(UTC) - timedelta(seconds=seconds))
        )


def test_a_dead_workers_job_is_retried_then_failed_with_the_reason(
    database: MigratedDatabase, site_id: int, manager: str
) -> None:
    engine = database.engine
    job = start_roster_solve(
        engine=engine, site_id=site_id, instance=tiny(), username=manager, forecast_run_id=None
    )
    _stale(engine, job.id, "dead-1", seconds=5)
    with session_scope(engine) as session:  # not yet past the timeout
        assert reap_stale_jobs(session=session, now=utcnow(), timeout_seconds=60) == []
    with session_scope(engine) as session:
        (reaped,) = reap_stale_jobs(session=session, now=utcnow(), timeout_seconds=2)
    assert reaped.outcome == "queued"
    again = read_job(engine, job.id)
    assert again.status == "queued" and again.worker is None and again.attempts == 1
    assert WORKER_STOPPED in (again.error or "")

    _stale(engine, job.id, "dead-2", seconds=5)  # the second (last) attempt dies too
    with session_scope(engine) as session:
        (reaped,) = reap_stale_jobs(session=session, now=utcnow(), timeout_seconds=2)
    assert reaped.outcome == "failed"
    failed = read_job(engine, job.id)
    assert failed.status == "failed" and failed.attempts == 2
    assert failed.error == f"{WORKER_STOPPED} (after 2 attempt(s))"
    assert _rosters(engine, site_id) == []


def test_a_retried_job_is_finished_by_a_live_worker(
    database: MigratedDatabase, site_id: int, manager: str
) -> None:
    engine = database.engine
    job = start_roster_solve(
        engine=engine, site_id=site_id, instance=tiny(), username=manager, forecast_run_id=None
    )
    _stale(engine, job.id, "dead", seconds=120)
    pool = JobWorkers(
        database.url, Settings(job_workers=1, job_heartbeat_timeout_seconds=60), beat_seconds=0.2
    ).start()
    try:
        done = _wait(engine, job.id)
    finally:
        pool.stop()
    assert done.status == "done" and done.attempts == 2
    assert len(_rosters(engine, site_id)) == 1


@pytest.fixture
def two_workers(database: MigratedDatabase) -> Iterator[JobWorkers]:
    pool = JobWorkers(database.url, Settings(job_workers=2), beat_seconds=0.2).start()
    yield pool
    pool.stop()


def test_two_sites_solve_at_once(
    database: MigratedDatabase,
    site_id: int,
    manager: str,
    two_workers: JobWorkers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = database.engine
    _with_solve(monkeypatch, lambda: time.sleep(1.0))  # each solve lasts a while
    other = _site(engine, "Islamabad", managed_by=manager)
    jobs = [
        start_roster_solve(
            engine=engine, site_id=s, instance=tiny(), username=manager, forecast_run_id=None
        )
        for s in (site_id, other)
    ]
    two_workers.wake()
    done = [_wait(engine, j.id) for j in jobs]
    assert [d.status for d in done] == ["done", "done"]
    assert len({d.worker for d in done}) == 2  # each on a worker of its own
    started = [d.started_at for d in done]
    finished = [d.finished_at for d in done]
    # neither waited for the other to end before it started
    assert max(started) < min(finished)
    assert len(_rosters(engine, site_id)) == len(_rosters(engine, other)) == 1


def test_only_the_roles_that_start_a_solve_see_or_cancel_it(
    database: MigratedDatabase, site_id: int, manager: str
) -> None:
    engine = database.engine
    # a counsellor of this very centre: refused for the role, not for the centre
    member_of(engine, site_id, "jobs-staff", Role.STAFF.value)
    job = start_roster_solve(
        engine=engine, site_id=site_id, instance=tiny(), username=manager, forecast_run_id=None
    )
    assert job_status(engine=engine, job_id=job.id, username=manager).id == job.id
    found = find_job(engine=engine, username=manager, site_id=site_id, kind="roster_solve")
    assert found is not None and found.id == job.id
    with pytest.raises(PermissionError, match="staff account may not see a roster solve"):
        job_status(engine=engine, job_id=job.id, username="jobs-staff")
    with pytest.raises(PermissionError):
        find_job(engine=engine, username="jobs-staff", site_id=site_id, kind="roster_solve")
    with pytest.raises(PermissionError, match="may not cancel"):
        cancel_job(engine=engine, job_id=job.id, username="jobs-staff")
    with pytest.raises(PermissionError, match="may not start"):
        start_roster_solve(
            engine=engine,
            site_id=site_id,
            instance=tiny(),
            username="jobs-staff",
            forecast_run_id=None,
        )
    assert read_job(engine, job.id).status == "queued"


def test_ended_jobs_are_deleted_after_the_days_kept_and_their_roster_stays(
    database: MigratedDatabase, site_id: int, manager: str
) -> None:
    engine = database.engine
    old = start_roster_solve(
        engine=engine, site_id=site_id, instance=tiny(1.0), username=manager, forecast_run_id=None
    )
    assert run_job(database.url, worker="w") == old.id
    assert read_job(engine, old.id).status == "done"
    with session_scope(engine) as session:
        session.execute(
            update(Job).where(Job.id == old.id).values(finished_at=utcnow() - timedelta(days=31))
        )
    week_after = tiny(1.0).model_copy(update={"week_start": tiny().week_start + timedelta(days=7)})
    waiting = start_roster_solve(
        engine=engine, site_id=site_id, instance=week_after, username=manager, forecast_run_id=None
    )
    workers = JobWorkers(database.url, Settings(job_workers=0, job_keep_days=30))
    workers.reap()
    with session_scope(engine) as session:
        left = {j.id: j.status for j in session.exec(select(Job))}
    assert left == {waiting.id: "queued"}  # the one still to run is kept
    assert len(_rosters(engine, site_id)) == 1
