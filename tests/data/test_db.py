"""Engines and sessions: the URL from the environment, SQLite pragmas, one transaction."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from data.audit import list_audit, write_audit
from data.db import database_url, dispose_engine, get_engine, session_scope


def test_database_url_prefers_the_environment(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLANNER_DATABASE_URL", "postgresql+psycopg://u:p@127.0.0.1/x")
    assert database_url() == "postgresql+psycopg://u:p@127.0.0.1/x"
    monkeypatch.delenv("PLANNER_DATABASE_URL")
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "new" / "dir"))
    assert database_url() == f"sqlite:///{tmp_path / 'new' / 'dir' / 'planner.db'}"
    assert (tmp_path / "new" / "dir").is_dir()


def test_one_engine_per_url_with_sqlite_pragmas(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    try:
        assert get_engine(url) is get_engine(url)
        with get_engine(url).connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
    finally:
        dispose_engine(url)


def test_session_scope_commits_or_rolls_back_everything(engine) -> None:
    with session_scope(engine) as session:
        write_audit(session=session, actor="a", action="kept")
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        write_audit(session=session, actor="a", action="lost")
        raise RuntimeError("the user action failed half way")
    with session_scope(engine) as session:
        assert [e.action for e in list_audit(session=session)] == ["kept"]
