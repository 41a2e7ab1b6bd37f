"""Rosters: versions (draft, published, superseded) with solve statistics, assignments,
activities, flags and hire advice.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "roster",
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.String(length=64), nullable=True),
        sa.Column("forecast_run_id", sa.Integer(), nullable=True),
        sa.Column("solver_status", sa.String(length=16), nullable=False),
        sa.Column("objective", sa.Float(), nullable=True),
        sa.Column("best_bound", sa.Float(), nullable=True),
        sa.Column("gap", sa.Float(), nullable=True),
        sa.Column("wall_time_seconds", sa.Float(), nullable=False),
        sa.Column("shortfall_hours", sa.Float(), nullable=False),
        sa.Column("hard_rules_broken", sa.Integer(), nullable=False),
        sa.Column("instance", sa.JSON(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'published', 'superseded')", name=op.f("ck_roster_status")
        ),
        sa.ForeignKeyConstraint(
            ["forecast_run_id"],
            ["forecast_run.id"],
            name=op.f("fk_roster_forecast_run_id_forecast_run"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_roster_site_id_site"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster")),
        sa.UniqueConstraint("site_id", "week_start", "version", name=op.f("uq_roster_site_id")),
    )
    op.create_table(
        "roster_assignment",
        sa.Column("staff_key", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("hire_template", sa.String(length=40), nullable=True),
        sa.Column("start_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roster_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("end_utc > start_utc", name=op.f("ck_roster_assignment_ordered")),
        sa.ForeignKeyConstraint(
            ["roster_id"],
            ["roster.id"],
            name=op.f("fk_roster_assignment_roster_id_roster"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_roster_assignment_staff_id_staff"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_assignment")),
    )
    with op.batch_alter_table("roster_assignment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_roster_assignment_roster_start", ["roster_id", "start_utc"], unique=False
        )

    op.create_table(
        "roster_flag",
        sa.Column("severity", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("start_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("staff_key", sa.String(length=64), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roster_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["roster_id"],
            ["roster.id"],
            name=op.f("fk_roster_flag_roster_id_roster"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_flag")),
    )
    with op.batch_alter_table("roster_flag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roster_flag_roster_id"), ["roster_id"], unique=False)

    op.create_table(
        "roster_hire",
        sa.Column("template", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("cost", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roster_id", sa.Integer(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["roster_id"],
            ["roster.id"],
            name=op.f("fk_roster_hire_roster_id_roster"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_hire")),
    )
    with op.batch_alter_table("roster_hire", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roster_hire_roster_id"), ["roster_id"], unique=False)

    op.create_table(
        "roster_activity",
        sa.Column("activity", sa.String(length=16), nullable=False),
        sa.Column("start_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "activity IN ('line', 'meal', 'offline', 'decompression', 'debrief')",
            name=op.f("ck_roster_activity_activity"),
        ),
        sa.CheckConstraint("end_utc > start_utc", name=op.f("ck_roster_activity_ordered")),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["roster_assignment.id"],
            name=op.f("fk_roster_activity_assignment_id_roster_assignment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_activity")),
    )
    with op.batch_alter_table("roster_activity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_roster_activity_assignment_id"), ["assignment_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("roster_activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roster_activity_assignment_id"))

    op.drop_table("roster_activity")
    with op.batch_alter_table("roster_hire", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roster_hire_roster_id"))

    op.drop_table("roster_hire")
    with op.batch_alter_table("roster_flag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roster_flag_roster_id"))

    op.drop_table("roster_flag")
    with op.batch_alter_table("roster_assignment", schema=None) as batch_op:
        batch_op.drop_index("ix_roster_assignment_roster_start")

    op.drop_table("roster_assignment")
    op.drop_table("roster")
