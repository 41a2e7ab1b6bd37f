"""Staff requests: leave, availability changes from a date and shift swaps, with the
colleague's answer and the manager's decision.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_request",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("leave_kind", sa.String(length=20), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("windows", sa.JSON(), nullable=False),
        sa.Column("previous_windows", sa.JSON(), nullable=False),
        sa.Column("roster_id", sa.Integer(), nullable=True),
        sa.Column("shift_start_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("shift_end_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("colleague_staff_id", sa.Integer(), nullable=True),
        sa.Column("colleague_answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.String(length=500), nullable=False),
        sa.Column("new_roster_id", sa.Integer(), nullable=True),
        # The requester's note, encrypted (a Fernet token; data.crypto); NULL when none.
        sa.Column("note_token", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('leave', 'availability', 'swap')", name=op.f("ck_staff_request_kind")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'refused', 'approved', 'declined', 'withdrawn')",
            name=op.f("ck_staff_request_status"),
        ),
        sa.ForeignKeyConstraint(
            ["colleague_staff_id"],
            ["staff.id"],
            name=op.f("fk_staff_request_colleague_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["new_roster_id"],
            ["roster.id"],
            name=op.f("fk_staff_request_new_roster_id_roster"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["roster_id"],
            ["roster.id"],
            name=op.f("fk_staff_request_roster_id_roster"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_staff_request_site_id_site"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_staff_request_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_request")),
    )
    with op.batch_alter_table("staff_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_request_colleague_staff_id"), ["colleague_staff_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_staff_request_site_id"), ["site_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_request_staff_id"), ["staff_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("staff_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_request_staff_id"))
        batch_op.drop_index(batch_op.f("ix_staff_request_site_id"))
        batch_op.drop_index(batch_op.f("ix_staff_request_colleague_staff_id"))

    op.drop_table("staff_request")
