"""`python -m data`: migrate, seed-demo, create-admin; bad input is one line and exit 2."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from data.__main__ import main
from data.accounts import list_accounts
from data.db import dispose_engine, get_engine, session_scope
from data.demo import ISB_SITE_NAME, SITE_NAME
from data.migrations_runner import head_revision
from data.rosters import list_rosters
from data.sites import list_sites


@pytest.fixture
def url(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    yield url
    dispose_engine(url)


def test_migrate_seed_twice_and_create_admin(url, monkeypatch, capsys) -> None:
    assert main(["--url", url, "migrate"]) == 0
    assert f"revision {head_revision()}" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough phrase\n"))
    assert main(["--url", url, "create-admin", "--username", "Root", "--password-stdin"]) == 0
    assert "Created admin account 'root'" in capsys.readouterr().out
    # A real install began: the demo (with its published passwords) must stay out.
    assert main(["--url", url, "seed-demo"]) == 0
    assert "not seeded" in capsys.readouterr().out
    with session_scope(get_engine(url)) as session:
        assert [a.username for a in list_accounts(session=session)] == ["root"]
        assert list_sites(session=session) == []


def test_seed_demo_into_an_empty_database(url, capsys) -> None:
    assert main(["--url", url, "seed-demo"]) == 0
    out = capsys.readouterr().out
    assert "Seeded 'Demo: Lahore" in out and "2 open debrief requests" in out
    assert "Published a roster for the current week in each of the 2 centres." in out
    with session_scope(get_engine(url)) as session:
        published = {
            site.name: [r.status for r in list_rosters(session=session, site_id=site.id)]
            for site in list_sites(session=session)
        }
    assert published == {SITE_NAME: ["published"], ISB_SITE_NAME: ["published"]}
    assert main(["--url", url, "seed-demo"]) == 0
    assert "already has a site" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "stdin", "expected"),
    [
        (["create-admin", "--username", "x y", "--password-stdin"], "long enough pw\n", "username"),
        (["create-admin", "--username", "root", "--password-stdin"], "short\n", "10 characters"),
        (["create-admin", "--username", "root", "--password-stdin"], "", "no password"),
        (["create-admin", "--username", "root"], "", "use --password-stdin"),
        (["frobnicate"], "", "invalid choice"),
        (["create-admin"], "", "--username"),
        (["jobs-worker", "--workers", "0"], "", "--workers: expected a whole number from 1 to 16"),
        (["jobs-worker", "--workers", "two"], "", "invalid int value"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(url, monkeypatch, capsys, argv, stdin, expected) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(["--url", url, *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and expected in err


def test_duplicate_admin_is_refused(url, monkeypatch, capsys) -> None:
    for _ in range(2):
        monkeypatch.setattr("sys.stdin", io.StringIO("a long enough phrase\n"))
        code = main(["--url", url, "create-admin", "--username", "root", "--password-stdin"])
    assert code == 2 and "already taken" in capsys.readouterr().err


def test_an_unreachable_database_is_one_line(capsys) -> None:
    url = "postgresql+psycopg://nobody:x@127.0.0.1:1/none"
    try:
        assert main(["--url", url, "migrate"]) == 2
    finally:
        dispose_engine(url)
    err = capsys.readouterr().err
    assert err.startswith("error: cannot use the database") and err.count("\n") == 1
