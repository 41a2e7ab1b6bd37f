"""A staff request's note (leave, availability, swap) is encrypted at rest, as a debrief note:
the table holds a Fernet token, the plaintext is read only by the requester, the colleague a
swap is offered to and the site's managers, and `rotate-key` re-encrypts it (SQLite and
PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine
from sqlmodel import select

from data.audit import list_audit
from data.crypto import KEY_ENV, encrypt
from data.db import session_scope
from data.models import SiteCreate, StaffCreate, StaffRequest
from data.requests_repo import (
    create_availability_request,
    create_leave_request,
    my_requests,
    offers_to_me,
    site_requests,
)
from data.sites import create_site
from data.staff_repo import create_staff
from data.wellbeing import rotate_notes
from scheduling.domain import DailyWindow, Role
from scheduling.requests import RequestKind
from tests.data.conftest import MigratedDatabase, member_of
from tests.support.raw_database import raw_database_bytes
from wellbeing.privacy import Actor

TODAY = date(2026, 12, 1)
LEAVE_NOTE = "planted-leave-9c1e: surgery on Tuesday"
AVAILABILITY_NOTE = "planted-availability-4b7d: physiotherapy on Monday mornings"
SWAP_NOTE = "planted-swap-2e8a: clinic appointment"


@pytest.fixture(autouse=True)
def secret_key(monkeypatch: pytest.MonkeyPatch) -> str:
    key = Fernet.generate_key().decode()
    monkeypatch.setenv(KEY_ENV, key)
    return key


@dataclass(frozen=True)
class People:
    site_id: int
    amina: Actor  # asks
    bilal: Actor  # the colleague a swap is offered to
    manager: Actor  # a manager of the site
    other_manager: Actor  # a manager of another helpline only


@pytest.fixture
def people(engine: Engine, site_id: int) -> People:
    with session_scope(engine) as session:
        a, b = (
            create_staff(
                session=session,
                staff_in=StaffCreate(site_id=site_id, display_name=name),
                actor="test",
            ).id
            for name in ("Amina", "Bilal")
        )
        other = create_site(
            session=session,
            site_in=SiteCreate(name="Other helpline", timezone="Asia/Karachi"),
            actor="test",
        )
    member_of(engine, site_id, "manager")
    member_of(engine, other.id, "other")
    return People(
        site_id=site_id,
        amina=Actor("amina", Role.STAFF, a),
        bilal=Actor("bilal", Role.STAFF, b),
        manager=Actor("manager", Role.MANAGER),
        other_manager=Actor("other", Role.MANAGER),
    )


def _ask(engine: Engine, people: People, leave_note: str = LEAVE_NOTE) -> None:
    with session_scope(engine) as session:
        create_leave_request(
            session=session,
            actor=people.amina,
            first_day=date(2026, 12, 14),
            last_day=date(2026, 12, 15),
            leave_kind="sick",
            note=leave_note,
            today=TODAY,
        )
        create_availability_request(
            session=session,
            actor=people.amina,
            from_day=date(2026, 12, 21),
            windows=[DailyWindow(weekday=0, start_minute=780, end_minute=1020)],
            note=AVAILABILITY_NOTE,
            today=TODAY,
        )


def _tokens(engine: Engine) -> dict[str, str | None]:
    with session_scope(engine) as session:
        rows = session.exec(select(StaffRequest.kind, StaffRequest.note_token)).all()
    return dict(rows)


def test_a_request_note_never_reaches_the_database_as_plaintext(
    database: MigratedDatabase, people: People
) -> None:
    _ask(database.engine, people)
    tokens = _tokens(database.engine)
    assert set(tokens) == {RequestKind.LEAVE.value, RequestKind.AVAILABILITY.value}
    raw = raw_database_bytes(database, ["staff_request", "audit_log"])
    assert b"staff_request" in raw or database.backend == "postgres"
    for token in tokens.values():
        assert token and "planted" not in token
        assert token.encode() in raw  # the dump does hold the rows: only ciphertext
    assert b"planted-leave-9c1e" not in raw
    assert b"surgery" not in raw
    assert b"planted-availability-4b7d" not in raw


def test_no_note_stores_nothing(engine: Engine, people: People) -> None:
    _ask(engine, people, leave_note="   ")
    assert _tokens(engine)[RequestKind.LEAVE.value] is None
    with session_scope(engine) as session:
        mine = my_requests(session=session, actor=people.amina)
    assert {r.kind: r.note for r in mine} == {
        RequestKind.LEAVE: "",
        RequestKind.AVAILABILITY: AVAILABILITY_NOTE,
    }


def test_the_requester_and_the_sites_managers_read_the_note(engine: Engine, people: People) -> None:
    _ask(engine, people)
    expected = {RequestKind.LEAVE: LEAVE_NOTE, RequestKind.AVAILABILITY: AVAILABILITY_NOTE}
    with session_scope(engine) as session:
        mine = my_requests(session=session, actor=people.amina)
        waiting = site_requests(session=session, actor=people.manager, site_id=people.site_id)
    assert {r.kind: r.note for r in mine} == expected
    assert {r.kind: r.note for r in waiting} == expected
    # The manager's reads of the two notes are audited; the requester's own are not.
    with session_scope(engine) as session:
        reads = list_audit(session=session, action="request.note_read")
    assert sorted(a.actor for a in reads) == [people.manager.username] * 2
    with session_scope(engine) as session, pytest.raises(PermissionError):
        site_requests(session=session, actor=people.other_manager, site_id=people.site_id)


def test_the_colleague_a_swap_is_offered_to_reads_its_note(engine: Engine, people: People) -> None:
    # The offer itself (a published shift of Amina's) is tested in test_requests_repo; here
    # the stored row is what offer_swap writes, so that the read is what is tested.
    start = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)
    with session_scope(engine) as session:
        session.add(
            StaffRequest(
                kind=RequestKind.SWAP.value,
                created_by="amina",
                first_day=date(2026, 12, 7),
                site_id=people.site_id,
                staff_id=people.amina.staff_id or 0,
                shift_start_utc=start,
                shift_end_utc=start.replace(hour=8),
                colleague_staff_id=people.bilal.staff_id,
                note_token=encrypt(SWAP_NOTE),
            )
        )
    with session_scope(engine) as session:
        offers = offers_to_me(session=session, actor=people.bilal)
    assert [o.note for o in offers] == [SWAP_NOTE]


def test_rotate_key_re_encrypts_request_notes(
    engine: Engine, people: People, secret_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ask(engine, people)
    before = _tokens(engine)
    new = Fernet.generate_key().decode()
    monkeypatch.setenv(KEY_ENV, f"{new},{secret_key}")
    with session_scope(engine) as session:
        assert rotate_notes(session=session, actor="test") == 2
    after = _tokens(engine)
    assert all(after[kind] != before[kind] for kind in before)
    monkeypatch.setenv(KEY_ENV, new)  # the old key dropped after rotating
    with session_scope(engine) as session:
        mine = my_requests(session=session, actor=people.amina)
    assert {r.note for r in mine} == {LEAVE_NOTE, AVAILABILITY_NOTE}
