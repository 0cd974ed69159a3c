"""The ledger: charges, invoices, payments, credits, refunds and their kin.

    Client ─┬─< Charge ──> Invoice (null while uninvoiced)
            ├─< Invoice ─< InvoiceLine
            ├─< Payment ─< PaymentApplication >── Invoice
            │          └─< Refund
            ├─< Credit  (optionally applied to one invoice)
            ├─< RecurringInvoice ─< RecurringInvoiceLine
            ├─< PaymentRequest ──> Invoice, Payment (the one it led to)
            └─< PaymentMethod   (tokens only)

Balance = invoiced − paid − credited (+ refunded), always derived from these
rows. Totals stored on an invoice are a snapshot of its lines, kept equal by
the domain layer and by a check constraint.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
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
    InvoiceStatus,
    PaymentMethodKind,
    PaymentStatus,
    PriceRule,
    RecurrenceInterval,
    StoredMethodKind,
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
)
from persistence.models.people import client_fk, only_where


def optional_fk(target: str) -> Mapped[int | None]:
    return mapped_column(ForeignKey(target, ondelete="SET NULL"), index=True)


def staff_fk() -> Mapped[int | None]:
    return mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))


class PricedMixin:
    """The price snapshot of a billable line and the rule that produced it."""

    price_rule: Mapped[str] = mapped_column(String(30), default=PriceRule.MANUAL)
    price_detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Invoice(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """A bill sent to a client; numbers are sequential per account."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("account_id", "number"),
        UniqueConstraint("recurring_invoice_id", "recurring_period"),
        one_of("status", InvoiceStatus),
        *money_checks("subtotal", "tax", "total"),
        CheckConstraint("total = subtotal + tax", name="total_is_subtotal_plus_tax"),
        CheckConstraint("due_on >= issued_on", name="due_after_issue"),
        Index("ix_invoices_client_id_issued_on", "client_id", "issued_on"),
    )

    client_id: Mapped[int] = client_fk()
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=InvoiceStatus.DRAFT)
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = currency_column()
    subtotal: Mapped[int] = mapped_column(MinorUnits, default=0)
    tax: Mapped[int] = mapped_column(MinorUnits, default=0)
    total: Mapped[int] = mapped_column(MinorUnits, default=0)
    memo: Mapped[str | None] = mapped_column(Text)
    billing_address_id: Mapped[int | None] = optional_fk("addresses.id")
    service_address_id: Mapped[int | None] = optional_fk("addresses.id")
    recurring_invoice_id: Mapped[int | None] = optional_fk("recurring_invoices.id")
    recurring_period: Mapped[str | None] = mapped_column(String(20))
    sent_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = staff_fk()


class InvoiceLine(IdMixin, AccountScoped, PricedMixin, Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (
        *money_checks("unit_price", "amount", allow_negative=True),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoices.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal(1))
    unit_price: Mapped[int] = mapped_column(MinorUnits)
    amount: Mapped[int] = mapped_column(MinorUnits)
    is_taxable: Mapped[bool] = mapped_column(Boolean, default=True)
    charge_id: Mapped[int | None] = optional_fk("charges.id")
    task_id: Mapped[int | None] = optional_fk("tasks.id")
    job_id: Mapped[int | None] = optional_fk("jobs.id")


class Charge(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, PricedMixin, Base):
    """A billable amount not yet invoiced (``invoice_id`` null), billed in arrears."""

    __tablename__ = "charges"
    __table_args__ = (
        *money_checks("unit_price", "amount", allow_negative=True),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    client_id: Mapped[int] = client_fk()
    service_address_id: Mapped[int | None] = optional_fk("addresses.id")
    invoice_id: Mapped[int | None] = optional_fk("invoices.id")
    task_id: Mapped[int | None] = optional_fk("tasks.id")
    job_id: Mapped[int | None] = optional_fk("jobs.id")
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal(1))
    currency: Mapped[str] = currency_column()
    unit_price: Mapped[int] = mapped_column(MinorUnits)
    amount: Mapped[int] = mapped_column(MinorUnits)
    is_taxable: Mapped[bool] = mapped_column(Boolean, default=True)


class Payment(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """Money received, or a failed attempt to collect it (counts toward holds)."""

    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("account_id", "idempotency_key"),
        one_of("method", PaymentMethodKind),
        one_of("status", PaymentStatus),
        *money_checks("amount"),
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_payments_client_id_received_at", "client_id", "received_at"),
    )

    client_id: Mapped[int] = client_fk()
    method: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=PaymentStatus.SUCCEEDED)
    currency: Mapped[str] = currency_column()
    amount: Mapped[int] = mapped_column(MinorUnits)
    received_at: Mapped[datetime]
    reference: Mapped[str | None] = mapped_column(String(100))
    failure_reason: Mapped[str | None] = mapped_column(String(200))
    payment_method_id: Mapped[int | None] = optional_fk("payment_methods.id")
    processor_reference: Mapped[str | None] = mapped_column(String(100))
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    recorded_by_id: Mapped[int | None] = staff_fk()


class PaymentApplication(IdMixin, AccountScoped, CreatedAt, Base):
    """The part of a payment applied to one invoice."""

    __tablename__ = "payment_applications"
    __table_args__ = (
        UniqueConstraint("payment_id", "invoice_id"),
        *money_checks("amount"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payments.id", ondelete="RESTRICT"), index=True
    )
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoices.id", ondelete="RESTRICT"), index=True
    )
    amount: Mapped[int] = mapped_column(MinorUnits)


class Refund(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """Money given back from a payment."""

    __tablename__ = "refunds"
    __table_args__ = (
        UniqueConstraint("account_id", "idempotency_key"),
        *money_checks("amount"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    client_id: Mapped[int] = client_fk()
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payments.id", ondelete="RESTRICT"), index=True
    )
    currency: Mapped[str] = currency_column()
    amount: Mapped[int] = mapped_column(MinorUnits)
    reason: Mapped[str | None] = mapped_column(Text)
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    created_by_id: Mapped[int | None] = staff_fk()


class Credit(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """A credit memo: reduces the balance, optionally against one invoice."""

    __tablename__ = "credits"
    __table_args__ = (
        UniqueConstraint("account_id", "idempotency_key"),
        *money_checks("amount"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    client_id: Mapped[int] = client_fk()
    invoice_id: Mapped[int | None] = optional_fk("invoices.id")
    currency: Mapped[str] = currency_column()
    amount: Mapped[int] = mapped_column(MinorUnits)
    reason: Mapped[str] = mapped_column(Text)
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    created_by_id: Mapped[int | None] = staff_fk()


class RecurringInvoice(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """A schedule that generates an invoice each period, once per period."""

    __tablename__ = "recurring_invoices"
    __table_args__ = (
        one_of("interval", RecurrenceInterval),
        CheckConstraint("interval_count > 0", name="interval_count_positive"),
        CheckConstraint("payment_terms_days >= 0", name="terms_not_negative"),
        CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"
        ),
    )

    client_id: Mapped[int] = client_fk()
    name: Mapped[str] = mapped_column(String(200))
    interval: Mapped[str] = mapped_column(String(10))
    interval_count: Mapped[int] = mapped_column(Integer, default=1)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    next_run_on: Mapped[date] = mapped_column(Date)
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    currency: Mapped[str] = currency_column()
    service_address_id: Mapped[int | None] = optional_fk("addresses.id")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Paused schedules are inactive and may resume; ended ones never run again.
    ended_at: Mapped[datetime | None]


class RecurringInvoiceLine(IdMixin, AccountScoped, Base):
    __tablename__ = "recurring_invoice_lines"
    __table_args__ = (
        *money_checks("unit_price", allow_negative=True),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    recurring_invoice_id: Mapped[int] = mapped_column(
        ForeignKey("recurring_invoices.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal(1))
    unit_price: Mapped[int] = mapped_column(MinorUnits)
    is_taxable: Mapped[bool] = mapped_column(Boolean, default=True)


class PaymentRequest(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """A request to pay an open invoice; kept after payment for the audit trail."""

    __tablename__ = "payment_requests"
    __table_args__ = (one_of("channel", Channel), *money_checks("amount"))

    client_id: Mapped[int] = client_fk()
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoices.id", ondelete="RESTRICT"), index=True
    )
    currency: Mapped[str] = currency_column()
    amount: Mapped[int] = mapped_column(MinorUnits)
    channel: Mapped[str] = mapped_column(String(10))
    sent_to: Mapped[str] = mapped_column(String(320))
    sent_at: Mapped[datetime]
    sent_by_id: Mapped[int | None] = staff_fk()
    payment_id: Mapped[int | None] = optional_fk("payments.id")


class PaymentMethod(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """A card or bank account on file, held by the processor as a token.

    No column can hold a card or account number: only the processor's token,
    the brand or bank, and the last four digits.
    """

    __tablename__ = "payment_methods"
    __table_args__ = (
        one_of("kind", StoredMethodKind),
        CheckConstraint("length(last_four) = 4", name="last_four_length"),
        CheckConstraint(
            "kind <> 'card' OR (exp_month IS NOT NULL AND exp_year IS NOT NULL"
            " AND exp_month BETWEEN 1 AND 12 AND exp_year >= 2000)",
            name="card_has_expiry",
        ),
        UniqueConstraint("processor", "processor_token"),
        Index(
            "uq_payment_methods_one_default_per_client",
            "client_id",
            unique=True,
            **only_where("is_default AND removed_at IS NULL"),
        ),
    )

    client_id: Mapped[int] = client_fk()
    kind: Mapped[str] = mapped_column(String(10))
    processor: Mapped[str] = mapped_column(String(40))
    processor_token: Mapped[str] = mapped_column(String(200))
    brand: Mapped[str | None] = mapped_column(String(40))
    bank_name: Mapped[str | None] = mapped_column(String(100))
    holder_name: Mapped[str | None] = mapped_column(String(200))
    last_four: Mapped[str] = mapped_column(String(4))
    exp_month: Mapped[int | None] = mapped_column(Integer)
    exp_year: Mapped[int | None] = mapped_column(Integer)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    removed_at: Mapped[datetime | None]
