"""Roster solves as jobs: N sites queue a week's solve at once, W job workers run them.

  .venv/bin/python bench/jobs.py [--sites 6] [--workers 2] [--time-limit 3] [--url URL]
                                 [--dask]

Each site's week: 8 counsellors, 7 days 09:00-17:00, two on the line (the solver uses its whole
time limit on it), CP-SAT on 1 thread per solve. Without --url the jobs go to a fresh SQLite
file; with a PostgreSQL URL, to a schema of their own in that database, dropped at the end.
--dask runs the jobs on a local Dask cluster of W
single-threaded worker processes instead of W threads.

Prints the queue wait (queued to claimed) p50 / p95 / max, the time from the first job queued
to the last done (makespan), the sum of the solves' run times, and failures; writes
bench/results/jobs.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from data.access import set_memberships
from data.accounts import create_account
from data.db import dispose_engine, get_engine, session_scope
from data.job_workers import JobWorkers
from data.jobs import get_job
from data.migrations_runner import upgrade_to_head
from data.models import AccountCreate, JobPublic, SiteCreate
from data.services.jobs import start_roster_solve
from data.settings import Settings
from data.sites import create_site
from scheduling.domain import DailyWindow, Role, Skill, StaffMember
from scheduling.roster.schema import IntervalSlot, RosterInstance, SolveOptions, StaffEntry

RESULTS = Path(__file__).resolve().parent / "results" / "jobs.json"


def week(limit: float) -> RosterInstance:
    from datetime import date, timedelta
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Karachi")
    monday = date(2025, 3, 3)
    slots = []
    for d in range(7):
        t = datetime(monday.year, monday.month, monday.day, 9, tzinfo=tz) + timedelta(days=d)
        for _ in range(16):
            slots.append(IntervalSlot(start=t, required=2))
            t += timedelta(minutes=30)
    staff = tuple(
        StaffEntry(
            member=StaffMember(
                id=str(i),
                display_name=f"Counsellor {i}",
                skills=frozenset({Skill.COUNSELLOR}),
                contract_minutes_min=0,
                contract_minutes_max=40 * 60,
                line_cap_minutes_week=30 * 60,
            )
        )
        for i in range(8)
    )
    return RosterInstance(
        site_name="Bench",
        timezone="Asia/Karachi",
        interval_minutes=30,
        week_start=monday,
        intervals=tuple(slots),
        staff=staff,
        options=SolveOptions(time_limit_seconds=limit, workers=1),
    )


def read_job(engine: Engine, job_id: int) -> JobPublic:
    with session_scope(engine) as session:
        return get_job(session=session, job_id=job_id)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=3.0)
    parser.add_argument("--url", default=None)
    parser.add_argument("--dask", action="store_true")
    args = parser.parse_args()
    if not 1 <= args.workers <= 16 or not 1 <= args.sites <= 500 or args.time_limit <= 0:
        print("error: --workers 1-16, --sites 1-500, --time-limit > 0", file=sys.stderr)
        return 2

    tmp = tempfile.TemporaryDirectory()
    url = args.url or f"sqlite:///{Path(tmp.name) / 'jobs.db'}"
    admin, schema = None, f"bench_jobs_{uuid.uuid4().hex[:10]}"
    if make_url(url).get_backend_name() == "postgresql":
        admin = create_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = (
            make_url(url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    try:
        return run(args, url)
    finally:
        dispose_engine(url)
        if admin is not None:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
        tmp.cleanup()


def run(args: argparse.Namespace, url: str) -> int:
    upgrade_to_head(url)
    engine = get_engine(url)
    stamp = datetime.now(UTC).strftime("%H%M%S")
    manager = f"bench-manager-{stamp}"
    hours = [DailyWindow(weekday=d, start_minute=540, end_minute=1020) for d in range(7)]
    with session_scope(engine) as session:
        create_account(
            session=session,
            account_in=AccountCreate(
                username=manager, password="bench password 1", role=Role.MANAGER
            ),
            actor="bench",
        )
        sites = [
            create_site(
                session=session,
                site_in=SiteCreate(
                    name=f"Bench {stamp} {i}", timezone="Asia/Karachi", opening_hours=hours
                ),
                actor="bench",
            ).id
            for i in range(args.sites)
        ]
        set_memberships(session=session, username=manager, site_ids=sites, actor="bench")

    cluster = None
    if args.dask:
        from dask.distributed import LocalCluster

        cluster = LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
        config = Settings(dask_scheduler=cluster.scheduler_address)
    else:
        config = Settings(job_workers=args.workers)
    pool = JobWorkers(url, config).start()
    instance = week(args.time_limit)
    t0 = time.monotonic()
    jobs = [
        start_roster_solve(
            engine=engine, site_id=s, instance=instance, username=manager, forecast_run_id=None
        ).id
        for s in sites
    ]
    pool.wake()
    finished = {}
    while len(finished) < len(jobs):
        for j in jobs:
            if j not in finished:
                row = read_job(engine, j)
                if not row.active:
                    finished[j] = row
        time.sleep(0.2)
    makespan = time.monotonic() - t0
    pool.stop()
    if cluster is not None:
        cluster.close()

    rows = list(finished.values())
    waits = [(r.started_at - r.created_at).total_seconds() for r in rows if r.started_at]
    runs = [
        (r.finished_at - r.started_at).total_seconds()
        for r in rows
        if r.started_at and r.finished_at
    ]
    failed = [f"job {r.id}: {r.status} {r.error}" for r in rows if r.status != "done"]
    figures = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": engine.dialect.name,
        "runner": "dask" if args.dask else "threads",
        "sites": args.sites,
        "workers": args.workers,
        "time_limit_seconds": args.time_limit,
        "queue_wait_p50_seconds": round(percentile(waits, 0.5), 2),
        "queue_wait_p95_seconds": round(percentile(waits, 0.95), 2),
        "queue_wait_max_seconds": round(max(waits), 2),
        "makespan_seconds": round(makespan, 2),
        "sum_of_run_seconds": round(sum(runs), 2),
        "slowest_run_seconds": round(max(runs), 2),
        "failed": failed,
    }
    print(
        f"{args.sites} sites, {args.workers} {figures['runner']} worker(s) on "
        f"{figures['database']}, {args.time_limit:g} s solves: queue wait p50 "
        f"{figures['queue_wait_p50_seconds']} s, p95 {figures['queue_wait_p95_seconds']} s, "
        f"max {figures['queue_wait_max_seconds']} s; makespan {figures['makespan_seconds']} s "
        f"for {figures['sum_of_run_seconds']} s of solving (slowest "
        f"{figures['slowest_run_seconds']} s); {len(failed)} failed"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    RESULTS.write_text(json.dumps([*previous, figures], indent=2) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
