"""Engines and sessions: SQLite by default, PostgreSQL (or any SQLAlchemy URL) by setting.

PLANNER_DATABASE_URL overrides everything; otherwise the database is planner.db under
PLANNER_DATA_DIR (default <repo>/var). One engine per URL, one transaction per user action.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Engine, create_engine, event, select, update
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

REPO_ROOT = Path(__file__).resolve().parents[1]
SQLITE_BUSY_TIMEOUT_MS = 5000

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def data_dir() -> Path:
    """The data directory (PLANNER_DATA_DIR, default <repo>/var), created if missing."""
    path = Path(os.environ.get("PLANNER_DATA_DIR") or REPO_ROOT / "var").expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    url = os.environ.get("PLANNER_DATABASE_URL", "").strip()
    if url:
        return url
    return f"sqlite:///{data_dir() / 'planner.db'}"


def utcnow() -> datetime:
    return datetime.now(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # WAL lets the app read while an import writes; in-memory databases cannot use it.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _new_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: database_url()), created once per URL."""
    key = url or database_url()
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = _new_engine(key)
        return engine


def dispose_engine(url: str) -> None:
    """Close the pooled connections of one URL's engine and forget it (tests, shutdown)."""
    with _lock:
        engine = _engines.pop(url, None)
    if engine is not None:
        engine.dispose()


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One transaction per user action: commit on success, roll back on any error."""
    session = Session(engine or get_engine(), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def lock_rows(session: Session, model: type[SQLModel], *where: ColumnElement[bool]) -> None:
    """Hold the rows of `model` matching `where` until the transaction ends, so that a check
    followed by a write cannot interleave with another transaction doing the same.

    PostgreSQL locks the rows (SELECT ... FOR UPDATE). SQLite has one writer at a time: a
    no-op UPDATE takes the database's write lock now, and the other writer waits for it (busy
    timeout). On SQLite it must come before the transaction's first write, and the checks it
    guards must be read after it.
    """
    table: Any = model
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(table).where(*where).values(id=table.id))
    else:
        session.execute(select(table.id).where(*where).with_for_update())
