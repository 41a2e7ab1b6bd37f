"""Hardening: server-side sign-in sessions, failed sign-ins per source, at most one
published roster version per week (a partial unique index), and call history whose answered
and abandoned counts may be unknown (NULL) for files with offered counts only.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PUBLISHED = sa.text("status = 'published'")


def upgrade() -> None:
    op.create_table(
        "auth_session",
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("authenticated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_auth_session_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_auth_session_token_hash")),
    )
    op.create_index("ix_auth_session_account_id", "auth_session", ["account_id"])
    op.create_table(
        "sign_in_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("failed_count", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("failed_count >= 0", name=op.f("ck_sign_in_source_failed_count")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_source")),
        sa.UniqueConstraint("source", name=op.f("uq_sign_in_source_source")),
    )
    op.create_index(
        "uq_roster_one_published",
        "roster",
        ["site_id", "week_start"],
        unique=True,
        sqlite_where=PUBLISHED,
        postgresql_where=PUBLISHED,
    )
    with op.batch_alter_table("call_interval") as batch:
        batch.alter_column("answered", existing_type=sa.Integer(), nullable=True)
        batch.alter_column("abandoned", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE call_interval SET answered = 0 WHERE answered IS NULL")
    op.execute("UPDATE call_interval SET abandoned = 0 WHERE abandoned IS NULL")
    with op.batch_alter_table("call_interval") as batch:
        batch.alter_column("answered", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("abandoned", existing_type=sa.Integer(), nullable=False)
    op.drop_index("uq_roster_one_published", table_name="roster")
    op.drop_table("sign_in_source")
    op.drop_index("ix_auth_session_account_id", table_name="auth_session")
    op.drop_table("auth_session")
