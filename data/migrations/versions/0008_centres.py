"""Several centres: which centres an account belongs to, and the centres sharing a number.

Accounts that exist before this revision keep what they had (every centre): each is made a
member of every site there is.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "centre_membership",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_centre_membership_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["site.id"],
            name=op.f("fk_centre_membership_site_id_site"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "site_id", name=op.f("pk_centre_membership")),
    )
    with op.batch_alter_table("centre_membership", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_centre_membership_site_id"), ["site_id"], unique=False)
    op.create_table(
        "queue_pool",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("pool", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["site.id"],
            name=op.f("fk_queue_pool_site_id_site"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_queue_pool")),
    )
    with op.batch_alter_table("queue_pool", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_queue_pool_pool"), ["pool"], unique=False)
    op.execute(
        "INSERT INTO centre_membership (account_id, site_id, created_at, created_by) "
        "SELECT account.id, site.id, CURRENT_TIMESTAMP, 'migration 0008' FROM account, site"
    )


def downgrade() -> None:
    with op.batch_alter_table("queue_pool", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_queue_pool_pool"))
    op.drop_table("queue_pool")
    with op.batch_alter_table("centre_membership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_centre_membership_site_id"))
    op.drop_table("centre_membership")
