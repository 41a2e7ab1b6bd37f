"""A pool's joint roster as a job (SQLite and PostgreSQL): queued by leadership, run by a worker
like any job, saved as one draft per centre in the transaction that marks the job done (all of
them or none); a manager who belongs to only one centre of the pool can neither start it nor
read it."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

import data.pool_week as pool_week_module
from data.access import SiteAccessDenied, set_memberships
from data.db import session_scope
from data.demo import ISB_SITE_NAME, NATIONAL_NUMBER, SITE_NAME, seed_demo
from data.errors import ConflictError
from data.job_runner import run_job
from data.jobs import get_job
from data.models import Job, QueuePool, QueuePoolCreate, Roster, SiteCreate
from data.rosters import load_roster
from data.services.jobs import (
    cancel_job,
    job_status,
    latest_pool_job,
    start_pool_solve,
    start_roster_solve,
)
from data.sites import create_site, list_sites
from scheduling.domain import DailyWindow
from scheduling.roster.schema import SolveOptions
from tests.data.conftest import MigratedDatabase, member_of
from tests.scheduling.roster.rosterkit import MONDAY, instance, member

LAST_DAY = date(2026, 11, 22)
WEEK = LAST_DAY + timedelta(days=1)
LEADER = "demo-leadership"


def _demo(engine: Engine) -> dict[str, int]:
    with session_scope(engine) as session:
        seed_demo(session=session, last_day=LAST_DAY)
        return {s.name: s.id for s in list_sites(session=session)}


def _rosters(engine: Engine) -> list[Roster]:
    with session_scope(engine) as session:
        return list(session.exec(select(Roster).order_by(col(Roster.site_id))).all())


def test_a_queued_pool_solve_saves_one_draft_per_centre_with_the_job(
    database: MigratedDatabase,
) -> None:
    engine = database.engine
    sites = _demo(engine)
    job = start_pool_solve(
        engine=engine, username=LEADER, number=NATIONAL_NUMBER, week_start=WEEK, time_limit=3
    )
    assert job.kind == "pool_solve" and job.status == "queued" and job.week_start == WEEK
    assert _rosters(engine) == []  # queuing solves nothing
    assert run_job(database.url, worker="w1", beat_seconds=0.05) == job.id

    done = job_status(engine=engine, job_id=job.id, username=LEADER)
    assert done.status == "done", done.error
    assert done.progress["points"]  # the solver's improvements, as for a roster solve
    rosters = _rosters(engine)
    assert [(r.site_id, r.version, r.status) for r in rosters] == [
        (sites[SITE_NAME], 1, "draft"),
        (sites[ISB_SITE_NAME], 1, "draft"),
    ]
    assert all(r.created_by == LEADER and r.week_start == WEEK for r in rosters)
    centres = done.result["centres"]
    assert [(c["name"], c["roster_id"], c["version"]) for c in centres] == [
        (SITE_NAME, rosters[0].id, 1),
        (ISB_SITE_NAME, rosters[1].id, 1),
    ]
    assert "Lahore" in done.summary and "Islamabad" in done.summary
    with session_scope(engine) as session:
        for centre, roster in zip(centres, rosters, strict=True):
            saved = load_roster(session=session, roster_id=roster.id or 0)
            # each centre's draft holds only its own people, under their own staff ids
            own = {e.member.id for e in saved.instance.staff}
            working = [p for p in saved.solution.people if p.shifts]
            assert working and {p.staff_id for p in working} <= own
            assert centre["working"] == len(working)
            assert centre["shortfall_hours"] >= 0
            for lender in centre["lenders"]:
                assert lender["centre"] != centre["name"] and lender["spare_hours"] >= 1
    # where the pool is short, some centre is below its share (one may cover another's share)
    assert 0 <= done.result["pool_shortfall_hours"] <= sum(c["shortfall_hours"] for c in centres)
    # found again after a reload, ended, with its result
    again = latest_pool_job(engine=engine, username=LEADER, number=NATIONAL_NUMBER, week_start=WEEK)
    assert again is not None and again.id == job.id and again.status == "done"


def test_a_pool_solve_saves_every_centre_or_none(
    database: MigratedDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = database.engine
    _demo(engine)
    saved: list[int] = []
    real = pool_week_module.save_roster

    def second_fails(**kw: Any) -> Any:
        if saved:
            raise RuntimeError("the disk is full")
        roster = real(**kw)
        saved.append(roster.id)
        return roster

    monkeypatch.setattr(pool_week_module, "save_roster", second_fails)
    job = start_pool_solve(
        engine=engine, username=LEADER, number=NATIONAL_NUMBER, week_start=WEEK, time_limit=3
    )
    run_job(database.url, worker="w1", beat_seconds=0.05)
    with session_scope(engine) as session:
        failed = get_job(session=session, job_id=job.id)
    assert failed.status == "failed" and "the disk is full" in (failed.error or "")
    assert saved and _rosters(engine) == []  # the first centre's draft was rolled back


def test_a_cancelled_pool_solve_saves_no_centre_draft(database: MigratedDatabase) -> None:
    engine = database.engine
    _demo(engine)
    job = start_pool_solve(
        engine=engine, username=LEADER, number=NATIONAL_NUMBER, week_start=WEEK, time_limit=3
    )
    worker = threading.Thread(target=run_job, args=(database.url,), kwargs={"beat_seconds": 0.05})
    worker.start()
    deadline = time.monotonic() + 60
    while job_status(engine=engine, job_id=job.id, username=LEADER).status == "queued":
        assert time.monotonic() < deadline, "the job was never claimed"
        time.sleep(0.05)
    cancel_job(engine=engine, job_id=job.id, username=LEADER)
    worker.join(60)
    ended = job_status(engine=engine, job_id=job.id, username=LEADER)
    assert ended.status == "cancelled" and "nothing was saved" in (ended.error or "")
    assert _rosters(engine) == []


def _two_centre_pool(engine: Engine, first: int) -> int:
    hours = [DailyWindow(weekday=d, start_minute=600, end_minute=960) for d in range(7)]
    with session_scope(engine) as session:
        other = create_site(
            session=session,
            site_in=SiteCreate(name="Second centre", timezone="Asia/Karachi", opening_hours=hours),
            actor="test",
        )
        for site in (first, other.id):
            session.add(QueuePool.model_validate(QueuePoolCreate(site_id=site, pool="Shared")))
    return other.id


def _jobs(engine: Engine) -> list[Job]:
    with session_scope(engine) as session:
        return list(session.exec(select(Job)).all())


def test_a_manager_of_one_centre_of_the_pool_cannot_start_or_read_it(
    database: MigratedDatabase, site_id: int
) -> None:
    engine = database.engine
    other = _two_centre_pool(engine, site_id)
    one = member_of(engine, site_id, "one-centre-manager")
    with pytest.raises(SiteAccessDenied, match="Second centre"):
        start_pool_solve(engine=engine, username=one, number="Shared", week_start=WEEK)
    assert _jobs(engine) == []
    supervisor = member_of(engine, site_id, "a-supervisor", role="supervisor")
    with pytest.raises(PermissionError):
        start_pool_solve(engine=engine, username=supervisor, number="Shared", week_start=WEEK)

    both = member_of(engine, site_id, "both-centres-manager")
    with session_scope(engine) as session:
        set_memberships(session=session, username=both, site_ids=[site_id, other], actor="test")
    job = start_pool_solve(engine=engine, username=both, number="Shared", week_start=WEEK)
    assert job.status == "queued"
    # the job names the first centre, but the manager of that centre alone may not touch it
    for action in (job_status, cancel_job):
        with pytest.raises(SiteAccessDenied):
            action(engine=engine, job_id=job.id, username=one)
    with pytest.raises(SiteAccessDenied):
        latest_pool_job(engine=engine, username=one, number="Shared", week_start=WEEK)
    assert cancel_job(engine=engine, job_id=job.id, username=both).status == "cancelled"


def test_a_centres_solve_and_its_pools_joint_roster_of_the_week_never_run_at_once(
    database: MigratedDatabase, site_id: int
) -> None:
    engine = database.engine
    other = _two_centre_pool(engine, site_id)
    both = member_of(engine, site_id, "both-centres-manager")
    with session_scope(engine) as session:
        set_memberships(session=session, username=both, site_ids=[site_id, other], actor="test")
    week = MONDAY
    tiny = instance([member("1"), member("2")], options=SolveOptions(time_limit_seconds=2))
    solve = start_roster_solve(
        engine=engine, site_id=other, instance=tiny, username=both, forecast_run_id=None
    )
    with pytest.raises(ConflictError, match="roster solve"):
        start_pool_solve(engine=engine, username=both, number="Shared", week_start=week)
    cancel_job(engine=engine, job_id=solve.id, username=both)

    pool = start_pool_solve(engine=engine, username=both, number="Shared", week_start=week)
    with pytest.raises(ConflictError, match="joint roster of the pool"):
        start_roster_solve(
            engine=engine, site_id=site_id, instance=tiny, username=both, forecast_run_id=None
        )
    cancel_job(engine=engine, job_id=pool.id, username=both)
    assert start_roster_solve(
        engine=engine, site_id=site_id, instance=tiny, username=both, forecast_run_id=None
    ).active


def test_a_centres_solve_and_its_pools_joint_roster_asked_at_the_same_moment_start_one(
    database: MigratedDatabase, site_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each side checks the other's key before writing its own: the check and the write are one
    step for both, however slow the check."""
    import data.services.jobs as jobs_service

    engine = database.engine
    other = _two_centre_pool(engine, site_id)
    both = member_of(engine, site_id, "both-centres-manager")
    with session_scope(engine) as session:
        set_memberships(session=session, username=both, site_ids=[site_id, other], actor="test")
    tiny = instance([member("1"), member("2")], options=SolveOptions(time_limit_seconds=2))
    read_key = jobs_service.active_job_by_key

    def slow_read(**kwargs: Any) -> Any:
        found = read_key(**kwargs)
        time.sleep(0.3)  # the other request checks meanwhile
        return found

    monkeypatch.setattr(jobs_service, "active_job_by_key", slow_read)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def ask(action: Any) -> None:
        start.wait()
        try:
            action()
        except ConflictError:
            outcomes.append("refused")
        else:
            outcomes.append("queued")

    threads = [
        threading.Thread(
            target=ask,
            args=(
                lambda: start_roster_solve(
                    engine=engine, site_id=other, instance=tiny, username=both, forecast_run_id=None
                ),
            ),
        ),
        threading.Thread(
            target=ask,
            args=(
                lambda: start_pool_solve(
                    engine=engine, username=both, number="Shared", week_start=MONDAY
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["queued", "refused"]
    assert len([j for j in _jobs(engine) if j.active_key is not None]) == 1
