"""Pages read jobs back from the database: the solve indicator draws the progress a worker wrote
on the job row; a Roster page opened while another server's worker solves the week finds that
solve, follows it and shows its result; a solve cancelled from another session stops and the
page says nothing was saved."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from data.db import dispose_engine, get_engine, session_scope, utcnow
from data.demo import seed_demo
from data.job_runner import run_job
from data.job_workers import stop_job_workers
from data.jobs import beat, claim_job, create_job, roster_key
from data.migrations_runner import upgrade_to_head
from data.models import Job, JobCreate
from data.planning import instance_for_week
from data.rosters import list_rosters
from data.services.jobs import cancel_job, find_job
from data.services.roster import compute_week_forecast, open_roster_week
from scheduling.domain import Role
from scheduling.roster.schema import SolveOptions
from tests.ui.conftest import demo_account, demo_site_id, page_as

# No other page test saves a forecast or a roster for this week.
WEEK = date(2027, 2, 8)
CANCEL_WEEK = date(2027, 2, 15)
POINTS = [["full", 5200.0, 1000.0, 0.8], ["full", 4100.0, 1500.0, 2.4]]


def _running_elsewhere(url: str) -> int:
    """A solve of WEEK queued by another app server and held by its worker, "server-b", which
    has reported two improvements."""
    engine = get_engine(url)
    site_id = demo_site_id(url)
    manager = demo_account(Role.MANAGER).username
    compute_week_forecast(engine=engine, site_id=site_id, week_start=WEEK, actor=manager)
    inputs = open_roster_week(
        engine=engine, site_id=site_id, week_start=WEEK, actor_username=manager
    ).inputs
    inst = instance_for_week(inputs=inputs, options=SolveOptions(time_limit_seconds=5, workers=2))
    with session_scope(engine) as session:
        job = create_job(
            session=session,
            job_in=JobCreate(
                kind="roster_solve",
                site_id=site_id,
                requested_by=manager,
                week_start=WEEK,
                active_key=roster_key(site_id, WEEK),
                inputs={"instance": inst.model_dump(mode="json"), "forecast_run_id": None},
            ),
        )
        claim_job(session=session, worker="server-b", now=utcnow(), job_id=job.id)
    with session_scope(engine) as session:
        beat(
            session=session,
            job_id=job.id,
            worker="server-b",
            now=utcnow(),
            progress={"points": POINTS, "share": 0.0, "text": "", "limit": 5.0},
        )
    return job.id


def _indicator(url: str, job_id: int) -> None:
    """The Roster page's indicator on the job; the worker's second report ends the job."""
    import streamlit as st

    from data.db import get_engine
    from ui.components import solve_progress
    from ui.solve_job import SolveJob, read_solve_job

    readings: list[SolveJob] = []

    def read() -> SolveJob:
        job = read_solve_job(engine=get_engine(url), job_id=job_id, username="demo-manager")
        readings.append(job)
        if len(readings) > 1:  # stands in for the worker finishing
            return SolveJob(job.row.model_copy(update={"status": "done"}))
        return job

    solve_progress.show("progress", read, st.empty())


def test_the_indicator_shows_the_progress_written_on_the_job_row(demo_database: str) -> None:
    job_id = _running_elsewhere(demo_database)
    try:
        at = AppTest.from_function(_indicator, args=(demo_database, job_id), default_timeout=30)
        at.run()
        assert not at.exception, at.exception
        text = " ".join(m.value for m in at.markdown)
        # the best roster so far and the gap to the bound, from the points on the row
        assert "Best roster so far: **4,100 points**" in text
        assert "at most 2,600 points better" in text and "2 improvement(s)" in text
        assert len(at.get("plotly_chart")) == 1
    finally:
        with session_scope(get_engine(demo_database)) as session:
            session.execute(
                update(Job)
                .where(Job.id == job_id)
                .values(status="cancelled", active_key=None, finished_at=datetime.now(UTC))
            )


def test_a_reloaded_roster_page_finds_the_running_solve_and_shows_its_result(
    demo_database: str,
) -> None:
    job_id = _running_elsewhere(demo_database)

    def server_b_dies_and_another_worker_finishes() -> None:
        time.sleep(1.5)
        with session_scope(get_engine(demo_database)) as session:  # as the reaper would
            session.execute(
                update(Job).where(Job.id == job_id).values(status="queued", worker=None)
            )
        run_job(demo_database, job_id, worker="server-c")  # unless this process's pool did

    finisher = threading.Thread(target=server_b_dies_and_another_worker_finishes)
    finisher.start()
    try:
        at = page_as("roster.py", Role.MANAGER)  # a fresh session: nothing remembered
        at.date_input(key=f"roster_week_{demo_site_id(demo_database)}").set_value(WEEK).run()
    finally:
        finisher.join(60)
    assert not at.exception and not at.error
    assert any("08 Feb 2027: version 1 saved as a draft" in s.value for s in at.success), [
        s.value for s in at.success
    ]
    # the saved version is the one shown
    assert "Publish version 1" in [b.label for b in at.button]


def test_a_solve_cancelled_from_another_session_stops_and_saves_nothing(
    demo_database: str,
) -> None:
    engine = get_engine(demo_database)
    site_id = demo_site_id(demo_database)
    manager = demo_account(Role.MANAGER).username
    compute_week_forecast(engine=engine, site_id=site_id, week_start=CANCEL_WEEK, actor=manager)
    cancelled: list[int] = []

    def cancel_once_it_has_a_roster() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job = find_job(
                engine=engine,
                username=manager,
                site_id=site_id,
                kind="roster_solve",
                week_start=CANCEL_WEEK,
            )
            if job is not None and job.status == "running" and job.progress.get("points"):
                cancel_job(engine=engine, job_id=job.id, username=manager)
                cancelled.append(job.id)
                return
            time.sleep(0.1)

    at = page_as("roster.py", Role.MANAGER)
    at.date_input(key=f"roster_week_{site_id}").set_value(CANCEL_WEEK).run()
    at.slider(key="roster_time_limit").set_value(30)
    canceller = threading.Thread(target=cancel_once_it_has_a_roster)
    canceller.start()
    try:
        at.button(key="roster_solve").click().run()  # returns once the job has ended
    finally:
        canceller.join(60)
    assert cancelled, "the solve never reported a roster"
    assert not at.exception and not at.error
    assert [i.value for i in at.info if "cancelled" in i.value] == [
        f"The solve was cancelled by {manager}; nothing was saved."
    ]
    with session_scope(engine) as session:
        assert list_rosters(session=session, site_id=site_id, week_start=CANCEL_WEEK) == []


def test_today_re_plan_runs_as_a_job_and_shows_what_it_would_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_database: str
) -> None:
    """On a demo of its own with the week published, Wednesday 15:00 in Lahore."""
    from data.demo_wellbeing import publish_demo_week

    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    url = f"sqlite:///{tmp_path / 'today.db'}"
    upgrade_to_head(url)
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PLANNER_DEMO_NOW", now.isoformat())
    monkeypatch.setenv("PLANNER_DATABASE_URL", url)
    with session_scope(get_engine(url)) as session:
        seed_demo(session=session, last_day=date(2026, 11, 22), now=now)
    with session_scope(get_engine(url)) as session:
        publish_demo_week(session=session, site_id=1, now=now, time_limit=3)
    try:
        at = page_as("today.py", Role.MANAGER)
        assert not at.exception
        at.button(key="today_replan_start").click().run()  # returns once the job has ended
    finally:
        stop_job_workers(url)  # the page started this process's workers for the database
    assert not at.exception
    assert not [e.value for e in at.error if "re-plan" in e.value.lower()]  # flags may show
    with session_scope(get_engine(url)) as session:
        (draft,) = [
            r
            for r in list_rosters(session=session, site_id=1, week_start=date(2026, 11, 23))
            if r.status == "draft"
        ]
    assert draft.created_by == demo_account(Role.MANAGER).username
    shown = [m.value for m in at.markdown] + [i.value for i in at.info]
    assert any("nothing to change" in text or text.startswith("- ") for text in shown), shown
    publish = [b for b in at.button if b.label == "Publish this re-plan"]
    assert bool(publish) == any(text.startswith("- ") for text in shown)
    dispose_engine(url)
