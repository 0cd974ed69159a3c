"""Clients and the people and places that belong to them.

    Client ─┬─< Contact        exactly one primary (partial unique index)
            ├─< Address        service / billing, one default of each kind
            ├─< ClientTag
            └── ClientDashboard  created with the client

Clients are archived, never deleted, once they have history: every table of
financial history refers to ``clients`` with ``ON DELETE RESTRICT``, while
contacts, addresses and tags go with a client that had no history.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from persistence.enums import AddressKind, ClientType
from persistence.models.base import (
    AccountScoped,
    Base,
    CreatedAt,
    IdMixin,
    PublicIdMixin,
    one_of,
    only_on,
    utcnow,
)


def client_fk(*, keep_history: bool = True) -> Mapped[int]:
    """The owning client: restrict deletion for history, cascade for details."""
    on_delete = "RESTRICT" if keep_history else "CASCADE"
    return mapped_column(ForeignKey("clients.id", ondelete=on_delete), index=True)


def text_search_index(table: str, column: str) -> Index:
    """A trigram index on PostgreSQL for the client search's substring matches
    (``ILIKE '%term%'``); SQLite has none, it scans."""
    return only_on(
        "postgresql",
        Index(
            f"ix_{table}_{column}_trigram",
            column,
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        ),
    )


# The columns the client search looks in, per table (see persistence.queries).
SEARCHED_COLUMNS = {
    "clients": ("display_name", "company_name", "account_number"),
    "contacts": ("first_name", "last_name", "email", "phone"),
    "addresses": ("line1", "city", "postal_code"),
}


def text_search_indexes(table: str) -> list[Index]:
    return [text_search_index(table, column) for column in SEARCHED_COLUMNS[table]]


def only_where(condition: str) -> dict[str, Any]:
    """Keyword arguments for a partial index on both supported databases."""
    return {
        "postgresql_where": text(condition),
        "sqlite_where": text(condition),
    }


class Client(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """A customer of the account: residential, commercial or contractor."""

    __tablename__ = "clients"
    __table_args__ = (
        one_of("client_type", ClientType),
        CheckConstraint("merged_into_id <> id", name="not_merged_into_itself"),
        Index("ix_clients_account_id_display_name", "account_id", "display_name"),
        Index("ix_clients_account_id_created_at", "account_id", "created_at"),
        *text_search_indexes("clients"),
    )

    display_name: Mapped[str] = mapped_column(String(200))
    company_name: Mapped[str | None] = mapped_column(String(200))
    client_type: Mapped[str] = mapped_column(String(20))
    account_number: Mapped[str | None] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[datetime | None]
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="RESTRICT")
    )


class ClientTag(AccountScoped, Base):
    """A free-form label on a client, filterable in the client list."""

    __tablename__ = "client_tags"
    __table_args__ = (Index("ix_client_tags_account_id_tag", "account_id", "tag"),)

    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(60), primary_key=True)


class ClientDashboard(IdMixin, AccountScoped, CreatedAt, Base):
    """The client's dashboard identity, created together with the client."""

    __tablename__ = "client_dashboards"

    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), unique=True
    )
    invited_at: Mapped[datetime | None]
    last_sign_in_at: Mapped[datetime | None]


class Contact(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """A person the business talks to about a client.

    The primary contact's email and phone are the default destinations of
    notifications. Texts need recorded consent (``text_consent_at``).
    """

    __tablename__ = "contacts"
    __table_args__ = (
        Index(
            "uq_contacts_one_primary_per_client",
            "client_id",
            unique=True,
            **only_where("is_primary"),
        ),
        Index("ix_contacts_account_id_email", "account_id", "email"),
        Index("ix_contacts_account_id_phone", "account_id", "phone"),
        *text_search_indexes("contacts"),
    )

    client_id: Mapped[int] = client_fk(keep_history=False)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(32))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    text_consent_at: Mapped[datetime | None]
    text_consent_source: Mapped[str | None] = mapped_column(String(200))


class Address(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """A service (where containers go) or billing address of a client."""

    __tablename__ = "addresses"
    __table_args__ = (
        one_of("kind", AddressKind),
        Index(
            "uq_addresses_one_default_per_kind",
            "client_id",
            "kind",
            unique=True,
            **only_where("is_default"),
        ),
        *text_search_indexes("addresses"),
    )

    client_id: Mapped[int] = client_fk(keep_history=False)
    kind: Mapped[str] = mapped_column(String(10))
    label: Mapped[str | None] = mapped_column(String(100))
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(100))
    postal_code: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2), default="US")
    pricing_zone: Mapped[str | None] = mapped_column(String(80))
    access_notes: Mapped[str | None] = mapped_column(Text)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    archived_at: Mapped[datetime | None]
