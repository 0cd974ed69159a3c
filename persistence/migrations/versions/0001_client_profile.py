"""The whole client profile: tenancy, people, ledger, work and records.

Revision ID: 0001
Revises:
Create Date: 2026-12-03 17:02:55.501317
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import persistence.models.base

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "accounts",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("locale", sa.String(length=20), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("email_from", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("has_payments_addon", sa.Boolean(), nullable=False),
        sa.Column("has_shop_addon", sa.Boolean(), nullable=False),
        sa.Column("next_invoice_number", sa.Integer(), nullable=False),
        sa.Column("next_estimate_number", sa.Integer(), nullable=False),
        sa.Column("client_settings", sa.JSON(), nullable=False),
        sa.Column("notification_defaults", sa.JSON(), nullable=False),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "next_estimate_number > 0",
            name=op.f("ck_accounts_next_estimate_number_positive"),
        ),
        sa.CheckConstraint(
            "next_invoice_number > 0",
            name=op.f("ck_accounts_next_invoice_number_positive"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("public_id", name=op.f("uq_accounts_public_id")),
        sa.UniqueConstraint("slug", name=op.f("uq_accounts_slug")),
    )
    op.create_table(
        "clients",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("company_name", sa.String(length=200), nullable=True),
        sa.Column("client_type", sa.String(length=20), nullable=False),
        sa.Column("account_number", sa.String(length=40), nullable=True),
        sa.Column(
            "updated_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "last_activity_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "archived_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "merged_into_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "client_type IN ('residential', 'commercial', 'contractor')",
            name=op.f("ck_clients_client_type_valid"),
        ),
        sa.CheckConstraint(
            "merged_into_id <> id", name=op.f("ck_clients_not_merged_into_itself")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_clients_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["clients.id"],
            name=op.f("fk_clients_merged_into_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clients")),
        sa.UniqueConstraint("public_id", name=op.f("uq_clients_public_id")),
    )
    op.create_index(
        op.f("ix_clients_account_id"), "clients", ["account_id"], unique=False
    )
    op.create_index(
        "ix_clients_account_id_created_at",
        "clients",
        ["account_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_clients_account_id_display_name",
        "clients",
        ["account_id", "display_name"],
        unique=False,
    )
    op.create_table(
        "document_templates",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("client_type", sa.String(length=20), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "client_type IN ('residential', 'commercial', 'contractor')",
            name=op.f("ck_document_templates_client_type_valid"),
        ),
        sa.CheckConstraint(
            "kind IN ('rental_agreement', 'terms_and_conditions', 'estimate_signature', 'invoice_signature', 'other')",
            name=op.f("ck_document_templates_kind_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_document_templates_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_templates")),
    )
    op.create_index(
        op.f("ix_document_templates_account_id"),
        "document_templates",
        ["account_id"],
        unique=False,
    )
    op.create_table(
        "fees",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "amount = CAST(amount AS BIGINT)", name=op.f("ck_fees_amount_whole")
        ),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_fees_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_fees_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fees")),
        sa.UniqueConstraint("account_id", "code", name=op.f("uq_fees_account_id_code")),
    )
    op.create_index(op.f("ix_fees_account_id"), "fees", ["account_id"], unique=False)
    op.create_table(
        "price_list_items",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("container_size", sa.Integer(), nullable=False),
        sa.Column("rental_days", sa.Integer(), nullable=False),
        sa.Column("client_type", sa.String(length=20), nullable=True),
        sa.Column("pricing_zone", sa.String(length=80), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("base_price", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("included_days", sa.Integer(), nullable=False),
        sa.Column("included_tons", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column(
            "overage_per_ton", persistence.models.base.MinorUnits(), nullable=False
        ),
        sa.Column(
            "per_extra_day", persistence.models.base.MinorUnits(), nullable=False
        ),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "client_type IN ('residential', 'commercial', 'contractor')",
            name=op.f("ck_price_list_items_client_type_valid"),
        ),
        sa.CheckConstraint(
            "base_price = CAST(base_price AS BIGINT)",
            name=op.f("ck_price_list_items_base_price_whole"),
        ),
        sa.CheckConstraint(
            "base_price >= 0", name=op.f("ck_price_list_items_base_price_not_negative")
        ),
        sa.CheckConstraint(
            "container_size IN (10, 15, 20, 30, 40)",
            name=op.f("ck_price_list_items_container_size_valid"),
        ),
        sa.CheckConstraint(
            "included_days > 0", name=op.f("ck_price_list_items_included_days_positive")
        ),
        sa.CheckConstraint(
            "included_tons >= 0",
            name=op.f("ck_price_list_items_included_tons_not_negative"),
        ),
        sa.CheckConstraint(
            "overage_per_ton = CAST(overage_per_ton AS BIGINT)",
            name=op.f("ck_price_list_items_overage_per_ton_whole"),
        ),
        sa.CheckConstraint(
            "overage_per_ton >= 0",
            name=op.f("ck_price_list_items_overage_per_ton_not_negative"),
        ),
        sa.CheckConstraint(
            "per_extra_day = CAST(per_extra_day AS BIGINT)",
            name=op.f("ck_price_list_items_per_extra_day_whole"),
        ),
        sa.CheckConstraint(
            "per_extra_day >= 0",
            name=op.f("ck_price_list_items_per_extra_day_not_negative"),
        ),
        sa.CheckConstraint(
            "rental_days > 0", name=op.f("ck_price_list_items_rental_days_positive")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_price_list_items_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_list_items")),
    )
    op.create_index(
        op.f("ix_price_list_items_account_id"),
        "price_list_items",
        ["account_id"],
        unique=False,
    )
    op.create_table(
        "staff_roles",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("permissions", sa.JSON(), nullable=False),
        sa.Column("is_builtin", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_staff_roles_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_roles")),
        sa.UniqueConstraint(
            "account_id", "name", name=op.f("uq_staff_roles_account_id_name")
        ),
    )
    op.create_index(
        op.f("ix_staff_roles_account_id"), "staff_roles", ["account_id"], unique=False
    )
    op.create_table(
        "activity_records",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("actor_kind", sa.String(length=10), nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.Column("action", sa.String(length=80), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=True),
        sa.Column("subject_id", sa.BigInteger(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column(
            "occurred_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.CheckConstraint(
            "actor_kind IN ('staff', 'client', 'partner', 'system')",
            name=op.f("ck_activity_records_actor_kind_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_activity_records_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_activity_records_client_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_records")),
    )
    op.create_index(
        op.f("ix_activity_records_account_id"),
        "activity_records",
        ["account_id"],
        unique=False,
    )
    op.create_index(
        "ix_activity_records_client_id_occurred_at",
        "activity_records",
        ["client_id", "occurred_at"],
        unique=False,
    )
    op.create_table(
        "addresses",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=True),
        sa.Column("line1", sa.String(length=200), nullable=False),
        sa.Column("line2", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("postal_code", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("pricing_zone", sa.String(length=80), nullable=True),
        sa.Column("access_notes", sa.Text(), nullable=True),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column(
            "archived_at",
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
            "kind IN ('service', 'billing')", name=op.f("ck_addresses_kind_valid")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_addresses_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_addresses_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_addresses")),
        sa.UniqueConstraint("public_id", name=op.f("uq_addresses_public_id")),
    )
    op.create_index(
        op.f("ix_addresses_account_id"), "addresses", ["account_id"], unique=False
    )
    op.create_index(
        op.f("ix_addresses_client_id"), "addresses", ["client_id"], unique=False
    )
    op.create_index(
        "uq_addresses_one_default_per_kind",
        "addresses",
        ["client_id", "kind"],
        unique=True,
        postgresql_where=sa.text("is_default"),
        sqlite_where=sa.text("is_default"),
    )
    op.create_table(
        "client_dashboards",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "invited_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "last_sign_in_at",
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
            name=op.f("fk_client_dashboards_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_client_dashboards_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_dashboards")),
        sa.UniqueConstraint("client_id", name=op.f("uq_client_dashboards_client_id")),
    )
    op.create_index(
        op.f("ix_client_dashboards_account_id"),
        "client_dashboards",
        ["account_id"],
        unique=False,
    )
    op.create_table(
        "client_tags",
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("tag", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_client_tags_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_client_tags_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("client_id", "tag", name=op.f("pk_client_tags")),
    )
    op.create_index(
        op.f("ix_client_tags_account_id"), "client_tags", ["account_id"], unique=False
    )
    op.create_index(
        "ix_client_tags_account_id_tag",
        "client_tags",
        ["account_id", "tag"],
        unique=False,
    )
    op.create_table(
        "contacts",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column(
            "text_consent_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("text_consent_source", sa.String(length=200), nullable=True),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_contacts_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_contacts_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
        sa.UniqueConstraint("public_id", name=op.f("uq_contacts_public_id")),
    )
    op.create_index(
        op.f("ix_contacts_account_id"), "contacts", ["account_id"], unique=False
    )
    op.create_index(
        "ix_contacts_account_id_email",
        "contacts",
        ["account_id", "email"],
        unique=False,
    )
    op.create_index(
        "ix_contacts_account_id_phone",
        "contacts",
        ["account_id", "phone"],
        unique=False,
    )
    op.create_index(
        op.f("ix_contacts_client_id"), "contacts", ["client_id"], unique=False
    )
    op.create_index(
        "uq_contacts_one_primary_per_client",
        "contacts",
        ["client_id"],
        unique=True,
        postgresql_where=sa.text("is_primary"),
        sqlite_where=sa.text("is_primary"),
    )
    op.create_table(
        "payment_methods",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("processor", sa.String(length=40), nullable=False),
        sa.Column("processor_token", sa.String(length=200), nullable=False),
        sa.Column("brand", sa.String(length=40), nullable=True),
        sa.Column("bank_name", sa.String(length=100), nullable=True),
        sa.Column("holder_name", sa.String(length=200), nullable=True),
        sa.Column("last_four", sa.String(length=4), nullable=False),
        sa.Column("exp_month", sa.Integer(), nullable=True),
        sa.Column("exp_year", sa.Integer(), nullable=True),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column(
            "removed_at",
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
            "kind <> 'card' OR (exp_month IS NOT NULL AND exp_year IS NOT NULL"
            " AND exp_month BETWEEN 1 AND 12 AND exp_year >= 2000)",
            name=op.f("ck_payment_methods_card_has_expiry"),
        ),
        sa.CheckConstraint(
            "kind IN ('card', 'ach')", name=op.f("ck_payment_methods_kind_valid")
        ),
        sa.CheckConstraint(
            "length(last_four) = 4", name=op.f("ck_payment_methods_last_four_length")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_payment_methods_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_payment_methods_client_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_methods")),
        sa.UniqueConstraint(
            "processor",
            "processor_token",
            name=op.f("uq_payment_methods_processor_processor_token"),
        ),
        sa.UniqueConstraint("public_id", name=op.f("uq_payment_methods_public_id")),
    )
    op.create_index(
        op.f("ix_payment_methods_account_id"),
        "payment_methods",
        ["account_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_payment_methods_client_id"),
        "payment_methods",
        ["client_id"],
        unique=False,
    )
    op.create_index(
        "uq_payment_methods_one_default_per_client",
        "payment_methods",
        ["client_id"],
        unique=True,
        postgresql_where=sa.text("is_default AND removed_at IS NULL"),
        sqlite_where=sa.text("is_default AND removed_at IS NULL"),
    )
    op.create_table(
        "staff_users",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "role_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column(
            "deactivated_at",
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
            name=op.f("fk_staff_users_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["staff_roles.id"],
            name=op.f("fk_staff_users_role_id_staff_roles"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_users")),
        sa.UniqueConstraint("email", name=op.f("uq_staff_users_email")),
        sa.UniqueConstraint("public_id", name=op.f("uq_staff_users_public_id")),
    )
    op.create_index(
        op.f("ix_staff_users_account_id"), "staff_users", ["account_id"], unique=False
    )
    op.create_index(
        op.f("ix_staff_users_role_id"), "staff_users", ["role_id"], unique=False
    )
    op.create_table(
        "client_setting_overrides",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column(
            "changed_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "changed_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_client_setting_overrides_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["staff_users.id"],
            name=op.f("fk_client_setting_overrides_changed_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_client_setting_overrides_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_setting_overrides")),
        sa.UniqueConstraint(
            "client_id", "key", name=op.f("uq_client_setting_overrides_client_id_key")
        ),
    )
    op.create_index(
        op.f("ix_client_setting_overrides_account_id"),
        "client_setting_overrides",
        ["account_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_client_setting_overrides_client_id"),
        "client_setting_overrides",
        ["client_id"],
        unique=False,
    )
    op.create_table(
        "holds",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rule", sa.String(length=20), nullable=False),
        sa.Column(
            "placed_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "placed_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "released_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "released_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("release_reason", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "rule IN ('manual', 'failed_payments', 'balance_threshold', 'days_past_due')",
            name=op.f("ck_holds_rule_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_holds_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_holds_client_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["placed_by_id"],
            ["staff_users.id"],
            name=op.f("fk_holds_placed_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["released_by_id"],
            ["staff_users.id"],
            name=op.f("fk_holds_released_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holds")),
    )
    op.create_index(op.f("ix_holds_account_id"), "holds", ["account_id"], unique=False)
    op.create_index(op.f("ix_holds_client_id"), "holds", ["client_id"], unique=False)
    op.create_index(
        "uq_holds_one_active_per_client",
        "holds",
        ["client_id"],
        unique=True,
        postgresql_where=sa.text("released_at IS NULL"),
        sqlite_where=sa.text("released_at IS NULL"),
    )
    op.create_table(
        "jobs",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "service_address_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "window_start",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "window_end",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "completed_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "created_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('junk_removal', 'material_delivery', 'project')",
            name=op.f("ck_jobs_kind_valid"),
        ),
        sa.CheckConstraint(
            "status IN ('unscheduled', 'scheduled', 'in_progress', 'completed', 'cancelled')",
            name=op.f("ck_jobs_status_valid"),
        ),
        sa.CheckConstraint(
            "window_end IS NULL OR window_start IS NULL OR window_end >= window_start",
            name=op.f("ck_jobs_window_in_order"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_jobs_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_jobs_client_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff_users.id"],
            name=op.f("fk_jobs_created_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["service_address_id"],
            ["addresses.id"],
            name=op.f("fk_jobs_service_address_id_addresses"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("public_id", name=op.f("uq_jobs_public_id")),
    )
    op.create_index(op.f("ix_jobs_account_id"), "jobs", ["account_id"], unique=False)
    op.create_index(op.f("ix_jobs_client_id"), "jobs", ["client_id"], unique=False)
    op.create_index(
        op.f("ix_jobs_service_address_id"), "jobs", ["service_address_id"], unique=False
    )
    op.create_table(
        "messages",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "contact_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("from_number", sa.String(length=32), nullable=False),
        sa.Column("to_number", sa.String(length=32), nullable=False),
        sa.Column("provider_message_id", sa.String(length=100), nullable=True),
        sa.Column(
            "sent_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "direction IN ('inbound', 'outbound')",
            name=op.f("ck_messages_direction_valid"),
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'sent', 'delivered', 'failed', 'received')",
            name=op.f("ck_messages_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_messages_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_messages_client_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_messages_contact_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"],
            ["staff_users.id"],
            name=op.f("fk_messages_sent_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint(
            "provider_message_id", name=op.f("uq_messages_provider_message_id")
        ),
        sa.UniqueConstraint("public_id", name=op.f("uq_messages_public_id")),
    )
    op.create_index(
        op.f("ix_messages_account_id"), "messages", ["account_id"], unique=False
    )
    op.create_index(
        op.f("ix_messages_client_id"), "messages", ["client_id"], unique=False
    )
    op.create_index(
        "ix_messages_client_id_created_at",
        "messages",
        ["client_id", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_messages_contact_id"), "messages", ["contact_id"], unique=False
    )
    op.create_table(
        "notes",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "author_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("is_pinned", sa.Boolean(), nullable=False),
        sa.Column(
            "updated_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=False,
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
            name=op.f("fk_notes_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_users.id"],
            name=op.f("fk_notes_author_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_notes_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
        sa.UniqueConstraint("public_id", name=op.f("uq_notes_public_id")),
    )
    op.create_index(op.f("ix_notes_account_id"), "notes", ["account_id"], unique=False)
    op.create_index(op.f("ix_notes_client_id"), "notes", ["client_id"], unique=False)
    op.create_table(
        "notification_preference_overrides",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("event", sa.String(length=30), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("is_enabled", sa.Boolean(), nullable=False),
        sa.Column(
            "changed_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "changed_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.CheckConstraint(
            "channel IN ('email', 'text')",
            name=op.f("ck_notification_preference_overrides_channel_valid"),
        ),
        sa.CheckConstraint(
            "event IN ('estimate_sent', 'invoice_sent', 'payment_request', 'payment_receipt', 'task_scheduled', 'task_reminder', 'task_completed', 'document_to_sign', 'dashboard_invitation', 'hold_placed')",
            name=op.f("ck_notification_preference_overrides_event_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_notification_preference_overrides_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["staff_users.id"],
            name=op.f("fk_notification_preference_overrides_changed_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_notification_preference_overrides_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "id", name=op.f("pk_notification_preference_overrides")
        ),
        sa.UniqueConstraint(
            "client_id",
            "event",
            "channel",
            name=op.f("uq_notification_preference_overrides_client_id_event_channel"),
        ),
    )
    op.create_index(
        op.f("ix_notification_preference_overrides_account_id"),
        "notification_preference_overrides",
        ["account_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_notification_preference_overrides_client_id"),
        "notification_preference_overrides",
        ["client_id"],
        unique=False,
    )
    op.create_table(
        "payments",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column(
            "received_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("failure_reason", sa.String(length=200), nullable=True),
        sa.Column(
            "payment_method_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("processor_reference", sa.String(length=100), nullable=True),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column(
            "recorded_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "method IN ('cash', 'check', 'card', 'ach')",
            name=op.f("ck_payments_method_valid"),
        ),
        sa.CheckConstraint(
            "status IN ('succeeded', 'failed')", name=op.f("ck_payments_status_valid")
        ),
        sa.CheckConstraint(
            "amount = CAST(amount AS BIGINT)", name=op.f("ck_payments_amount_whole")
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payments_amount_positive")),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_payments_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_payments_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_payments_client_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["payment_method_id"],
            ["payment_methods.id"],
            name=op.f("fk_payments_payment_method_id_payment_methods"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["staff_users.id"],
            name=op.f("fk_payments_recorded_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint(
            "account_id",
            "idempotency_key",
            name=op.f("uq_payments_account_id_idempotency_key"),
        ),
        sa.UniqueConstraint("public_id", name=op.f("uq_payments_public_id")),
    )
    op.create_index(
        op.f("ix_payments_account_id"), "payments", ["account_id"], unique=False
    )
    op.create_index(
        op.f("ix_payments_client_id"), "payments", ["client_id"], unique=False
    )
    op.create_index(
        "ix_payments_client_id_received_at",
        "payments",
        ["client_id", "received_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_payments_payment_method_id"),
        "payments",
        ["payment_method_id"],
        unique=False,
    )
    op.create_table(
        "recurring_invoices",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("interval", sa.String(length=10), nullable=False),
        sa.Column("interval_count", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("next_run_on", sa.Date(), nullable=False),
        sa.Column("payment_terms_days", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column(
            "service_address_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "interval IN ('weekly', 'monthly', 'quarterly', 'yearly')",
            name=op.f("ck_recurring_invoices_interval_valid"),
        ),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on",
            name=op.f("ck_recurring_invoices_ends_after_start"),
        ),
        sa.CheckConstraint(
            "interval_count > 0",
            name=op.f("ck_recurring_invoices_interval_count_positive"),
        ),
        sa.CheckConstraint(
            "payment_terms_days >= 0",
            name=op.f("ck_recurring_invoices_terms_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_recurring_invoices_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_recurring_invoices_client_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["service_address_id"],
            ["addresses.id"],
            name=op.f("fk_recurring_invoices_service_address_id_addresses"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recurring_invoices")),
        sa.UniqueConstraint("public_id", name=op.f("uq_recurring_invoices_public_id")),
    )
    op.create_index(
        op.f("ix_recurring_invoices_account_id"),
        "recurring_invoices",
        ["account_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_recurring_invoices_client_id"),
        "recurring_invoices",
        ["client_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_recurring_invoices_service_address_id"),
        "recurring_invoices",
        ["service_address_id"],
        unique=False,
    )
    op.create_table(
        "special_prices",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("container_size", sa.Integer(), nullable=True),
        sa.Column("rental_days", sa.Integer(), nullable=True),
        sa.Column("fee_code", sa.String(length=60), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("base_price", persistence.models.base.MinorUnits(), nullable=True),
        sa.Column("included_days", sa.Integer(), nullable=True),
        sa.Column("included_tons", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column(
            "overage_per_ton", persistence.models.base.MinorUnits(), nullable=True
        ),
        sa.Column("per_extra_day", persistence.models.base.MinorUnits(), nullable=True),
        sa.Column("fee_amount", persistence.models.base.MinorUnits(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "created_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(kind = 'container' AND container_size IS NOT NULL AND fee_code IS NULL) OR (kind = 'fee' AND fee_code IS NOT NULL AND container_size IS NULL)",
            name=op.f("ck_special_prices_targets_one_item"),
        ),
        sa.CheckConstraint(
            "kind IN ('container', 'fee')", name=op.f("ck_special_prices_kind_valid")
        ),
        sa.CheckConstraint(
            "base_price = CAST(base_price AS BIGINT)",
            name=op.f("ck_special_prices_base_price_whole"),
        ),
        sa.CheckConstraint(
            "base_price >= 0", name=op.f("ck_special_prices_base_price_not_negative")
        ),
        sa.CheckConstraint(
            "container_size IN (10, 15, 20, 30, 40)",
            name=op.f("ck_special_prices_container_size_valid"),
        ),
        sa.CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on",
            name=op.f("ck_special_prices_ends_after_start"),
        ),
        sa.CheckConstraint(
            "fee_amount = CAST(fee_amount AS BIGINT)",
            name=op.f("ck_special_prices_fee_amount_whole"),
        ),
        sa.CheckConstraint(
            "fee_amount >= 0", name=op.f("ck_special_prices_fee_amount_not_negative")
        ),
        sa.CheckConstraint(
            "overage_per_ton = CAST(overage_per_ton AS BIGINT)",
            name=op.f("ck_special_prices_overage_per_ton_whole"),
        ),
        sa.CheckConstraint(
            "overage_per_ton >= 0",
            name=op.f("ck_special_prices_overage_per_ton_not_negative"),
        ),
        sa.CheckConstraint(
            "per_extra_day = CAST(per_extra_day AS BIGINT)",
            name=op.f("ck_special_prices_per_extra_day_whole"),
        ),
        sa.CheckConstraint(
            "per_extra_day >= 0",
            name=op.f("ck_special_prices_per_extra_day_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_special_prices_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_special_prices_client_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff_users.id"],
            name=op.f("fk_special_prices_created_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_special_prices")),
        sa.UniqueConstraint("public_id", name=op.f("uq_special_prices_public_id")),
    )
    op.create_index(
        op.f("ix_special_prices_account_id"),
        "special_prices",
        ["account_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_special_prices_client_id"),
        "special_prices",
        ["client_id"],
        unique=False,
    )
    op.create_table(
        "estimates",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column(
            "service_address_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("subtotal", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("tax", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("total", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "sent_at", persistence.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "job_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "created_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'no_response', 'read', 'reviewed', 'accepted', 'declined', 'expired')",
            name=op.f("ck_estimates_status_valid"),
        ),
        sa.CheckConstraint(
            "subtotal = CAST(subtotal AS BIGINT)",
            name=op.f("ck_estimates_subtotal_whole"),
        ),
        sa.CheckConstraint(
            "subtotal >= 0", name=op.f("ck_estimates_subtotal_not_negative")
        ),
        sa.CheckConstraint(
            "tax = CAST(tax AS BIGINT)", name=op.f("ck_estimates_tax_whole")
        ),
        sa.CheckConstraint("tax >= 0", name=op.f("ck_estimates_tax_not_negative")),
        sa.CheckConstraint(
            "total = CAST(total AS BIGINT)", name=op.f("ck_estimates_total_whole")
        ),
        sa.CheckConstraint(
            "total = subtotal + tax",
            name=op.f("ck_estimates_total_is_subtotal_plus_tax"),
        ),
        sa.CheckConstraint("total >= 0", name=op.f("ck_estimates_total_not_negative")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_estimates_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_estimates_client_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff_users.id"],
            name=op.f("fk_estimates_created_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_estimates_job_id_jobs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["service_address_id"],
            ["addresses.id"],
            name=op.f("fk_estimates_service_address_id_addresses"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_estimates")),
        sa.UniqueConstraint(
            "account_id", "number", name=op.f("uq_estimates_account_id_number")
        ),
        sa.UniqueConstraint("public_id", name=op.f("uq_estimates_public_id")),
    )
    op.create_index(
        op.f("ix_estimates_account_id"), "estimates", ["account_id"], unique=False
    )
    op.create_index(
        op.f("ix_estimates_client_id"), "estimates", ["client_id"], unique=False
    )
    op.create_index(op.f("ix_estimates_job_id"), "estimates", ["job_id"], unique=False)
    op.create_index(
        op.f("ix_estimates_service_address_id"),
        "estimates",
        ["service_address_id"],
        unique=False,
    )
    op.create_table(
        "invoices",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("subtotal", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("tax", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("total", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("memo", sa.Text(), nullable=True),
        sa.Column(
            "billing_address_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "service_address_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "recurring_invoice_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("recurring_period", sa.String(length=20), nullable=True),
        sa.Column(
            "sent_at", persistence.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "paid_at", persistence.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "voided_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.Column(
            "created_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'open', 'overdue', 'partially_paid', 'paid', 'void')",
            name=op.f("ck_invoices_status_valid"),
        ),
        sa.CheckConstraint(
            "due_on >= issued_on", name=op.f("ck_invoices_due_after_issue")
        ),
        sa.CheckConstraint(
            "subtotal = CAST(subtotal AS BIGINT)",
            name=op.f("ck_invoices_subtotal_whole"),
        ),
        sa.CheckConstraint(
            "subtotal >= 0", name=op.f("ck_invoices_subtotal_not_negative")
        ),
        sa.CheckConstraint(
            "tax = CAST(tax AS BIGINT)", name=op.f("ck_invoices_tax_whole")
        ),
        sa.CheckConstraint("tax >= 0", name=op.f("ck_invoices_tax_not_negative")),
        sa.CheckConstraint(
            "total = CAST(total AS BIGINT)", name=op.f("ck_invoices_total_whole")
        ),
        sa.CheckConstraint(
            "total = subtotal + tax",
            name=op.f("ck_invoices_total_is_subtotal_plus_tax"),
        ),
        sa.CheckConstraint("total >= 0", name=op.f("ck_invoices_total_not_negative")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_invoices_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["billing_address_id"],
            ["addresses.id"],
            name=op.f("fk_invoices_billing_address_id_addresses"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_invoices_client_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff_users.id"],
            name=op.f("fk_invoices_created_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recurring_invoice_id"],
            ["recurring_invoices.id"],
            name=op.f("fk_invoices_recurring_invoice_id_recurring_invoices"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["service_address_id"],
            ["addresses.id"],
            name=op.f("fk_invoices_service_address_id_addresses"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint(
            "account_id", "number", name=op.f("uq_invoices_account_id_number")
        ),
        sa.UniqueConstraint("public_id", name=op.f("uq_invoices_public_id")),
        sa.UniqueConstraint(
            "recurring_invoice_id",
            "recurring_period",
            name=op.f("uq_invoices_recurring_invoice_id_recurring_period"),
        ),
    )
    op.create_index(
        op.f("ix_invoices_account_id"), "invoices", ["account_id"], unique=False
    )
    op.create_index(
        op.f("ix_invoices_billing_address_id"),
        "invoices",
        ["billing_address_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_invoices_client_id"), "invoices", ["client_id"], unique=False
    )
    op.create_index(
        "ix_invoices_client_id_issued_on",
        "invoices",
        ["client_id", "issued_on"],
        unique=False,
    )
    op.create_index(
        op.f("ix_invoices_recurring_invoice_id"),
        "invoices",
        ["recurring_invoice_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_invoices_service_address_id"),
        "invoices",
        ["service_address_id"],
        unique=False,
    )
    op.create_table(
        "job_lines",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "job_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("unit_price", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("amount", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("price_rule", sa.String(length=30), nullable=False),
        sa.Column("price_detail", sa.JSON(), nullable=True),
        sa.CheckConstraint(
            "amount = CAST(amount AS BIGINT)", name=op.f("ck_job_lines_amount_whole")
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_job_lines_quantity_positive")),
        sa.CheckConstraint(
            "unit_price = CAST(unit_price AS BIGINT)",
            name=op.f("ck_job_lines_unit_price_whole"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_job_lines_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_job_lines_job_id_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_lines")),
    )
    op.create_index(
        op.f("ix_job_lines_account_id"), "job_lines", ["account_id"], unique=False
    )
    op.create_index(op.f("ix_job_lines_job_id"), "job_lines", ["job_id"], unique=False)
    op.create_table(
        "recurring_invoice_lines",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "recurring_invoice_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("unit_price", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("is_taxable", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "quantity > 0", name=op.f("ck_recurring_invoice_lines_quantity_positive")
        ),
        sa.CheckConstraint(
            "unit_price = CAST(unit_price AS BIGINT)",
            name=op.f("ck_recurring_invoice_lines_unit_price_whole"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_recurring_invoice_lines_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recurring_invoice_id"],
            ["recurring_invoices.id"],
            name=op.f(
                "fk_recurring_invoice_lines_recurring_invoice_id_recurring_invoices"
            ),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recurring_invoice_lines")),
    )
    op.create_index(
        op.f("ix_recurring_invoice_lines_account_id"),
        "recurring_invoice_lines",
        ["account_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_recurring_invoice_lines_recurring_invoice_id"),
        "recurring_invoice_lines",
        ["recurring_invoice_id"],
        unique=False,
    )
    op.create_table(
        "refunds",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "payment_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column(
            "created_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "amount = CAST(amount AS BIGINT)", name=op.f("ck_refunds_amount_whole")
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_refunds_amount_positive")),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_refunds_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_refunds_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_refunds_client_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff_users.id"],
            name=op.f("fk_refunds_created_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name=op.f("fk_refunds_payment_id_payments"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refunds")),
        sa.UniqueConstraint(
            "account_id",
            "idempotency_key",
            name=op.f("uq_refunds_account_id_idempotency_key"),
        ),
        sa.UniqueConstraint("public_id", name=op.f("uq_refunds_public_id")),
    )
    op.create_index(
        op.f("ix_refunds_account_id"), "refunds", ["account_id"], unique=False
    )
    op.create_index(
        op.f("ix_refunds_client_id"), "refunds", ["client_id"], unique=False
    )
    op.create_index(
        op.f("ix_refunds_payment_id"), "refunds", ["payment_id"], unique=False
    )
    op.create_table(
        "tasks",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "job_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "service_address_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("container_size", sa.Integer(), nullable=False),
        sa.Column("material", sa.String(length=20), nullable=False),
        sa.Column("scheduled_on", sa.Date(), nullable=True),
        sa.Column("rental_days", sa.Integer(), nullable=True),
        sa.Column(
            "driver_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "related_task_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("price", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("requires_signed_agreement", sa.Boolean(), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=True),
        sa.Column(
            "started_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "completed_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column(
            "cancelled_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "created_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("price_rule", sa.String(length=30), nullable=False),
        sa.Column("price_detail", sa.JSON(), nullable=True),
        sa.CheckConstraint(
            "kind <> 'exchange' OR related_task_id IS NOT NULL",
            name=op.f("ck_tasks_exchange_links_delivery"),
        ),
        sa.CheckConstraint(
            "kind IN ('delivery', 'pickup', 'exchange', 'dump_and_return', 'relocate', 'live_load')",
            name=op.f("ck_tasks_kind_valid"),
        ),
        sa.CheckConstraint(
            "material IN ('general_debris', 'construction', 'roofing', 'concrete', 'dirt', 'yard_waste', 'mixed_recycling')",
            name=op.f("ck_tasks_material_valid"),
        ),
        sa.CheckConstraint(
            "status IN ('unscheduled', 'scheduled', 'in_progress', 'completed', 'failed', 'cancelled')",
            name=op.f("ck_tasks_status_valid"),
        ),
        sa.CheckConstraint(
            "container_size IN (10, 15, 20, 30, 40)",
            name=op.f("ck_tasks_container_size_valid"),
        ),
        sa.CheckConstraint(
            "price = CAST(price AS BIGINT)", name=op.f("ck_tasks_price_whole")
        ),
        sa.CheckConstraint("price >= 0", name=op.f("ck_tasks_price_not_negative")),
        sa.CheckConstraint(
            "rental_days IS NULL OR rental_days > 0", name=op.f("ck_tasks_rental_days")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_tasks_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_tasks_client_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff_users.id"],
            name=op.f("fk_tasks_created_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["driver_id"],
            ["staff_users.id"],
            name=op.f("fk_tasks_driver_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_tasks_job_id_jobs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["related_task_id"],
            ["tasks.id"],
            name=op.f("fk_tasks_related_task_id_tasks"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["service_address_id"],
            ["addresses.id"],
            name=op.f("fk_tasks_service_address_id_addresses"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
        sa.UniqueConstraint("public_id", name=op.f("uq_tasks_public_id")),
    )
    op.create_index(op.f("ix_tasks_account_id"), "tasks", ["account_id"], unique=False)
    op.create_index(
        "ix_tasks_account_id_scheduled_on",
        "tasks",
        ["account_id", "scheduled_on"],
        unique=False,
    )
    op.create_index(op.f("ix_tasks_client_id"), "tasks", ["client_id"], unique=False)
    op.create_index(
        "ix_tasks_client_id_scheduled_on",
        "tasks",
        ["client_id", "scheduled_on"],
        unique=False,
    )
    op.create_index(op.f("ix_tasks_job_id"), "tasks", ["job_id"], unique=False)
    op.create_index(
        op.f("ix_tasks_related_task_id"), "tasks", ["related_task_id"], unique=False
    )
    op.create_index(
        op.f("ix_tasks_service_address_id"),
        "tasks",
        ["service_address_id"],
        unique=False,
    )
    op.create_table(
        "attachments",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "note_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "task_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column(
            "uploaded_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "length(sha256) = 64", name=op.f("ck_attachments_sha256_length")
        ),
        sa.CheckConstraint(
            "size_bytes >= 0", name=op.f("ck_attachments_size_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_attachments_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_attachments_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["notes.id"],
            name=op.f("fk_attachments_note_id_notes"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_attachments_task_id_tasks"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["staff_users.id"],
            name=op.f("fk_attachments_uploaded_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint("public_id", name=op.f("uq_attachments_public_id")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_attachments_storage_key")),
    )
    op.create_index(
        op.f("ix_attachments_account_id"), "attachments", ["account_id"], unique=False
    )
    op.create_index(
        op.f("ix_attachments_client_id"), "attachments", ["client_id"], unique=False
    )
    op.create_index(
        op.f("ix_attachments_note_id"), "attachments", ["note_id"], unique=False
    )
    op.create_index(
        op.f("ix_attachments_task_id"), "attachments", ["task_id"], unique=False
    )
    op.create_table(
        "charges",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "service_address_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "invoice_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "task_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "job_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("unit_price", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("amount", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("is_taxable", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("price_rule", sa.String(length=30), nullable=False),
        sa.Column("price_detail", sa.JSON(), nullable=True),
        sa.CheckConstraint(
            "amount = CAST(amount AS BIGINT)", name=op.f("ck_charges_amount_whole")
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_charges_quantity_positive")),
        sa.CheckConstraint(
            "unit_price = CAST(unit_price AS BIGINT)",
            name=op.f("ck_charges_unit_price_whole"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_charges_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_charges_client_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_charges_invoice_id_invoices"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_charges_job_id_jobs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["service_address_id"],
            ["addresses.id"],
            name=op.f("fk_charges_service_address_id_addresses"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_charges_task_id_tasks"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charges")),
        sa.UniqueConstraint("public_id", name=op.f("uq_charges_public_id")),
    )
    op.create_index(
        op.f("ix_charges_account_id"), "charges", ["account_id"], unique=False
    )
    op.create_index(
        op.f("ix_charges_client_id"), "charges", ["client_id"], unique=False
    )
    op.create_index(
        op.f("ix_charges_invoice_id"), "charges", ["invoice_id"], unique=False
    )
    op.create_index(op.f("ix_charges_job_id"), "charges", ["job_id"], unique=False)
    op.create_index(
        op.f("ix_charges_service_address_id"),
        "charges",
        ["service_address_id"],
        unique=False,
    )
    op.create_index(op.f("ix_charges_task_id"), "charges", ["task_id"], unique=False)
    op.create_table(
        "credits",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "invoice_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column(
            "created_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "amount = CAST(amount AS BIGINT)", name=op.f("ck_credits_amount_whole")
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_credits_amount_positive")),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_credits_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_credits_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_credits_client_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff_users.id"],
            name=op.f("fk_credits_created_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_credits_invoice_id_invoices"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credits")),
        sa.UniqueConstraint(
            "account_id",
            "idempotency_key",
            name=op.f("uq_credits_account_id_idempotency_key"),
        ),
        sa.UniqueConstraint("public_id", name=op.f("uq_credits_public_id")),
    )
    op.create_index(
        op.f("ix_credits_account_id"), "credits", ["account_id"], unique=False
    )
    op.create_index(
        op.f("ix_credits_client_id"), "credits", ["client_id"], unique=False
    )
    op.create_index(
        op.f("ix_credits_invoice_id"), "credits", ["invoice_id"], unique=False
    )
    op.create_table(
        "documents",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "template_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "estimate_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "invoice_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "task_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("requires_signature", sa.Boolean(), nullable=False),
        sa.Column(
            "sent_at", persistence.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("sent_to", sa.String(length=320), nullable=True),
        sa.Column("sent_via", sa.String(length=10), nullable=True),
        sa.Column(
            "sent_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "viewed_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "signed_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("signer_name", sa.String(length=200), nullable=True),
        sa.Column("signer_ip", sa.String(length=45), nullable=True),
        sa.Column("signed_sha256", sa.String(length=64), nullable=True),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('rental_agreement', 'terms_and_conditions', 'estimate_signature', 'invoice_signature', 'other')",
            name=op.f("ck_documents_kind_valid"),
        ),
        sa.CheckConstraint(
            "signed_at IS NULL OR (signer_name IS NOT NULL AND signed_sha256 IS NOT NULL)",
            name=op.f("ck_documents_signature_complete"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_documents_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_documents_client_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["estimate_id"],
            ["estimates.id"],
            name=op.f("fk_documents_estimate_id_estimates"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_documents_invoice_id_invoices"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"],
            ["staff_users.id"],
            name=op.f("fk_documents_sent_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_documents_task_id_tasks"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["document_templates.id"],
            name=op.f("fk_documents_template_id_document_templates"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("public_id", name=op.f("uq_documents_public_id")),
    )
    op.create_index(
        op.f("ix_documents_account_id"), "documents", ["account_id"], unique=False
    )
    op.create_index(
        op.f("ix_documents_client_id"), "documents", ["client_id"], unique=False
    )
    op.create_index(
        op.f("ix_documents_estimate_id"), "documents", ["estimate_id"], unique=False
    )
    op.create_index(
        op.f("ix_documents_invoice_id"), "documents", ["invoice_id"], unique=False
    )
    op.create_index(
        op.f("ix_documents_task_id"), "documents", ["task_id"], unique=False
    )
    op.create_index(
        op.f("ix_documents_template_id"), "documents", ["template_id"], unique=False
    )
    op.create_table(
        "estimate_events",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "estimate_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "occurred_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("actor_kind", sa.String(length=10), nullable=False),
        sa.Column(
            "actor_staff_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "actor_kind IN ('staff', 'client', 'partner', 'system')",
            name=op.f("ck_estimate_events_actor_kind_valid"),
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'no_response', 'read', 'reviewed', 'accepted', 'declined', 'expired')",
            name=op.f("ck_estimate_events_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_estimate_events_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_staff_id"],
            ["staff_users.id"],
            name=op.f("fk_estimate_events_actor_staff_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["estimate_id"],
            ["estimates.id"],
            name=op.f("fk_estimate_events_estimate_id_estimates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_estimate_events")),
    )
    op.create_index(
        op.f("ix_estimate_events_account_id"),
        "estimate_events",
        ["account_id"],
        unique=False,
    )
    op.create_index(
        "ix_estimate_events_estimate_id_occurred_at",
        "estimate_events",
        ["estimate_id", "occurred_at"],
        unique=False,
    )
    op.create_table(
        "estimate_lines",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "estimate_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("container_size", sa.Integer(), nullable=True),
        sa.Column("rental_days", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("unit_price", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("amount", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("price_rule", sa.String(length=30), nullable=False),
        sa.Column("price_detail", sa.JSON(), nullable=True),
        sa.CheckConstraint(
            "amount = CAST(amount AS BIGINT)",
            name=op.f("ck_estimate_lines_amount_whole"),
        ),
        sa.CheckConstraint(
            "container_size IN (10, 15, 20, 30, 40)",
            name=op.f("ck_estimate_lines_container_size_valid"),
        ),
        sa.CheckConstraint(
            "quantity > 0", name=op.f("ck_estimate_lines_quantity_positive")
        ),
        sa.CheckConstraint(
            "unit_price = CAST(unit_price AS BIGINT)",
            name=op.f("ck_estimate_lines_unit_price_whole"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_estimate_lines_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["estimate_id"],
            ["estimates.id"],
            name=op.f("fk_estimate_lines_estimate_id_estimates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_estimate_lines")),
    )
    op.create_index(
        op.f("ix_estimate_lines_account_id"),
        "estimate_lines",
        ["account_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_estimate_lines_estimate_id"),
        "estimate_lines",
        ["estimate_id"],
        unique=False,
    )
    op.create_table(
        "payment_applications",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "payment_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "invoice_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("amount", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "amount = CAST(amount AS BIGINT)",
            name=op.f("ck_payment_applications_amount_whole"),
        ),
        sa.CheckConstraint(
            "amount > 0", name=op.f("ck_payment_applications_amount_positive")
        ),
        sa.CheckConstraint(
            "amount >= 0", name=op.f("ck_payment_applications_amount_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_payment_applications_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_payment_applications_invoice_id_invoices"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name=op.f("fk_payment_applications_payment_id_payments"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_applications")),
        sa.UniqueConstraint(
            "payment_id",
            "invoice_id",
            name=op.f("uq_payment_applications_payment_id_invoice_id"),
        ),
    )
    op.create_index(
        op.f("ix_payment_applications_account_id"),
        "payment_applications",
        ["account_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_payment_applications_invoice_id"),
        "payment_applications",
        ["invoice_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_payment_applications_payment_id"),
        "payment_applications",
        ["payment_id"],
        unique=False,
    )
    op.create_table(
        "payment_requests",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "invoice_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("sent_to", sa.String(length=320), nullable=False),
        sa.Column(
            "sent_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "sent_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "payment_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "channel IN ('email', 'text')",
            name=op.f("ck_payment_requests_channel_valid"),
        ),
        sa.CheckConstraint(
            "amount = CAST(amount AS BIGINT)",
            name=op.f("ck_payment_requests_amount_whole"),
        ),
        sa.CheckConstraint(
            "amount >= 0", name=op.f("ck_payment_requests_amount_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_payment_requests_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_payment_requests_client_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_payment_requests_invoice_id_invoices"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name=op.f("fk_payment_requests_payment_id_payments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"],
            ["staff_users.id"],
            name=op.f("fk_payment_requests_sent_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_requests")),
        sa.UniqueConstraint("public_id", name=op.f("uq_payment_requests_public_id")),
    )
    op.create_index(
        op.f("ix_payment_requests_account_id"),
        "payment_requests",
        ["account_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_payment_requests_client_id"),
        "payment_requests",
        ["client_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_payment_requests_invoice_id"),
        "payment_requests",
        ["invoice_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_payment_requests_payment_id"),
        "payment_requests",
        ["payment_id"],
        unique=False,
    )
    op.create_table(
        "service_requests",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "contact_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column(
            "service_address_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("preferred_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "task_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "handled_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "handled_at",
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
            "kind IN ('delivery', 'pickup', 'exchange', 'junk_removal', 'other')",
            name=op.f("ck_service_requests_kind_valid"),
        ),
        sa.CheckConstraint(
            "status IN ('new', 'scheduled', 'declined', 'done')",
            name=op.f("ck_service_requests_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_service_requests_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_service_requests_client_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_service_requests_contact_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["handled_by_id"],
            ["staff_users.id"],
            name=op.f("fk_service_requests_handled_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["service_address_id"],
            ["addresses.id"],
            name=op.f("fk_service_requests_service_address_id_addresses"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_service_requests_task_id_tasks"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_requests")),
        sa.UniqueConstraint("public_id", name=op.f("uq_service_requests_public_id")),
    )
    op.create_index(
        op.f("ix_service_requests_account_id"),
        "service_requests",
        ["account_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_service_requests_client_id"),
        "service_requests",
        ["client_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_service_requests_contact_id"),
        "service_requests",
        ["contact_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_service_requests_service_address_id"),
        "service_requests",
        ["service_address_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_service_requests_task_id"),
        "service_requests",
        ["task_id"],
        unique=False,
    )
    op.create_table(
        "invoice_lines",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "invoice_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("unit_price", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("amount", persistence.models.base.MinorUnits(), nullable=False),
        sa.Column("is_taxable", sa.Boolean(), nullable=False),
        sa.Column(
            "charge_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "task_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "job_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("price_rule", sa.String(length=30), nullable=False),
        sa.Column("price_detail", sa.JSON(), nullable=True),
        sa.CheckConstraint(
            "amount = CAST(amount AS BIGINT)",
            name=op.f("ck_invoice_lines_amount_whole"),
        ),
        sa.CheckConstraint(
            "quantity > 0", name=op.f("ck_invoice_lines_quantity_positive")
        ),
        sa.CheckConstraint(
            "unit_price = CAST(unit_price AS BIGINT)",
            name=op.f("ck_invoice_lines_unit_price_whole"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_invoice_lines_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["charge_id"],
            ["charges.id"],
            name=op.f("fk_invoice_lines_charge_id_charges"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_invoice_lines_invoice_id_invoices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_invoice_lines_job_id_jobs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_invoice_lines_task_id_tasks"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_lines")),
    )
    op.create_index(
        op.f("ix_invoice_lines_account_id"),
        "invoice_lines",
        ["account_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_invoice_lines_charge_id"), "invoice_lines", ["charge_id"], unique=False
    )
    op.create_index(
        op.f("ix_invoice_lines_invoice_id"),
        "invoice_lines",
        ["invoice_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_invoice_lines_job_id"), "invoice_lines", ["job_id"], unique=False
    )
    op.create_index(
        op.f("ix_invoice_lines_task_id"), "invoice_lines", ["task_id"], unique=False
    )
    op.create_table(
        "notification_log",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "client_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "contact_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("event", sa.String(length=30), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("trigger", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("suppression_reason", sa.String(length=300), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column(
            "resend_of_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "triggered_by_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("provider_message_id", sa.String(length=100), nullable=True),
        sa.Column(
            "sent_at", persistence.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "delivered_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "invoice_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "estimate_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "task_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "payment_request_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("context", sa.JSON(), nullable=True),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "channel IN ('email', 'text')",
            name=op.f("ck_notification_log_channel_valid"),
        ),
        sa.CheckConstraint(
            "event IN ('estimate_sent', 'invoice_sent', 'payment_request', 'payment_receipt', 'task_scheduled', 'task_reminder', 'task_completed', 'document_to_sign', 'dashboard_invitation', 'hold_placed')",
            name=op.f("ck_notification_log_event_valid"),
        ),
        sa.CheckConstraint(
            "status <> 'suppressed' OR suppression_reason IS NOT NULL",
            name=op.f("ck_notification_log_suppression_has_reason"),
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'sent', 'delivered', 'failed', 'suppressed')",
            name=op.f("ck_notification_log_status_valid"),
        ),
        sa.CheckConstraint(
            "trigger IN ('automatic', 'manual')",
            name=op.f("ck_notification_log_trigger_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_notification_log_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_notification_log_client_id_clients"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_notification_log_contact_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["estimate_id"],
            ["estimates.id"],
            name=op.f("fk_notification_log_estimate_id_estimates"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_notification_log_invoice_id_invoices"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["payment_request_id"],
            ["payment_requests.id"],
            name=op.f("fk_notification_log_payment_request_id_payment_requests"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["resend_of_id"],
            ["notification_log.id"],
            name=op.f("fk_notification_log_resend_of_id_notification_log"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_notification_log_task_id_tasks"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["triggered_by_id"],
            ["staff_users.id"],
            name=op.f("fk_notification_log_triggered_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_log")),
        sa.UniqueConstraint("public_id", name=op.f("uq_notification_log_public_id")),
    )
    op.create_index(
        op.f("ix_notification_log_account_id"),
        "notification_log",
        ["account_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_notification_log_client_id"),
        "notification_log",
        ["client_id"],
        unique=False,
    )
    op.create_index(
        "ix_notification_log_client_id_created_at",
        "notification_log",
        ["client_id", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_notification_log_contact_id"),
        "notification_log",
        ["contact_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_notification_log_estimate_id"),
        "notification_log",
        ["estimate_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_notification_log_invoice_id"),
        "notification_log",
        ["invoice_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_notification_log_payment_request_id"),
        "notification_log",
        ["payment_request_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_notification_log_resend_of_id"),
        "notification_log",
        ["resend_of_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_notification_log_task_id"),
        "notification_log",
        ["task_id"],
        unique=False,
    )
    op.create_table(
        "weight_tickets",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "task_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("ticket_number", sa.String(length=60), nullable=False),
        sa.Column("facility", sa.String(length=200), nullable=False),
        sa.Column("net_tons", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column(
            "weighed_at",
            persistence.models.base.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "image_attachment_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            persistence.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "net_tons >= 0", name=op.f("ck_weight_tickets_net_tons_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_weight_tickets_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["image_attachment_id"],
            ["attachments.id"],
            name=op.f("fk_weight_tickets_image_attachment_id_attachments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_weight_tickets_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weight_tickets")),
    )
    op.create_index(
        op.f("ix_weight_tickets_account_id"),
        "weight_tickets",
        ["account_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_weight_tickets_image_attachment_id"),
        "weight_tickets",
        ["image_attachment_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_weight_tickets_task_id"), "weight_tickets", ["task_id"], unique=False
    )
    create_append_only_triggers()


def downgrade() -> None:
    drop_append_only_triggers()

    op.drop_index(op.f("ix_weight_tickets_task_id"), table_name="weight_tickets")
    op.drop_index(
        op.f("ix_weight_tickets_image_attachment_id"), table_name="weight_tickets"
    )
    op.drop_index(op.f("ix_weight_tickets_account_id"), table_name="weight_tickets")
    op.drop_table("weight_tickets")
    op.drop_index(op.f("ix_notification_log_task_id"), table_name="notification_log")
    op.drop_index(
        op.f("ix_notification_log_resend_of_id"), table_name="notification_log"
    )
    op.drop_index(
        op.f("ix_notification_log_payment_request_id"), table_name="notification_log"
    )
    op.drop_index(op.f("ix_notification_log_invoice_id"), table_name="notification_log")
    op.drop_index(
        op.f("ix_notification_log_estimate_id"), table_name="notification_log"
    )
    op.drop_index(op.f("ix_notification_log_contact_id"), table_name="notification_log")
    op.drop_index(
        "ix_notification_log_client_id_created_at", table_name="notification_log"
    )
    op.drop_index(op.f("ix_notification_log_client_id"), table_name="notification_log")
    op.drop_index(op.f("ix_notification_log_account_id"), table_name="notification_log")
    op.drop_table("notification_log")
    op.drop_index(op.f("ix_invoice_lines_task_id"), table_name="invoice_lines")
    op.drop_index(op.f("ix_invoice_lines_job_id"), table_name="invoice_lines")
    op.drop_index(op.f("ix_invoice_lines_invoice_id"), table_name="invoice_lines")
    op.drop_index(op.f("ix_invoice_lines_charge_id"), table_name="invoice_lines")
    op.drop_index(op.f("ix_invoice_lines_account_id"), table_name="invoice_lines")
    op.drop_table("invoice_lines")
    op.drop_index(op.f("ix_service_requests_task_id"), table_name="service_requests")
    op.drop_index(
        op.f("ix_service_requests_service_address_id"), table_name="service_requests"
    )
    op.drop_index(op.f("ix_service_requests_contact_id"), table_name="service_requests")
    op.drop_index(op.f("ix_service_requests_client_id"), table_name="service_requests")
    op.drop_index(op.f("ix_service_requests_account_id"), table_name="service_requests")
    op.drop_table("service_requests")
    op.drop_index(op.f("ix_payment_requests_payment_id"), table_name="payment_requests")
    op.drop_index(op.f("ix_payment_requests_invoice_id"), table_name="payment_requests")
    op.drop_index(op.f("ix_payment_requests_client_id"), table_name="payment_requests")
    op.drop_index(op.f("ix_payment_requests_account_id"), table_name="payment_requests")
    op.drop_table("payment_requests")
    op.drop_index(
        op.f("ix_payment_applications_payment_id"), table_name="payment_applications"
    )
    op.drop_index(
        op.f("ix_payment_applications_invoice_id"), table_name="payment_applications"
    )
    op.drop_index(
        op.f("ix_payment_applications_account_id"), table_name="payment_applications"
    )
    op.drop_table("payment_applications")
    op.drop_index(op.f("ix_estimate_lines_estimate_id"), table_name="estimate_lines")
    op.drop_index(op.f("ix_estimate_lines_account_id"), table_name="estimate_lines")
    op.drop_table("estimate_lines")
    op.drop_index(
        "ix_estimate_events_estimate_id_occurred_at", table_name="estimate_events"
    )
    op.drop_index(op.f("ix_estimate_events_account_id"), table_name="estimate_events")
    op.drop_table("estimate_events")
    op.drop_index(op.f("ix_documents_template_id"), table_name="documents")
    op.drop_index(op.f("ix_documents_task_id"), table_name="documents")
    op.drop_index(op.f("ix_documents_invoice_id"), table_name="documents")
    op.drop_index(op.f("ix_documents_estimate_id"), table_name="documents")
    op.drop_index(op.f("ix_documents_client_id"), table_name="documents")
    op.drop_index(op.f("ix_documents_account_id"), table_name="documents")
    op.drop_table("documents")
    op.drop_index(op.f("ix_credits_invoice_id"), table_name="credits")
    op.drop_index(op.f("ix_credits_client_id"), table_name="credits")
    op.drop_index(op.f("ix_credits_account_id"), table_name="credits")
    op.drop_table("credits")
    op.drop_index(op.f("ix_charges_task_id"), table_name="charges")
    op.drop_index(op.f("ix_charges_service_address_id"), table_name="charges")
    op.drop_index(op.f("ix_charges_job_id"), table_name="charges")
    op.drop_index(op.f("ix_charges_invoice_id"), table_name="charges")
    op.drop_index(op.f("ix_charges_client_id"), table_name="charges")
    op.drop_index(op.f("ix_charges_account_id"), table_name="charges")
    op.drop_table("charges")
    op.drop_index(op.f("ix_attachments_task_id"), table_name="attachments")
    op.drop_index(op.f("ix_attachments_note_id"), table_name="attachments")
    op.drop_index(op.f("ix_attachments_client_id"), table_name="attachments")
    op.drop_index(op.f("ix_attachments_account_id"), table_name="attachments")
    op.drop_table("attachments")
    op.drop_index(op.f("ix_tasks_service_address_id"), table_name="tasks")
    op.drop_index(op.f("ix_tasks_related_task_id"), table_name="tasks")
    op.drop_index(op.f("ix_tasks_job_id"), table_name="tasks")
    op.drop_index("ix_tasks_client_id_scheduled_on", table_name="tasks")
    op.drop_index(op.f("ix_tasks_client_id"), table_name="tasks")
    op.drop_index("ix_tasks_account_id_scheduled_on", table_name="tasks")
    op.drop_index(op.f("ix_tasks_account_id"), table_name="tasks")
    op.drop_table("tasks")
    op.drop_index(op.f("ix_refunds_payment_id"), table_name="refunds")
    op.drop_index(op.f("ix_refunds_client_id"), table_name="refunds")
    op.drop_index(op.f("ix_refunds_account_id"), table_name="refunds")
    op.drop_table("refunds")
    op.drop_index(
        op.f("ix_recurring_invoice_lines_recurring_invoice_id"),
        table_name="recurring_invoice_lines",
    )
    op.drop_index(
        op.f("ix_recurring_invoice_lines_account_id"),
        table_name="recurring_invoice_lines",
    )
    op.drop_table("recurring_invoice_lines")
    op.drop_index(op.f("ix_job_lines_job_id"), table_name="job_lines")
    op.drop_index(op.f("ix_job_lines_account_id"), table_name="job_lines")
    op.drop_table("job_lines")
    op.drop_index(op.f("ix_invoices_service_address_id"), table_name="invoices")
    op.drop_index(op.f("ix_invoices_recurring_invoice_id"), table_name="invoices")
    op.drop_index("ix_invoices_client_id_issued_on", table_name="invoices")
    op.drop_index(op.f("ix_invoices_client_id"), table_name="invoices")
    op.drop_index(op.f("ix_invoices_billing_address_id"), table_name="invoices")
    op.drop_index(op.f("ix_invoices_account_id"), table_name="invoices")
    op.drop_table("invoices")
    op.drop_index(op.f("ix_estimates_service_address_id"), table_name="estimates")
    op.drop_index(op.f("ix_estimates_job_id"), table_name="estimates")
    op.drop_index(op.f("ix_estimates_client_id"), table_name="estimates")
    op.drop_index(op.f("ix_estimates_account_id"), table_name="estimates")
    op.drop_table("estimates")
    op.drop_index(op.f("ix_special_prices_client_id"), table_name="special_prices")
    op.drop_index(op.f("ix_special_prices_account_id"), table_name="special_prices")
    op.drop_table("special_prices")
    op.drop_index(
        op.f("ix_recurring_invoices_service_address_id"),
        table_name="recurring_invoices",
    )
    op.drop_index(
        op.f("ix_recurring_invoices_client_id"), table_name="recurring_invoices"
    )
    op.drop_index(
        op.f("ix_recurring_invoices_account_id"), table_name="recurring_invoices"
    )
    op.drop_table("recurring_invoices")
    op.drop_index(op.f("ix_payments_payment_method_id"), table_name="payments")
    op.drop_index("ix_payments_client_id_received_at", table_name="payments")
    op.drop_index(op.f("ix_payments_client_id"), table_name="payments")
    op.drop_index(op.f("ix_payments_account_id"), table_name="payments")
    op.drop_table("payments")
    op.drop_index(
        op.f("ix_notification_preference_overrides_client_id"),
        table_name="notification_preference_overrides",
    )
    op.drop_index(
        op.f("ix_notification_preference_overrides_account_id"),
        table_name="notification_preference_overrides",
    )
    op.drop_table("notification_preference_overrides")
    op.drop_index(op.f("ix_notes_client_id"), table_name="notes")
    op.drop_index(op.f("ix_notes_account_id"), table_name="notes")
    op.drop_table("notes")
    op.drop_index(op.f("ix_messages_contact_id"), table_name="messages")
    op.drop_index("ix_messages_client_id_created_at", table_name="messages")
    op.drop_index(op.f("ix_messages_client_id"), table_name="messages")
    op.drop_index(op.f("ix_messages_account_id"), table_name="messages")
    op.drop_table("messages")
    op.drop_index(op.f("ix_jobs_service_address_id"), table_name="jobs")
    op.drop_index(op.f("ix_jobs_client_id"), table_name="jobs")
    op.drop_index(op.f("ix_jobs_account_id"), table_name="jobs")
    op.drop_table("jobs")
    op.drop_index(
        "uq_holds_one_active_per_client",
        table_name="holds",
        postgresql_where=sa.text("released_at IS NULL"),
        sqlite_where=sa.text("released_at IS NULL"),
    )
    op.drop_index(op.f("ix_holds_client_id"), table_name="holds")
    op.drop_index(op.f("ix_holds_account_id"), table_name="holds")
    op.drop_table("holds")
    op.drop_index(
        op.f("ix_client_setting_overrides_client_id"),
        table_name="client_setting_overrides",
    )
    op.drop_index(
        op.f("ix_client_setting_overrides_account_id"),
        table_name="client_setting_overrides",
    )
    op.drop_table("client_setting_overrides")
    op.drop_index(op.f("ix_staff_users_role_id"), table_name="staff_users")
    op.drop_index(op.f("ix_staff_users_account_id"), table_name="staff_users")
    op.drop_table("staff_users")
    op.drop_index(
        "uq_payment_methods_one_default_per_client",
        table_name="payment_methods",
        postgresql_where=sa.text("is_default AND removed_at IS NULL"),
        sqlite_where=sa.text("is_default AND removed_at IS NULL"),
    )
    op.drop_index(op.f("ix_payment_methods_client_id"), table_name="payment_methods")
    op.drop_index(op.f("ix_payment_methods_account_id"), table_name="payment_methods")
    op.drop_table("payment_methods")
    op.drop_index(
        "uq_contacts_one_primary_per_client",
        table_name="contacts",
        postgresql_where=sa.text("is_primary"),
        sqlite_where=sa.text("is_primary"),
    )
    op.drop_index(op.f("ix_contacts_client_id"), table_name="contacts")
    op.drop_index("ix_contacts_account_id_phone", table_name="contacts")
    op.drop_index("ix_contacts_account_id_email", table_name="contacts")
    op.drop_index(op.f("ix_contacts_account_id"), table_name="contacts")
    op.drop_table("contacts")
    op.drop_index("ix_client_tags_account_id_tag", table_name="client_tags")
    op.drop_index(op.f("ix_client_tags_account_id"), table_name="client_tags")
    op.drop_table("client_tags")
    op.drop_index(
        op.f("ix_client_dashboards_account_id"), table_name="client_dashboards"
    )
    op.drop_table("client_dashboards")
    op.drop_index(
        "uq_addresses_one_default_per_kind",
        table_name="addresses",
        postgresql_where=sa.text("is_default"),
        sqlite_where=sa.text("is_default"),
    )
    op.drop_index(op.f("ix_addresses_client_id"), table_name="addresses")
    op.drop_index(op.f("ix_addresses_account_id"), table_name="addresses")
    op.drop_table("addresses")
    op.drop_index(
        "ix_activity_records_client_id_occurred_at", table_name="activity_records"
    )
    op.drop_index(op.f("ix_activity_records_account_id"), table_name="activity_records")
    op.drop_table("activity_records")
    op.drop_index(op.f("ix_staff_roles_account_id"), table_name="staff_roles")
    op.drop_table("staff_roles")
    op.drop_index(op.f("ix_price_list_items_account_id"), table_name="price_list_items")
    op.drop_table("price_list_items")
    op.drop_index(op.f("ix_fees_account_id"), table_name="fees")
    op.drop_table("fees")
    op.drop_index(
        op.f("ix_document_templates_account_id"), table_name="document_templates"
    )
    op.drop_table("document_templates")
    op.drop_index("ix_clients_account_id_display_name", table_name="clients")
    op.drop_index("ix_clients_account_id_created_at", table_name="clients")
    op.drop_index(op.f("ix_clients_account_id"), table_name="clients")
    op.drop_table("clients")
    op.drop_table("accounts")


# Inlined rather than imported: a migration must not change when models do.
APPEND_ONLY_SQL = {
    "postgresql": [
        """
        CREATE FUNCTION activity_records_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'activity_records is append-only';
        END;
        $$ LANGUAGE plpgsql
        """,
        """
        CREATE TRIGGER activity_records_append_only
        BEFORE UPDATE OR DELETE ON activity_records
        FOR EACH ROW EXECUTE FUNCTION activity_records_append_only()
        """,
    ],
    "sqlite": [
        f"""
        CREATE TRIGGER activity_records_no_{verb.lower()}
        BEFORE {verb} ON activity_records
        BEGIN
            SELECT RAISE(ABORT, 'activity_records is append-only');
        END
        """
        for verb in ("UPDATE", "DELETE")
    ],
}


def create_append_only_triggers() -> None:
    for statement in APPEND_ONLY_SQL.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def drop_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER activity_records_append_only ON activity_records")
        op.execute("DROP FUNCTION activity_records_append_only()")
    else:
        op.execute("DROP TRIGGER activity_records_no_update")
        op.execute("DROP TRIGGER activity_records_no_delete")
