"""Credentials: access tokens, dashboard sign-in links and partner API keys.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 17:15:17.088977
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import persistence.models.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "access_tokens",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column(
            "staff_user_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "contact_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "expires_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "revoked_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "last_used_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind <> 'staff' OR staff_user_id IS NOT NULL",
            name=op.f("ck_access_tokens_staff_has_user"),
        ),
        sa.CheckConstraint(
            "kind = 'staff' OR client_id IS NOT NULL",
            name=op.f("ck_access_tokens_dashboard_has_client"),
        ),
        sa.CheckConstraint(
            "kind IN ('staff', 'dashboard', 'staff_preview')",
            name=op.f("ck_access_tokens_kind_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_access_tokens_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_access_tokens_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_access_tokens_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_user_id"],
            ["staff_users.id"],
            name=op.f("fk_access_tokens_staff_user_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_tokens")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_access_tokens_token_digest")),
    )
    op.create_index(
        op.f("ix_access_tokens_account_id"),
        "access_tokens",
        ["account_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_access_tokens_client_id"), "access_tokens", ["client_id"], unique=False
    )
    op.create_index(
        op.f("ix_access_tokens_staff_user_id"),
        "access_tokens",
        ["staff_user_id"],
        unique=False,
    )
    op.create_table(
        "api_keys",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_digest", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column(
            "created_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "last_used_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "revoked_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_api_keys_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff_users.id"],
            name=op.f("fk_api_keys_created_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_digest", name=op.f("uq_api_keys_key_digest")),
        sa.UniqueConstraint("public_id", name=op.f("uq_api_keys_public_id")),
    )
    op.create_index(
        op.f("ix_api_keys_account_id"), "api_keys", ["account_id"], unique=False
    )
    op.create_table(
        "sign_in_links",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "contact_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column(
            "expires_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "used_at", persistence.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_sign_in_links_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_sign_in_links_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_sign_in_links_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_links")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_sign_in_links_token_digest")),
    )
    op.create_index(
        op.f("ix_sign_in_links_account_id"),
        "sign_in_links",
        ["account_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_sign_in_links_client_id"), "sign_in_links", ["client_id"], unique=False
    )
    op.create_index(
        "ix_sign_in_links_email_created_at",
        "sign_in_links",
        ["email", "created_at"],
        unique=False,
    )


def downgrade() -> None:

    op.drop_index("ix_sign_in_links_email_created_at", table_name="sign_in_links")
    op.drop_index(op.f("ix_sign_in_links_client_id"), table_name="sign_in_links")
    op.drop_index(op.f("ix_sign_in_links_account_id"), table_name="sign_in_links")
    op.drop_table("sign_in_links")
    op.drop_index(op.f("ix_api_keys_account_id"), table_name="api_keys")
    op.drop_table("api_keys")
    op.drop_index(op.f("ix_access_tokens_staff_user_id"), table_name="access_tokens")
    op.drop_index(op.f("ix_access_tokens_client_id"), table_name="access_tokens")
    op.drop_index(op.f("ix_access_tokens_account_id"), table_name="access_tokens")
    op.drop_table("access_tokens")
