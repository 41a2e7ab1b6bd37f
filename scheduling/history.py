"""Call history files: read (validate, drop caller-identifying columns) and write.

Two shapes are read, told apart by the header (case-insensitive; comma, tab or semicolon):

- interval rows: `interval_start` (site local time, or ISO with a UTC offset), `offered`,
  `answered`, `abandoned`, and optionally `handle_seconds` (total over the answered calls)
  and `difficult` (answered calls flagged difficult);
- one row per call: `timestamp`, then either `outcome` (answered / abandoned / other) or
  `answered` / `abandoned` flags (1/0, yes/no, true/false), and optionally `handle_seconds`
  (this call's talk + wrap-up) and `difficult` (1/0). Calls are counted into intervals.

Any column whose name could identify a caller (a phone number, a name, an e-mail, a CNIC, an
address, a place finer than a province, notes or any free text, a caller or customer id) is
dropped unread and reported. Other unknown columns are ignored and reported too. A bad row
stops the whole read with HistoryFileError naming the line, the field and what was expected.
Pure domain: no database, no environment.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from scheduling.bounds import EARLIEST_DAY, LATEST_DAY
from scheduling.domain import CallIntervalRecord, zone

INTERVAL_COLUMNS = (
    "interval_start",
    "offered",
    "answered",
    "abandoned",
    "handle_seconds",
    "difficult",
)
MAX_PROBLEMS = 20
# What one file may hold. A count or duration past these is a typo or an attack, never a
# helpline's interval; the caps also keep every value inside a database integer.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_COUNT = 1_000_000  # calls in one interval
MAX_SECONDS = 1_000_000_000  # handle seconds in one interval (or of one call)
_SHOWN_CHARS = 40  # of a bad value, quoted in a message

# Header spellings accepted for each field, after normalising (lower case, '_' separators).
_ALIASES: dict[str, tuple[str, ...]] = {
    # Not "interval": files use it for a bin number as often as for a time.
    "interval_start": ("interval_start", "interval_start_local", "period_start"),
    "timestamp": ("timestamp", "call_start", "call_time", "arrival_time", "started_at"),
    "date": ("date", "call_date"),
    "time": ("time", "start_time", "time_of_day"),
    "offered": ("offered", "calls_offered", "offered_calls", "calls"),
    "answered": ("answered", "calls_answered", "answered_calls"),
    "abandoned": ("abandoned", "calls_abandoned", "abandoned_calls"),
    "handle_seconds": (
        "handle_seconds",
        "handle_time_seconds",
        "handle_sec",
        "ser_time",
        "service_time",
        "service_seconds",  # service time is handle time
    ),
    "difficult": ("difficult", "difficult_calls", "is_difficult"),
    "outcome": ("outcome", "result", "disposition"),
}
_FIELD_OF = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}

# Name fragments that could identify a caller. Substrings are matched inside the whole
# (separator-free) name; tokens must be a whole word of it. Conservative on purpose: a
# false alarm costs an ignored column, a miss costs a caller's privacy.
_IDENTIFYING_SUBSTRINGS = (
    "phone", "mobile", "whatsapp", "email", "passport", "nationalid",
    "msisdn", "cnic",  # identifiers that import drops
    "address", "street", "postcode", "postal", "zipcode", "name", "caller", "customer",
    "client", "complainant", "victim", "note", "comment", "remark", "text", "transcript",
    "narrative", "description", "summary", "message", "recording", "latitude", "longitude",
    "location", "city", "village", "district", "tehsil", "neighbo", "imei", "ipaddress",
    "birth", "social", "facebook", "instagram", "twitter",
)  # fmt: skip
_IDENTIFYING_TOKENS = frozenset(
    {
        "number", "tel", "cell", "ani", "cli", "dnis", "nic", "ssn", "id", "uuid", "ref",
        "lat", "lon", "lng", "gps", "geo", "ip", "zip", "town", "area", "age", "dob",
        "gender", "sex", "details", "msg", "subject", "content", "body", "user", "account",
        "person", "contact", "from", "to", "src", "dst", "source", "destination", "origin",
        "email", "mail", "sms", "audio", "url",
    }
)  # fmt: skip

_ANSWERED_WORDS = frozenset({"answered", "answer", "agent", "handled", "served", "completed"})
_ABANDONED_WORDS = frozenset({"abandoned", "abandon", "hang", "hangup", "hung_up", "lost"})
_OTHER_WORDS = frozenset({"other"})
# Rows that are no call at all (a record the switch made with nobody calling): counted and
# named, never counted as offered.
_NOT_A_CALL_WORDS = frozenset({"phantom"})
_TRUE = frozenset({"1", "true", "yes", "y", "t"})
_FALSE = frozenset({"0", "false", "no", "n", "f", ""})

_WHOLE = re.compile(r"\d+(?:\.0*)?")
_TIME_OF_DAY = re.compile(r"(\d{1,2}):([0-5]\d)(?::([0-5]\d))?")
_NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+")


class HistoryImport(BaseModel):
    """What a history file held: records sorted by start, and what was dropped or ignored."""

    model_config = ConfigDict(frozen=True)

    records: list[CallIntervalRecord]
    shape: Literal["interval", "per_call"]
    rows_read: int  # data rows in the file, rows that are no call included
    dropped_columns: list[str]  # could identify a caller: dropped unread
    ignored_columns: list[str]  # unknown but harmless: not read either
    messages: list[str]


class ColumnMapping(BaseModel):
    """Which column holds which field, for a file whose headers the importer does not know
    (named in the upload form or given on the command line). A named column always wins over
    a header that merely resembles a field's name.

    Times come from `timestamp` (date and time in one column) or from `date` + `time`;
    `date_format` is a strptime format for the date column (e.g. "%y%m%d" for 990201).
    Outcome codes are matched case-insensitively; rows with an `ignored_codes` outcome are
    not calls, and are counted and named."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    timestamp: str | None = None
    date: str | None = None
    time: str | None = None
    date_format: str | None = None
    interval_start: str | None = None
    offered: str | None = None
    answered: str | None = None
    abandoned: str | None = None
    outcome: str | None = None
    answered_codes: tuple[str, ...] = ()
    abandoned_codes: tuple[str, ...] = ()
    ignored_codes: tuple[str, ...] = ()
    handle_seconds: str | None = None
    difficult: str | None = None
    # Interval rows shorter than the site's interval (6-minute bins for a 30-minute site) are
    # summed into the site's intervals; without this they are refused.
    sum_finer_intervals: bool = False

    def columns(self) -> dict[str, str]:
        """Field -> column name, for the fields this mapping names."""
        fields = (
            "timestamp", "date", "time", "interval_start", "offered", "answered",
            "abandoned", "outcome", "handle_seconds", "difficult",
        )  # fmt: skip
        return {f: getattr(self, f) for f in fields if getattr(self, f)}


# Per-call exports of the "Anonymous Bank" call centre (SEE Lab, Technion): arrival is
# date (YYMMDD) + vru_entry; AGENT answered, HANG abandoned, PHANTOM no call; ser_time is
# the service (handle) time in seconds.
ANONYMOUS_BANK_MAPPING = ColumnMapping(
    date="date",
    time="vru_entry",
    date_format="%y%m%d",
    outcome="outcome",
    answered_codes=("AGENT",),
    abandoned_codes=("HANG",),
    ignored_codes=("PHANTOM",),
    handle_seconds="ser_time",
)


@dataclass(frozen=True)
class HistoryProblem:
    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (" (header)" if self.line == 1 else "")
        return (
            f"{where}, field '{self.field}': {self.message}"
            if self.field
            else (f"{where}: {self.message}")
        )


class HistoryFileError(ValueError):
    """The file cannot be read as call history; `problems` lists each bad line."""

    def __init__(self, problems: list[HistoryProblem]) -> None:
        self.problems = problems
        first = str(problems[0])
        more = len(problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        super().__init__(first + suffix)

    @property
    def line(self) -> int:
        return self.problems[0].line

    @property
    def field(self) -> str | None:
        return self.problems[0].field


class _RowError(Exception):
    def __init__(self, field: str | None, message: str) -> None:
        self.field = field
        self.message = message


def normalise_header(name: str) -> str:
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name.strip())
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def identifying_column(name: str) -> bool:
    """True when a column of this name could identify a caller (and must be dropped)."""
    normal = normalise_header(name)
    if normal in _FIELD_OF:
        return False
    flat = normal.replace("_", "")
    tokens = set(normal.split("_"))
    return bool(tokens & _IDENTIFYING_TOKENS) or any(s in flat for s in _IDENTIFYING_SUBSTRINGS)


# ---------------------------------------------------------------------------------- reading


def _shown(value: str) -> str:
    """A bad value as quoted in a message: the start of it when it is long."""
    if len(value) <= _SHOWN_CHARS:
        return repr(value)
    return repr(value[:_SHOWN_CHARS]) + f"... ({len(value):,} characters)"


def _too_big(size: int, max_bytes: int) -> HistoryFileError:
    return HistoryFileError(
        [HistoryProblem(1, None, f"the file has {size:,} bytes; at most {max_bytes:,} are read")]
    )


def _read_text(source: str | Path | IO[str] | IO[bytes], max_bytes: int = MAX_FILE_BYTES) -> str:
    if isinstance(source, str | Path):
        size = Path(source).stat().st_size
        if size > max_bytes:
            raise _too_big(size, max_bytes)
        return Path(source).read_text(encoding="utf-8-sig")
    raw = source.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise _too_big(len(raw), max_bytes)
    if isinstance(raw, bytes):
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise HistoryFileError(
                [HistoryProblem(1, None, "expected a UTF-8 text file (CSV)")]
            ) from exc
    return raw.removeprefix("\ufeff")


def _delimiter(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in header:
        return "\t"
    if ";" in header and "," not in header:
        return ";"
    return ","


def _whole(value: str, name: str, most: int = MAX_COUNT) -> int:
    value = value.strip()
    if not _WHOLE.fullmatch(value):
        raise _RowError(name, f"expected a whole number >= 0, got {_shown(value)}")
    whole = value.split(".")[0]
    if len(whole) > len(str(most)) or int(whole) > most:
        raise _RowError(name, f"expected a whole number from 0 to {most:,}, got {_shown(value)}")
    return int(whole)


def _seconds(value: str, name: str) -> float:
    value = value.strip()
    if not _NUMBER.fullmatch(value):
        raise _RowError(name, f"expected a number of seconds >= 0, got {_shown(value)}")
    seconds = float(value)
    if not seconds <= MAX_SECONDS:
        raise _RowError(name, f"expected at most {MAX_SECONDS:,} seconds, got {_shown(value)}")
    return seconds


def _flag(value: str, name: str) -> bool:
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _RowError(name, f"expected 1 or 0 (yes/no), got {_shown(value)}")


@dataclass
class _Clock:
    tz: ZoneInfo
    interval_minutes: int
    earliest: date = EARLIEST_DAY
    latest: date = LATEST_DAY
    ambiguous: int = 0

    def parse(self, value: str, name: str) -> datetime:
        """An aware datetime in the site's zone (local wall time unless an offset is given)."""
        text = value.strip()
        expected = (
            "expected a date and time such as 2026-11-16 09:00 (site local time) "
            f"or 2026-11-16T09:00+05:00, got {_shown(value)}"
        )
        if not 13 <= len(text) <= 40:
            raise _RowError(name, expected)
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise _RowError(name, expected) from None
        return self.localise(parsed, text, name)

    def parse_parts(
        self, day_text: str, time_text: str, date_format: str | None, time_field: str = "time"
    ) -> datetime:
        """A date column and a time-of-day column ("9:05", "09:05:30") as one local time."""
        day_text, time_text = day_text.strip(), time_text.strip()
        try:
            if date_format:
                day = datetime.strptime(day_text, date_format).date()
            else:
                day = date.fromisoformat(day_text)
        except ValueError:
            shown = f"in the form {date_format}" if date_format else "such as 2026-11-16"
            raise _RowError("date", f"expected a date {shown}, got {_shown(day_text)}") from None
        match = _TIME_OF_DAY.fullmatch(time_text)
        if match is None or int(match[1]) > 23:
            raise _RowError(
                time_field, f"expected a time of day such as 09:05, got {_shown(time_text)}"
            )
        parsed = datetime.combine(day, datetime.min.time()).replace(
            hour=int(match[1]), minute=int(match[2]), second=int(match[3] or 0)
        )
        return self.localise(parsed, f"{day} {time_text}", time_field)

    def localise(self, parsed: datetime, text: str, name: str) -> datetime:
        if not self.earliest <= parsed.date() <= self.latest:
            raise _RowError(
                name,
                f"expected a date from {self.earliest} to {self.latest}, got {parsed.date()}",
            )
        if parsed.tzinfo is not None:
            return parsed.astimezone(self.tz)
        local = parsed.replace(tzinfo=self.tz)
        if local.astimezone(UTC).astimezone(self.tz).replace(tzinfo=None) != parsed:
            raise _RowError(name, f"{text} does not exist in {self.tz.key} (clocks went forward)")
        if local.replace(fold=1).utcoffset() != local.utcoffset():
            self.ambiguous += 1
        return local

    def on_boundary(self, local: datetime) -> bool:
        return (
            local.second == 0
            and local.microsecond == 0
            and (local.hour * 60 + local.minute) % self.interval_minutes == 0
        )

    def floor(self, local: datetime) -> datetime:
        minute = (local.hour * 60 + local.minute) // self.interval_minutes * self.interval_minutes
        return local.replace(hour=minute // 60, minute=minute % 60, second=0, microsecond=0)


@dataclass
class _Columns:
    index: dict[str, int] = field(default_factory=dict)  # field -> column position
    dropped: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    taken: list[str] = field(default_factory=list)  # "ser_time as handle_seconds"
    mapping: ColumnMapping = field(default_factory=ColumnMapping)

    def get(self, row: list[str], name: str) -> str | None:
        position = self.index.get(name)
        if position is None:
            return None
        return row[position] if position < len(row) else ""


def _classify(header: list[str], mapping: ColumnMapping | None = None) -> _Columns:
    mapping = mapping or ColumnMapping()
    columns = _Columns(mapping=mapping)
    problems: list[HistoryProblem] = []
    labels = [raw.strip() for raw in header]
    named = mapping.columns()
    for name, label in named.items():
        if label not in labels:
            found = ", ".join(x for x in labels if x) or "nothing"
            problems.append(
                HistoryProblem(1, name, f"the mapping names a column {label!r}; found {found}")
            )
        else:
            columns.index[name] = labels.index(label)
    mapped = set(columns.index.values())
    for position, label in enumerate(labels):
        if position in mapped:
            continue
        normal = normalise_header(label)
        if not normal:
            if label:
                columns.ignored.append(label)
            continue
        name = _FIELD_OF.get(normal)
        if name is None or name in named:
            (columns.dropped if identifying_column(label) else columns.ignored).append(label)
        elif name in columns.index:
            problems.append(HistoryProblem(1, name, "this column appears twice"))
        else:
            columns.index[name] = position
            if normal != name:
                columns.taken.append(f"{label} as {name}")
    if "timestamp" not in columns.index and {"date", "time"} <= columns.index.keys():
        columns.taken.append(
            f"{labels[columns.index['date']]} + {labels[columns.index['time']]} as the time"
        )
    has_interval = "interval_start" in columns.index
    has_calls = "timestamp" in columns.index or (
        not has_interval and {"date", "time"} <= columns.index.keys()
    )
    if has_interval and has_calls:
        problems.append(
            HistoryProblem(1, None, "use either interval_start (interval rows) or timestamp "
                           "(one row per call), not both")
        )  # fmt: skip
    elif not (has_interval or has_calls):
        found = ", ".join(h.strip() for h in header if h.strip()) or "nothing"
        problems.append(
            HistoryProblem(1, None, "expected a column interval_start (interval rows), "
                           "timestamp, or date and time (one row per call), or a column "
                           f"mapping naming them; found {found}")
        )  # fmt: skip
    elif has_interval:
        # offered alone is a known shape (answered and abandoned unknown); one of the two
        # outcomes without the other is a file cut short.
        outcomes = {"answered", "abandoned"} & columns.index.keys()
        needed = ["offered", *(["answered", "abandoned"] if outcomes else [])]
        missing = [n for n in needed if n not in columns.index]
        if missing:
            problems.append(
                HistoryProblem(1, None, f"interval rows need the columns {', '.join(missing)}")
            )
    elif not {"outcome", "answered", "abandoned"} & columns.index.keys():
        problems.append(
            HistoryProblem(1, None, "one row per call needs an outcome column or "
                           "answered/abandoned columns")
        )  # fmt: skip
    if problems:
        raise HistoryFileError(problems)
    return columns


def _csv_problem(reader: Any, exc: csv.Error) -> HistoryFileError:
    # csv.Error says e.g. "field larger than field limit (131072)"; the line is the reader's.
    return HistoryFileError(
        [HistoryProblem(reader.line_num + 1, None, f"cannot be read as CSV: {exc}")]
    )


def _rows(reader: Iterator[list[str]], width: int) -> Iterator[tuple[int, list[str]]]:
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _csv_problem(reader, exc) from None
        line = reader.line_num  # type: ignore[attr-defined]
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            raise HistoryFileError(
                [HistoryProblem(line, None, f"expected {width} fields, found {len(row)}")]
            )
        yield line, row


class _Problems:
    def __init__(self) -> None:
        self.items: list[HistoryProblem] = []

    def add(self, line: int, error: _RowError) -> None:
        self.items.append(HistoryProblem(line, error.field, error.message))

    @property
    def full(self) -> bool:
        return len(self.items) >= MAX_PROBLEMS

    def raise_any(self) -> None:
        if self.items:
            raise HistoryFileError(self.items)


def _row_time(row: list[str], columns: _Columns, clock: _Clock, time_field: str) -> datetime:
    """The row's local time: one column, or a date column and a time-of-day column."""
    value = columns.get(row, time_field)
    if value is not None and "date" in columns.index and len(value.strip()) <= 8:
        return clock.parse_parts(
            columns.get(row, "date") or "", value, columns.mapping.date_format, time_field
        )
    if value is None and {"date", "time"} <= columns.index.keys():
        return clock.parse_parts(
            columns.get(row, "date") or "",
            columns.get(row, "time") or "",
            columns.mapping.date_format,
            "time",
        )
    return clock.parse(value or "", time_field)


def _optional_sum(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _interval_rows(
    rows: Iterable[tuple[int, list[str]]], columns: _Columns, clock: _Clock
) -> tuple[list[CallIntervalRecord], int, int]:
    """Interval rows; when the mapping asks for it, rows finer than the site's interval
    (6-minute bins into 30 minutes) are summed into the site's interval. Returns the
    records, the rows read and how many rows were summed into a coarser interval."""
    records: dict[datetime, CallIntervalRecord] = {}
    first_line: dict[datetime, int] = {}
    problems = _Problems()
    count = summed = 0
    known = {name for name in ("answered", "abandoned") if name in columns.index}
    for line, row in rows:
        count += 1
        try:
            local = _row_time(row, columns, clock, "interval_start")
            if local.second or local.microsecond:
                raise _RowError(
                    "interval_start",
                    f"expected a time on a whole minute, got {local:%H:%M:%S}",
                )
            start = local.astimezone(UTC)
            if start in first_line:
                raise _RowError(
                    "interval_start",
                    f"interval {local:%Y-%m-%d %H:%M} already given on line {first_line[start]}",
                )
            offered = _whole(columns.get(row, "offered") or "", "offered")
            # An empty outcome cell is unknown (as written for offered-only history), not 0.
            outcomes: dict[str, int | None] = {
                name: _whole(value, name) if name in known and (value := cell.strip()) else None
                for name in ("answered", "abandoned")
                for cell in (columns.get(row, name) or "",)
            }
            extra = {
                name: _whole(value, name, most) if (value := columns.get(row, name)) else 0
                for name, most in (("handle_seconds", MAX_SECONDS), ("difficult", MAX_COUNT))
            }
            answered, abandoned = outcomes["answered"], outcomes["abandoned"]
            if (answered or 0) + (abandoned or 0) > offered:
                raise _RowError(
                    None,
                    f"answered ({answered or 0}) + abandoned ({abandoned or 0}) "
                    f"exceeds offered ({offered})",
                )
            if answered is not None and extra["difficult"] > answered:
                raise _RowError(
                    "difficult",
                    f"expected at most the answered calls ({answered}), got {extra['difficult']}",
                )
            first_line[start] = line
            bucket = start
            if not clock.on_boundary(local):
                if not columns.mapping.sum_finer_intervals:
                    raise _RowError(
                        "interval_start",
                        f"expected a time on a {clock.interval_minutes}-minute interval "
                        f"boundary, got {local:%H:%M:%S} (if the file's intervals are shorter, "
                        "ask for them to be summed into the site's)",
                    )
                bucket = clock.floor(local).astimezone(UTC)
                summed += 1
            record = CallIntervalRecord(start_utc=bucket, offered=offered, **outcomes, **extra)
            old = records.get(bucket)
            if old is not None:
                record = CallIntervalRecord(
                    start_utc=bucket,
                    offered=old.offered + record.offered,
                    answered=_optional_sum(old.answered, record.answered),
                    abandoned=_optional_sum(old.abandoned, record.abandoned),
                    handle_seconds=old.handle_seconds + record.handle_seconds,
                    difficult=old.difficult + record.difficult,
                )
            records[bucket] = record
        except _RowError as error:
            problems.add(line, error)
            if problems.full:
                break
    problems.raise_any()
    return [records[k] for k in sorted(records)], count, summed


@dataclass
class _Tally:
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    handle_seconds: float = 0.0
    difficult: int = 0


def _outcome(text: str, mapping: ColumnMapping) -> tuple[bool, bool] | None:
    """(answered, abandoned) for an outcome cell; None for a row that is no call."""
    code = text.strip().upper()
    if code in {c.upper() for c in mapping.ignored_codes}:
        return None
    if code in {c.upper() for c in mapping.answered_codes}:
        return True, False
    if code in {c.upper() for c in mapping.abandoned_codes}:
        return False, True
    word = normalise_header(text)
    if word in _NOT_A_CALL_WORDS:
        return None
    answered = word in _ANSWERED_WORDS
    abandoned = word in _ABANDONED_WORDS
    if not (answered or abandoned or word in _OTHER_WORDS):
        raise _RowError(
            "outcome",
            "expected answered, abandoned or other (or a code such as AGENT, HANG, or "
            f"PHANTOM for no call), got {_shown(text)}",
        )
    return answered, abandoned


def _call_rows(
    rows: Iterable[tuple[int, list[str]]], columns: _Columns, clock: _Clock
) -> tuple[list[CallIntervalRecord], int, dict[str, int]]:
    """Per-call rows counted into intervals. Returns the records, the rows read and the rows
    that were no call, by outcome code."""
    tallies: dict[datetime, _Tally] = {}
    problems = _Problems()
    count = 0
    not_calls: dict[str, int] = {}
    for line, row in rows:
        count += 1
        try:
            outcome = columns.get(row, "outcome")
            if outcome is not None:
                read = _outcome(outcome, columns.mapping)
                if read is None:
                    code = outcome.strip()[:40]
                    not_calls[code] = not_calls.get(code, 0) + 1
                    continue
                answered, abandoned = read
            else:
                a = columns.get(row, "answered")
                b = columns.get(row, "abandoned")
                answered = _flag(a, "answered") if a is not None else False
                abandoned = _flag(b, "abandoned") if b is not None else False
                # No voicemail: a call not answered was lost, unless a flag says otherwise.
                if a is None:
                    answered = not abandoned
                elif b is None:
                    abandoned = not answered
                if answered and abandoned:
                    raise _RowError(None, "a call cannot be both answered and abandoned")
            local = _row_time(row, columns, clock, "timestamp")
            handle = columns.get(row, "handle_seconds")
            seconds = _seconds(handle, "handle_seconds") if handle and handle.strip() else 0.0
            difficult_text = columns.get(row, "difficult")
            difficult = _flag(difficult_text, "difficult") if difficult_text is not None else False
            if difficult and not answered:
                raise _RowError("difficult", "expected 0: a call not answered cannot be difficult")
            tally = tallies.setdefault(clock.floor(local).astimezone(UTC), _Tally())
            tally.offered += 1
            tally.answered += answered
            tally.abandoned += abandoned
            tally.difficult += difficult
            if answered:
                tally.handle_seconds += seconds
        except _RowError as error:
            problems.add(line, error)
            if problems.full:
                break
    problems.raise_any()
    records = [
        CallIntervalRecord(
            start_utc=start,
            offered=t.offered,
            answered=t.answered,
            abandoned=t.abandoned,
            handle_seconds=math.floor(t.handle_seconds + 0.5),
            difficult=t.difficult,
        )
        for start, t in sorted(tallies.items())
    ]
    return records, count, not_calls


def read_call_history_csv(
    source: str | Path | IO[str] | IO[bytes],
    *,
    site_timezone: str,
    interval_minutes: int,
    earliest: date = EARLIEST_DAY,
    latest: date = LATEST_DAY,
    max_bytes: int = MAX_FILE_BYTES,
    mapping: ColumnMapping | None = None,
) -> HistoryImport:
    """Read a whole call history file; raise HistoryFileError at the first bad line(s).

    `mapping` names the columns of a file whose headers are not the usual ones.

    `source` is a path or an open text/binary file. Local times are in `site_timezone`;
    interval rows must start on `interval_minutes` boundaries, per-call rows are binned.
    Times must fall on days from `earliest` to `latest` (local dates), counts and durations
    under MAX_COUNT and MAX_SECONDS, and the file under `max_bytes`.
    """
    if interval_minutes <= 0 or 60 % interval_minutes:
        raise ValueError(f"interval_minutes must divide an hour, got {interval_minutes}")
    clock = _Clock(
        zone(site_timezone),
        interval_minutes,
        earliest=max(earliest, EARLIEST_DAY),
        latest=min(latest, LATEST_DAY),
    )
    text = _read_text(source, max_bytes)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise _csv_problem(reader, exc) from None
    if header is None:
        raise HistoryFileError([HistoryProblem(1, None, "the file is empty")])
    columns = _classify(header, mapping)
    rows = _rows(reader, len(header))
    shape: Literal["interval", "per_call"]
    summed, not_calls = 0, {}
    if "interval_start" in columns.index:
        shape = "interval"
        records, count, summed = _interval_rows(rows, columns, clock)
    else:
        shape = "per_call"
        records, count, not_calls = _call_rows(rows, columns, clock)
    if count == 0:
        raise HistoryFileError([HistoryProblem(2, None, "the file has no data rows")])

    messages = [
        f"Read {count} {'interval rows' if shape == 'interval' else 'calls'} "
        f"into {len(records)} intervals of {interval_minutes} minutes."
    ]
    if columns.dropped:
        messages.append(
            f"Dropped {len(columns.dropped)} column(s) that could identify a caller, "
            f"unread: {', '.join(columns.dropped)}."
        )
    if columns.ignored:
        messages.append(f"Ignored unknown column(s): {', '.join(columns.ignored)}.")
    if columns.taken:
        messages.append(f"Read {'; '.join(columns.taken)}.")
    if not_calls:
        listed = ", ".join(f"{n} {code}" for code, n in sorted(not_calls.items()))
        messages.append(f"Skipped {sum(not_calls.values())} rows that are no call: {listed}.")
    if summed:
        messages.append(
            f"{summed} rows were shorter than the site's {interval_minutes}-minute intervals "
            "and were summed into them."
        )
    if shape == "interval":
        unknown = [n for n in ("answered", "abandoned") if n not in columns.index]
        if unknown:
            messages.append(
                f"No {' or '.join(unknown)} column: unknown, not zero (forecasts use offered)."
            )
    for name in ("handle_seconds", "difficult"):
        if name not in columns.index:
            messages.append(f"No {name} column: taken as 0.")
    if shape == "per_call":
        if "offered" in columns.index:
            messages.append("Each row is one offered call; the offered column was not used.")
        messages.append("Intervals without calls are not listed; they count as zero calls.")
    if clock.ambiguous:
        messages.append(
            f"{clock.ambiguous} time(s) fell in the hour repeated when clocks went back; "
            "read as the first occurrence (add a UTC offset to be exact)."
        )
    return HistoryImport(
        records=records,
        shape=shape,
        rows_read=count,
        dropped_columns=columns.dropped,
        ignored_columns=columns.ignored,
        messages=messages,
    )


# ---------------------------------------------------------------------------------- writing


def write_call_history_csv(
    records: Iterable[CallIntervalRecord], dest: str | Path | IO[str], site_timezone: str
) -> int:
    """Write interval rows (local time with its UTC offset), the format read above.

    Returns the number of rows written.
    """
    tz = zone(site_timezone)
    ordered = sorted(records, key=lambda r: r.start_utc)
    if isinstance(dest, str | Path):
        with Path(dest).open("w", encoding="utf-8", newline="") as handle:
            return _write(ordered, handle, tz)
    return _write(ordered, dest, tz)


def _write(records: list[CallIntervalRecord], handle: IO[str], tz: ZoneInfo) -> int:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(INTERVAL_COLUMNS)
    for r in records:
        writer.writerow(
            (
                r.start_utc.astimezone(tz).isoformat(timespec="minutes"),
                r.offered,
                "" if r.answered is None else r.answered,
                "" if r.abandoned is None else r.abandoned,
                r.handle_seconds,
                r.difficult,
            )
        )
    return len(records)
