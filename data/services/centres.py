"""The Admin page's centre memberships: which centres each account belongs to, and the
administrator's action that sets them (audited; it takes effect at the account's next
action, since every action checks membership afresh)."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from data.access import EVERY_CENTRE, memberships_by_account, set_memberships
from data.db import session_scope
from data.errors import NotFoundError
from data.models import Account
from data.services.accounts import ActionRefused
from data.sites import list_sites
from scheduling.domain import Role


class AccountCentres(BaseModel):
    model_config = ConfigDict(frozen=True)

    username: str
    role: Role
    site_ids: tuple[int, ...]  # explicit memberships
    every_centre: bool  # leadership and administrators see every centre whatever their rows


class CentreMemberships(BaseModel):
    model_config = ConfigDict(frozen=True)

    centres: dict[int, str]  # site id -> name, first set up first
    accounts: tuple[AccountCentres, ...]


def _require_admin(session: Session, username: str) -> None:
    account = session.exec(select(Account).where(Account.username == username)).first()
    if account is None or account.disabled or Role(account.role) is not Role.ADMIN:
        raise ActionRefused("Only an administrator assigns centres.")


def centre_memberships(*, engine: Engine | None = None, actor: str) -> CentreMemberships:
    with session_scope(engine) as session:
        _require_admin(session, actor)
        sites = sorted(list_sites(session=session), key=lambda s: s.id)
        members = memberships_by_account(session=session)
        accounts = session.exec(select(Account).order_by(Account.username)).all()
        return CentreMemberships(
            centres={s.id: s.name for s in sites},
            accounts=tuple(
                AccountCentres(
                    username=a.username,
                    role=Role(a.role),
                    site_ids=tuple(members.get(a.id or 0, [])),
                    every_centre=Role(a.role) in EVERY_CENTRE,
                )
                for a in accounts
            ),
        )


def assign_centres(
    *, engine: Engine | None = None, actor: str, username: str, site_ids: Iterable[int]
) -> list[int]:
    """Make `username` a member of exactly `site_ids`. Raises ActionRefused with the reason."""
    try:
        with session_scope(engine) as session:
            _require_admin(session, actor)
            return set_memberships(
                session=session, username=username, site_ids=site_ids, actor=actor
            )
    except NotFoundError as exc:
        raise ActionRefused(str(exc)) from None
