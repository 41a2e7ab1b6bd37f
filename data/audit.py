"""The audit log: who did what, to what, when. Rows are only ever added."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from data.models import AuditLog, AuditLogCreate, AuditLogPublic


def write_audit(
    *, session: Session, actor: str, action: str, target: str = "", detail: str = ""
) -> AuditLogPublic:
    entry_in = AuditLogCreate(actor=actor, action=action, target=target, detail=detail)
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
) -> list[AuditLogPublic]:
    """Newest first."""
    query = select(AuditLog)
    if actor is not None:
        query = query.where(AuditLog.actor == actor)
    if action is not None:
        query = query.where(AuditLog.action == action)
    if since is not None:
        query = query.where(AuditLog.at >= since)
    query = query.order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc()).limit(limit)
    return [AuditLogPublic.model_validate(row) for row in session.exec(query)]
