"""Settings from the environment: validated once, with a message naming the variable."""

from __future__ import annotations

import pytest

from data.settings import SettingsError, load_settings
from scheduling.domain import Role


def test_defaults_keep_staff_signed_in_for_a_shift() -> None:
    config = load_settings({})
    assert config.session_timeout_minutes[Role.STAFF] == 480
    assert config.session_timeout_minutes[Role.SUPERVISOR] == 480
    assert config.session_timeout_minutes[Role.MANAGER] == 30
    assert config.timeout_seconds(Role.ADMIN) == 1800


def test_one_variable_sets_the_office_roles_and_each_role_may_have_its_own() -> None:
    config = load_settings(
        {"PLANNER_SESSION_TIMEOUT_MINUTES": "45", "PLANNER_SESSION_TIMEOUT_MINUTES_STAFF": "600"}
    )
    assert config.session_timeout_minutes[Role.MANAGER] == 45
    assert config.session_timeout_minutes[Role.STAFF] == 600
    assert config.session_timeout_minutes[Role.SUPERVISOR] == 480


@pytest.mark.parametrize("value", ["abc", "nan", "inf", "-5", "0", "1.5", "1e9", " x"])
def test_a_bad_timeout_is_refused_with_the_variable_named(value: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings({"PLANNER_SESSION_TIMEOUT_MINUTES": value})
    assert "PLANNER_SESSION_TIMEOUT_MINUTES" in str(refused.value)
    assert "whole number" in str(refused.value)


@pytest.mark.parametrize(
    "name", ["PLANNER_HISTORY_YEARS_BACK", "PLANNER_MAX_UPLOAD_MB", "PLANNER_SESSION_MAX_HOURS"]
)
def test_every_numeric_setting_is_checked(name: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: "nan"})


def test_jobs_run_on_two_local_workers_by_default_so_two_centres_solve_at_once() -> None:
    config = load_settings({})
    assert config.job_workers == 2 and config.dask_scheduler is None
    assert config.job_heartbeat_timeout_seconds == 60 and config.job_max_attempts == 2
    config = load_settings(
        {
            "PLANNER_JOB_WORKERS": "0",
            "PLANNER_DASK_SCHEDULER": " tcp://10.0.0.5:8786 ",
            "PLANNER_JOB_HEARTBEAT_TIMEOUT_SECONDS": "15",
            "PLANNER_JOB_MAX_ATTEMPTS": "3",
        }
    )
    assert config.job_workers == 0 and config.dask_scheduler == "tcp://10.0.0.5:8786"
    assert config.job_heartbeat_timeout_seconds == 15 and config.job_max_attempts == 3


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("PLANNER_JOB_WORKERS", "17", "whole number from 0 to 16"),
        ("PLANNER_JOB_WORKERS", "-1", "whole number from 0 to 16"),
        ("PLANNER_JOB_HEARTBEAT_TIMEOUT_SECONDS", "1", "whole number from 2"),
        ("PLANNER_JOB_MAX_ATTEMPTS", "0", "whole number from 1 to 10"),
        ("PLANNER_DASK_SCHEDULER", "my laptop", "a Dask scheduler address"),
        ("PLANNER_DASK_SCHEDULER", "tcp://host", "a Dask scheduler address"),
    ],
)
def test_a_bad_job_setting_names_the_variable(name: str, value: str, expected: str) -> None:
    with pytest.raises(SettingsError, match=name) as refused:
        load_settings({name: value})
    assert expected in str(refused.value)
