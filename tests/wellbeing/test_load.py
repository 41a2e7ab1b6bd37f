from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError

from wellbeing.load import (
    DifficultCall,
    LoadHistory,
    LoadSettings,
    band_of,
    days_since_two_off,
    load_score,
    roster_wellbeing,
)

TODAY = date(2026, 3, 8)  # a Sunday


def calls(n: int, days_back: int = 0, distress: int | None = None) -> list[DifficultCall]:
    day = datetime.combine(TODAY - timedelta(days=days_back), datetime.min.time(), UTC)
    return [
        DifficultCall(at=day + timedelta(hours=9, minutes=10 * k), distress=distress)
        for k in range(n)
    ]


def weekdays_worked(weeks: int = 4) -> frozenset[date]:
    days = (TODAY - timedelta(days=k) for k in range(7 * weeks))
    return frozenset(d for d in days if d.weekday() < 5)


def parts(score) -> dict[str, float]:
    return {p.key: p.points for p in score.parts}


def test_an_ordinary_week_is_normal() -> None:
    history = LoadHistory(
        staff_id="a",
        difficult_calls=tuple(calls(4, 1, distress=2)),
        line_minutes_by_day={TODAY - timedelta(days=k): 240 for k in range(2, 7)},
        worked_days=weekdays_worked(),
    )
    score = load_score(history, TODAY)
    assert score.band == "normal"
    assert score.score == 0


def test_a_heavy_week_of_difficult_calls_with_distress_is_watch() -> None:
    history = LoadHistory(
        staff_id="a",
        difficult_calls=tuple(calls(15, 2, distress=3)),
        worked_days=weekdays_worked(),
    )
    score = load_score(history, TODAY)
    assert parts(score)["difficult_calls"] == 20
    assert parts(score)["distress"] == 10
    assert score.band == "watch"


def test_heavy_calls_distress_and_an_open_debrief_is_high() -> None:
    history = LoadHistory(
        staff_id="a",
        difficult_calls=tuple(calls(15, 2, distress=4)),
        worked_days=weekdays_worked(),
        open_debriefs=1,
    )
    score = load_score(history, TODAY)
    assert score.score == 50
    assert score.band == "high"


def test_band_edges_are_inclusive_from_the_threshold() -> None:
    settings = LoadSettings()
    assert band_of(24.9, settings) == "normal"
    assert band_of(25, settings) == "watch"
    assert band_of(49.9, settings) == "watch"
    assert band_of(50, settings) == "high"


def test_the_four_week_average_counts_in_a_light_week() -> None:
    # 48 difficult calls in weeks 2-4, none this week: 12 a week on average
    old = [c for back in (8, 15, 22) for c in calls(16, back)]
    score = load_score(LoadHistory(staff_id="a", difficult_calls=tuple(old)), TODAY)
    assert parts(score)["difficult_calls"] == pytest.approx(20 * (12 - 5) / 10)


def test_calls_older_than_28_days_do_not_count() -> None:
    score = load_score(LoadHistory(staff_id="a", difficult_calls=tuple(calls(40, 28))), TODAY)
    assert parts(score)["difficult_calls"] == 0


def test_line_hours_count_over_the_ordinary_week() -> None:
    history = LoadHistory(
        staff_id="a", line_minutes_by_day={TODAY - timedelta(days=k): 300 for k in range(5)}
    )
    # 25 h this week: half-way from 20 to 30
    assert parts(load_score(history, TODAY))["line_hours"] == pytest.approx(10)


def test_days_without_two_days_off() -> None:
    worked = frozenset(TODAY - timedelta(days=k) for k in range(12))
    assert days_since_two_off(worked, TODAY) == 12
    score = load_score(LoadHistory(staff_id="a", worked_days=worked), TODAY)
    assert parts(score)["days_without_rest"] == 20
    # a single day off does not reset the count
    gap = worked - {TODAY - timedelta(days=5)}
    assert days_since_two_off(gap, TODAY) == 12
    assert days_since_two_off(frozenset(), TODAY) == 0


def test_distress_reported_only_long_ago_still_counts() -> None:
    history = LoadHistory(staff_id="a", difficult_calls=tuple(calls(2, 20, distress=5)))
    assert parts(load_score(history, TODAY))["distress"] == 20


def test_days_are_local_to_the_site() -> None:
    # 23:30 UTC on the day before the window is inside it in Karachi (UTC+5)
    first = TODAY - timedelta(days=6)
    late = datetime.combine(first - timedelta(days=1), datetime.min.time(), UTC) + timedelta(
        hours=23, minutes=30
    )
    history = LoadHistory(
        staff_id="a", difficult_calls=tuple(DifficultCall(at=late) for _ in range(15))
    )
    utc = parts(load_score(history, TODAY, "UTC"))["difficult_calls"]
    karachi = parts(load_score(history, TODAY, "Asia/Karachi"))["difficult_calls"]
    assert karachi == 20 and utc < karachi


def test_high_lowers_the_line_cap_and_asks_for_an_offline_day() -> None:
    high = load_score(
        LoadHistory(
            staff_id="h",
            difficult_calls=tuple(calls(15, 2, distress=4)),
            open_debriefs=1,
        ),
        TODAY,
    )
    normal = load_score(LoadHistory(staff_id="n"), TODAY)
    feed = roster_wellbeing([high, normal], {"h": 30 * 60, "n": 30 * 60})
    assert len(feed) == 1
    (wish,) = feed
    assert wish.staff_id == "h"
    assert wish.line_cap_minutes_week == 20 * 60
    assert wish.offline_day_wanted
    assert wish.reason == "wellbeing"
    # what the manager gets carries no score or parts
    assert set(wish.model_dump()) == {
        "staff_id",
        "line_cap_minutes_week",
        "offline_day_wanted",
        "reason",
    }


def test_the_lowered_cap_never_raises_a_lower_contract_cap() -> None:
    high = load_score(
        LoadHistory(staff_id="h", difficult_calls=tuple(calls(15, 2, 4)), open_debriefs=1),
        TODAY,
    )
    (wish,) = roster_wellbeing([high], {"h": 10 * 60})
    assert wish.line_cap_minutes_week == 10 * 60


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(ValidationError, match="high_from"):
        LoadSettings(watch_from=60, high_from=50)
