"""The load bands' thresholds and the cap "high" sets are installation settings, validated at
start-up like every other."""

from __future__ import annotations

import pytest

import data.wellbeing_load
from data.settings import Settings, SettingsError, load_settings


def test_load_band_thresholds_come_from_the_environment() -> None:
    given = load_settings(
        {
            "PLANNER_LOAD_WATCH_FROM": "30",
            "PLANNER_LOAD_HIGH_FROM": "60",
            "PLANNER_LOAD_HIGH_LINE_CAP_HOURS": "16",
        }
    )
    assert (given.load_watch_from, given.load_high_from) == (30, 60)
    assert given.load_high_line_cap_hours == 16


def test_defaults_are_watch_25_high_50_cap_20_hours() -> None:
    given = load_settings({})
    assert (given.load_watch_from, given.load_high_from, given.load_high_line_cap_hours) == (
        25,
        50,
        20,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PLANNER_LOAD_WATCH_FROM": "abc"}, "PLANNER_LOAD_WATCH_FROM"),
        ({"PLANNER_LOAD_HIGH_FROM": "101"}, "PLANNER_LOAD_HIGH_FROM"),
        (
            {"PLANNER_LOAD_WATCH_FROM": "60", "PLANNER_LOAD_HIGH_FROM": "50"},
            "PLANNER_LOAD_HIGH_FROM",
        ),
        ({"PLANNER_LOAD_HIGH_LINE_CAP_HOURS": "nan"}, "PLANNER_LOAD_HIGH_LINE_CAP_HOURS"),
    ],
)
def test_a_bad_threshold_is_refused_by_name(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        load_settings(env)


def test_the_wellbeing_repository_scores_with_the_installations_thresholds(monkeypatch) -> None:
    given = Settings(load_watch_from=40, load_high_from=70, load_high_line_cap_hours=12)
    monkeypatch.setattr(data.wellbeing_load, "installation_settings", lambda: given)
    bands = data.wellbeing_load.installation_load_settings()
    assert (bands.watch_from, bands.high_from) == (40, 70)
    assert bands.high_line_cap_minutes_week == 12 * 60
