"""Scenarios: saved named scenarios with their author, inputs and cached results, and saved
comparisons of up to four of them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saved_scenario",
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["site.id"],
            name=op.f("fk_saved_scenario_site_id_site"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_scenario")),
        sa.UniqueConstraint("site_id", "title", name=op.f("uq_saved_scenario_site_id")),
    )
    op.create_table(
        "scenario_comparison",
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("monthly", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["site.id"],
            name=op.f("fk_scenario_comparison_site_id_site"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_comparison")),
    )
    with op.batch_alter_table("scenario_comparison", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scenario_comparison_site_id"), ["site_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("scenario_comparison", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenario_comparison_site_id"))

    op.drop_table("scenario_comparison")
    op.drop_table("saved_scenario")
