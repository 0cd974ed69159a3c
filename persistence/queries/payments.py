"""The rows money movements read and lock: invoices, payments, credits.

Locks are always taken in one order, invoices (by id) before payments (by
id) before credits (by id), so concurrent movements queue instead of
deadlocking. SQLite has no row locks; its single writer serializes instead.
"""

from collections.abc import Sequence
from typing import Any, cast
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.enums import PaymentStatus
from persistence.models import (
    Client,
    Credit,
    Invoice,
    Payment,
    PaymentApplication,
    PaymentMethod,
    PaymentRequest,
    Refund,
)
from persistence.queries.ledger import UNPAID, balance_of, clients


async def invoices_by_public_id(
    session: AsyncSession, client: Client, public_ids: Sequence[UUID]
) -> dict[UUID, Invoice]:
    """The client's invoices among ``public_ids``; others are simply absent."""
    rows = await session.scalars(
        select(Invoice).where(
            Invoice.account_id == client.account_id,
            Invoice.client_id == client.id,
            Invoice.public_id.in_(public_ids),
        )
    )
    return {row.public_id: row for row in rows}


async def lock_invoices(
    session: AsyncSession, account_id: int, invoice_ids: Sequence[int]
) -> list[Invoice]:
    """The invoices, locked until the transaction ends, lowest id first."""
    if not invoice_ids:
        return []
    rows = await session.scalars(
        select(Invoice)
        .where(Invoice.account_id == account_id, Invoice.id.in_(invoice_ids))
        .order_by(Invoice.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(rows)


async def lock_unpaid_invoices(session: AsyncSession, client: Client) -> list[Invoice]:
    """Every invoice of the client that still asks for money, locked."""
    rows = await session.scalars(
        select(Invoice)
        .where(
            Invoice.account_id == client.account_id,
            Invoice.client_id == client.id,
            Invoice.status.in_(UNPAID),
        )
        .order_by(Invoice.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(rows)


async def lock_payment(session: AsyncSession, payment_id: int) -> Payment:
    payment = await session.scalar(
        select(Payment)
        .where(Payment.id == payment_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if payment is None:  # pragma: no cover - the caller found it a moment ago
        raise LookupError(f"Payment {payment_id} vanished inside its transaction.")
    return payment


async def lock_unapplied_sources(
    session: AsyncSession, client: Client
) -> tuple[list[Payment], list[Credit]]:
    """The client's succeeded payments and its credits on account, locked."""
    payments = await session.scalars(
        select(Payment)
        .where(
            Payment.account_id == client.account_id,
            Payment.client_id == client.id,
            Payment.status == PaymentStatus.SUCCEEDED,
        )
        .order_by(Payment.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    locked_payments = list(payments)
    credits = await session.scalars(
        select(Credit)
        .where(
            Credit.account_id == client.account_id,
            Credit.client_id == client.id,
            Credit.invoice_id.is_(None),
        )
        .order_by(Credit.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return locked_payments, list(credits)


async def settled_amounts(
    session: AsyncSession, invoice_ids: Sequence[int]
) -> dict[int, int]:
    """Paid (succeeded payments) plus credited per invoice, read afresh."""
    if not invoice_ids:
        return {}
    paid = (
        select(PaymentApplication.invoice_id, PaymentApplication.amount)
        .join(Payment, Payment.id == PaymentApplication.payment_id)
        .where(
            PaymentApplication.invoice_id.in_(invoice_ids),
            Payment.status == PaymentStatus.SUCCEEDED,
        )
    )
    credited = select(Credit.invoice_id, Credit.amount).where(
        Credit.invoice_id.in_(invoice_ids)
    )
    settled = dict.fromkeys(invoice_ids, 0)
    for statement in (paid, credited):
        for invoice_id, amount in await session.execute(statement):
            settled[cast(int, invoice_id)] += int(amount)
    return settled


async def applications_of(
    session: AsyncSession, payment_ids: Sequence[int]
) -> list[PaymentApplication]:
    """Applications of these payments, the newest invoice's first, as the
    database has them now (rows loaded earlier are refreshed)."""
    if not payment_ids:
        return []
    rows = await session.scalars(
        select(PaymentApplication)
        .where(PaymentApplication.payment_id.in_(payment_ids))
        .order_by(PaymentApplication.invoice_id.desc())
        .execution_options(populate_existing=True)
    )
    return list(rows)


async def amounts_by_payment(
    session: AsyncSession, column: Any, payment_column: Any, payment_ids: Sequence[int]
) -> dict[int, int]:
    if not payment_ids:
        return {}
    statement = (
        select(payment_column, func.sum(column))
        .where(payment_column.in_(payment_ids))
        .group_by(payment_column)
    )
    found = dict.fromkeys(payment_ids, 0)
    for payment_id, amount in await session.execute(statement):
        found[payment_id] = int(amount)
    return found


async def applied_to_payments(
    session: AsyncSession, payment_ids: Sequence[int]
) -> dict[int, int]:
    return await amounts_by_payment(
        session,
        PaymentApplication.amount,
        PaymentApplication.payment_id,
        payment_ids,
    )


async def refunded_from_payments(
    session: AsyncSession, payment_ids: Sequence[int]
) -> dict[int, int]:
    return await amounts_by_payment(
        session, Refund.amount, Refund.payment_id, payment_ids
    )


async def client_balance(session: AsyncSession, client: Client) -> int:
    """The client's balance as the ledger derives it."""
    balance = await session.scalar(
        select(balance_of(clients.c.id)).where(clients.c.id == client.id)
    )
    return int(balance or 0)


async def payment_by_key(
    session: AsyncSession, account_id: int, key: str
) -> Payment | None:
    return await session.scalar(
        select(Payment).where(
            Payment.account_id == account_id, Payment.idempotency_key == key
        )
    )


async def refund_by_key(
    session: AsyncSession, account_id: int, key: str
) -> Refund | None:
    return await session.scalar(
        select(Refund).where(
            Refund.account_id == account_id, Refund.idempotency_key == key
        )
    )


async def credit_by_key(
    session: AsyncSession, account_id: int, key: str
) -> Credit | None:
    return await session.scalar(
        select(Credit).where(
            Credit.account_id == account_id, Credit.idempotency_key == key
        )
    )


async def recent_payment_statuses(
    session: AsyncSession, client: Client, limit: int
) -> list[str]:
    """The statuses of the client's latest payments and attempts, newest first."""
    rows = await session.scalars(
        select(Payment.status)
        .where(Payment.account_id == client.account_id, Payment.client_id == client.id)
        .order_by(Payment.received_at.desc(), Payment.id.desc())
        .limit(limit)
    )
    return list(rows)


async def unanswered_requests(
    session: AsyncSession, invoice_ids: Sequence[int]
) -> list[PaymentRequest]:
    """Payment requests for these invoices that have not led to a payment yet."""
    if not invoice_ids:
        return []
    rows = await session.scalars(
        select(PaymentRequest).where(
            PaymentRequest.invoice_id.in_(invoice_ids),
            PaymentRequest.payment_id.is_(None),
        )
    )
    return list(rows)


async def payment_methods_of(
    session: AsyncSession, client: Client
) -> list[PaymentMethod]:
    """The client's methods still on file, locked so the default stays single."""
    rows = await session.scalars(
        select(PaymentMethod)
        .where(
            PaymentMethod.account_id == client.account_id,
            PaymentMethod.client_id == client.id,
            PaymentMethod.removed_at.is_(None),
        )
        .order_by(PaymentMethod.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(rows)
