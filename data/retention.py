"""Retention of wellbeing records: difficult-call logs and debrief requests (with their
encrypted notes) older than the retention period are deleted, by `python -m data purge` and
once when the app starts. Check-in answers are kept (a person's quarterly trend) until the
staff record is deleted.

The period is the setting wellbeing_retention_days (PLANNER_WELLBEING_RETENTION_DAYS,
default 90; data.settings).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, delete

from data.audit import write_audit
from data.models import DebriefRequest, DifficultCall
from data.settings import settings


class PurgeResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    retention_days: int
    before: datetime
    difficult_calls: int
    debrief_requests: int


def purge_expired(
    *, session: Session, now: datetime, days: int | None = None, actor: str = "retention"
) -> PurgeResult:
    """Delete what is older than the retention period (by when it was logged or asked). An
    open debrief request is kept until it is done, however old."""
    days = settings().wellbeing_retention_days if days is None else days
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
