"""`python -m data purge`, `new-key` and `rotate-key`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlmodel import select

from data.__main__ import main
from data.crypto import KEY_ENV, decrypt
from data.db import dispose_engine, get_engine, session_scope
from data.migrations_runner import upgrade_to_head
from data.models import DebriefRequest, DifficultCall, SiteCreate, StaffCreate
from data.sites import create_site
from data.staff_repo import create_staff
from data.wellbeing import log_difficult_call, request_debrief
from scheduling.domain import Role
from wellbeing.privacy import Actor


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(KEY_ENV, Fernet.generate_key().decode())
    url = f"sqlite:///{tmp_path / 'planner.db'}"
    upgrade_to_head(url)
    with session_scope(get_engine(url)) as session:
        site = create_site(session=session, site_in=SiteCreate(name="Cli helpline"), actor="t")
        staff = create_staff(
            session=session, staff_in=StaffCreate(site_id=site.id, display_name="A"), actor="t"
        )
        me = Actor("a", Role.STAFF, staff.id)
        old = datetime.now(UTC) - timedelta(days=200)
        log_difficult_call(session=session, actor=me, at=old)
        log_difficult_call(session=session, actor=me, at=datetime.now(UTC))
        request_debrief(
            session=session, actor=me, urgency="within_24h", note="secret words", now=old
        )
    yield url
    dispose_engine(url)


def test_purge_deletes_old_logs(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--url", url, "purge"]) == 0
    assert "1 difficult-call logs, 0 debrief requests" in capsys.readouterr().out  # open kept
    with session_scope(get_engine(url)) as session:
        assert len(session.exec(select(DifficultCall)).all()) == 1


def test_purge_refuses_a_bad_number_of_days(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--url", url, "purge", "--days", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--days" in err


def test_new_key_then_rotate_key(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    old = os.environ[KEY_ENV]
    assert main(["new-key"]) == 0
    new = capsys.readouterr().out.strip()
    Fernet(new.encode())  # a valid key
    monkeypatch.setenv(KEY_ENV, f"{new},{old}")
    assert main(["--url", url, "rotate-key"]) == 0
    assert "Re-encrypted 1 private notes" in capsys.readouterr().out
    with session_scope(get_engine(url)) as session:
        token = session.exec(select(DebriefRequest.note_token)).one()
    assert decrypt(token or "", (new,)) == "secret words"
    monkeypatch.setenv(KEY_ENV, new)
    assert main(["--url", url, "rotate-key"]) == 0
    monkeypatch.setenv(KEY_ENV, Fernet.generate_key().decode())  # the right key lost
    assert main(["--url", url, "rotate-key"]) == 2
    assert "cannot be decrypted" in capsys.readouterr().err
