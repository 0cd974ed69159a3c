"""Accounts (tenants), their staff, roles and standard price list.

    Account ─┬─< StaffRole ─< StaffUser
             ├─< PriceListItem   (per container size and rental length)
             └─< Fee             (named fees: relocation, mattress, tires…)

An account's client settings and notification defaults are JSON documents
whose keys and defaults are defined in ``domain.settings``; a client overrides
single keys in its own tables (see ``records``).
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from persistence.enums import ClientType, ContainerSize
from persistence.models.base import (
    AccountScoped,
    Base,
    CreatedAt,
    IdMixin,
    MinorUnits,
    PublicIdMixin,
    currency_column,
    money_checks,
    one_of,
)


class Account(IdMixin, PublicIdMixin, CreatedAt, Base):
    """One business using Haulgraph. Nothing is ever visible across accounts."""

    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint("next_invoice_number > 0", name="next_invoice_number_positive"),
        CheckConstraint(
            "next_estimate_number > 0", name="next_estimate_number_positive"
        ),
    )

    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    currency: Mapped[str] = currency_column()
    locale: Mapped[str] = mapped_column(String(20), default="en-US")
    time_zone: Mapped[str] = mapped_column(String(64), default="America/Denver")
    email_from: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(32))
    has_payments_addon: Mapped[bool] = mapped_column(Boolean, default=False)
    has_shop_addon: Mapped[bool] = mapped_column(Boolean, default=False)
    # Sequences are taken under a row lock and never handed out twice.
    next_invoice_number: Mapped[int] = mapped_column(Integer, default=1001)
    next_estimate_number: Mapped[int] = mapped_column(Integer, default=501)
    client_settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notification_defaults: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class StaffRole(IdMixin, AccountScoped, CreatedAt, Base):
    """A named set of permissions; built-in roles are copied into each account."""

    __tablename__ = "staff_roles"
    __table_args__ = (UniqueConstraint("account_id", "name"),)

    name: Mapped[str] = mapped_column(String(80))
    permissions: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_builtin: Mapped[bool] = mapped_column(Boolean, default=False)


class StaffUser(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """An employee who signs in to the staff app. Emails are unique system-wide."""

    __tablename__ = "staff_users"

    role_id: Mapped[int] = mapped_column(
        ForeignKey("staff_roles.id", ondelete="RESTRICT"), index=True
    )
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    deactivated_at: Mapped[datetime | None]


class PriceListItem(IdMixin, AccountScoped, CreatedAt, Base):
    """A standard price for one container size and rental length.

    ``client_type`` and ``pricing_zone`` narrow an item: an item with neither
    is the account standard; one with a zone applies to service addresses in
    that zone; one with a client type to clients of that type.
    """

    __tablename__ = "price_list_items"
    __table_args__ = (
        one_of("container_size", ContainerSize),
        one_of("client_type", ClientType),
        CheckConstraint("rental_days > 0", name="rental_days_positive"),
        CheckConstraint("included_days > 0", name="included_days_positive"),
        CheckConstraint("included_tons >= 0", name="included_tons_not_negative"),
        *money_checks("base_price", "overage_per_ton", "per_extra_day"),
    )

    container_size: Mapped[int] = mapped_column(Integer)
    rental_days: Mapped[int] = mapped_column(Integer)
    client_type: Mapped[str | None] = mapped_column(String(20))
    pricing_zone: Mapped[str | None] = mapped_column(String(80))
    currency: Mapped[str] = currency_column()
    base_price: Mapped[int] = mapped_column(MinorUnits)
    included_days: Mapped[int] = mapped_column(Integer)
    included_tons: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    overage_per_ton: Mapped[int] = mapped_column(MinorUnits)
    per_extra_day: Mapped[int] = mapped_column(MinorUnits)


class Fee(IdMixin, AccountScoped, CreatedAt, Base):
    """A named fee on the account's price list (relocation, mattress, tires…)."""

    __tablename__ = "fees"
    __table_args__ = (UniqueConstraint("account_id", "code"), *money_checks("amount"))

    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = currency_column()
    amount: Mapped[int] = mapped_column(MinorUnits)
