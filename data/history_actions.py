"""What the Call history page does, one function per user action: each opens and closes its
own transaction and returns domain or public objects."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from data.audit import write_audit
from data.call_history import (
    ImportResult,
    delete_call_history,
    history_span,
    import_call_history,
    load_call_history,
)
from data.db import session_scope
from data.errors import NotFoundError
from data.models import SitePublic
from data.sites import get_site
from scheduling.domain import CallIntervalRecord
from scheduling.history import ColumnMapping, HistoryFileError, write_call_history_csv


def _site(engine: Engine, site_id: int) -> SitePublic:
    with session_scope(engine) as session:
        site = get_site(session=session, site_id=site_id)
    if site is None:
        raise NotFoundError(f"no site with id {site_id}")
    return site


def history_overview(
    *, engine: Engine, site_id: int
) -> tuple[SitePublic, tuple[date, date] | None]:
    """The site, and the first and last local day of its history (None when there is none)."""
    site = _site(engine, site_id)
    with session_scope(engine) as session:
        span = history_span(session=session, site_id=site_id)
    tz = ZoneInfo(site.timezone)
    days = None if span is None else (span[0].astimezone(tz).date(), span[1].astimezone(tz).date())
    return site, days


def import_history_file(
    *,
    engine: Engine,
    site_id: int,
    content: bytes,
    filename: str,
    actor: str,
    mapping: ColumnMapping | None = None,
) -> ImportResult:
    """Import an uploaded file whole, or nothing of it. A refused file raises
    HistoryFileError and the refusal is audited."""
    try:
        with session_scope(engine) as session:
            return import_call_history(
                session=session,
                site_id=site_id,
                source=io.BytesIO(content),
                actor=actor,
                filename=filename,
                mapping=mapping,
            )
    except HistoryFileError as exc:
        with session_scope(engine) as session:
            write_audit(
                session=session,
                actor=actor,
                action="history.import_refused",
                target=f"site {site_id}: {filename}",
                detail=str(exc),
            )
        raise


def _bounds(site: SitePublic, first_day: date, last_day: date) -> tuple[datetime, datetime]:
    tz = ZoneInfo(site.timezone)
    return (
        datetime.combine(first_day, datetime.min.time(), tz),
        datetime.combine(last_day + timedelta(days=1), datetime.min.time(), tz),
    )


def history_records(
    *, engine: Engine, site_id: int, first_day: date, last_day: date
) -> list[CallIntervalRecord]:
    start, end = _bounds(_site(engine, site_id), first_day, last_day)
    with session_scope(engine) as session:
        return load_call_history(session=session, site_id=site_id, start_utc=start, end_utc=end)


def history_csv(records: list[CallIntervalRecord], timezone: str) -> str:
    buffer = io.StringIO()
    write_call_history_csv(records, buffer, timezone)
    return buffer.getvalue()


def record_download(*, engine: Engine, actor: str, what: str, detail: str = "") -> None:
    """A file downloaded from a page, audited."""
    with session_scope(engine) as session:
        write_audit(session=session, actor=actor, action="download", target=what, detail=detail)


def delete_history_days(
    *, engine: Engine, site_id: int, first_day: date, last_day: date, actor: str
) -> int:
    with session_scope(engine) as session:
        return delete_call_history(
            session=session,
            site_id=site_id,
            first_day=first_day,
            last_day=last_day,
            actor=actor,
        )
