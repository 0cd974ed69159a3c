"""Notifications about jobs: the log entry names the job it is about.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notification_log") as table:
        table.add_column(
            sa.Column(
                "job_id",
                sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                nullable=True,
            )
        )
        table.create_foreign_key(
            op.f("fk_notification_log_job_id_jobs"),
            "jobs",
            ["job_id"],
            ["id"],
            ondelete="SET NULL",
        )
        table.create_index(op.f("ix_notification_log_job_id"), ["job_id"])


def downgrade() -> None:
    with op.batch_alter_table("notification_log") as table:
        table.drop_index(op.f("ix_notification_log_job_id"))
        table.drop_constraint(
            op.f("fk_notification_log_job_id_jobs"), type_="foreignkey"
        )
        table.drop_column("job_id")
