"""What a database holds on disk, for tests that a plaintext never reaches it: the SQLite
file (with its journal) byte for byte, or on PostgreSQL the named tables' rows as text."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine, text


class Database(Protocol):
    @property
    def url(self) -> str: ...
    @property
    def engine(self) -> Engine: ...
    @property
    def backend(self) -> str: ...


def raw_database_bytes(database: Database, tables: Sequence[str]) -> bytes:
    """SQLite: every file of the database (all tables, whatever `tables` says). PostgreSQL:
    each row of `tables` cast to text."""
    if database.backend == "sqlite":
        database.engine.dispose()
        path = Path(database.url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    rows: list[str] = []
    with database.engine.connect() as connection:
        for table in tables:
            query = text(f"SELECT CAST({table} AS text) FROM {table}")  # our own table names
            rows += [r[0] for r in connection.execute(query)]
    return "\n".join(rows).encode()
