"""The installation's settings: one typed object, read from the environment once at start-up
and validated there, so a bad value stops the app with a message naming the variable instead
of failing page by page.

scheduling/ and wellbeing/ never read the environment: whatever they need from here is passed
to them as plain arguments.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from scheduling.domain import Role

# Staff and supervisors take calls: a sign-in lasts a whole shift (8 h) so that nobody has to
# sign in again at the moment they need to log a difficult call.
SHIFT_MINUTES = 8 * 60
DEFAULT_TIMEOUT_MINUTES: Mapping[Role, int] = {
    Role.STAFF: SHIFT_MINUTES,
    Role.SUPERVISOR: SHIFT_MINUTES,
    Role.MANAGER: 30,
    Role.LEADERSHIP: 30,
    Role.ADMIN: 30,
}


class SettingsError(ValueError):
    """A setting from the environment has a value the planner cannot use."""


@dataclass(frozen=True)
class Settings:
    # Minutes without activity after which a sign-in ends, per role.
    session_timeout_minutes: Mapping[Role, int] = field(
        default_factory=lambda: dict(DEFAULT_TIMEOUT_MINUTES)
    )
    # However active, a sign-in ends this long after the password was given.
    session_max_hours: int = 24
    # Call history is accepted from this many years before today ...
    history_years_back: int = 30
    # ... up to this many days after today (clocks and time zones differ a little).
    history_days_ahead: int = 2
    # Largest upload (call-history file) accepted, in megabytes.
    max_upload_mb: int = 50
    # Difficult-call logs and done debrief requests (with their notes) are kept this long.
    wellbeing_retention_days: int = 90
    # Load score (0-100) from which a person's band is "watch", and "high"; and the weekly line
    # cap, in hours, that "high" sets in the next roster.
    load_watch_from: int = 25
    load_high_from: int = 50
    load_high_line_cap_hours: int = 20
    # Roster solves, re-plans and scenario runs are jobs in the database. This many worker
    # threads run them in each app process (0: this process runs none; a worker process or the
    # Dask cluster does) ...
    job_workers: int = 2
    # ... unless a Dask scheduler is named: then every job is submitted to the cluster.
    dask_scheduler: str | None = None
    # A running job whose worker has not reported for this long is retried, up to this many
    # attempts in all, then marked failed ("worker stopped responding").
    job_heartbeat_timeout_seconds: int = 60
    job_max_attempts: int = 2
    # Ended jobs (their progress, results and errors) are deleted this many days after they end.
    job_keep_days: int = 30

    def timeout_seconds(self, role: Role) -> float:
        return 60.0 * self.session_timeout_minutes[role]


def _whole_number(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(
            f"{name}: expected a whole number from {low} to {high}, got {raw!r}"
        ) from None
    if not math.isfinite(value) or value != int(value) or not low <= value <= high:
        raise SettingsError(f"{name}: expected a whole number from {low} to {high}, got {raw!r}")
    return int(value)


def _scheduler_address(env: Mapping[str, str]) -> str | None:
    raw = env.get("PLANNER_DASK_SCHEDULER", "").strip()
    if not raw:
        return None
    host, _, port = raw.rpartition(":")
    if not host or not port.isdigit() or any(c.isspace() for c in raw):
        raise SettingsError(
            "PLANNER_DASK_SCHEDULER: expected a Dask scheduler address such as "
            f"tcp://127.0.0.1:8786, got {raw!r}"
        )
    return raw


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Settings from `env` (default: the process environment); SettingsError names the first
    bad variable and what was expected."""
    env = os.environ if env is None else env
    # One variable for every role that has no variable of its own (kept from earlier versions).
    common = env.get("PLANNER_SESSION_TIMEOUT_MINUTES", "").strip()
    timeouts: dict[Role, int] = {}
    for role in Role:
        default = DEFAULT_TIMEOUT_MINUTES[role]
        if common and role not in (Role.STAFF, Role.SUPERVISOR):
            default = _whole_number(env, "PLANNER_SESSION_TIMEOUT_MINUTES", 30, 1, 24 * 60)
        timeouts[role] = _whole_number(
            env, f"PLANNER_SESSION_TIMEOUT_MINUTES_{role.name}", default, 1, 24 * 60
        )
    if common:  # validated even when every role has its own variable
        _whole_number(env, "PLANNER_SESSION_TIMEOUT_MINUTES", 30, 1, 24 * 60)
    watch = _whole_number(env, "PLANNER_LOAD_WATCH_FROM", 25, 1, 100)
    high = _whole_number(env, "PLANNER_LOAD_HIGH_FROM", 50, 1, 100)
    if high <= watch:
        raise SettingsError(
            f"PLANNER_LOAD_HIGH_FROM: expected more than PLANNER_LOAD_WATCH_FROM ({watch}), "
            f"got {high}"
        )
    return Settings(
        session_timeout_minutes=timeouts,
        session_max_hours=_whole_number(env, "PLANNER_SESSION_MAX_HOURS", 24, 1, 24 * 14),
        history_years_back=_whole_number(env, "PLANNER_HISTORY_YEARS_BACK", 30, 1, 200),
        history_days_ahead=_whole_number(env, "PLANNER_HISTORY_DAYS_AHEAD", 2, 0, 366),
        max_upload_mb=_whole_number(env, "PLANNER_MAX_UPLOAD_MB", 50, 1, 1024),
        wellbeing_retention_days=_whole_number(
            env, "PLANNER_WELLBEING_RETENTION_DAYS", 90, 1, 3650
        ),
        load_watch_from=watch,
        load_high_from=high,
        load_high_line_cap_hours=_whole_number(env, "PLANNER_LOAD_HIGH_LINE_CAP_HOURS", 20, 0, 60),
        job_workers=_whole_number(env, "PLANNER_JOB_WORKERS", 2, 0, 16),
        dask_scheduler=_scheduler_address(env),
        job_heartbeat_timeout_seconds=_whole_number(
            env, "PLANNER_JOB_HEARTBEAT_TIMEOUT_SECONDS", 60, 2, 24 * 3600
        ),
        job_max_attempts=_whole_number(env, "PLANNER_JOB_MAX_ATTEMPTS", 2, 1, 10),
        job_keep_days=_whole_number(env, "PLANNER_JOB_KEEP_DAYS", 30, 1, 3650),
    )


@cache
def settings() -> Settings:
    """The settings of this process, read once."""
    return load_settings()
