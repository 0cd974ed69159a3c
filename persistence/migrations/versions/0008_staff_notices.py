"""Staff notices: the outbox tells staff users of a client's service request.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ONE_THING = (
    "(CASE WHEN notification_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN message_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN sign_in_link_id IS NULL THEN 0 ELSE 1 END)"
)


def id_column(name: str) -> sa.Column[int]:
    return sa.Column(
        name, sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
    )


def upgrade() -> None:
    with op.batch_alter_table("outbox") as table:
        table.add_column(id_column("service_request_id"))
        table.add_column(id_column("staff_user_id"))
        for column, target in (
            ("service_request_id", "service_requests"),
            ("staff_user_id", "staff_users"),
        ):
            table.create_foreign_key(
                op.f(f"fk_outbox_{column}_{target}"),
                target,
                [column],
                ["id"],
                ondelete="CASCADE",
            )
            table.create_index(op.f(f"ix_outbox_{column}"), [column])
        table.drop_constraint(op.f("ck_outbox_delivers_one_thing"), type_="check")
        table.create_check_constraint(
            op.f("ck_outbox_delivers_one_thing"),
            sa.text(
                ONE_THING
                + " + (CASE WHEN service_request_id IS NULL THEN 0 ELSE 1 END)"
                " = 1"
            ),
        )
        table.create_check_constraint(
            op.f("ck_outbox_staff_notice_has_recipient"),
            sa.text("(service_request_id IS NULL) = (staff_user_id IS NULL)"),
        )


def downgrade() -> None:
    op.execute("DELETE FROM outbox WHERE service_request_id IS NOT NULL")
    with op.batch_alter_table("outbox") as table:
        table.drop_constraint(
            op.f("ck_outbox_staff_notice_has_recipient"), type_="check"
        )
        table.drop_constraint(op.f("ck_outbox_delivers_one_thing"), type_="check")
        table.create_check_constraint(
            op.f("ck_outbox_delivers_one_thing"), sa.text(ONE_THING + " = 1")
        )
        for column, target in (
            ("service_request_id", "service_requests"),
            ("staff_user_id", "staff_users"),
        ):
            table.drop_index(op.f(f"ix_outbox_{column}"))
            table.drop_constraint(
                op.f(f"fk_outbox_{column}_{target}"), type_="foreignkey"
            )
            table.drop_column(column)
