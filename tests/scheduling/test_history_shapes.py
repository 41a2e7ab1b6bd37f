"""The common shapes of call-history files: date + time columns, outcome codes with rows
that are no call, service time as handle time, a column mapping, offered-only interval
files (answered and abandoned unknown, not zero), and finer intervals summed on request."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from scheduling.domain import DailyWindow, SiteProfile
from scheduling.forecast import forecast_week
from scheduling.history import (
    ANONYMOUS_BANK_MAPPING,
    ColumnMapping,
    HistoryFileError,
    read_call_history_csv,
)

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real-call-centres"


def _read(text: str, **kwargs):  # type: ignore[no-untyped-def]
    return read_call_history_csv(
        io.StringIO(text), site_timezone="Asia/Karachi", interval_minutes=30, **kwargs
    )


def test_date_and_time_columns_and_outcome_codes() -> None:
    text = (
        "date,time,outcome,ser_time,customer_id\n"
        "2026-11-16,9:05:10,AGENT,300,77\n"
        "2026-11-16,9:10:00,HANG,0,78\n"
        "2026-11-16,9:12:00,PHANTOM,0,0\n"
        "2026-11-16,9:40:00,PHANTOM,0,0\n"
    )
    result = _read(text)
    (record,) = result.records
    assert (record.offered, record.answered, record.abandoned) == (2, 1, 1)
    assert record.handle_seconds == 300
    assert result.dropped_columns == ["customer_id"]
    messages = " ".join(result.messages)
    assert "Skipped 2 rows that are no call: 2 PHANTOM" in messages
    assert "ser_time as handle_seconds" in messages
    assert "date + time as the time" in messages


def test_a_mapping_names_the_columns_and_the_date_format() -> None:
    text = "day_code\tarrival\tresult\tsecs\n990201\t7:02:47\tAGENT\t166\n"
    mapping = ColumnMapping(
        date="day_code",
        time="arrival",
        date_format="%y%m%d",
        outcome="result",
        answered_codes=("AGENT",),
        handle_seconds="secs",
    )
    (record,) = _read(text, mapping=mapping, earliest=date(1990, 1, 1)).records
    assert record.start_utc == datetime(1999, 2, 1, 2, 0, tzinfo=UTC)  # 07:00 in Karachi
    assert (record.offered, record.answered, record.handle_seconds) == (1, 1, 166)


def test_a_mapping_naming_a_missing_column_is_refused_on_the_header() -> None:
    with pytest.raises(HistoryFileError) as refused:
        _read("when,result\n2026-11-16 09:00,answered\n", mapping=ColumnMapping(timestamp="at"))
    assert refused.value.line == 1 and refused.value.field == "timestamp"


def test_a_bin_number_column_is_not_taken_for_the_interval_start() -> None:
    text = "date,interval,interval_start,calls\n2026-11-16,91,09:00,3\n2026-11-16,96,09:30,1\n"
    result = _read(text)
    assert [r.offered for r in result.records] == [3, 1]
    assert "interval" in result.ignored_columns


def test_offered_only_intervals_are_unknown_not_zero() -> None:
    result = _read("interval_start,offered\n2026-11-16 09:00,3\n")
    (record,) = result.records
    assert record.offered == 3 and record.answered is None and record.abandoned is None
    assert any("unknown, not zero" in m for m in result.messages)


def test_finer_intervals_are_refused_unless_summing_is_asked_for() -> None:
    text = "date,interval_start,calls\n2026-11-16,09:00,2\n2026-11-16,09:06,1\n2026-11-16,09:30,4\n"
    with pytest.raises(HistoryFileError) as refused:
        _read(text)
    assert refused.value.field == "interval_start" and refused.value.line == 3
    result = _read(text, mapping=ColumnMapping(sum_finer_intervals=True))
    assert [r.offered for r in result.records] == [3, 4]


def test_a_forecast_runs_on_offered_only_history() -> None:
    days = [date(2026, 10, 5 + d) for d in range(21)]
    rows = "".join(f"{d} {h:02d}:00,{(h + d.day) % 4}\n" for d in days for h in range(9, 17))
    history = _read("interval_start,offered\n" + rows).records
    site = SiteProfile(
        name="t",
        timezone="Asia/Karachi",
        interval_minutes=30,
        opening_hours=tuple(
            DailyWindow(weekday=w, start_minute=540, end_minute=1020) for w in range(7)
        ),
    )
    forecast = forecast_week(history, site, date(2026, 10, 26))
    assert sum(i.calls for i in forecast.intervals) > 0


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real-call-centres is absent")
def test_the_anonymous_bank_per_call_file_imports_with_its_mapping() -> None:
    result = read_call_history_csv(
        REAL / "anonymous_bank_1999-02_calls.tsv",
        site_timezone="Asia/Jerusalem",
        interval_minutes=30,
        earliest=date(1999, 1, 1),
        mapping=ANONYMOUS_BANK_MAPPING,
    )
    assert result.rows_read == 27_162 + 5_904 + 278
    assert sum(r.offered for r in result.records) == 27_162 + 5_904
    assert sum(r.answered or 0 for r in result.records) == 27_162
    assert "customer_id" in result.dropped_columns
    assert any("PHANTOM" in m and "278" in m for m in result.messages)


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real-call-centres is absent")
def test_the_anonymous_bank_six_minute_counts_are_read_but_the_imputed_day() -> None:
    path = REAL / "anonymous_bank_1999_6min.csv"
    summed = ColumnMapping(sum_finer_intervals=True)
    # The file's 23 May is imputed with fractional counts: those rows, and only those, are
    # refused by line and field. Every other day reads as offered-only 30-minute intervals.
    with pytest.raises(HistoryFileError) as refused:
        read_call_history_csv(
            path,
            site_timezone="UTC",  # the file runs through the night the clocks go forward
            interval_minutes=30,
            earliest=date(1999, 1, 1),
            mapping=summed,
        )
    lines = path.read_text().splitlines()
    for problem in refused.value.problems:
        assert problem.field == "offered"
        assert lines[problem.line - 1].startswith("1999-05-23")
    kept = "\n".join(line for line in lines if not line.startswith("1999-05-23")) + "\n"
    result = read_call_history_csv(
        io.StringIO(kept),
        site_timezone="UTC",
        interval_minutes=30,
        earliest=date(1999, 1, 1),
        mapping=summed,
    )
    assert len(result.records) == 364 * 48
    assert all(r.answered is None and r.abandoned is None for r in result.records)
    assert "interval" in result.ignored_columns
