"""Run Alembic from code (the CLI, `make migrate`, tests) with an explicit database URL."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from data.db import REPO_ROOT, database_url, get_engine


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "data" / "migrations"))
    config.attributes["url"] = url or database_url()
    return config


def upgrade_to_head(url: str | None = None) -> None:
    """Bring the database at `url` (default: the configured one) to the newest revision."""
    command.upgrade(alembic_config(url), "head")


def current_revision(url: str | None = None) -> str | None:
    with get_engine(url or database_url()).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
