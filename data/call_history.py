"""Call history per interval: upsert, load as domain records, weekly totals, file import."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, insert, update
from sqlmodel import Session, col, func, select

from data.audit import write_audit
from data.db import lock_rows, utcnow
from data.errors import NotFoundError
from data.models import CallInterval, CallIntervalCreate, Site
from data.settings import settings
from scheduling.domain import CallIntervalRecord, monday_of
from scheduling.history import ColumnMapping, HistoryImport, read_call_history_csv

_COUNTS = ("offered", "answered", "abandoned", "handle_seconds", "difficult")


class UpsertCounts(BaseModel):
    """inserted: new intervals; updated: existing ones whose counts changed; unchanged: the
    rest (re-importing the same file gives inserted=0, updated=0)."""

    model_config = ConfigDict(frozen=True)

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


class ImportResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    counts: UpsertCounts
    history: HistoryImport


class WeeklyTotals(BaseModel):
    """Totals of one Monday-to-Sunday week in the site's local time."""

    model_config = ConfigDict(frozen=True)

    week_start: date
    offered: int = 0
    # None when some interval of the week has them unknown (offered-only history).
    answered: int | None = 0
    abandoned: int | None = 0
    difficult: int = 0
    handle_seconds: int = 0


def _site(session: Session, site_id: int) -> Site:
    site = session.get(Site, site_id)
    if site is None:
        raise NotFoundError(f"no site with id {site_id}")
    return site


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("times must carry a timezone")
    return value.astimezone(UTC)


def upsert_call_intervals(
    *, session: Session, site_id: int, records: Iterable[CallIntervalRecord]
) -> UpsertCounts:
    """Insert new intervals and update existing ones (one row per site and start, ever).

    Every start must fall on the site's interval boundary in its local time.
    """
    site = _site(session, site_id)
    tz = ZoneInfo(site.timezone)
    rows: dict[datetime, CallIntervalCreate] = {}
    for record in records:
        start = _utc(record.start_utc)
        local = start.astimezone(tz)
        if (local.hour * 60 + local.minute) % site.interval_minutes or local.second:
            raise ValueError(
                f"{local:%Y-%m-%d %H:%M}: not on a {site.interval_minutes}-minute boundary"
            )
        rows[start] = CallIntervalCreate(
            site_id=site_id, interval_start_utc=start, **record.model_dump(include=set(_COUNTS))
        )
    if not rows:
        return UpsertCounts()
    existing = {
        row.interval_start_utc: row
        for row in session.exec(
            select(CallInterval).where(
                CallInterval.site_id == site_id,
                col(CallInterval.interval_start_utc) >= min(rows),
                col(CallInterval.interval_start_utc) <= max(rows),
            )
        )
    }
    new: list[dict[str, object]] = []
    changed: list[dict[str, object]] = []
    unchanged = 0
    for start, row in rows.items():
        old = existing.get(start)
        if old is None:
            new.append(row.model_dump())
        elif any(getattr(old, name) != getattr(row, name) for name in _COUNTS):
            changed.append({"id": old.id} | row.model_dump(include=set(_COUNTS)))
        else:
            unchanged += 1
    if new:
        session.execute(insert(CallInterval), new)
    if changed:
        session.execute(update(CallInterval), changed)
    session.flush()
    session.expire_all()
    return UpsertCounts(inserted=len(new), updated=len(changed), unchanged=unchanged)


def load_call_history(
    *,
    session: Session,
    site_id: int,
    start_utc: datetime | None = None,
    end_utc: datetime | None = None,
) -> list[CallIntervalRecord]:
    """Intervals with start in [start_utc, end_utc), oldest first."""
    query = select(CallInterval).where(CallInterval.site_id == site_id)
    if start_utc is not None:
        query = query.where(col(CallInterval.interval_start_utc) >= _utc(start_utc))
    if end_utc is not None:
        query = query.where(col(CallInterval.interval_start_utc) < _utc(end_utc))
    query = query.order_by(col(CallInterval.interval_start_utc))
    return [
        CallIntervalRecord(
            start_utc=row.interval_start_utc, **{name: getattr(row, name) for name in _COUNTS}
        )
        for row in session.exec(query)
    ]


def history_span(*, session: Session, site_id: int) -> tuple[datetime, datetime] | None:
    """First and last interval start (UTC) held for the site, or None when there is none."""
    first, last = session.exec(
        select(
            func.min(CallInterval.interval_start_utc), func.max(CallInterval.interval_start_utc)
        ).where(CallInterval.site_id == site_id)
    ).one()
    if first is None or last is None:
        return None
    return _as_utc(first), _as_utc(last)


def history_fingerprint(*, session: Session, site_id: int) -> str:
    """Changes whenever the site's history does (rows added, removed or re-counted): a cache
    key for results computed from the whole history."""
    row = session.exec(
        select(
            func.count(),
            func.min(CallInterval.interval_start_utc),
            func.max(CallInterval.interval_start_utc),
            *(func.coalesce(func.sum(getattr(CallInterval, name)), 0) for name in _COUNTS),
        ).where(CallInterval.site_id == site_id)
    ).one()
    return "|".join("" if value is None else str(value) for value in row)


def _as_utc(value: datetime) -> datetime:
    # Aggregates bypass the column type, so SQLite hands back naive UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def weekly_totals(
    *, session: Session, site_id: int, weeks: int = 12, through: date | None = None
) -> list[WeeklyTotals]:
    """Totals for `weeks` Monday-to-Sunday weeks (site local time), oldest first.

    The last week is the one holding `through` (a local date); by default the one holding the
    latest interval on record, so the chart is not empty when history stops last Sunday.
    Weeks without data are listed with zeros.
    """
    site = _site(session, site_id)
    tz = ZoneInfo(site.timezone)
    if through is None:
        span = history_span(session=session, site_id=site_id)
        through = span[1].astimezone(tz).date() if span else datetime.now(tz).date()
    last_monday = monday_of(through)
    first_monday = last_monday - timedelta(weeks=weeks - 1)
    start = datetime.combine(first_monday, datetime.min.time(), tz)
    end = datetime.combine(last_monday + timedelta(weeks=1), datetime.min.time(), tz)
    totals: dict[date, dict[str, int | None]] = {
        first_monday + timedelta(weeks=i): dict.fromkeys(_COUNTS, 0) for i in range(weeks)
    }
    for record in load_call_history(session=session, site_id=site_id, start_utc=start, end_utc=end):
        day = record.start_utc.astimezone(tz).date()
        bucket = totals[monday_of(day)]
        for name in _COUNTS:
            value, total = getattr(record, name), bucket[name]
            bucket[name] = None if value is None or total is None else total + value
    return [WeeklyTotals(week_start=week, **values) for week, values in totals.items()]


def import_call_history(
    *,
    session: Session,
    site_id: int,
    source: str | Path | IO[str] | IO[bytes],
    actor: str,
    filename: str | None = None,
    mapping: ColumnMapping | None = None,
) -> ImportResult:
    """Read and validate the whole file, then upsert it and audit the import.

    Raises scheduling.history.HistoryFileError before anything is written when any row is
    bad; run it inside one session_scope so the upsert and the audit row commit together.
    """
    site = _site(session, site_id)
    config = settings()
    today = utcnow().date()
    history = read_call_history_csv(
        source,
        site_timezone=site.timezone,
        interval_minutes=site.interval_minutes,
        earliest=date(max(today.year - config.history_years_back, 1970), 1, 1),
        latest=today + timedelta(days=config.history_days_ahead),
        max_bytes=config.max_upload_mb * 1024 * 1024,
        mapping=mapping,
    )
    # Two imports of overlapping intervals are served one after the other: the second
    # waits for the first and then updates what the first inserted.
    lock_rows(session, Site, col(Site.id) == site_id)
    counts = upsert_call_intervals(session=session, site_id=site_id, records=history.records)
    dropped = ", ".join(history.dropped_columns) or "none"
    write_audit(
        session=session,
        actor=actor,
        action="history.import",
        target=f"site {site_id}" + (f": {filename}" if filename else ""),
        detail=(
            f"{history.rows_read} rows read into {len(history.records)} intervals "
            f"({counts.inserted} inserted, {counts.updated} updated, "
            f"{counts.unchanged} unchanged); caller-identifying columns dropped: {dropped}"
        ),
    )
    return ImportResult(counts=counts, history=history)


def delete_call_history(
    *, session: Session, site_id: int, first_day: date, last_day: date, actor: str
) -> int:
    """Delete the site's intervals on the local days first_day..last_day (both included), so
    a bad import can be undone; audited. Returns how many intervals were deleted."""
    site = _site(session, site_id)
    if last_day < first_day:
        raise ValueError(f"the last day ({last_day}) is before the first ({first_day})")
    tz = ZoneInfo(site.timezone)
    start = datetime.combine(first_day, datetime.min.time(), tz).astimezone(UTC)
    end = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), tz).astimezone(UTC)
    lock_rows(session, Site, col(Site.id) == site_id)
    deleted = session.execute(
        delete(CallInterval).where(
            col(CallInterval.site_id) == site_id,
            col(CallInterval.interval_start_utc) >= start,
            col(CallInterval.interval_start_utc) < end,
        )
    ).rowcount
    write_audit(
        session=session,
        actor=actor,
        action="history.delete",
        target=f"site {site_id}: {first_day} to {last_day}",
        detail=f"{deleted} interval(s) deleted",
    )
    return int(deleted or 0)
