"""Recurring invoices remember when they ended, apart from being paused.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import persistence.models.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("recurring_invoices") as table:
        table.add_column(
            sa.Column(
                "ended_at",
                persistence.models.base.UTCDateTime(timezone=True),
                nullable=True,
            )
        )
    # Schedules that stopped before this column existed had reached their end.
    op.execute(
        "UPDATE recurring_invoices SET ended_at = CURRENT_TIMESTAMP "
        "WHERE NOT is_active AND ends_on IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("recurring_invoices") as table:
        table.drop_column("ended_at")
