"""Retention of wellbeing records: difficult-call logs and debrief requests (with their
encrypted notes) older than the retention period are deleted, by `python -m data purge` and
once when the app starts. Check-in answers are kept (a person's quarterly trend) until the
staff record is deleted.

The period is PLANNER_WELLBEING_RETENTION_DAYS (default 90), read here and nowhere else.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, delete

from data.audit import write_audit
from data.models import DebriefRequest, DifficultCall

RETENTION_ENV = "PLANNER_WELLBEING_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 90


class PurgeResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    retention_days: int
    before: datetime
    difficult_calls: int
    debrief_requests: int


def retention_days(raw: str | None = None) -> int:
    """The retention period in days; a bad setting is refused with a message naming it."""
    value = (os.environ.get(RETENTION_ENV, "") if raw is None else raw).strip()
    if not value:
        return DEFAULT_RETENTION_DAYS
    try:
        days = int(value)
    except ValueError:
        days = 0
    if days < 1:
        raise ValueError(f"{RETENTION_ENV}: expected a whole number of days >= 1, got {value!r}")
    return days


def purge_expired(
    *, session: Session, now: datetime, days: int | None = None, actor: str = "retention"
) -> PurgeResult:
    """Delete what is older than the retention period (by when it was logged or asked). An
    open debrief request is kept until it is done, however old."""
    days = retention_days() if days is None else days
    before = now - timedelta(days=days)
    calls = session.exec(delete(DifficultCall).where(col(DifficultCall.at) < before))  # type: ignore[call-overload]
    debriefs = session.exec(
        delete(DebriefRequest).where(  # type: ignore[call-overload]
            col(DebriefRequest.requested_at) < before, col(DebriefRequest.status) == "done"
        )
    )
    result = PurgeResult(
        retention_days=days,
        before=before,
        difficult_calls=calls.rowcount or 0,
        debrief_requests=debriefs.rowcount or 0,
    )
    if result.difficult_calls or result.debrief_requests:
        write_audit(
            session=session,
            actor=actor,
            action="wellbeing.purge",
            detail=(
                f"older than {days} days: {result.difficult_calls} difficult-call logs, "
                f"{result.debrief_requests} debrief requests"
            ),
        )
    return result
