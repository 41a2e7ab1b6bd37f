"""What every table module shares: the constraint naming convention, JSON columns and the
UTC check on datetimes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import JSON, Column
from sqlmodel import SQLModel

# Named constraints keep SQLite batch migrations and PostgreSQL alike and diffable.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def json_column() -> Any:
    return Column(JSON, nullable=False)


def require_aware(value: datetime, field: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{field} must carry a timezone (store UTC)")
    return value


def jsonable(value: Any) -> Any:
    return None if value is None else to_jsonable_python(value)
