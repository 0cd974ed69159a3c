"""Shared pieces of the money-movement tests: a staff viewer, a clock, and
the ledger identity every movement must keep."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.billing import amount_due
from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL
from graph.ids import encode_global_id
from persistence.enums import InvoiceStatus, PaymentStatus
from persistence.models import (
    Account,
    ActivityRecord,
    Client,
    Credit,
    Invoice,
    Payment,
    PaymentApplication,
    Refund,
)
from persistence.queries.ledger import BILLED, UNPAID, billing_summaries
from persistence.queries.payments import settled_amounts

NOW = datetime(2026, 1, 20, 17, 0, tzinfo=UTC)
TODAY = date(2026, 1, 20)


def staff_viewer(account: Account, staff_user_id: int | None = None) -> Viewer:
    return Viewer(
        account_id=account.id,
        kind=ViewerKind.STAFF,
        permissions=ALL,
        staff_user_id=staff_user_id,
    )


@dataclass(frozen=True, slots=True)
class LedgerView:
    """The balance three ways: the read side's SQL, the ledger's rows summed
    here, and what unpaid invoices owe less the client's credit."""

    reported: int
    summed: int
    owed_less_credit: int


async def rows_of(session: AsyncSession, model: Any, client: Client) -> list[Any]:
    return list(
        await session.scalars(select(model).where(model.client_id == client.id))
    )


async def ledger_view(session: AsyncSession, client: Client) -> LedgerView:
    await session.flush()
    summaries = await billing_summaries(session, client.account_id, [client.id], TODAY)
    invoices = await rows_of(session, Invoice, client)
    payments = [
        row
        for row in await rows_of(session, Payment, client)
        if row.status == PaymentStatus.SUCCEEDED
    ]
    credits = await rows_of(session, Credit, client)
    refunds = await rows_of(session, Refund, client)
    summed = (
        sum(row.total for row in invoices if row.status in BILLED)
        - sum(row.amount for row in payments)
        - sum(row.amount for row in credits)
        + sum(row.amount for row in refunds)
    )

    settled = await settled_amounts(session, [row.id for row in invoices])
    owed = sum(
        amount_due(row.status, row.total, settled[row.id], 0)
        for row in invoices
        if row.status in UNPAID
    )
    applied = {row.id: 0 for row in payments}
    for application in await session.scalars(select(PaymentApplication)):
        if application.payment_id in applied:
            applied[application.payment_id] += application.amount
    refunded = {row.id: 0 for row in payments}
    for refund in refunds:
        refunded[refund.payment_id] += refund.amount
    credit = sum(
        row.amount - applied[row.id] - refunded[row.id] for row in payments
    ) + sum(row.amount for row in credits if row.invoice_id is None)
    return LedgerView(summaries[client.id].balance, summed, owed - credit)


async def assert_ledger_consistent(session: AsyncSession, client: Client) -> int:
    view = await ledger_view(session, client)
    assert view.reported == view.summed == view.owed_less_credit, view
    return view.reported


async def actions_of(session: AsyncSession, client: Client) -> list[str]:
    rows = await session.scalars(
        select(ActivityRecord.action)
        .where(ActivityRecord.client_id == client.id)
        .order_by(ActivityRecord.id)
    )
    return list(rows)


async def statuses(session: AsyncSession, *invoices: Invoice) -> list[InvoiceStatus]:
    await session.flush()
    for invoice in invoices:
        await session.refresh(invoice)
    return [InvoiceStatus(invoice.status) for invoice in invoices]


def gid(type_name: str, row: Any) -> str:
    """The global ID the API gives ``row``."""
    return encode_global_id(type_name, row.public_id)
