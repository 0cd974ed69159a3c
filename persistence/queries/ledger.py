"""The ledger's sums, as SQL: balance, outstanding and overdue per client.

Balance = invoiced − paid − credited + refunded, where "invoiced" counts every
invoice that is neither a draft nor void, and "paid" every payment that
succeeded. Nothing is cached: the balance is always what the ledger derives.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Date,
    Select,
    bindparam,
    case,
    cast,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.enums import InvoiceStatus, PaymentStatus
from persistence.models import (
    Client,
    Credit,
    Hold,
    Invoice,
    Payment,
    PaymentApplication,
    Refund,
)

BILLED = (
    InvoiceStatus.OPEN,
    InvoiceStatus.OVERDUE,
    InvoiceStatus.PARTIALLY_PAID,
    InvoiceStatus.PAID,
)
UNPAID = (InvoiceStatus.OPEN, InvoiceStatus.OVERDUE, InvoiceStatus.PARTIALLY_PAID)

invoices = Invoice.__table__
payments = Payment.__table__
credits = Credit.__table__
refunds = Refund.__table__
applications = PaymentApplication.__table__
holds = Hold.__table__
clients = Client.__table__


def summed(amount: Any, *where: ColumnElement[bool]) -> ColumnElement[int]:
    """A correlated ``COALESCE(SUM(amount), 0)`` scalar subquery."""
    return func.coalesce(select(func.sum(amount)).where(*where).scalar_subquery(), 0)


def balance_of(client_id: ColumnElement[int]) -> ColumnElement[int]:
    """The balance of the client whose id is ``client_id`` (a correlated column)."""
    invoiced = summed(
        invoices.c.total,
        invoices.c.client_id == client_id,
        invoices.c.status.in_(BILLED),
    )
    paid = summed(
        payments.c.amount,
        payments.c.client_id == client_id,
        payments.c.status == PaymentStatus.SUCCEEDED,
    )
    credited = summed(credits.c.amount, credits.c.client_id == client_id)
    refunded = summed(refunds.c.amount, refunds.c.client_id == client_id)
    # PostgreSQL sums bigints as numeric; money stays an integer.
    return cast(invoiced - paid - credited + refunded, BigInteger)


def paid_on_invoice(invoice_id: ColumnElement[int]) -> ColumnElement[int]:
    """What succeeded payments applied to the invoice (a correlated column)."""
    return summed(
        applications.c.amount,
        applications.c.invoice_id == invoice_id,
        payments.c.id == applications.c.payment_id,
        payments.c.status == PaymentStatus.SUCCEEDED,
    )


def credited_on_invoice(invoice_id: ColumnElement[int]) -> ColumnElement[int]:
    """What credits took off the invoice (a correlated column)."""
    return summed(credits.c.amount, credits.c.invoice_id == invoice_id)


def overdue_invoice_exists(client_id: ColumnElement[int], today: date) -> Any:
    return (
        select(invoices.c.id)
        .where(
            invoices.c.client_id == client_id,
            invoices.c.status.in_(UNPAID),
            invoices.c.due_on < today,
        )
        .exists()
    )


def active_hold_exists(client_id: ColumnElement[int]) -> Any:
    return (
        select(holds.c.id)
        .where(holds.c.client_id == client_id, holds.c.released_at.is_(None))
        .exists()
    )


@dataclass(frozen=True, slots=True)
class BillingSummary:
    balance: int
    outstanding: int
    overdue: int
    unpaid_invoices: int
    overdue_invoices: int


EMPTY_SUMMARY = BillingSummary(0, 0, 0, 0, 0)


@cache
def summary_statements() -> tuple[Select[Any], Select[Any]]:
    """The statements of ``billing_summaries``, built once: the account, the
    clients and today are bound per call (``account_id``, ``client_ids``,
    ``today``), so building and caching them costs nothing per request."""
    account_id = bindparam("account_id", type_=BigInteger)
    client_ids = bindparam("client_ids", type_=BigInteger, expanding=True)
    # Each unpaid invoice of these clients, settled by what was applied to it
    # and credited against it: a few rows found by index, not every
    # application of the clients' payments.
    settled = (
        invoices.c.total
        - paid_on_invoice(invoices.c.id)
        - credited_on_invoice(invoices.c.id)
    )
    owed = (
        select(invoices.c.client_id, invoices.c.due_on, settled.label("settled"))
        .where(
            invoices.c.account_id == account_id,
            invoices.c.client_id.in_(client_ids),
            invoices.c.status.in_(UNPAID),
        )
        .subquery("owed")
    )
    # An over-credited invoice owes nothing; it does not offset other invoices.
    remaining = case((owed.c.settled > 0, owed.c.settled), else_=0)
    is_overdue = owed.c.due_on < bindparam("today", type_=Date)
    unpaid = select(
        owed.c.client_id,
        func.sum(remaining),
        func.sum(case((is_overdue, remaining), else_=0)),
        func.count(),
        func.sum(case((is_overdue, 1), else_=0)),
    ).group_by(owed.c.client_id)
    balances = select(clients.c.id, balance_of(clients.c.id)).where(
        clients.c.account_id == account_id, clients.c.id.in_(client_ids)
    )
    return unpaid, balances


async def billing_summaries(
    session: AsyncSession, account_id: int, client_ids: Sequence[int], today: date
) -> dict[int, BillingSummary]:
    """Balance, outstanding and overdue amounts for many clients in two statements.

    Outstanding is what unpaid invoices still ask for (total − applied − credits
    against them); overdue is the outstanding part of invoices past due.
    """
    unpaid, balances = summary_statements()
    values = {"account_id": account_id, "client_ids": list(client_ids), "today": today}
    open_amounts = {row[0]: row[1:] for row in await session.execute(unpaid, values)}
    summaries = {}
    for client_id, balance in await session.execute(balances, values):
        outstanding, overdue, unpaid_count, overdue_count = open_amounts.get(
            client_id, (0, 0, 0, 0)
        )
        summaries[client_id] = BillingSummary(
            balance=int(balance),
            outstanding=int(outstanding),
            overdue=int(overdue),
            unpaid_invoices=int(unpaid_count),
            overdue_invoices=int(overdue_count),
        )
    return summaries
