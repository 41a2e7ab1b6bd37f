"""Who runs the queued jobs of a database: started once per process (the app starts it with its
engine; `python -m data jobs-worker` runs one in the foreground).

- By default, `Settings.job_workers` threads, each claiming the oldest queued job and running it
  with data.job_runner.run_job, then the next.
- With `Settings.dask_scheduler` set, no thread runs a job here: a dispatcher thread submits
  run_job(url, job_id) for each queued job to the Dask cluster, where the same function claims
  and runs it.

Either way the process also takes back the jobs of workers that stopped responding (a missed
heartbeat: queued again, or failed with the reason), so a job outlives the app server or worker
process that started it.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from typing import Any

from data.db import get_engine, session_scope, utcnow
from data.job_runner import run_job, worker_name
from data.jobs import purge_ended_jobs, queued_job_ids, reap_stale_jobs
from data.settings import Settings, settings

log = logging.getLogger(__name__)

IDLE_SECONDS = 0.5  # how often an idle worker looks for a queued job
REAP_SECONDS = 2.0  # how often stale jobs are looked for


class JobWorkers:
    """The job workers of one process for one database."""

    def __init__(self, url: str, config: Settings, *, beat_seconds: float = 0) -> None:
        self.url, self.config, self.beat_seconds = url, config, beat_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._reap_lock = threading.Lock()
        self._last_reap = 0.0
        self._submitted: set[tuple[int, int]] = set()  # (job id, attempts) sent to Dask
        self._client: Any = None

    @property
    def on_dask(self) -> bool:
        return self.config.dask_scheduler is not None

    def start(self) -> JobWorkers:
        if self.on_dask:
            targets = [("job-dispatch", self._dispatch_loop)]
        else:
            targets = [
                (f"job-worker-{i + 1}", self._work_loop) for i in range(self.config.job_workers)
            ]
            if not targets:  # runs no job, but still takes back the jobs of dead workers
                targets = [("job-reaper", self._reap_loop)]
        for name, target in targets:
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def wake(self) -> None:
        """A job was queued: look now rather than at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Let the running jobs end, then stop (tests and shutdown)."""
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout)
        if self._client is not None:
            self._client.close()

    def reap(self) -> None:
        with self._reap_lock:
            if time.monotonic() - self._last_reap < REAP_SECONDS:
                return
            self._last_reap = time.monotonic()
        try:
            with session_scope(get_engine(self.url)) as session:
                for reaped in reap_stale_jobs(
                    session=session,
                    now=utcnow(),
                    timeout_seconds=self.config.job_heartbeat_timeout_seconds,
                ):
                    log.warning(
                        "job %s: worker stopped responding; now %s", reaped.job_id, reaped.outcome
                    )
                purge_ended_jobs(
                    session=session,
                    before=utcnow() - timedelta(days=self.config.job_keep_days),
                )
        except Exception:  # the next round tries again
            log.exception("taking back stale jobs failed")

    def _idle(self) -> None:
        self._wake.wait(IDLE_SECONDS)
        self._wake.clear()

    def _work_loop(self) -> None:
        me = worker_name()
        while not self._stop.is_set():
            self.reap()
            try:
                ran = run_job(self.url, worker=me, beat_seconds=self.beat_seconds)
            except Exception:  # the database is away: try again shortly
                log.exception("job worker %s could not claim a job", me)
                ran = None
            if ran is None:
                self._idle()

    def _reap_loop(self) -> None:
        while not self._stop.is_set():
            self.reap()
            self._idle()

    def _dispatch_loop(self) -> None:
        while not self._stop.is_set():
            self.reap()
            try:
                self._dispatch()
            except Exception:  # the scheduler is away: the jobs wait, queued
                log.exception("submitting jobs to %s failed", self.config.dask_scheduler)
                self._client = None
            self._idle()

    def _dispatch(self) -> None:
        with session_scope(get_engine(self.url)) as session:
            queued = queued_job_ids(session=session)
        todo = [q for q in queued if q not in self._submitted]
        if not todo:
            return
        if self._client is None:
            from dask.distributed import Client

            self._client = Client(self.config.dask_scheduler, set_as_default=False, timeout=10)
        from dask.distributed import fire_and_forget

        for job_id, attempts in todo:
            # run_job claims the job: a second submission (another app server's) finds it taken
            future = self._client.submit(run_job, self.url, job_id, pure=False)
            fire_and_forget(future)
            self._submitted.add((job_id, attempts))


_pools: dict[str, JobWorkers] = {}
_pools_lock = threading.Lock()


def ensure_job_workers(url: str, config: Settings | None = None) -> JobWorkers:
    """This process's job workers for `url`, started on the first call."""
    with _pools_lock:
        pool = _pools.get(url)
        if pool is None:
            pool = _pools[url] = JobWorkers(url, config or settings()).start()
        return pool


def wake_job_workers() -> None:
    """Tell this process's workers (if it runs any) that a job was queued."""
    for pool in list(_pools.values()):
        pool.wake()


def stop_job_workers(url: str) -> None:
    with _pools_lock:
        pool = _pools.pop(url, None)
    if pool is not None:
        pool.stop()
