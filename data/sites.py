"""Sites and their settings (StaffingSettings and WorkRules stored as validated JSON)."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from data.audit import write_audit
from data.db import utcnow
from data.errors import ConflictError, NotFoundError
from data.models import (
    Site,
    SiteCreate,
    SitePublic,
    SiteSettings,
    SiteSettingsPublic,
    SiteSettingsUpdate,
    SiteUpdate,
)
from scheduling.domain import SiteProfile, StaffingSettings
from scheduling.roster.work_rules import WorkRules


def _public(site: Site) -> SitePublic:
    return SitePublic.model_validate(site)


def _site(session: Session, site_id: int) -> Site:
    site = session.get(Site, site_id)
    if site is None:
        raise NotFoundError(f"no site with id {site_id}")
    return site


def list_sites(*, session: Session) -> list[SitePublic]:
    return [_public(s) for s in session.exec(select(Site).order_by(col(Site.name)))]


def get_site(*, session: Session, site_id: int) -> SitePublic | None:
    site = session.get(Site, site_id)
    return None if site is None else _public(site)


def get_site_profile(*, session: Session, site_id: int) -> SiteProfile:
    return _public(_site(session, site_id)).profile()


def count_sites(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(Site)).one()


def demo_only(*, session: Session) -> bool:
    """True while every site is a demo site (the login page may then show demo passwords)."""
    sites = session.exec(select(Site.is_demo)).all()
    return bool(sites) and all(sites)


def _check_name_free(session: Session, name: str, site_id: int | None = None) -> None:
    clash = session.exec(select(Site.id).where(Site.name == name)).first()
    if clash is not None and clash != site_id:
        raise ConflictError(f"a site named {name!r} already exists")


def create_site(*, session: Session, site_in: SiteCreate, actor: str) -> SitePublic:
    _check_name_free(session, site_in.name)
    site = Site.model_validate(
        site_in, update={"opening_hours": [w.model_dump() for w in site_in.opening_hours]}
    )
    session.add(site)
    session.flush()
    write_audit(session=session, actor=actor, action="site.create", target=site.name)
    return _public(site)


def update_site(*, session: Session, site_id: int, site_in: SiteUpdate, actor: str) -> SitePublic:
    site = _site(session, site_id)
    changes = site_in.model_dump(exclude_unset=True)
    if "opening_hours" in changes and site_in.opening_hours is not None:
        changes["opening_hours"] = [w.model_dump() for w in site_in.opening_hours]
    merged = _public(site).model_dump() | changes
    SiteCreate.model_validate(merged)  # the whole site must still be valid
    if "name" in changes:
        _check_name_free(session, changes["name"], site_id)
    site.sqlmodel_update(changes)
    session.add(site)
    session.flush()
    write_audit(
        session=session,
        actor=actor,
        action="site.update",
        target=site.name,
        detail=", ".join(sorted(changes)),
    )
    return _public(site)


# ----------------------------------------------------------------------------------- settings


def get_site_settings(*, session: Session, site_id: int) -> SiteSettingsPublic:
    """The site's settings; DOMAIN.md defaults for whatever was never saved."""
    _site(session, site_id)
    row = session.get(SiteSettings, site_id)
    if row is None:
        return SiteSettingsPublic(
            site_id=site_id,
            staffing=StaffingSettings(),
            work_rules=WorkRules(),
            updated_at=None,
            updated_by=None,
        )
    return SiteSettingsPublic(
        site_id=site_id,
        staffing=StaffingSettings.model_validate(row.staffing or {}),
        work_rules=WorkRules.model_validate(row.work_rules or {}),
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def update_site_settings(
    *, session: Session, site_id: int, settings_in: SiteSettingsUpdate, actor: str
) -> SiteSettingsPublic:
    _site(session, site_id)
    row = session.get(SiteSettings, site_id)
    if row is None:
        row = SiteSettings(
            site_id=site_id,
            staffing=StaffingSettings().model_dump(mode="json"),
            work_rules=WorkRules().model_dump(mode="json"),
        )
    changed = []
    if settings_in.staffing is not None:
        row.staffing = settings_in.staffing.model_dump(mode="json")
        changed.append("staffing")
    if settings_in.work_rules is not None:
        row.work_rules = settings_in.work_rules.model_dump(mode="json")
        changed.append("work_rules")
    row.updated_at = utcnow()
    row.updated_by = actor
    session.add(row)
    session.flush()
    write_audit(
        session=session,
        actor=actor,
        action="settings.update",
        target=f"site {site_id}",
        detail=", ".join(changed),
    )
    return get_site_settings(session=session, site_id=site_id)


def get_staffing_settings(*, session: Session, site_id: int) -> StaffingSettings:
    return get_site_settings(session=session, site_id=site_id).staffing


def save_staffing_settings(
    *, session: Session, site_id: int, settings: StaffingSettings, actor: str
) -> StaffingSettings:
    update = SiteSettingsUpdate(staffing=settings)
    return update_site_settings(
        session=session, site_id=site_id, settings_in=update, actor=actor
    ).staffing


def get_work_rules(*, session: Session, site_id: int) -> WorkRules:
    return get_site_settings(session=session, site_id=site_id).work_rules


def save_work_rules(*, session: Session, site_id: int, rules: WorkRules, actor: str) -> WorkRules:
    update = SiteSettingsUpdate(work_rules=rules)
    return update_site_settings(
        session=session, site_id=site_id, settings_in=update, actor=actor
    ).work_rules
