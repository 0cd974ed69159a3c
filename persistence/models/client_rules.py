"""Rules that apply to one client: special pricing, setting overrides,
notification preferences, holds, and the notification log that shows their
effect.

    Client ─┬─< SpecialPrice                    overrides a price-list item or fee
            ├─< ClientSettingOverride           one row per overridden key
            ├─< NotificationPreferenceOverride  one row per event and channel
            ├─< Hold                            at most one active at a time
            └─< NotificationLogEntry ──> NotificationLogEntry (resend of)
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from persistence.enums import (
    Channel,
    ContainerSize,
    HoldRule,
    NotificationEvent,
    NotificationStatus,
    NotificationTrigger,
    SpecialPriceKind,
)
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
    utcnow,
)
from persistence.models.billing import optional_fk, staff_fk
from persistence.models.people import client_fk, only_where


class SpecialPrice(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """A negotiated price for one client: a container price or a named fee.

    Each price field left null keeps the standard value for that field.
    """

    __tablename__ = "special_prices"
    __table_args__ = (
        one_of("kind", SpecialPriceKind),
        one_of("container_size", ContainerSize),
        CheckConstraint(
            "(kind = 'container' AND container_size IS NOT NULL AND fee_code IS NULL)"
            " OR (kind = 'fee' AND fee_code IS NOT NULL AND container_size IS NULL)",
            name="targets_one_item",
        ),
        CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on",
            name="ends_after_start",
        ),
        *money_checks("base_price", "overage_per_ton", "per_extra_day", "fee_amount"),
    )

    client_id: Mapped[int] = client_fk()
    kind: Mapped[str] = mapped_column(String(10))
    container_size: Mapped[int | None] = mapped_column(Integer)
    rental_days: Mapped[int | None] = mapped_column(Integer)
    fee_code: Mapped[str | None] = mapped_column(String(60))
    currency: Mapped[str] = currency_column()
    base_price: Mapped[int | None] = mapped_column(MinorUnits)
    included_days: Mapped[int | None] = mapped_column(Integer)
    included_tons: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    overage_per_ton: Mapped[int | None] = mapped_column(MinorUnits)
    per_extra_day: Mapped[int | None] = mapped_column(MinorUnits)
    fee_amount: Mapped[int | None] = mapped_column(MinorUnits)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = staff_fk()


class ClientSettingOverride(IdMixin, AccountScoped, Base):
    """A client's own value for one of the account's client settings."""

    __tablename__ = "client_setting_overrides"
    __table_args__ = (UniqueConstraint("client_id", "key"),)

    client_id: Mapped[int] = client_fk(keep_history=False)
    key: Mapped[str] = mapped_column(String(60))
    value: Mapped[Any] = mapped_column(JSON)
    changed_by_id: Mapped[int | None] = staff_fk()
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class NotificationPreferenceOverride(IdMixin, AccountScoped, Base):
    """A client's own on/off for one notification event on one channel."""

    __tablename__ = "notification_preference_overrides"
    __table_args__ = (
        UniqueConstraint("client_id", "event", "channel"),
        one_of("event", NotificationEvent),
        one_of("channel", Channel),
    )

    client_id: Mapped[int] = client_fk(keep_history=False)
    event: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(10))
    is_enabled: Mapped[bool] = mapped_column(Boolean)
    # Staff, or the client itself from its dashboard (changed_by_id null).
    changed_by_id: Mapped[int | None] = staff_fk()
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Hold(IdMixin, AccountScoped, CreatedAt, Base):
    """An account hold on a client, placed by staff or by a rule."""

    __tablename__ = "holds"
    __table_args__ = (
        one_of("rule", HoldRule),
        Index(
            "uq_holds_one_active_per_client",
            "client_id",
            unique=True,
            **only_where("released_at IS NULL"),
        ),
    )

    client_id: Mapped[int] = client_fk()
    reason: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(20), default=HoldRule.MANUAL)
    placed_at: Mapped[datetime] = mapped_column(default=utcnow)
    placed_by_id: Mapped[int | None] = staff_fk()
    released_at: Mapped[datetime | None]
    released_by_id: Mapped[int | None] = staff_fk()
    release_reason: Mapped[str | None] = mapped_column(Text)


class NotificationLogEntry(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """One email or text to a client: sent, delivered, failed or suppressed."""

    __tablename__ = "notification_log"
    __table_args__ = (
        one_of("event", NotificationEvent),
        one_of("channel", Channel),
        one_of("trigger", NotificationTrigger),
        one_of("status", NotificationStatus),
        CheckConstraint(
            "status <> 'suppressed' OR suppression_reason IS NOT NULL",
            name="suppression_has_reason",
        ),
        Index("ix_notification_log_client_id_created_at", "client_id", "created_at"),
    )

    client_id: Mapped[int] = client_fk()
    contact_id: Mapped[int | None] = optional_fk("contacts.id")
    event: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(10))
    trigger: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12))
    recipient: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(String(300))
    suppression_reason: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(String(500))
    resend_of_id: Mapped[int | None] = optional_fk("notification_log.id")
    triggered_by_id: Mapped[int | None] = staff_fk()
    provider_message_id: Mapped[str | None] = mapped_column(String(100))
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    invoice_id: Mapped[int | None] = optional_fk("invoices.id")
    estimate_id: Mapped[int | None] = optional_fk("estimates.id")
    task_id: Mapped[int | None] = optional_fk("tasks.id")
    job_id: Mapped[int | None] = optional_fk("jobs.id")
    payment_request_id: Mapped[int | None] = optional_fk("payment_requests.id")
    context: Mapped[dict[str, Any] | None] = mapped_column(JSON)
