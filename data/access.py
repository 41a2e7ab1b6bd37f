"""Which centres (sites) an account may work on, checked in the data layer before any read or
change of a centre's data.

- An administrator manages every centre; leadership sees every centre and the network totals.
- A manager, supervisor or counsellor works on the centres they are a member of
  (centre_membership), and on the centre of their own staff record.

Every service that takes a site (or a row belonging to one) calls `require_site_access` with
the acting account's username first; a refusal is audited in a transaction of its own and
raises SiteAccessDenied, whatever the page showed or hid.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, delete, select

from data.audit import write_audit
from data.errors import NotFoundError
from data.models import (
    Account,
    CentreMembership,
    CentreMembershipCreate,
    DebriefRequest,
    Roster,
    Site,
    Staff,
    StaffLeave,
    StaffRequest,
)
from scheduling.domain import Role

EVERY_CENTRE = frozenset({Role.ADMIN, Role.LEADERSHIP})


class SiteAccessDenied(PermissionError):
    """The acting account does not belong to the centre whose data it asked for."""


class RoleDenied(PermissionError):
    """The acting account's role may not do what it asked."""


def _account(session: Session, username: str) -> Account | None:
    account = session.exec(select(Account).where(Account.username == username)).first()
    return None if account is None or account.disabled else account


def member_site_ids(*, session: Session, account_id: int) -> list[int]:
    """The centres an account is a member of (explicit memberships only)."""
    rows = session.exec(
        select(CentreMembership.site_id).where(CentreMembership.account_id == account_id)
    )
    return sorted(rows)


def allowed_site_ids(*, session: Session, username: str) -> list[int] | None:
    """The centres `username` may work on; None means every centre. An unknown or disabled
    account may work on none."""
    account = _account(session, username)
    if account is None:
        return []
    if Role(account.role) in EVERY_CENTRE:
        return None
    sites = set(member_site_ids(session=session, account_id=account.id or 0))
    if account.staff_id is not None:
        staff = session.get(Staff, account.staff_id)
        if staff is not None:
            sites.add(staff.site_id)
    return sorted(sites)


def may_work_on(*, session: Session, username: str, site_id: int) -> bool:
    allowed = allowed_site_ids(session=session, username=username)
    return allowed is None or site_id in allowed


def _refuse(session: Session, username: str, site_id: int) -> SiteAccessDenied:
    site = session.get(Site, site_id)
    name = site.name if site is not None else f"site {site_id}"
    _audit_refusal(session, username, "centre.denied", name, "not a member of this centre")
    return SiteAccessDenied(f"Your account does not belong to the centre {name!r}.")


def _audit_refusal(session: Session, actor: str, action: str, target: str, detail: str) -> None:
    """The refusal is kept even though the caller's transaction is rolled back."""
    with Session(session.get_bind()) as audit_session:
        write_audit(session=audit_session, actor=actor, action=action, target=target, detail=detail)
        audit_session.commit()


def acting_role(session: Session, *, actor: str, doing: str) -> Role:
    """The role the database holds for the enabled account `actor`; RoleDenied (audited) when
    there is no such account. Services take the role from here, never from their caller."""
    account = _account(session, actor)
    if account is None:
        _audit_refusal(session, actor, "role.denied", doing, "no such enabled account")
        raise RoleDenied(f"There is no enabled account {actor!r} to {doing}.")
    return Role(account.role)


def require_role(session: Session, *, actor: str, roles: Iterable[Role], doing: str) -> None:
    """Raise RoleDenied (audited) unless `actor` is an enabled account with one of `roles`;
    `doing` completes "Only ... may" in the message and names the refusal in the audit log."""
    allowed = frozenset(roles)
    role = acting_role(session, actor=actor, doing=doing)
    if role in allowed:
        return
    _audit_refusal(session, actor, "role.denied", doing, f"role {role}")
    names = " or ".join(sorted(r.value for r in allowed))
    raise RoleDenied(f"Only an account with the role {names} may {doing}.")


def require_site_access(session: Session, *, actor: str, site_id: int) -> None:
    """Raise SiteAccessDenied (audited) unless the account `actor` may work on `site_id`
    (NotFoundError when there is no such site)."""
    if session.get(Site, site_id) is None:
        raise NotFoundError(f"no site with id {site_id}")
    if not may_work_on(session=session, username=actor, site_id=site_id):
        raise _refuse(session, actor, site_id)


def require_pool_access(session: Session, *, actor: str, site_ids: Iterable[int]) -> None:
    """Work on several centres at once (a pool's joint roster): leadership and administrators,
    or a manager who belongs to every one of them. Raises SiteAccessDenied (audited, naming
    the first centre refused) otherwise."""
    account = _account(session, actor)
    role = Role(account.role) if account is not None else None
    if role is not None and role not in EVERY_CENTRE and role is not Role.MANAGER:
        raise SiteAccessDenied(f"a {role.value} account may not roster several centres at once")
    for site_id in site_ids:
        require_site_access(session, actor=actor, site_id=site_id)


def site_of_staff(session: Session, staff_id: int) -> int:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise NotFoundError(f"no staff member with id {staff_id}")
    return staff.site_id


def site_of_leave(session: Session, leave_id: int) -> int:
    leave = session.get(StaffLeave, leave_id)
    if leave is None:
        raise NotFoundError(f"no leave with id {leave_id}")
    return site_of_staff(session, leave.staff_id)


def require_staff_access(session: Session, *, actor: str, staff_id: int) -> None:
    require_site_access(session, actor=actor, site_id=site_of_staff(session, staff_id))


# ------------------------------------------------------------------------ memberships (admin)


def set_memberships(
    *, session: Session, username: str, site_ids: Iterable[int], actor: str
) -> list[int]:
    """Make `username` a member of exactly `site_ids` (an administrator's action)."""
    account = session.exec(select(Account).where(Account.username == username)).first()
    if account is None or account.id is None:
        raise NotFoundError(f"no account named {username!r}")
    wanted = sorted(set(site_ids))
    known = set(session.exec(select(Site.id).where(col(Site.id).in_(wanted))))
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise NotFoundError(f"centres: no site with id {', '.join(map(str, unknown))}")
    before = member_site_ids(session=session, account_id=account.id)
    session.exec(delete(CentreMembership).where(col(CentreMembership.account_id) == account.id))
    for site_id in wanted:
        row_in = CentreMembershipCreate(account_id=account.id, site_id=site_id)
        session.add(CentreMembership.model_validate(row_in, update={"created_by": actor}))
    session.flush()
    if before != wanted:
        write_audit(
            session=session,
            actor=actor,
            action="centre.members",
            target=username,
            detail=f"centres {before} -> {wanted}",
        )
    return wanted


def memberships_by_account(*, session: Session) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for row in session.exec(select(CentreMembership)):
        out.setdefault(row.account_id, []).append(row.site_id)
    return {k: sorted(v) for k, v in out.items()}


def require_roster_access(session: Session, *, actor: str, roster_id: int) -> None:
    """As require_site_access for the roster's centre; a missing roster is left to the action
    to report (its own error, after its own role check)."""
    roster = session.get(Roster, roster_id)
    if roster is not None:
        require_site_access(session, actor=actor, site_id=roster.site_id)


def require_request_access(session: Session, *, actor: str, request_id: int) -> None:
    """As require_site_access for the centre of a staff request (leave, availability, swap)."""
    request = session.get(StaffRequest, request_id)
    if request is None:
        raise NotFoundError(f"no request with id {request_id}")
    require_site_access(session, actor=actor, site_id=request.site_id)


def site_of_debrief(session: Session, request_id: int) -> int:
    request = session.get(DebriefRequest, request_id)
    if request is None:
        raise NotFoundError(f"no debrief request with id {request_id}")
    return request.site_id
