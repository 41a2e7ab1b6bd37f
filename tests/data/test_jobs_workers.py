"""Who runs the jobs: an app server killed while its worker solves (another server takes the job
back and finishes it), the Dask cluster running the same function, and the re-plan and
scenario kinds run end to end on the demo helpline."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from data.access import set_memberships
from data.audit import list_audit
from data.db import session_scope
from data.demo import seed_demo
from data.job_runner import run_job
from data.job_workers import JobWorkers
from data.jobs import WORKER_STOPPED
from data.models import Roster
from data.services.jobs import (
    replan_outcome,
    start_replan,
    start_roster_solve,
    start_scenario_run,
)
from data.services.scenarios import scenario_baseline
from data.settings import Settings
from scheduling.roster.schema import SolveOptions
from scheduling.scenarios import EvaluateOptions, presets
from tests.data.conftest import MigratedDatabase
from tests.data.test_jobs import add_manager, read_job, tiny
from tests.scheduling.roster.rosterkit import instance, member

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def manager(engine: Engine, site_id: int) -> str:
    return add_manager(engine, site_id)


# An app server: queues a solve, runs it in its own worker thread, and stays up until killed.
APP_SERVER = """
import sys, time
from pathlib import Path
from data.db import get_engine
from data.job_workers import ensure_job_workers
from data.services.jobs import start_roster_solve
from data.settings import Settings
from scheduling.roster.schema import RosterInstance

url, path, site_id, user = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
ensure_job_workers(url, Settings(job_workers=1))
job = start_roster_solve(
    engine=get_engine(url),
    site_id=site_id,
    instance=RosterInstance.model_validate_json(Path(path).read_text()),
    username=user,
    forecast_run_id=None,
)
print(job.id, flush=True)
time.sleep(600)
"""


def _wait(engine: Engine, job_id: int, until: Any, seconds: float = 90) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = read_job(engine, job_id)
        if until(job):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id}: {job.status} after {seconds} s")


def test_a_job_survives_its_app_server_going_away(
    database: MigratedDatabase, site_id: int, manager: str, tmp_path: Path
) -> None:
    engine = database.engine
    # a week that keeps the solver busy for its whole time limit
    week = instance(
        [member(str(i)) for i in range(8)],
        days=range(7),
        required=2,
        options=SolveOptions(time_limit_seconds=6, workers=1),
    )
    path = tmp_path / "instance.json"
    path.write_text(week.model_dump_json())
    server = subprocess.Popen(
        [sys.executable, "-c", APP_SERVER, database.url, str(path), str(site_id), manager],
        cwd=REPO,
        env=os.environ | {"PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        job_id = int(server.stdout.readline())
        running = _wait(
            engine, job_id, lambda j: j.status == "running" and j.progress.get("points")
        )
        assert f":{server.pid}:" in (running.worker or "")
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(30)
    assert read_job(engine, job_id).status == "running"  # nobody knows yet

    # another app server, whose workers take back a job not heard of for 2 s
    other = JobWorkers(
        database.url,
        Settings(job_workers=1, job_heartbeat_timeout_seconds=2, job_max_attempts=2),
        beat_seconds=0.2,
    ).start()
    try:
        done = _wait(engine, job_id, lambda j: not j.active)
    finally:
        other.stop()
    assert done.status == "done" and done.attempts == 2
    assert f":{os.getpid()}:" in (done.worker or "")
    assert f"attempt 1: {WORKER_STOPPED}" in (done.error or "")
    with session_scope(engine) as session:
        saved = session.exec(select(Roster).where(Roster.site_id == site_id)).all()
    assert [(r.id, r.version) for r in saved] == [(done.roster_id, 1)]  # saved once, whole


def test_the_dask_cluster_runs_the_same_job(
    database: MigratedDatabase, site_id: int, manager: str
) -> None:
    from dask.distributed import LocalCluster

    engine = database.engine
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        app = JobWorkers(
            database.url, Settings(job_workers=3, dask_scheduler=cluster.scheduler_address)
        ).start()
        try:
            job = start_roster_solve(
                engine=engine,
                site_id=site_id,
                instance=tiny(),
                username=manager,
                forecast_run_id=None,
            )
            app.wake()
            done = _wait(engine, job.id, lambda j: not j.active, seconds=60)
        finally:
            app.stop()
    assert done.status == "done", done.error
    assert "version 1 saved as a draft" in done.summary
    assert done.worker is not None and "job-worker" not in done.worker  # not a local thread
    assert done.progress["points"]


NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # Wednesday 14:00 in Lahore


@pytest.fixture
def demo(engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Engine:
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PLANNER_SECRET_KEY", raising=False)
    with session_scope(engine) as session:
        seed_demo(session=session, last_day=date(2026, 11, 22), now=NOW)
    return engine


def test_a_re_plan_job_saves_a_draft_and_says_what_changes(
    database: MigratedDatabase, demo: Engine
) -> None:
    from data.demo_wellbeing import publish_demo_week

    with session_scope(demo) as session:
        publish_demo_week(session=session, site_id=1, now=NOW, time_limit=3)
    moment = NOW + timedelta(hours=1)
    job = start_replan(engine=demo, username="demo-manager", site_id=1, now=moment, time_limit=3)
    assert job.week_start == date(2026, 11, 23)
    run_job(database.url, worker="w")
    done = read_job(demo, job.id)
    assert done.status == "done", done.error
    outcome = replan_outcome(done)
    assert outcome is not None and outcome.draft_id == done.roster_id
    with session_scope(demo) as session:
        draft = session.get(Roster, outcome.draft_id)
        assert draft is not None and draft.status == "draft"
        assert draft.created_by == "demo-manager"
    assert all(c.message for c in outcome.changes)


def test_a_re_plan_queued_by_a_manager_since_removed_from_the_centre_reads_nothing(
    database: MigratedDatabase, demo: Engine
) -> None:
    from data.demo_wellbeing import publish_demo_week

    with session_scope(demo) as session:
        publish_demo_week(session=session, site_id=1, now=NOW, time_limit=3)
    job = start_replan(engine=demo, username="demo-manager", site_id=1, now=NOW, time_limit=3)
    with session_scope(demo) as session:  # an administrator takes them off the centre
        set_memberships(session=session, username="demo-manager", site_ids=[], actor="demo-admin")
        drafts_before = len(session.exec(select(Roster).where(Roster.status == "draft")).all())
        seen_before = len(list_audit(session=session, actor="demo-manager", limit=100_000))
    run_job(database.url, worker="w")
    failed = read_job(demo, job.id)
    assert failed.status == "failed"
    assert failed.error is not None and "does not belong to the centre" in failed.error
    with session_scope(demo) as session:
        assert len(session.exec(select(Roster).where(Roster.status == "draft")).all()) == (
            drafts_before
        )
        after = list_audit(session=session, actor="demo-manager", limit=100_000)
    # the refusal is all the worker did in their name: nobody's off-queue state was read
    assert [a.action for a in after[: len(after) - seen_before]] == ["centre.denied"]


def test_a_re_plan_refused_to_staff_and_without_a_published_roster(
    database: MigratedDatabase, demo: Engine
) -> None:
    with pytest.raises(PermissionError):
        start_replan(engine=demo, username="demo-staff", site_id=1, now=NOW)
    job = start_replan(engine=demo, username="demo-manager", site_id=1, now=NOW)
    run_job(database.url, worker="w")
    failed = read_job(demo, job.id)
    assert failed.status == "failed"
    assert failed.error == "there is no published roster this week to re-plan"


def test_a_scenario_run_job_keeps_its_results_with_the_job(
    database: MigratedDatabase, demo: Engine
) -> None:
    baseline = scenario_baseline(engine=demo, site_id=1, actor="demo-leadership", seats=6)
    chosen = [presets()["Baseline"], presets()["Second centre, pooled queue"]]
    job = start_scenario_run(
        engine=demo,
        site_id=1,
        username="demo-leadership",
        baseline=baseline,
        scenarios=chosen,
        options=EvaluateOptions(roster=False, replications=20),
    )
    run_job(database.url, worker="w")
    done = read_job(demo, job.id)
    assert done.status == "done", done.error
    keys = done.result["keys"]
    assert [done.result["results"][k]["summary"]["scenario"] for k in keys] == [
        s.name for s in chosen
    ]
    assert done.progress["share"] == 1.0


def test_a_worker_process_runs_jobs_queued_by_an_app_server_and_stops_on_sigterm(
    database: MigratedDatabase, site_id: int, manager: str
) -> None:
    worker = subprocess.Popen(
        [sys.executable, "-m", "data", "--url", database.url, "jobs-worker", "--workers", "1"],
        cwd=REPO,
        env=os.environ | {"PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout is not None
        assert "Running jobs with 1 worker(s)" in worker.stdout.readline()
        job = start_roster_solve(
            engine=database.engine,
            site_id=site_id,
            instance=tiny(),
            username=manager,
            forecast_run_id=None,
        )
        done = _wait(database.engine, job.id, lambda j: not j.active)
        assert done.status == "done", done.error
        assert f":{worker.pid}:job-worker-1" in (done.worker or "")
    finally:
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(60)
    assert code == 0
