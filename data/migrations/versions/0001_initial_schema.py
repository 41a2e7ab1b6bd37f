"""Initial schema: sites, settings, staff and leave, call history, accounts, audit log,
forecast runs and their requirement rows.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "site",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("interval_minutes", sa.Integer(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opening_hours", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("interval_minutes IN (15, 30)", name=op.f("ck_site_interval_minutes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site")),
        sa.UniqueConstraint("name", name=op.f("uq_site_name")),
    )
    op.create_table(
        "call_interval",
        sa.Column("interval_start_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("offered", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("abandoned", sa.Integer(), nullable=False),
        sa.Column("handle_seconds", sa.Integer(), nullable=False),
        sa.Column("difficult", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("abandoned >= 0", name=op.f("ck_call_interval_abandoned")),
        sa.CheckConstraint(
            "answered + abandoned <= offered", name=op.f("ck_call_interval_outcomes")
        ),
        sa.CheckConstraint("answered >= 0", name=op.f("ck_call_interval_answered")),
        sa.CheckConstraint(
            "difficult >= 0 AND difficult <= answered", name=op.f("ck_call_interval_difficult")
        ),
        sa.CheckConstraint("handle_seconds >= 0", name=op.f("ck_call_interval_handle_seconds")),
        sa.CheckConstraint("offered >= 0", name=op.f("ck_call_interval_offered")),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_call_interval_site_id_site"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_interval")),
        sa.UniqueConstraint("site_id", "interval_start_utc", name=op.f("uq_call_interval_site_id")),
    )
    op.create_table(
        "forecast_run",
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("backtest", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_forecast_run_site_id_site"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forecast_run")),
    )
    with op.batch_alter_table("forecast_run", schema=None) as batch_op:
        batch_op.create_index("ix_forecast_run_site_week", ["site_id", "week_start"], unique=False)

    op.create_table(
        "site_settings",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("staffing", sa.JSON(), nullable=False),
        sa.Column("work_rules", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_site_settings_site_id_site"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_site_settings")),
    )
    op.create_table(
        "staff",
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("employment", sa.String(length=20), nullable=False),
        sa.Column("contract_minutes_min", sa.Integer(), nullable=False),
        sa.Column("contract_minutes_max", sa.Integer(), nullable=False),
        sa.Column("line_cap_minutes_week", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("availability", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "contract_minutes_max >= contract_minutes_min", name=op.f("ck_staff_contract_range")
        ),
        sa.CheckConstraint("line_cap_minutes_week >= 0", name=op.f("ck_staff_line_cap")),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_staff_site_id_site"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_site_id"), ["site_id"], unique=False)

    op.create_table(
        "account",
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("failed_login_count", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('staff', 'supervisor', 'manager', 'leadership', 'admin')",
            name=op.f("ck_account_role"),
        ),
        sa.CheckConstraint("failed_login_count >= 0", name=op.f("ck_account_failed_login_count")),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_account_staff_id_staff"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("username", name=op.f("uq_account_username")),
    )
    op.create_table(
        "requirement_row",
        sa.Column("interval_start_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("interval_end_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("forecast_calls", sa.Float(), nullable=False),
        sa.Column("band_low", sa.Float(), nullable=False),
        sa.Column("band_high", sa.Float(), nullable=False),
        sa.Column("required", sa.Integer(), nullable=False),
        sa.Column("queue_required", sa.Integer(), nullable=False),
        sa.Column("workload_erlangs", sa.Float(), nullable=False),
        sa.Column("service_level", sa.Float(), nullable=True),
        sa.Column("answered_share", sa.Float(), nullable=True),
        sa.Column("abandon_share", sa.Float(), nullable=True),
        sa.Column("binding", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forecast_run_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "required >= 0 AND queue_required >= 0", name=op.f("ck_requirement_row_required")
        ),
        sa.ForeignKeyConstraint(
            ["forecast_run_id"],
            ["forecast_run.id"],
            name=op.f("fk_requirement_row_forecast_run_id_forecast_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requirement_row")),
        sa.UniqueConstraint(
            "forecast_run_id", "interval_start_utc", name=op.f("uq_requirement_row_forecast_run_id")
        ),
    )
    op.create_table(
        "staff_leave",
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("last_day >= first_day", name=op.f("ck_staff_leave_ordered")),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_staff_leave_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_leave")),
    )
    with op.batch_alter_table("staff_leave", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_leave_staff_id"), ["staff_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("staff_leave", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_leave_staff_id"))

    op.drop_table("staff_leave")
    op.drop_table("requirement_row")
    op.drop_table("account")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_site_id"))

    op.drop_table("staff")
    op.drop_table("site_settings")
    with op.batch_alter_table("forecast_run", schema=None) as batch_op:
        batch_op.drop_index("ix_forecast_run_site_week")

    op.drop_table("forecast_run")
    op.drop_table("call_interval")
    op.drop_table("site")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
