"""The wellbeing and Today actions the pages call (data.services.wellbeing, data.services.today):
each opens and closes its own transaction, reads the acting account afresh, keeps the data
layer's access rules and audit, and returns public objects (run on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from cryptography.fernet import Fernet
from sqlalchemy import Engine
from sqlmodel import select

from data import accounts
from data.access import set_memberships
from data.audit import list_audit
from data.crypto import KEY_ENV
from data.db import session_scope
from data.errors import ConflictError, NotFoundError
from data.models import (
    AccountCreate,
    CheckinAnswerPublic,
    DebriefRequestPublic,
    DifficultCall,
    DifficultCallUpdate,
    StaffCreate,
)
from data.services.today import publish_today_replan, replan_rest_of_today, today_view
from data.services.wellbeing import (
    ask_for_debrief,
    describe_my_difficult_call,
    log_my_difficult_call,
    mark_debrief_done,
    my_off_queue,
    my_timezone,
    my_week,
    open_debrief_queue,
    purge_expired_wellbeing,
    send_my_checkin,
    signed_in_actor,
    team_wellbeing_view,
)
from data.staff_repo import create_staff
from scheduling.domain import Role, Skill
from wellbeing.checkin import cbi
from wellbeing.privacy import AccessDenied

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 13:00 in Karachi, a Tuesday
PASSWORD = "correct horse battery"
NOTE = "service-note-41c2: the caller knew my street"
USERS = {
    Role.STAFF: "counsellor",
    Role.SUPERVISOR: "supervisor",
    Role.MANAGER: "manager",
    Role.LEADERSHIP: "leader",
    Role.ADMIN: "administrator",
}


@dataclass(frozen=True)
class Team:
    site_id: int
    staff_ids: list[int]


@pytest.fixture(autouse=True)
def secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, Fernet.generate_key().decode())
    monkeypatch.setattr(
        accounts, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@pytest.fixture
def team(engine: Engine, site_id: int) -> Team:
    """Six counsellors (the second also a supervisor) and one account per role: the
    counsellor's and the supervisor's linked to their staff records."""
    with session_scope(engine) as session:
        ids = [
            create_staff(
                session=session,
                staff_in=StaffCreate(
                    site_id=site_id,
                    display_name=f"Counsellor {n}",
                    skills=[Skill.COUNSELLOR, Skill.SUPERVISOR] if n == 1 else [Skill.COUNSELLOR],
                ),
                actor="test",
            ).id
            for n in range(6)
        ]
        linked = {Role.STAFF: ids[0], Role.SUPERVISOR: ids[1]}
        for role, username in USERS.items():
            accounts.create_account(
                session=session,
                account_in=AccountCreate(
                    username=username, password=PASSWORD, role=role, staff_id=linked.get(role)
                ),
                actor="test",
            )
            set_memberships(session=session, username=username, site_ids=[site_id], actor="test")
    return Team(site_id, ids)


def audit_rows(engine: Engine, action: str) -> list[tuple[str, str]]:
    with session_scope(engine) as session:
        return [(a.actor, a.target) for a in list_audit(session=session, action=action)]


def test_a_counsellor_logs_describes_asks_and_checks_in(engine: Engine, team: Team) -> None:
    me = USERS[Role.STAFF]
    assert my_off_queue(engine=engine, username=me, now=NOW) is None
    call = log_my_difficult_call(engine=engine, username=me, at=NOW)
    until = my_off_queue(engine=engine, username=me, now=NOW + timedelta(minutes=1))
    assert until is not None and until > NOW + timedelta(minutes=1)

    described = describe_my_difficult_call(
        engine=engine,
        username=me,
        call_id=call.id,
        call_in=DifficultCallUpdate(category="sexual extortion", distress=4),
    )
    assert (described.category, described.distress) == ("sexual extortion", 4)

    request = ask_for_debrief(engine=engine, username=me, urgency="within_24h", note=NOTE, now=NOW)
    assert isinstance(request, DebriefRequestPublic) and request.deadline > NOW

    checkin = send_my_checkin(
        engine=engine, username=me, answers={item.id: 2 for item in cbi().items}, now=NOW
    )
    assert isinstance(checkin, CheckinAnswerPublic)
    with pytest.raises(ConflictError):
        send_my_checkin(
            engine=engine, username=me, answers={item.id: 1 for item in cbi().items}, now=NOW
        )

    assert my_timezone(engine=engine, username=me).key == "Asia/Karachi"
    week = my_week(engine=engine, username=me, now=NOW)
    assert str(week.today) == "2026-11-24"
    assert [r.id for r in week.open_debriefs] == [request.id]
    assert [c.quarter for c in week.checkins] == [checkin.quarter]
    assert week.load.band in ("normal", "watch", "high")
    assert week.shifts == ()  # nothing published


def test_the_supervisor_reads_the_queue_audited_and_marks_one_done(
    engine: Engine, team: Team
) -> None:
    ask_for_debrief(
        engine=engine, username=USERS[Role.STAFF], urgency="within_24h", note=NOTE, now=NOW
    )
    supervisor = USERS[Role.SUPERVISOR]
    queue = open_debrief_queue(engine=engine, username=supervisor, site_id=team.site_id)
    assert queue.tz.key == "Asia/Karachi"
    assert [(r.display_name, r.note) for r in queue.requests] == [("Counsellor 0", NOTE)]
    assert audit_rows(engine, "wellbeing.read") == [(supervisor, f"staff {team.staff_ids[0]}")]

    done = mark_debrief_done(
        engine=engine, username=supervisor, request_id=queue.requests[0].id, now=NOW
    )
    assert done.status == "done"
    after = open_debrief_queue(engine=engine, username=supervisor, site_id=team.site_id)
    assert after.requests == ()
    with pytest.raises(ConflictError):
        mark_debrief_done(engine=engine, username=supervisor, request_id=done.id, now=NOW)
    with pytest.raises(NotFoundError):
        mark_debrief_done(engine=engine, username=supervisor, request_id=done.id + 99, now=NOW)


# Each read a wellbeing page shows, called as each role: who may, per DOMAIN.md.
READS: dict[str, Callable[[Engine, str, int], object]] = {
    "debrief queue": lambda e, u, s: open_debrief_queue(engine=e, username=u, site_id=s),
    "team aggregates": lambda e, u, s: team_wellbeing_view(
        engine=e, username=u, site_id=s, now=NOW
    ),
    "today (off the queue)": lambda e, u, s: today_view(engine=e, username=u, site_id=s, now=NOW),
}
MAY_READ = {
    "debrief queue": {Role.SUPERVISOR},
    "team aggregates": {Role.LEADERSHIP},
    "today (off the queue)": {Role.MANAGER},
}


@pytest.mark.parametrize("read", list(READS))
@pytest.mark.parametrize("role", list(Role))
def test_a_role_that_may_not_read_is_refused_and_audited(
    engine: Engine, team: Team, role: Role, read: str
) -> None:
    ask_for_debrief(
        engine=engine, username=USERS[Role.STAFF], urgency="within_24h", note=NOTE, now=NOW
    )
    if role in MAY_READ[read]:
        view = READS[read](engine, USERS[role], team.site_id)
        assert NOTE not in repr(view) or read == "debrief queue"
        assert audit_rows(engine, "wellbeing.denied") == []
        return
    with pytest.raises(AccessDenied):
        READS[read](engine, USERS[role], team.site_id)
    assert [actor for actor, _ in audit_rows(engine, "wellbeing.denied")] == [USERS[role]]
    assert audit_rows(engine, "wellbeing.read") == []


def test_my_own_data_is_only_for_people_with_a_staff_record(engine: Engine, team: Team) -> None:
    for role in (Role.MANAGER, Role.LEADERSHIP, Role.ADMIN):
        with pytest.raises(AccessDenied):
            log_my_difficult_call(engine=engine, username=USERS[role], at=NOW)
        with pytest.raises(NotFoundError, match="not linked to a staff record"):
            my_week(engine=engine, username=USERS[role], now=NOW)
    with session_scope(engine) as session:
        assert session.exec(select(DifficultCall)).all() == []


def test_the_account_is_read_afresh_at_each_call(engine: Engine, team: Team) -> None:
    supervisor = USERS[Role.SUPERVISOR]
    assert signed_in_actor(engine=engine, username=supervisor).role is Role.SUPERVISOR
    with session_scope(engine) as session:
        accounts.set_role(session=session, username=supervisor, role=Role.STAFF, actor="test")
    with pytest.raises(AccessDenied):
        open_debrief_queue(engine=engine, username=supervisor, site_id=team.site_id)
    with session_scope(engine) as session:
        accounts.disable_account(session=session, username=supervisor, actor="test")
    with pytest.raises(AccessDenied, match="unknown or disabled"):
        signed_in_actor(engine=engine, username=supervisor)
    with pytest.raises(AccessDenied, match="unknown or disabled"):
        log_my_difficult_call(engine=engine, username=supervisor, at=NOW)


def test_today_without_a_published_roster_says_so_and_cannot_re_plan(
    engine: Engine, team: Team
) -> None:
    manager = USERS[Role.MANAGER]
    log_my_difficult_call(engine=engine, username=USERS[Role.STAFF], at=NOW - timedelta(minutes=2))
    view = today_view(engine=engine, username=manager, site_id=team.site_id, now=NOW)
    assert view.problem is not None and "No roster is published" in view.problem
    assert [p.display_name for p in view.off_queue] == ["Counsellor 0"]
    with pytest.raises(ValueError, match="no published roster"):
        replan_rest_of_today(engine=engine, username=manager, site_id=team.site_id, now=NOW)
    with pytest.raises(AccessDenied):
        publish_today_replan(engine=engine, username=USERS[Role.SUPERVISOR], roster_id=1)


def test_the_start_up_purge_deletes_what_is_past_retention(engine: Engine, team: Team) -> None:
    me = USERS[Role.STAFF]
    log_my_difficult_call(engine=engine, username=me, at=NOW)
    log_my_difficult_call(engine=engine, username=me, at=NOW + timedelta(days=80))
    result = purge_expired_wellbeing(engine=engine, now=NOW + timedelta(days=91))
    assert (result.difficult_calls, result.debrief_requests) == (1, 0)
    with session_scope(engine) as session:
        assert [c.at.date() for c in session.exec(select(DifficultCall)).all()] == [
            (NOW + timedelta(days=80)).date()
        ]
