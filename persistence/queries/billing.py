"""The billing section's lists and per-record lookups, as SQL.

The activity feed is one ``UNION ALL`` of invoices, credits, payments and
refunds, paged like any table; each item names its kind and its row id, and
the records themselves are loaded by id afterwards, a table at a time.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    String,
    case,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from persistence.enums import InvoiceStatus
from persistence.models import (
    Charge,
    Credit,
    Hold,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentApplication,
    PaymentMethod,
    PaymentRequest,
    RecurringInvoice,
    RecurringInvoiceLine,
    Refund,
)
from persistence.models.base import UTCDateTime
from persistence.queries.batched import (
    ACCOUNT_ID,
    IDS,
    bound,
    children_of,
    rows_by_parent,
)
from persistence.queries.ledger import credited_on_invoice, paid_on_invoice
from persistence.queries.pages import SortKey
from persistence.queries.relations import Filters, Relation, newest_first

invoices = Invoice.__table__
invoice_lines = InvoiceLine.__table__
charges = Charge.__table__
payments = Payment.__table__
applications = PaymentApplication.__table__
credits = Credit.__table__
refunds = Refund.__table__
holds = Hold.__table__
recurring_invoices = RecurringInvoice.__table__
recurring_lines = RecurringInvoiceLine.__table__
payment_requests = PaymentRequest.__table__
payment_methods = PaymentMethod.__table__


class BillingActivityKind(StrEnum):
    """What an item of the billing activity feed is."""

    INVOICE = "invoice"
    CREDIT = "credit"
    PAYMENT = "payment"
    REFUND = "refund"


class noon_utc(FunctionElement[datetime]):
    """A date column as 12:00 UTC of that day, an aware timestamp.

    An invoice is dated, not timed. Noon UTC falls on the same calendar day
    from UTC−11 to UTC+11, so the feed shows the issue date wherever the
    account is, and sorts it among the day's payments.
    """

    type = UTCDateTime()
    inherit_cache = True
    name = "noon_utc"


@compiles(noon_utc)
def noon_utc_on_postgresql(element: noon_utc, compiler: SQLCompiler, **kw: Any) -> str:
    day = compiler.process(element.clauses, **kw)
    return f"((CAST({day} AS TIMESTAMP) + INTERVAL '12 hours') AT TIME ZONE 'UTC')"


@compiles(noon_utc, "sqlite")
def noon_utc_on_sqlite(element: noon_utc, compiler: SQLCompiler, **kw: Any) -> str:
    # The text SQLAlchemy itself stores for a datetime on SQLite, so the
    # values compare correctly with the other kinds' timestamps and cursors.
    day = compiler.process(element.clauses, **kw)
    return f"({day} || ' 12:00:00.000000')"


def activity_item(
    kind: BillingActivityKind,
    table: FromClause,
    occurred_at: Any,
    amount: Any,
    *where: Any,
) -> Any:
    return select(
        literal_column(f"'{kind.value}'", String).label("kind"),
        table.c.public_id,
        occurred_at.label("occurred_at"),
        amount.label("amount"),
        table.c.currency,
        table.c.client_id,
        table.c.account_id,
        table.c.id.label("row_id"),
    ).where(*where)


def billing_activity() -> FromClause:
    """Invoices (drafts excluded), credits, payments and refunds as one table."""
    items = union_all(
        activity_item(
            BillingActivityKind.INVOICE,
            invoices,
            noon_utc(invoices.c.issued_on),
            invoices.c.total,
            invoices.c.status != InvoiceStatus.DRAFT,
        ),
        activity_item(
            BillingActivityKind.CREDIT, credits, credits.c.created_at, credits.c.amount
        ),
        activity_item(
            BillingActivityKind.PAYMENT,
            payments,
            payments.c.received_at,
            payments.c.amount,
        ),
        activity_item(
            BillingActivityKind.REFUND, refunds, refunds.c.created_at, refunds.c.amount
        ),
    )
    return items.subquery("billing_activity")


activity = billing_activity()


def first_when(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """0 for rows meeting ``condition``, else 1: a sort key that puts them first.

    Cursors compare sort keys with ``<`` and ``>``, which SQLAlchemy refuses
    for a boolean compared with True or False; an integer sorts the same.
    """
    return case((condition, 0), else_=1)


def invoice_filters(source: FromClause, filters: Filters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    for name, value in filters:
        if name == "statuses":
            where.append(source.c.status.in_(value))
    return where


def uninvoiced(source: FromClause, filters: Filters) -> list[ColumnElement[bool]]:
    return [source.c.invoice_id.is_(None)]


def not_removed(source: FromClause, filters: Filters) -> list[ColumnElement[bool]]:
    return [source.c.removed_at.is_(None)]


CLIENT_BILLING_ACTIVITY = Relation(
    name="client.billing.activity",
    source=activity,
    parent_column="client_id",
    order=newest_first(activity, "occurred_at"),
)

CLIENT_INVOICES = Relation(
    name="client.billing.invoices",
    source=invoices,
    parent_column="client_id",
    order=(
        SortKey("issued_on", invoices.c.issued_on, is_descending=True),
        SortKey("number", invoices.c.number, is_descending=True),
        SortKey("public_id", invoices.c.public_id, is_descending=True),
    ),
    build_filters=invoice_filters,
)

CLIENT_RECURRING_INVOICES = Relation(
    name="client.billing.recurring_invoices",
    source=recurring_invoices,
    parent_column="client_id",
    # Active schedules first, the next to run at the top.
    order=(
        SortKey("is_active", first_when(recurring_invoices.c.is_active)),
        SortKey("next_run_on", recurring_invoices.c.next_run_on),
        SortKey("public_id", recurring_invoices.c.public_id),
    ),
)

CLIENT_UNINVOICED_CHARGES = Relation(
    name="client.billing.charges",
    source=charges,
    parent_column="client_id",
    order=newest_first(charges, "created_at"),
    build_filters=uninvoiced,
)

CLIENT_PAYMENT_REQUESTS = Relation(
    name="client.payment_requests",
    source=payment_requests,
    parent_column="client_id",
    order=newest_first(payment_requests, "sent_at"),
)

CLIENT_PAYMENT_METHODS = Relation(
    name="client.payment_methods",
    source=payment_methods,
    parent_column="client_id",
    # The default method first, then the most recently added.
    order=(
        SortKey("is_default", first_when(payment_methods.c.is_default)),
        *newest_first(payment_methods, "created_at"),
    ),
    build_filters=not_removed,
)


ACTIVE_HOLDS = select(holds).where(
    holds.c.account_id == ACCOUNT_ID,
    holds.c.client_id.in_(IDS),
    holds.c.released_at.is_(None),
)


async def active_holds(
    session: AsyncSession, account_id: int, client_ids: Sequence[int]
) -> dict[int, Any]:
    """The hold in force (not released) on each client that has one."""
    rows = await session.execute(ACTIVE_HOLDS, bound(account_id, client_ids))
    return {row.client_id: row for row in rows}


@dataclass(frozen=True, slots=True)
class InvoiceSettlement:
    """What has been paid (succeeded payments) and credited against an invoice."""

    paid: int = 0
    credited: int = 0


SETTLEMENTS = select(
    invoices.c.id,
    paid_on_invoice(invoices.c.id),
    credited_on_invoice(invoices.c.id),
).where(invoices.c.account_id == ACCOUNT_ID, invoices.c.id.in_(IDS))


async def invoice_settlements(
    session: AsyncSession, account_id: int, invoice_ids: Sequence[int]
) -> dict[int, InvoiceSettlement]:
    rows = await session.execute(SETTLEMENTS, bound(account_id, invoice_ids))
    return {
        invoice_id: InvoiceSettlement(int(paid_amount), int(credited_amount))
        for invoice_id, paid_amount, credited_amount in rows
    }


INVOICE_LINES = children_of(
    invoice_lines, "invoice_id", invoice_lines.c.position, invoice_lines.c.id
)
RECURRING_LINES = children_of(
    recurring_lines,
    "recurring_invoice_id",
    recurring_lines.c.position,
    recurring_lines.c.id,
)


async def lines_of_invoices(
    session: AsyncSession, account_id: int, invoice_ids: Sequence[int]
) -> dict[int, list[Any]]:
    return await rows_by_parent(
        session, INVOICE_LINES, "invoice_id", account_id, invoice_ids
    )


async def lines_of_recurring_invoices(
    session: AsyncSession, account_id: int, recurring_invoice_ids: Sequence[int]
) -> dict[int, list[Any]]:
    return await rows_by_parent(
        session,
        RECURRING_LINES,
        "recurring_invoice_id",
        account_id,
        recurring_invoice_ids,
    )


# Each payment's applications with the invoice number, lowest number first.
APPLICATIONS = (
    select(
        applications.c.payment_id,
        applications.c.amount,
        invoices.c.number.label("invoice_number"),
        invoices.c.currency,
    )
    .join(invoices, invoices.c.id == applications.c.invoice_id)
    .where(applications.c.account_id == ACCOUNT_ID, applications.c.payment_id.in_(IDS))
    .order_by(invoices.c.number)
)


async def applications_of_payments(
    session: AsyncSession, account_id: int, payment_ids: Sequence[int]
) -> dict[int, list[Any]]:
    """Each payment's applications with the invoice number, lowest number first."""
    return await rows_by_parent(
        session, APPLICATIONS, "payment_id", account_id, payment_ids
    )
