"""Reading and writing call history files (scheduling.history): pure, no database."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.domain import CallIntervalRecord
from scheduling.history import (
    MAX_PROBLEMS,
    HistoryFileError,
    identifying_column,
    read_call_history_csv,
    write_call_history_csv,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
BANK_CALLS = SHARED / "data" / "real-call-centres" / "anonymous_bank_1999-02_calls.tsv"
KARACHI = "Asia/Karachi"
HEADER = "interval_start,offered,answered,abandoned,handle_seconds,difficult\n"


def read(text: str, *, tz: str = KARACHI, minutes: int = 30):
    return read_call_history_csv(io.StringIO(text), site_timezone=tz, interval_minutes=minutes)


def error_of(text: str, **kwargs) -> HistoryFileError:
    with pytest.raises(HistoryFileError) as info:
        read(text, **kwargs)
    return info.value


def test_interval_rows_local_time_to_utc_with_any_header_case() -> None:
    result = read(
        "Interval_Start,OFFERED,Answered,abandoned,Handle Seconds,Difficult\n"
        "2026-11-16 09:00,3,2,1,3000,1\n"
        "2026-11-16T09:30:00+05:00,0,0,0,0,0\n"
        "2026-11-16T05:00Z,1,1,0,1200,0\n"
    )
    assert result.shape == "interval"
    assert [r.start_utc for r in result.records] == [
        datetime(2026, 11, 16, 4, 0, tzinfo=UTC),
        datetime(2026, 11, 16, 4, 30, tzinfo=UTC),
        datetime(2026, 11, 16, 5, 0, tzinfo=UTC),
    ]
    first = result.records[0]
    assert (first.offered, first.answered, first.abandoned) == (3, 2, 1)
    assert (first.handle_seconds, first.difficult) == (3000, 1)
    assert result.dropped_columns == []


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_comma_tab_or_semicolon(delimiter: str) -> None:
    text = HEADER.replace(",", delimiter) + delimiter.join(
        ["2026-11-16 09:00", "3", "2", "1", "3000", "1"]
    )
    assert read(text).records[0].offered == 3


def test_a_bad_count_names_line_field_and_expectation() -> None:
    text = HEADER + "".join(f"2026-11-16 {9 + i // 2:02d}:{30 * (i % 2):02d},1,1,0,60,0\n"
                            for i in range(12))  # fmt: skip
    text += "2026-11-16 15:00,1,x,0,60,0\n"  # line 14
    error = error_of(text)
    assert str(error) == "line 14, field 'answered': expected a whole number >= 0, got 'x'"
    assert (error.line, error.field) == (14, "answered")


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("2026-11-16 09:00,2,2,1,0,0", "line 2: answered (2) + abandoned (1) exceeds offered (2)"),
        ("2026-11-16 09:00,-1,0,0,0,0", "line 2, field 'offered': expected a whole number >= 0"),
        ("2026-11-16 09:00,1.5,0,0,0,0", "field 'offered': expected a whole number >= 0"),
        ("2026-11-16 09:10,1,1,0,0,0", "field 'interval_start': expected a time on a 30-minute"),
        ("16/11/2026 09:00,1,1,0,0,0", "field 'interval_start': expected a date and time"),
        ("2026-11-16,1,1,0,0,0", "field 'interval_start': expected a date and time"),
        ("2026-11-16 09:00,2,1,0,0,2", "field 'difficult': expected at most the answered calls"),
        ("2026-11-16 09:00,1,1,0,0,0,extra", "line 2: expected 6 fields, found 7"),
    ],
)
def test_bad_interval_rows(row: str, expected: str) -> None:
    assert expected in str(error_of(HEADER + row + "\n"))


def test_short_rows_and_missing_optional_columns_count_as_zero() -> None:
    assert read(HEADER + "2026-11-16 09:00,1,1,0\n").records[0].handle_seconds == 0
    result = read("interval_start,offered,answered,abandoned\n2026-11-16 09:00,1,1,0\n")
    assert result.records[0].difficult == 0
    assert "No difficult column: taken as 0." in result.messages


def test_a_repeated_interval_names_both_lines() -> None:
    error = error_of(HEADER + "2026-11-16 09:00,1,1,0,0,0\n2026-11-16T04:00Z,1,1,0,0,0\n")
    assert str(error) == (
        "line 3, field 'interval_start': interval 2026-11-16 09:00 already given on line 2"
    )


def test_many_bad_rows_are_listed_together_up_to_a_limit() -> None:
    rows = "".join(f"2026-11-{d:02d} 09:00,1,x,0,0,0\n" for d in range(1, 29))
    error = error_of(HEADER + rows)
    assert len(error.problems) == MAX_PROBLEMS
    assert str(error).endswith(f"(and {MAX_PROBLEMS - 1} more problems)")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("offered,answered,abandoned", "expected a column interval_start"),
        ("interval_start,timestamp,offered", "not both"),
        ("interval_start,offered,answered", "need the columns abandoned"),
        ("timestamp,handle_seconds", "needs an outcome column"),
        ("interval_start,offered,Offered,answered,abandoned", "appears twice"),
    ],
)
def test_bad_headers_name_line_one(header: str, expected: str) -> None:
    error = error_of(header + "\n2026-11-16 09:00,1,1,0\n")
    assert str(error).startswith("line 1 (header)")
    assert expected in str(error)


def test_empty_files() -> None:
    assert "empty" in str(error_of(""))
    assert "no data rows" in str(error_of(HEADER + "\n\n"))


def test_caller_identifying_columns_are_dropped_and_reported() -> None:
    header = (
        "interval_start,offered,answered,abandoned,Caller Phone,caller_name,Email,CNIC,"
        "Address,notes,customer_id,City,MSISDN,transcript,Province\n"
    )
    row = "2026-11-16 09:00,1,1,0,0300-1234567,Ali,a@b.pk,35202-1,Street 1,said x,77,Lahore,92300,hi,Punjab\n"  # noqa: E501
    result = read(header + row)
    assert result.dropped_columns == [
        "Caller Phone",
        "caller_name",
        "Email",
        "CNIC",
        "Address",
        "notes",
        "customer_id",
        "City",
        "MSISDN",
        "transcript",
    ]
    assert result.ignored_columns == ["Province"]  # a province is coarse enough, but unused
    assert any("could identify a caller" in m and "customer_id" in m for m in result.messages)
    dumped = str([r.model_dump() for r in result.records])
    assert "Ali" not in dumped and "0300" not in dumped


@pytest.mark.parametrize(
    "name",
    ["phone_number", "CallerID", "mobile", "e-mail", "cnic_no", "home address", "comments",
     "free_text", "customer_id", "client ref", "city", "district", "latitude", "msisdn", "ANI"],
)  # fmt: skip
def test_identifying_names(name: str) -> None:
    assert identifying_column(name)


@pytest.mark.parametrize(
    "name",
    ["interval_start", "timestamp", "offered", "answered", "abandoned", "handle_seconds",
     "difficult", "outcome", "province", "queue", "priority"],
)  # fmt: skip
def test_harmless_names(name: str) -> None:
    assert not identifying_column(name)


def test_per_call_rows_are_counted_into_intervals() -> None:
    text = (
        "timestamp,outcome,handle_seconds,difficult,caller_number\n"
        "2026-11-16 09:03:10,answered,1200,1,0300\n"
        "2026-11-16 09:29:59,abandoned,,0,0301\n"
        "2026-11-16 09:30:00,ANSWERED,1300.6,0,0302\n"
        "2026-11-16T04:45:00Z,hang,0,0,0303\n"
        "2026-11-16 10:00,other,,,\n"
    )
    result = read(text)
    assert result.shape == "per_call"
    assert result.dropped_columns == ["caller_number"]
    assert [
        (r.start_utc.hour, r.start_utc.minute, r.offered, r.answered, r.abandoned,
         r.handle_seconds, r.difficult)
        for r in result.records
    ] == [(4, 0, 2, 1, 1, 1200, 1), (4, 30, 2, 1, 1, 1301, 0), (5, 0, 1, 0, 0, 0, 0)]  # fmt: skip


def test_per_call_flags_and_their_errors() -> None:
    text = "timestamp,answered\n2026-11-16 09:05,1\n2026-11-16 09:06,no\n"
    (record,) = read(text).records
    assert (record.offered, record.answered, record.abandoned) == (2, 1, 1)  # no voicemail
    assert "field 'answered': expected 1 or 0" in str(
        error_of("timestamp,answered\n2026-11-16 09:05,maybe\n")
    )
    assert "cannot be difficult" in str(
        error_of("timestamp,outcome,difficult\n2026-11-16 09:05,abandoned,1\n")
    )
    assert "both answered and abandoned" in str(
        error_of("timestamp,answered,abandoned\n2026-11-16 09:05,1,1\n")
    )
    assert "field 'outcome': expected answered, abandoned or other" in str(
        error_of("timestamp,outcome\n2026-11-16 09:05,voicemail\n")
    )


def test_local_times_that_do_not_exist_are_refused() -> None:
    error = error_of(HEADER + "2026-03-29 01:30,1,1,0,0,0\n", tz="Europe/London")
    assert "does not exist in Europe/London" in str(error)


def test_fifteen_minute_sites() -> None:
    result = read(HEADER + "2026-11-16 09:15,1,1,0,0,0\n", minutes=15)
    assert result.records[0].start_utc == datetime(2026, 11, 16, 4, 15, tzinfo=UTC)


def test_bytes_with_a_byte_order_mark() -> None:
    raw = ("\ufeff" + HEADER + "2026-11-16 09:00,1,1,0,0,0\n").encode()
    result = read_call_history_csv(io.BytesIO(raw), site_timezone=KARACHI, interval_minutes=30)
    assert len(result.records) == 1


_records = st.lists(
    st.tuples(
        st.integers(0, 2000),  # interval number
        st.integers(0, 30),
        st.integers(0, 30),
        st.integers(0, 30),
        st.integers(0, 100_000),
        st.integers(0, 30),
    ),
    max_size=40,
    unique_by=lambda t: t[0],
)


@settings(max_examples=60, deadline=None)
@given(rows=_records, tz=st.sampled_from([KARACHI, "Europe/London", "America/New_York"]))
def test_write_then_read_gives_the_same_records(rows, tz: str) -> None:
    origin = datetime(2026, 1, 1, tzinfo=UTC)
    records = []
    for n, answered, abandoned, extra, handle, difficult in rows:
        records.append(
            CallIntervalRecord(
                start_utc=origin + timedelta(minutes=30 * n),
                offered=answered + abandoned + extra,
                answered=answered,
                abandoned=abandoned,
                handle_seconds=handle,
                difficult=min(difficult, answered),
            )
        )
    buffer = io.StringIO()
    assert write_call_history_csv(records, buffer, tz) == len(records)
    if not records:
        return
    buffer.seek(0)
    result = read_call_history_csv(buffer, site_timezone=tz, interval_minutes=30)
    assert result.records == sorted(records, key=lambda r: r.start_utc)


@pytest.mark.skipif(not BANK_CALLS.exists(), reason="../shared/data not present")
def test_a_real_per_call_file_drops_its_customer_id(tmp_path: Path) -> None:
    """The Anonymous Bank's February 1999 calls (SEE Lab, Technion; Brown et al. 2005):
    tab-separated, one row per call, with a customer_id column."""
    with BANK_CALLS.open(newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r["outcome"] != "PHANTOM"]
    # Our per-call shape: a timestamp column; every original column is kept alongside.
    columns = ["timestamp", *rows[0].keys()]
    path = tmp_path / "bank_calls.tsv"
    expected: Counter[tuple[str, int, str]] = Counter()
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(columns)
        for r in rows:
            day = datetime.strptime(r["date"], "%y%m%d").date()
            h, m, s = (int(x) for x in r["vru_entry"].split(":"))
            writer.writerow([f"{day}T{h:02d}:{m:02d}:{s:02d}", *r.values()])
            expected[(str(day), (h * 60 + m) // 30, r["outcome"])] += 1

    result = read_call_history_csv(path, site_timezone="Asia/Jerusalem", interval_minutes=30)

    assert "customer_id" in result.dropped_columns
    assert "call_id" in result.dropped_columns
    assert result.rows_read == len(rows)
    got: Counter[tuple[str, int, str]] = Counter()
    for rec in result.records:
        local = rec.start_utc.astimezone(ZoneInfo("Asia/Jerusalem"))
        key = (str(local.date()), (local.hour * 60 + local.minute) // 30)
        got[(*key, "AGENT")] += rec.answered
        got[(*key, "HANG")] += rec.abandoned
        assert rec.offered == rec.answered + rec.abandoned
    assert +got == +expected
