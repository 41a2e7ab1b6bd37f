"""Saved rosters: every solve of a week is a numbered draft; a manager publishes one.

A roster is stored as its inputs (the RosterInstance), its assignments and activities (rows,
so that "who is on shift now" is a query), its flags and hire advice (rows), and the report
part of the RosterSolution (stats, coverage, broken rules, infeasibility) as JSON. Loading
gives back the same RosterSolution.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from data.audit import write_audit
from data.db import lock_rows, utcnow
from data.errors import ConflictError, NotFoundError
from data.models import (
    Roster,
    RosterActivity,
    RosterActivityCreate,
    RosterAssignment,
    RosterAssignmentCreate,
    RosterCreate,
    RosterFlag,
    RosterFlagCreate,
    RosterHire,
    RosterHireCreate,
    RosterPublic,
    Site,
    Staff,
)
from scheduling.roster.quality import hard_rules_broken
from scheduling.roster.schema import (
    Activity,
    ActivitySegment,
    Flag,
    HireAdvice,
    PersonRoster,
    RosteredShift,
    RosterInstance,
    RosterSolution,
)

# The parts of a RosterSolution kept whole as JSON in roster.report.
_REPORT_FIELDS = {"stats", "coverage", "broken_rules", "infeasibility"}


class SavedRoster(BaseModel):
    model_config = ConfigDict(frozen=True)

    roster: RosterPublic
    instance: RosterInstance
    solution: RosterSolution


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


def _site(session: Session, site_id: int) -> Site:
    site = session.get(Site, site_id)
    if site is None:
        raise NotFoundError(f"no site with id {site_id}")
    return site


def _staff_row_ids(session: Session, site_id: int, keys: set[str]) -> dict[str, int]:
    """Map instance staff ids to Staff rows of this site (ids are str(row id))."""
    numeric = {int(k) for k in keys if k.isdigit()}
    if not numeric:
        return {}
    rows = session.exec(
        select(Staff.id).where(Staff.site_id == site_id, col(Staff.id).in_(numeric))
    )
    return {str(row_id): row_id for row_id in rows if row_id is not None}


def save_roster(
    *,
    session: Session,
    site_id: int,
    instance: RosterInstance,
    solution: RosterSolution,
    actor: str,
    forecast_run_id: int | None = None,
) -> RosterPublic:
    """Store a solve as the next draft version of its week (call inside one session_scope).
    Two solves saved at the same moment get consecutive versions: the site row is locked
    before the latest version is read."""
    lock_rows(session, Site, col(Site.id) == site_id)
    _site(session, site_id)
    if solution.week_start != instance.week_start:
        raise ValueError(
            f"solution week {solution.week_start} does not match instance week "
            f"{instance.week_start}"
        )
    latest = session.exec(
        select(func.max(Roster.version)).where(
            Roster.site_id == site_id, Roster.week_start == instance.week_start
        )
    ).one()
    stats = solution.stats
    roster = Roster.model_validate(
        RosterCreate(
            site_id=site_id,
            week_start=instance.week_start,
            version=(latest or 0) + 1,
            created_by=actor,
            forecast_run_id=forecast_run_id,
            solver_status=stats.status,
            objective=stats.objective,
            best_bound=stats.best_bound,
            gap=stats.gap,
            wall_time_seconds=stats.wall_time_seconds,
            shortfall_hours=solution.shortfall_hours(),
            hard_rules_broken=hard_rules_broken(solution.broken_rules),
            instance=instance.model_dump(mode="json"),
            report=solution.model_dump(mode="json", include=_REPORT_FIELDS),
        )
    )
    session.add(roster)
    session.flush()
    assert roster.id is not None

    staff_ids = _staff_row_ids(session, site_id, {p.staff_id for p in solution.people})
    activities: list[dict[str, object]] = []
    for person in solution.people:
        for shift in person.shifts:
            assignment = RosterAssignment.model_validate(
                RosterAssignmentCreate(
                    roster_id=roster.id,
                    staff_id=None if person.hire_template else staff_ids.get(person.staff_id),
                    staff_key=person.staff_id,
                    display_name=person.display_name,
                    hire_template=person.hire_template,
                    start_utc=shift.start.astimezone(UTC),
                    end_utc=shift.end.astimezone(UTC),
                    pinned=shift.pinned,
                )
            )
            session.add(assignment)
            session.flush()
            assert assignment.id is not None
            activities.extend(
                RosterActivityCreate(
                    assignment_id=assignment.id,
                    activity=segment.activity.value,
                    start_utc=segment.start.astimezone(UTC),
                    end_utc=segment.end.astimezone(UTC),
                ).model_dump()
                for segment in shift.activities
            )
    if activities:
        session.execute(insert(RosterActivity), activities)
    for flag in solution.flags:
        session.add(
            RosterFlag.model_validate(
                RosterFlagCreate(
                    roster_id=roster.id,
                    severity=flag.severity,
                    kind=flag.kind,
                    message=flag.message,
                    start_utc=_utc(flag.start),
                    end_utc=_utc(flag.end),
                    staff_key=flag.staff_id,
                )
            )
        )
    for hire in solution.hires:
        session.add(
            RosterHire.model_validate(
                RosterHireCreate(
                    roster_id=roster.id,
                    template=hire.template,
                    name=hire.name,
                    count=hire.count,
                    cost=hire.cost,
                    message=hire.message,
                    detail=hire.model_dump(
                        mode="json", exclude={"template", "name", "count", "cost", "message"}
                    ),
                )
            )
        )
    session.flush()
    write_audit(
        session=session,
        actor=actor,
        action="roster.save",
        target=f"site {site_id} week {instance.week_start}",
        detail=(
            f"roster {roster.id} version {roster.version}: {stats.status}, "
            f"{roster.shortfall_hours:g} h short, {roster.hard_rules_broken} hard rule(s) broken"
        ),
    )
    return RosterPublic.model_validate(roster)


def _roster(session: Session, roster_id: int) -> Roster:
    roster = session.get(Roster, roster_id)
    if roster is None:
        raise NotFoundError(f"no roster with id {roster_id}")
    return roster


# A saved roster's inputs, shifts, flags and report are written once and never changed (only
# its status moves), yet My shift, Today and the Roster page read the whole week on every run.
# Each app process keeps the newest few it has read; the key holds the database and the row's
# creation time, so a new database reusing an id never matches.
_CONTENTS_KEPT = 64
_contents: OrderedDict[tuple[str, int, datetime], tuple[RosterInstance, RosterSolution]] = (
    OrderedDict()
)
_contents_lock = threading.Lock()


def load_roster(*, session: Session, roster_id: int) -> SavedRoster:
    roster = _roster(session, roster_id)
    key = (str(session.get_bind().engine.url), roster_id, roster.created_at)
    with _contents_lock:
        kept = _contents.get(key)
        if kept is not None:
            _contents.move_to_end(key)
    if kept is None:
        kept = _roster_contents(session, roster)
        with _contents_lock:
            _contents[key] = kept
            while len(_contents) > _CONTENTS_KEPT:
                _contents.popitem(last=False)
    instance, solution = kept
    return SavedRoster(
        roster=RosterPublic.model_validate(roster), instance=instance, solution=solution
    )


def _roster_contents(session: Session, roster: Roster) -> tuple[RosterInstance, RosterSolution]:
    roster_id = roster.id
    instance = RosterInstance.model_validate(roster.instance)
    tz = ZoneInfo(instance.timezone)

    assignments = session.exec(
        select(RosterAssignment)
        .where(RosterAssignment.roster_id == roster_id)
        .order_by(col(RosterAssignment.staff_key), col(RosterAssignment.start_utc))
    ).all()
    segments: dict[int, list[ActivitySegment]] = defaultdict(list)
    if assignments:
        for act in session.exec(
            select(RosterActivity)
            .where(col(RosterActivity.assignment_id).in_([a.id for a in assignments]))
            .order_by(col(RosterActivity.start_utc))
        ):
            segments[act.assignment_id].append(
                ActivitySegment(
                    activity=Activity(act.activity),
                    start=act.start_utc.astimezone(tz),
                    end=act.end_utc.astimezone(tz),
                )
            )
    by_person: dict[str, list[RosterAssignment]] = defaultdict(list)
    for row in assignments:
        by_person[row.staff_key].append(row)
    people = []
    for key, rows in by_person.items():
        shifts = tuple(
            RosteredShift(
                start=r.start_utc.astimezone(tz),
                end=r.end_utc.astimezone(tz),
                activities=tuple(segments[r.id or 0]),
                pinned=r.pinned,
            )
            for r in rows
        )
        line = sum(
            int((s.end - s.start).total_seconds() // 60)
            for shift in shifts
            for s in shift.activities
            if s.activity == "line"
        )
        people.append(
            PersonRoster(
                staff_id=key,
                display_name=rows[0].display_name,
                hire_template=rows[0].hire_template,
                shifts=shifts,
                shift_minutes=sum(int((s.end - s.start).total_seconds() // 60) for s in shifts),
                line_minutes=line,
            )
        )
    flags = tuple(
        Flag.model_validate(
            {
                "severity": f.severity,
                "kind": f.kind,
                "message": f.message,
                "start": f.start_utc.astimezone(tz) if f.start_utc else None,
                "end": f.end_utc.astimezone(tz) if f.end_utc else None,
                "staff_id": f.staff_key,
            }
        )
        for f in session.exec(
            select(RosterFlag).where(RosterFlag.roster_id == roster_id).order_by(col(RosterFlag.id))
        )
    )
    hires = tuple(
        HireAdvice(
            template=h.template,
            name=h.name,
            count=h.count,
            cost=h.cost,
            message=h.message,
            **h.detail,
        )
        for h in session.exec(
            select(RosterHire).where(RosterHire.roster_id == roster_id).order_by(col(RosterHire.id))
        )
    )
    solution = RosterSolution(
        site_name=instance.site_name,
        timezone=instance.timezone,
        week_start=instance.week_start,
        interval_minutes=instance.interval_minutes,
        people=tuple(people),
        flags=flags,
        hires=hires,
        **roster.report,
    )
    return instance, solution


def list_rosters(
    *, session: Session, site_id: int, week_start: date | None = None, limit: int = 50
) -> list[RosterPublic]:
    """Newest version first."""
    query = select(Roster).where(Roster.site_id == site_id)
    if week_start is not None:
        query = query.where(Roster.week_start == week_start)
    query = query.order_by(col(Roster.week_start).desc(), col(Roster.version).desc())
    return [RosterPublic.model_validate(r) for r in session.exec(query.limit(limit))]


def published_roster(*, session: Session, site_id: int, week_start: date) -> SavedRoster | None:
    roster_id = session.exec(
        select(Roster.id).where(
            Roster.site_id == site_id,
            Roster.week_start == week_start,
            Roster.status == "published",
        )
    ).first()
    return None if roster_id is None else load_roster(session=session, roster_id=roster_id)


def publish_roster(*, session: Session, roster_id: int, actor: str) -> RosterPublic:
    """Publish a draft; the week's previously published version becomes superseded.

    Publications of one week are served one after the other (the site row is locked), and
    the database holds at most one published version per week whatever happens."""
    site_id = session.exec(select(Roster.site_id).where(Roster.id == roster_id)).first()
    if site_id is not None:
        lock_rows(session, Site, col(Site.id) == site_id)
    roster = _roster(session, roster_id)
    session.refresh(roster)
    if roster.status != "draft":
        raise ConflictError(
            f"roster {roster_id} (version {roster.version}) is {roster.status}: only a draft "
            "can be published"
        )
    for previous in session.exec(
        select(Roster).where(
            Roster.site_id == roster.site_id,
            Roster.week_start == roster.week_start,
            Roster.status == "published",
        )
    ):
        previous.status = "superseded"
        session.add(previous)
    session.flush()  # the old version leaves "published" before the new one enters it
    roster.status = "published"
    roster.published_at = utcnow()
    roster.published_by = actor
    session.add(roster)
    session.flush()
    write_audit(
        session=session,
        actor=actor,
        action="roster.publish",
        target=f"site {roster.site_id} week {roster.week_start}",
        detail=f"roster {roster.id} version {roster.version}",
    )
    return RosterPublic.model_validate(roster)
