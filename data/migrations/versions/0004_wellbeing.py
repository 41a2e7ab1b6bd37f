"""Staff wellbeing: difficult-call logs, debrief requests (encrypted private notes) and
quarterly check-in answers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "checkin_answer",
        sa.Column("quarter", sa.String(length=7), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("personal", sa.Float(), nullable=True),
        sa.Column("work", sa.Float(), nullable=True),
        sa.Column("client", sa.Float(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["site.id"],
            name=op.f("fk_checkin_answer_site_id_site"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_checkin_answer_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_answer")),
        sa.UniqueConstraint("staff_id", "quarter", name=op.f("uq_checkin_answer_staff_id")),
    )
    with op.batch_alter_table("checkin_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkin_answer_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "debrief_request",
        sa.Column("urgency", sa.String(length=20), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("done_by", sa.String(length=64), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note_token", sa.Text(), nullable=True),
        sa.CheckConstraint("status IN ('open', 'done')", name=op.f("ck_debrief_request_status")),
        sa.CheckConstraint(
            "urgency IN ('before_shift_end', 'within_24h')", name=op.f("ck_debrief_request_urgency")
        ),
        sa.CheckConstraint("deadline > requested_at", name=op.f("ck_debrief_request_ordered")),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["site.id"],
            name=op.f("fk_debrief_request_site_id_site"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_debrief_request_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debrief_request")),
    )
    with op.batch_alter_table("debrief_request", schema=None) as batch_op:
        batch_op.create_index("ix_debrief_request_site_status", ["site_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_debrief_request_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "difficult_call",
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("category", sa.String(length=24), nullable=True),
        sa.Column("distress", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "category IS NULL OR category IN ('threats', 'sexual extortion', 'self-harm risk', 'abuse of a child', 'other')",
            name=op.f("ck_difficult_call_category"),
        ),
        sa.CheckConstraint(
            "distress IS NULL OR (distress >= 1 AND distress <= 5)",
            name=op.f("ck_difficult_call_distress"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["site.id"],
            name=op.f("fk_difficult_call_site_id_site"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_difficult_call_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_difficult_call")),
    )
    with op.batch_alter_table("difficult_call", schema=None) as batch_op:
        batch_op.create_index("ix_difficult_call_site_at", ["site_id", "at"], unique=False)
        batch_op.create_index("ix_difficult_call_staff_at", ["staff_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("difficult_call", schema=None) as batch_op:
        batch_op.drop_index("ix_difficult_call_staff_at")
        batch_op.drop_index("ix_difficult_call_site_at")

    op.drop_table("difficult_call")
    with op.batch_alter_table("debrief_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_debrief_request_staff_id"))
        batch_op.drop_index("ix_debrief_request_site_status")

    op.drop_table("debrief_request")
    with op.batch_alter_table("checkin_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkin_answer_staff_id"))

    op.drop_table("checkin_answer")
