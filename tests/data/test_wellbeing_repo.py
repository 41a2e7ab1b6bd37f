"""Wellbeing data in the data layer: the access matrix (5 roles x every kind), an audit row
for each read of someone else's data, encrypted notes, key rotation, retention, and many
counsellors logging at once."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine
from sqlmodel import select

from data.accounts import create_account
from data.audit import list_audit
from data.crypto import KEY_ENV
from data.db import session_scope
from data.errors import ConflictError
from data.models import (
    AccountCreate,
    DebriefRequest,
    DifficultCall,
    DifficultCallUpdate,
    StaffCreate,
)
from data.retention import purge_expired
from data.settings import SettingsError, load_settings
from data.staff_repo import create_staff
from data.wellbeing import (
    actor_for,
    close_debrief,
    debrief_queue,
    debrief_slots_needed,
    describe_difficult_call,
    list_checkins,
    list_difficult_calls,
    log_difficult_call,
    my_off_queue_until,
    off_queue_now,
    request_debrief,
    rotate_notes,
    save_checkin,
)
from data.wellbeing_load import line_caps_for_roster, load_of, team_wellbeing
from scheduling.domain import Role, Skill
from tests.support.raw_database import raw_database_bytes
from wellbeing.checkin import cbi
from wellbeing.privacy import TOO_FEW_PEOPLE, AccessDenied, Actor, WellbeingData

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 13:00 in Karachi, a Tuesday
RETENTION = "PLANNER_WELLBEING_RETENTION_DAYS"
NOTE = "planted-note-7f3a: my cousin was the caller's neighbour"


@dataclass(frozen=True)
class Team:
    site_id: int
    staff_ids: list[int]
    actors: dict[Role, Actor]

    @property
    def counsellor(self) -> Actor:
        return self.actors[Role.STAFF]


@pytest.fixture(autouse=True)
def secret_key(monkeypatch: pytest.MonkeyPatch) -> str:
    key = Fernet.generate_key().decode()
    monkeypatch.setenv(KEY_ENV, key)
    return key


def make_team(engine: Engine, site_id: int, size: int = 6) -> Team:
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
            for n in range(size)
        ]
    actors = {
        Role.STAFF: Actor("c0", Role.STAFF, ids[0]),
        Role.SUPERVISOR: Actor("sup", Role.SUPERVISOR, ids[1]),
        Role.MANAGER: Actor("mgr", Role.MANAGER, None),
        Role.LEADERSHIP: Actor("lead", Role.LEADERSHIP, None),
        Role.ADMIN: Actor("adm", Role.ADMIN, None),
    }
    return Team(site_id, ids, actors)


@pytest.fixture
def team(engine: Engine, site_id: int) -> Team:
    team = make_team(engine, site_id)
    answers = {item.id: 2 for item in cbi().items}
    with session_scope(engine) as session:
        for n, staff_id in enumerate(team.staff_ids):
            me = Actor(f"c{n}", Role.STAFF, staff_id)
            log_difficult_call(session=session, actor=me, at=NOW - timedelta(minutes=5))
            save_checkin(session=session, actor=me, answers=answers, now=NOW)
        request_debrief(
            session=session, actor=team.counsellor, urgency="within_24h", note=NOTE, now=NOW
        )
    return team


# Which kinds of other people's wellbeing data each role may read (DOMAIN.md).
ALLOWED: dict[Role, set[WellbeingData]] = {
    Role.STAFF: set(),
    Role.SUPERVISOR: {WellbeingData.DEBRIEF_REQUESTS, WellbeingData.DEBRIEF_NOTES},
    Role.MANAGER: {WellbeingData.OFF_QUEUE, WellbeingData.LINE_CAP, WellbeingData.DEBRIEF_SLOTS},
    Role.LEADERSHIP: {WellbeingData.AGGREGATES},
    Role.ADMIN: set(),
}


def read_others(kind: WellbeingData, session, actor: Actor, team: Team) -> object:  # type: ignore[no-untyped-def]
    """Read `kind` about someone who is not `actor` (the counsellor, or the supervisor when
    the actor is the counsellor)."""
    other = team.staff_ids[2]
    site = team.site_id
    if kind is WellbeingData.DIFFICULT_CALLS:
        return list_difficult_calls(session=session, actor=actor, staff_id=other)
    if kind is WellbeingData.CHECKINS:
        return list_checkins(session=session, actor=actor, staff_id=other)
    if kind is WellbeingData.LOAD:
        return load_of(session=session, actor=actor, staff_id=other, now=NOW)
    if kind is WellbeingData.DEBRIEF_REQUESTS:
        return debrief_queue(session=session, actor=actor, site_id=site)
    if kind is WellbeingData.DEBRIEF_NOTES:
        queue = debrief_queue(session=session, actor=actor, site_id=site)
        notes = [r.note for r in queue if r.note]
        if not notes:
            raise AccessDenied("no note shown")
        return notes
    if kind is WellbeingData.OFF_QUEUE:
        return off_queue_now(session=session, actor=actor, site_id=site, now=NOW)
    if kind is WellbeingData.LINE_CAP:
        return line_caps_for_roster(session=session, actor=actor, site_id=site, now=NOW)
    if kind is WellbeingData.DEBRIEF_SLOTS:
        return debrief_slots_needed(session=session, actor=actor, site_id=site)
    if kind is WellbeingData.AGGREGATES:
        return team_wellbeing(session=session, actor=actor, site_id=site, now=NOW)
    raise AssertionError(kind)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("kind", list(WellbeingData))
def test_access_matrix(engine: Engine, team: Team, role: Role, kind: WellbeingData) -> None:
    actor = team.actors[role]
    if kind in ALLOWED[role]:
        with session_scope(engine) as session:
            assert read_others(kind, session, actor, team) is not None
    else:
        with pytest.raises(AccessDenied), session_scope(engine) as session:
            read_others(kind, session, actor, team)


@pytest.mark.parametrize(
    "kind", [WellbeingData.DIFFICULT_CALLS, WellbeingData.CHECKINS, WellbeingData.LOAD]
)
@pytest.mark.parametrize("role", [Role.STAFF, Role.SUPERVISOR])
def test_a_person_reads_their_own(engine: Engine, team: Team, role: Role, kind) -> None:  # type: ignore[no-untyped-def]
    actor = team.actors[role]
    me = actor.staff_id or 0
    with session_scope(engine) as session:
        if kind is WellbeingData.DIFFICULT_CALLS:
            assert (
                len(list_difficult_calls(session=session, actor=actor, staff_id=actor.staff_id))
                == 1
            )
        elif kind is WellbeingData.CHECKINS:
            assert len(list_checkins(session=session, actor=actor, staff_id=actor.staff_id)) == 1
        else:
            assert load_of(session=session, actor=actor, staff_id=me, now=NOW).band
    with session_scope(engine) as session:
        assert not [a for a in list_audit(session=session) if a.action == "wellbeing.read"]


def test_each_cross_person_read_is_audited(engine: Engine, team: Team) -> None:
    with session_scope(engine) as session:
        debrief_queue(session=session, actor=team.actors[Role.SUPERVISOR], site_id=team.site_id)
        off_queue_now(
            session=session, actor=team.actors[Role.MANAGER], site_id=team.site_id, now=NOW
        )
        team_wellbeing(
            session=session, actor=team.actors[Role.LEADERSHIP], site_id=team.site_id, now=NOW
        )
    with session_scope(engine) as session:
        reads = [a for a in list_audit(session=session) if a.action == "wellbeing.read"]
    by_actor = {a.actor: a for a in reads}
    assert set(by_actor) == {"sup", "mgr", "lead"}
    assert by_actor["sup"].target == f"staff {team.staff_ids[0]}"
    assert by_actor["sup"].detail == WellbeingData.DEBRIEF_NOTES.value
    assert by_actor["mgr"].target == "staff " + ",".join(map(str, team.staff_ids))
    assert by_actor["lead"].target == f"site {team.site_id}"


def test_a_refused_read_is_audited(engine: Engine, team: Team) -> None:
    with pytest.raises(AccessDenied), session_scope(engine) as session:
        debrief_queue(session=session, actor=team.actors[Role.MANAGER], site_id=team.site_id)
    with session_scope(engine) as session:
        denied = [a for a in list_audit(session=session) if a.action == "wellbeing.denied"]
    # The caller's transaction rolled back; the refusal still needs a row of its own.
    assert denied and denied[0].actor == "mgr"


def test_manager_sees_off_the_queue_until_without_a_reason(engine: Engine, team: Team) -> None:
    with session_scope(engine) as session:
        people = off_queue_now(
            session=session, actor=team.actors[Role.MANAGER], site_id=team.site_id, now=NOW
        )
    assert sorted(p.staff_id for p in people) == team.staff_ids
    assert {p.until for p in people} == {NOW + timedelta(minutes=5)}
    assert set(type(people[0]).model_fields) == {"staff_id", "display_name", "until"}


def test_a_second_call_in_a_row_gives_thirty_minutes(engine: Engine, team: Team) -> None:
    with session_scope(engine) as session:
        # No published roster: calls outside a known shift are never "in a row".
        log_difficult_call(session=session, actor=team.counsellor, at=NOW)
        until = my_off_queue_until(session=session, actor=team.counsellor, now=NOW)
    assert until == NOW + timedelta(minutes=10)


def test_category_and_distress_after_the_tap(engine: Engine, team: Team) -> None:
    with session_scope(engine) as session:
        call = log_difficult_call(session=session, actor=team.counsellor, at=NOW)
        assert call.category is None and call.distress is None
        described = describe_difficult_call(
            session=session,
            actor=team.counsellor,
            call_id=call.id,
            call_in=DifficultCallUpdate(category="sexual extortion", distress=4),
        )
    assert (described.category, described.distress) == ("sexual extortion", 4)
    with pytest.raises(LookupError), session_scope(engine) as session:
        describe_difficult_call(
            session=session,
            actor=team.actors[Role.SUPERVISOR],
            call_id=call.id,
            call_in=DifficultCallUpdate(distress=1),
        )


def test_only_people_who_take_calls_log(engine: Engine, team: Team) -> None:
    for role in (Role.MANAGER, Role.LEADERSHIP, Role.ADMIN):
        with pytest.raises(AccessDenied), session_scope(engine) as session:
            log_difficult_call(session=session, actor=team.actors[role], at=NOW)


def test_supervisor_closes_a_request_and_sees_the_note(engine: Engine, team: Team) -> None:
    supervisor = team.actors[Role.SUPERVISOR]
    with session_scope(engine) as session:
        queue = debrief_queue(session=session, actor=supervisor, site_id=team.site_id)
        assert [(r.display_name, r.note) for r in queue] == [("Counsellor 0", NOTE)]
        assert queue[0].deadline == NOW + timedelta(hours=24)
        done = close_debrief(session=session, actor=supervisor, request_id=queue[0].id, now=NOW)
    assert (done.status, done.done_by, done.note) == ("done", "sup", None)
    with session_scope(engine) as session:
        assert debrief_queue(session=session, actor=supervisor, site_id=team.site_id) == []
    with pytest.raises(ConflictError), session_scope(engine) as session:
        close_debrief(session=session, actor=supervisor, request_id=queue[0].id, now=NOW)


def test_leadership_sees_too_few_people_below_five(engine: Engine, site_id: int) -> None:
    small = make_team(engine, site_id, size=4)
    with session_scope(engine) as session:
        view = team_wellbeing(
            session=session, actor=small.actors[Role.LEADERSHIP], site_id=site_id, now=NOW
        )
    assert view.weeks == () and view.load_bands is None
    assert view.weeks_message == view.load_message == TOO_FEW_PEOPLE


def test_leadership_aggregates_over_five_or_more(engine: Engine, team: Team) -> None:
    with session_scope(engine) as session:
        view = team_wellbeing(
            session=session, actor=team.actors[Role.LEADERSHIP], site_id=team.site_id, now=NOW
        )
    assert view.people == 6
    assert sum(view.load_bands.values()) == 6  # type: ignore[union-attr]
    assert view.cbi_people == 6 and view.cbi_medians is not None
    assert view.cbi_medians.personal == 50.0
    assert sum(w.difficult_calls for w in view.weeks) == 6
    assert view.weeks[-1].debriefs_asked == 1


# ----------------------------------------------------------------------------- encryption


def test_a_note_never_reaches_the_database_as_plaintext(database, team: Team) -> None:  # type: ignore[no-untyped-def]
    with session_scope(database.engine) as session:
        token = session.exec(select(DebriefRequest.note_token)).one()
    assert token and "planted-note" not in token
    raw = raw_database_bytes(database, ["debrief_request", "audit_log"])
    assert b"debrief_request" in raw or database.backend == "postgres"
    assert token.encode() in raw  # the dump does hold the row: only ciphertext
    assert b"planted-note-7f3a" not in raw


def queue_notes(session, actor: Actor, team: Team) -> list[str | None]:  # type: ignore[no-untyped-def]
    return [r.note for r in debrief_queue(session=session, actor=actor, site_id=team.site_id)]


def test_rotation_re_encrypts_and_the_old_key_still_decrypts_until_then(
    engine: Engine, team: Team, secret_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    supervisor = team.actors[Role.SUPERVISOR]
    new = Fernet.generate_key().decode()
    monkeypatch.setenv(KEY_ENV, f"{new},{secret_key}")
    with session_scope(engine) as session:
        before = session.exec(select(DebriefRequest.note_token)).one()
        assert (
            debrief_queue(session=session, actor=supervisor, site_id=team.site_id)[0].note == NOTE
        )
        assert rotate_notes(session=session, actor="test") == 1
    with session_scope(engine) as session:
        after = session.exec(select(DebriefRequest.note_token)).one()
    assert after != before
    monkeypatch.setenv(KEY_ENV, new)  # the old key dropped after rotating
    with session_scope(engine) as session:
        assert (
            debrief_queue(session=session, actor=supervisor, site_id=team.site_id)[0].note == NOTE
        )
    monkeypatch.setenv(KEY_ENV, secret_key)  # the new key lost: nothing decrypts
    with pytest.raises(ValueError, match="cannot be decrypted"), session_scope(engine) as session:
        debrief_queue(session=session, actor=supervisor, site_id=team.site_id)


def test_demo_key_file_is_created_once_with_mode_0600(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from data.crypto import current_keys, decrypt, encrypt, key_file

    monkeypatch.delenv(KEY_ENV)
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path))
    token = encrypt("hello")
    path = key_file()
    assert path.stat().st_mode & 0o777 == 0o600
    first = current_keys()
    assert current_keys() == first and decrypt(token) == "hello"


def test_a_bad_key_setting_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from data.crypto import current_keys

    monkeypatch.setenv(KEY_ENV, "not-a-key")
    with pytest.raises(ValueError, match="PLANNER_SECRET_KEY: key 1 is not a Fernet key"):
        current_keys()


# ------------------------------------------------------------------------------ retention


def test_purge_deletes_what_is_older_than_retention(engine: Engine, team: Team) -> None:
    supervisor = team.actors[Role.SUPERVISOR]
    with session_scope(engine) as session:
        request = debrief_queue(session=session, actor=supervisor, site_id=team.site_id)[0]
        close_debrief(session=session, actor=supervisor, request_id=request.id, now=NOW)
        log_difficult_call(session=session, actor=team.counsellor, at=NOW + timedelta(days=80))
    with session_scope(engine) as session:
        result = purge_expired(session=session, now=NOW + timedelta(days=91))
    assert (result.difficult_calls, result.debrief_requests) == (6, 1)
    with session_scope(engine) as session:
        assert len(session.exec(select(DifficultCall)).all()) == 1
        assert session.exec(select(DebriefRequest)).all() == []


def test_retention_setting_is_checked() -> None:
    assert load_settings({}).wellbeing_retention_days == 90
    assert load_settings({RETENTION: "30"}).wellbeing_retention_days == 30
    with pytest.raises(SettingsError, match=RETENTION):
        load_settings({RETENTION: "soon"})


# ----------------------------------------------------------------------------- concurrency


def test_twenty_counsellors_log_fifty_calls_each_at_once(engine: Engine, site_id: int) -> None:
    team = make_team(engine, site_id, size=20)
    errors: list[BaseException] = []
    start = threading.Barrier(20)

    def log_many(staff_id: int) -> None:
        actor = Actor(f"c{staff_id}", Role.STAFF, staff_id)
        try:
            start.wait()
            for n in range(50):
                with session_scope(engine) as session:
                    log_difficult_call(session=session, actor=actor, at=NOW + timedelta(seconds=n))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=log_many, args=(s,)) for s in team.staff_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with session_scope(engine) as session:
        assert len(session.exec(select(DifficultCall.id)).all()) == 1000


def test_actor_comes_from_the_account_row(engine: Engine, team: Team) -> None:
    with session_scope(engine) as session:
        create_account(
            session=session,
            account_in=AccountCreate(
                username="counsellor-a",
                password="a long enough phrase",
                role=Role.STAFF,
                staff_id=team.staff_ids[3],
            ),
            actor="test",
        )
    with session_scope(engine) as session:
        actor = actor_for(session=session, username="counsellor-a")
    assert actor == Actor("counsellor-a", Role.STAFF, team.staff_ids[3])
    with pytest.raises(AccessDenied), session_scope(engine) as session:
        actor_for(session=session, username="nobody")


def test_debrief_deadline_is_the_shift_end_and_never_past_24_hours() -> None:
    from data.wellbeing import debrief_deadline

    end = NOW + timedelta(hours=3)
    assert debrief_deadline("before_shift_end", NOW, end) == end
    assert debrief_deadline("before_shift_end", NOW, None) == NOW + timedelta(hours=24)
    assert debrief_deadline("before_shift_end", NOW, NOW + timedelta(hours=30)) == NOW + timedelta(
        hours=24
    )
    assert debrief_deadline("within_24h", NOW, end) == NOW + timedelta(hours=24)
