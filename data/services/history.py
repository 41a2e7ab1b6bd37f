"""What the Call history page does, one function per user action: each opens and closes its
own transaction and returns domain or public objects."""

from __future__ import annotations

import io
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from data.access import require_site_access
from data.audit import write_audit
from data.call_history import (
    ImportResult,
    count_outside_window,
    delete_call_history,
    delete_outside_window,
    history_span,
    import_call_history,
    load_call_history,
    local_day_bounds,
)
from data.db import session_scope
from data.errors import NotFoundError
from data.models import SitePublic
from data.sites import get_site
from scheduling.domain import CallIntervalRecord
from scheduling.history import ColumnMapping, HistoryFileError, write_call_history_csv


def _site(engine: Engine, site_id: int, actor: str) -> SitePublic:
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_id)
        site = get_site(session=session, site_id=site_id)
    if site is None:
        raise NotFoundError(f"no site with id {site_id}")
    return site


def history_overview(
    *, engine: Engine, site_id: int, actor: str
) -> tuple[SitePublic, tuple[date, date] | None]:
    """The site, and the first and last local day of its history (None when there is none)."""
    site = _site(engine, site_id, actor)
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
            require_site_access(session, actor=actor, site_id=site_id)
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


def outside_window(*, engine: Engine, site_id: int, actor: str) -> int:
    """How many stored intervals are dated outside what call history may hold."""
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_id)
        return count_outside_window(session=session, site_id=site_id)


def delete_history_outside_window(*, engine: Engine, site_id: int, actor: str) -> int:
    with session_scope(engine) as session:
        require_site_access(session, actor=actor, site_id=site_id)
        return delete_outside_window(session=session, site_id=site_id, actor=actor)


def history_records(
    *, engine: Engine, site_id: int, first_day: date, last_day: date, actor: str
) -> list[CallIntervalRecord]:
    zone = ZoneInfo(_site(engine, site_id, actor).timezone)
    start, end = local_day_bounds(first_day, last_day, zone)
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
        require_site_access(session, actor=actor, site_id=site_id)
        return delete_call_history(
            session=session,
            site_id=site_id,
            first_day=first_day,
            last_day=last_day,
            actor=actor,
        )
