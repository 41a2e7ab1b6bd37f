from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from wellbeing.decompression import (
    DecompressionSettings,
    Span,
    decompression_windows,
    next_decompression_minutes,
    off_queue_until,
)


def at(h: int, m: int = 0) -> datetime:
    return datetime(2026, 3, 2, h, m, tzinfo=UTC)


SHIFT = [Span(start=at(9), end=at(17))]
MEAL = [Span(start=at(12), end=at(12, 30))]


def test_one_difficult_call_takes_ten_minutes_off_the_queue() -> None:
    assert off_queue_until([at(14, 30)], now=at(14, 31), shifts=SHIFT) == at(14, 40)


def test_back_on_the_queue_when_the_time_is_up() -> None:
    # half-open: at 14:40 exactly the person is back
    assert off_queue_until([at(14, 30)], now=at(14, 40), shifts=SHIFT) is None


def test_second_difficult_call_in_a_shift_gives_thirty_minutes() -> None:
    calls = [at(10), at(14, 30)]
    assert off_queue_until(calls, now=at(14, 30), shifts=SHIFT) == at(15, 0)
    assert [w.in_a_row for w in decompression_windows(calls, SHIFT)] == [1, 2]


def test_a_full_break_between_ends_the_run() -> None:
    calls = [at(10), at(14, 30)]
    assert off_queue_until(calls, now=at(14, 30), shifts=SHIFT, breaks=MEAL) == at(14, 40)


def test_a_short_break_does_not_end_the_run() -> None:
    short = [Span(start=at(12), end=at(12, 15))]
    assert off_queue_until([at(10), at(14, 30)], at(14, 30), SHIFT, short) == at(15, 0)


def test_calls_in_different_shifts_are_not_in_a_row() -> None:
    shifts = [Span(start=at(8), end=at(12)), Span(start=at(13), end=at(17))]
    assert next_decompression_minutes([at(11, 50)], at(13, 10), shifts) == 10


def test_a_call_outside_any_known_shift_gets_the_ordinary_time() -> None:
    assert next_decompression_minutes([at(10)], at(10, 20)) == 10


def test_third_call_in_a_row_also_gets_the_long_time() -> None:
    calls = [at(9, 30), at(10, 30), at(11, 30)]
    assert [w.minutes for w in decompression_windows(calls, SHIFT)] == [10, 30, 30]


def test_site_setting_changes_the_time() -> None:
    settings = DecompressionSettings(minutes=15, after_second_minutes=40)
    assert off_queue_until([at(14)], at(14, 1), SHIFT, settings=settings) == at(14, 15)


def test_decompression_is_never_below_five_minutes() -> None:
    with pytest.raises(ValidationError, match="minutes"):
        DecompressionSettings(minutes=4)


def test_overlapping_windows_keep_the_latest_end() -> None:
    # a late-logged first call must not shorten the second call's 30 minutes
    calls = [at(14, 25), at(14, 30)]
    assert off_queue_until(calls, at(14, 36), SHIFT) == at(15, 0)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        decompression_windows([datetime(2026, 3, 2, 10)])


def test_future_calls_are_ignored() -> None:
    assert off_queue_until([at(15)], now=at(14), shifts=SHIFT) is None
    assert off_queue_until([at(14) + timedelta(minutes=1)], at(14, 5), SHIFT) == at(14, 11)


def test_settings_come_from_the_sites_handle_times() -> None:
    from scheduling.domain import HandleTimes

    s = DecompressionSettings.from_handle(
        HandleTimes(decompression_minutes=12, long_decompression_minutes=25)
    )
    assert (s.minutes, s.after_second_minutes) == (12, 25)
    short_long = DecompressionSettings.from_handle(
        HandleTimes(decompression_minutes=15, long_decompression_minutes=10)
    )
    assert short_long.after_second_minutes == 15
