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
