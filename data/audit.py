"""The audit log: who did what, to what, when. Rows are only ever added."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from data.models import AuditLog, AuditLogCreate, AuditLogPublic

_ACTOR_MAX, _ACTION_MAX, _TARGET_MAX, _DETAIL_MAX = 64, 64, 200, 4000


def _clip(text: str, limit: int) -> str:
    # An audit row must never be the reason a valid action fails (a long file name, hundreds
    # of dropped column names): what does not fit is cut, and the cut is marked.
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_audit(
    *, session: Session, actor: str, action: str, target: str = "", detail: str = ""
) -> AuditLogPublic:
    entry_in = AuditLogCreate(
        actor=_clip(actor, _ACTOR_MAX) or "?",
        action=_clip(action, _ACTION_MAX),
        target=_clip(target, _TARGET_MAX),
        detail=_clip(detail, _DETAIL_MAX),
    )
    entry = AuditLog.model_validate(entry_in)
    session.add(entry)
    session.flush()
    return AuditLogPublic.model_validate(entry)


def list_audit(
    *,
    session: Session,
    limit: int = 200,
    actor: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[AuditLogPublic]:
    """Newest first; `since` and `until` bound [since, until)."""
    query = select(AuditLog)
    if actor is not None:
        query = query.where(AuditLog.actor == actor)
    if action is not None:
        query = query.where(AuditLog.action == action)
    if since is not None:
        query = query.where(AuditLog.at >= since)
    if until is not None:
        query = query.where(AuditLog.at < until)
    query = query.order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc()).limit(limit)
    return [AuditLogPublic.model_validate(row) for row in session.exec(query)]


def distinct_actions(*, session: Session) -> list[str]:
    return sorted(session.exec(select(AuditLog.action).distinct()))
