"""After `alembic upgrade head` the database is exactly what the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import data.models  # noqa: F401
from data.migrations_runner import current_revision, head_revision, upgrade_to_head


def test_upgrade_head_matches_models(database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_every_model_table_exists_and_revision_is_head(database) -> None:
    tables = set(inspect(database.engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    assert current_revision(database.url) == head_revision()


def test_upgrade_twice_changes_nothing(database) -> None:
    upgrade_to_head(database.url)
    assert current_revision(database.url) == head_revision()
