"""The delivery outbox and the account's email templates.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import persistence.models.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_ROLE = "haulgraph_tenant"
CURRENT_ACCOUNT = "NULLIF(current_setting('haulgraph.account_id', true), '')::bigint"
NEW_TABLES = ("email_templates", "outbox")
EVENTS = (
    "'estimate_sent', 'invoice_sent', 'payment_request', 'payment_receipt', "
    "'task_scheduled', 'task_reminder', 'task_completed', 'document_to_sign', "
    "'dashboard_invitation', 'hold_placed'"
)


def identifier() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def timestamp() -> persistence.models.base.UTCDateTime:
    return persistence.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "email_templates",
        sa.Column("id", identifier(), nullable=False),
        sa.Column("account_id", identifier(), nullable=False),
        sa.Column("event", sa.String(length=30), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_by_id", identifier(), nullable=True),
        sa.Column("updated_at", timestamp(), nullable=False),
        sa.CheckConstraint(
            f"event IN ({EVENTS})", name=op.f("ck_email_templates_event_valid")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_email_templates_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["staff_users.id"],
            name=op.f("fk_email_templates_updated_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_templates")),
        sa.UniqueConstraint(
            "account_id", "event", name=op.f("uq_email_templates_account_id_event")
        ),
    )
    op.create_index(
        op.f("ix_email_templates_account_id"), "email_templates", ["account_id"]
    )

    op.create_table(
        "outbox",
        sa.Column("id", identifier(), nullable=False),
        sa.Column("account_id", identifier(), nullable=False),
        sa.Column("notification_id", identifier(), nullable=True),
        sa.Column("message_id", identifier(), nullable=True),
        sa.Column("sign_in_link_id", identifier(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("available_at", timestamp(), nullable=False),
        sa.Column("claimed_until", timestamp(), nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("completed_at", timestamp(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column(
            "created_at", timestamp(), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "(CASE WHEN notification_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN message_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN sign_in_link_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_outbox_delivers_one_thing"),
        ),
        sa.CheckConstraint(
            "attempts >= 0", name=op.f("ck_outbox_attempts_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_outbox_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_outbox_message_id_messages"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["sign_in_link_id"],
            ["sign_in_links.id"],
            name=op.f("fk_outbox_sign_in_link_id_sign_in_links"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notification_log.id"],
            name=op.f("fk_outbox_notification_id_notification_log"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index(op.f("ix_outbox_account_id"), "outbox", ["account_id"])
    op.create_index(op.f("ix_outbox_message_id"), "outbox", ["message_id"])
    op.create_index(op.f("ix_outbox_notification_id"), "outbox", ["notification_id"])
    op.create_index(op.f("ix_outbox_sign_in_link_id"), "outbox", ["sign_in_link_id"])
    # Workers look only at unfinished items, oldest first.
    op.create_index(
        "ix_outbox_pending_available_at",
        "outbox",
        ["available_at"],
        postgresql_where=sa.text("completed_at IS NULL"),
        sqlite_where=sa.text("completed_at IS NULL"),
    )
    protect_new_tables()


def protect_new_tables() -> None:
    """The same tenant wall as every other table (see revision 0003)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in NEW_TABLES:
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {TENANT_ROLE}")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} TO {TENANT_ROLE} "
            f"USING (account_id = {CURRENT_ACCOUNT}) "
            f"WITH CHECK (account_id = {CURRENT_ACCOUNT})"
        )


def downgrade() -> None:
    op.drop_index("ix_outbox_pending_available_at", table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("email_templates")
