"""Work for a client: estimates, jobs and dumpster tasks.

    Client ─┬─< Estimate ─┬─< EstimateLine
            │             └─< EstimateEvent   (the engagement timeline)
            ├─< Job ─< JobLine
            └─< Task ─< WeightTicket
                 └──> Task (an exchange's delivery; a pickup's delivery)

Tasks and lines carry a price snapshot with the rule that produced it, so a
price never changes under a client when the price list does.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
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
    ActorKind,
    ContainerSize,
    EstimateStatus,
    JobKind,
    JobStatus,
    Material,
    TaskKind,
    TaskStatus,
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
from persistence.models.billing import PricedMixin, optional_fk, staff_fk
from persistence.models.people import client_fk


class Estimate(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """A quote with line items and a validity date."""

    __tablename__ = "estimates"
    __table_args__ = (
        UniqueConstraint("account_id", "number"),
        one_of("status", EstimateStatus),
        *money_checks("subtotal", "tax", "total"),
        CheckConstraint("total = subtotal + tax", name="total_is_subtotal_plus_tax"),
    )

    client_id: Mapped[int] = client_fk()
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default=EstimateStatus.DRAFT)
    valid_until: Mapped[date] = mapped_column(Date)
    service_address_id: Mapped[int | None] = optional_fk("addresses.id")
    currency: Mapped[str] = currency_column()
    subtotal: Mapped[int] = mapped_column(MinorUnits, default=0)
    tax: Mapped[int] = mapped_column(MinorUnits, default=0)
    total: Mapped[int] = mapped_column(MinorUnits, default=0)
    notes: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    job_id: Mapped[int | None] = optional_fk("jobs.id")
    created_by_id: Mapped[int | None] = staff_fk()


class EstimateLine(IdMixin, AccountScoped, PricedMixin, Base):
    __tablename__ = "estimate_lines"
    __table_args__ = (
        *money_checks("unit_price", "amount", allow_negative=True),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        one_of("container_size", ContainerSize),
    )

    estimate_id: Mapped[int] = mapped_column(
        ForeignKey("estimates.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(500))
    container_size: Mapped[int | None] = mapped_column(Integer)
    rental_days: Mapped[int | None] = mapped_column(Integer)
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal(1))
    unit_price: Mapped[int] = mapped_column(MinorUnits)
    amount: Mapped[int] = mapped_column(MinorUnits)


class EstimateEvent(IdMixin, AccountScoped, Base):
    """One status change of an estimate, with who caused it and when."""

    __tablename__ = "estimate_events"
    __table_args__ = (
        one_of("status", EstimateStatus),
        one_of("actor_kind", ActorKind),
        Index(
            "ix_estimate_events_estimate_id_occurred_at", "estimate_id", "occurred_at"
        ),
    )

    estimate_id: Mapped[int] = mapped_column(
        ForeignKey("estimates.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime]
    actor_kind: Mapped[str] = mapped_column(String(10))
    actor_staff_id: Mapped[int | None] = staff_fk()
    note: Mapped[str | None] = mapped_column(Text)


class Job(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, Base):
    """Project work: junk removal, material delivery, general projects."""

    __tablename__ = "jobs"
    __table_args__ = (
        one_of("kind", JobKind),
        one_of("status", JobStatus),
        CheckConstraint(
            "window_end IS NULL OR window_start IS NULL OR window_end >= window_start",
            name="window_in_order",
        ),
    )

    client_id: Mapped[int] = client_fk()
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.UNSCHEDULED)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    service_address_id: Mapped[int | None] = optional_fk("addresses.id")
    window_start: Mapped[datetime | None]
    window_end: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = staff_fk()


class JobLine(IdMixin, AccountScoped, PricedMixin, Base):
    __tablename__ = "job_lines"
    __table_args__ = (
        *money_checks("unit_price", "amount", allow_negative=True),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    job_id: Mapped[int] = mapped_column(
        ForeignKey("jobs.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal(1))
    unit_price: Mapped[int] = mapped_column(MinorUnits)
    amount: Mapped[int] = mapped_column(MinorUnits)


class Task(IdMixin, PublicIdMixin, AccountScoped, CreatedAt, PricedMixin, Base):
    """A dumpster work order at one of the client's service addresses."""

    __tablename__ = "tasks"
    __table_args__ = (
        one_of("kind", TaskKind),
        one_of("status", TaskStatus),
        one_of("container_size", ContainerSize),
        one_of("material", Material),
        *money_checks("price"),
        CheckConstraint("rental_days IS NULL OR rental_days > 0", name="rental_days"),
        CheckConstraint(
            "kind <> 'exchange' OR related_task_id IS NOT NULL",
            name="exchange_links_delivery",
        ),
        Index("ix_tasks_client_id_scheduled_on", "client_id", "scheduled_on"),
        Index("ix_tasks_account_id_scheduled_on", "account_id", "scheduled_on"),
    )

    client_id: Mapped[int] = client_fk()
    job_id: Mapped[int | None] = optional_fk("jobs.id")
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=TaskStatus.UNSCHEDULED)
    service_address_id: Mapped[int] = mapped_column(
        ForeignKey("addresses.id", ondelete="RESTRICT"), index=True
    )
    container_size: Mapped[int] = mapped_column(Integer)
    material: Mapped[str] = mapped_column(String(20))
    scheduled_on: Mapped[date | None] = mapped_column(Date)
    rental_days: Mapped[int | None] = mapped_column(Integer)
    driver_id: Mapped[int | None] = staff_fk()
    # An exchange's or a pickup's delivery: the container whose clock runs.
    related_task_id: Mapped[int | None] = optional_fk("tasks.id")
    currency: Mapped[str] = currency_column()
    price: Mapped[int] = mapped_column(MinorUnits, default=0)
    requires_signed_agreement: Mapped[bool] = mapped_column(Boolean, default=False)
    instructions: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    failure_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = staff_fk()


class WeightTicket(IdMixin, AccountScoped, CreatedAt, Base):
    """A scale ticket from the disposal facility for one task's load."""

    __tablename__ = "weight_tickets"
    __table_args__ = (CheckConstraint("net_tons >= 0", name="net_tons_not_negative"),)

    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), index=True
    )
    ticket_number: Mapped[str] = mapped_column(String(60))
    facility: Mapped[str] = mapped_column(String(200))
    net_tons: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    weighed_at: Mapped[datetime]
    image_attachment_id: Mapped[int | None] = optional_fk("attachments.id")
