"""The statements invoicing needs: the number counter, locked look-ups and the
facts that decide whether an invoice may still change."""

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.enums import PaymentStatus
from persistence.models import (
    Account,
    Charge,
    Client,
    ClientSettingOverride,
    Credit,
    Hold,
    InvoiceLine,
    Payment,
    PaymentApplication,
    RecurringInvoice,
    RecurringInvoiceLine,
)

Row = TypeVar("Row")


async def take_invoice_number(session: AsyncSession, account_id: int) -> int:
    """The account's next invoice number, advancing its counter.

    One ``UPDATE … RETURNING`` both reads and advances the counter: the row
    stays locked until the transaction ends (PostgreSQL), or the database is
    write-locked (SQLite), so two transactions can never take the same
    number. A transaction that rolls back gives its number back unused, so
    committed invoices form a sequence without gaps or repeats.
    """
    taken = await session.scalar(
        update(Account)
        .where(Account.id == account_id)
        .values(next_invoice_number=Account.next_invoice_number + 1)
        .returning(Account.next_invoice_number - 1)
    )
    if taken is None:
        raise LookupError(f"Account {account_id} does not exist.")
    return int(taken)


async def by_public_id(
    session: AsyncSession,
    model: type[Row],
    account_id: int,
    public_id: uuid.UUID | None,
    *,
    for_update: bool = False,
) -> Row | None:
    """The account's row of ``model`` with this public id; None for any other.

    ``for_update`` locks the row until the transaction ends, so concurrent
    changes to it run one after the other (PostgreSQL; SQLite locks writes
    database-wide anyway).
    """
    if public_id is None:
        return None
    table: Any = model
    statement = select(model).where(
        table.public_id == public_id, table.account_id == account_id
    )
    if for_update:
        # Re-read under the lock: another transaction may have changed the row.
        statement = statement.with_for_update().execution_options(
            populate_existing=True
        )
    return (await session.scalars(statement)).first()


async def account_of(session: AsyncSession, account_id: int) -> Account:
    return await session.get_one(Account, account_id)


async def client_setting_overrides(
    session: AsyncSession, client_id: int, keys: Sequence[str]
) -> dict[str, Any]:
    """The client's own values for these setting keys."""
    rows = await session.execute(
        select(ClientSettingOverride.key, ClientSettingOverride.value).where(
            ClientSettingOverride.client_id == client_id,
            ClientSettingOverride.key.in_(keys),
        )
    )
    return dict(rows.all())


async def client_by_id(session: AsyncSession, client_id: int) -> Client:
    return await session.get_one(Client, client_id)


async def uninvoiced_charges(
    session: AsyncSession, client_id: int, *, for_update: bool = True
) -> list[Charge]:
    """Every charge of the client that no invoice bills yet, oldest first."""
    statement = (
        select(Charge)
        .where(Charge.client_id == client_id, Charge.invoice_id.is_(None))
        .order_by(Charge.created_at, Charge.id)
    )
    if for_update:
        statement = statement.with_for_update().execution_options(
            populate_existing=True
        )
    return list(await session.scalars(statement))


async def charges_by_public_ids(
    session: AsyncSession, account_id: int, public_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Charge]:
    """The account's charges with these public ids, locked for the change."""
    if not public_ids:
        return {}
    rows = await session.scalars(
        select(Charge)
        .where(Charge.account_id == account_id, Charge.public_id.in_(public_ids))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {row.public_id: row for row in rows}


async def charges_of_invoice(session: AsyncSession, invoice_id: int) -> list[Charge]:
    rows = await session.scalars(
        select(Charge).where(Charge.invoice_id == invoice_id).order_by(Charge.id)
    )
    return list(rows)


async def lines_of_invoice(session: AsyncSession, invoice_id: int) -> list[InvoiceLine]:
    rows = await session.scalars(
        select(InvoiceLine)
        .where(InvoiceLine.invoice_id == invoice_id)
        .order_by(InvoiceLine.position, InvoiceLine.id)
    )
    return list(rows)


async def lines_of_schedule(
    session: AsyncSession, recurring_invoice_id: int
) -> list[RecurringInvoiceLine]:
    rows = await session.scalars(
        select(RecurringInvoiceLine)
        .where(RecurringInvoiceLine.recurring_invoice_id == recurring_invoice_id)
        .order_by(RecurringInvoiceLine.position, RecurringInvoiceLine.id)
    )
    return list(rows)


async def amount_paid_toward(session: AsyncSession, invoice_id: int) -> int:
    """What succeeded payments have applied to the invoice."""
    paid = await session.scalar(
        select(func.coalesce(func.sum(PaymentApplication.amount), 0))
        .join(Payment, Payment.id == PaymentApplication.payment_id)
        .where(
            PaymentApplication.invoice_id == invoice_id,
            Payment.status == PaymentStatus.SUCCEEDED,
        )
    )
    return int(paid or 0)


async def amount_credited_toward(session: AsyncSession, invoice_id: int) -> int:
    credited = await session.scalar(
        select(func.coalesce(func.sum(Credit.amount), 0)).where(
            Credit.invoice_id == invoice_id
        )
    )
    return int(credited or 0)


async def has_active_hold(session: AsyncSession, client_id: int) -> bool:
    found = await session.scalar(
        select(Hold.id).where(Hold.client_id == client_id, Hold.released_at.is_(None))
    )
    return found is not None


async def due_schedule_ids(
    session: AsyncSession, today: date, account_id: int | None = None
) -> list[int]:
    """Active recurring invoices whose next run is on or before ``today``."""
    statement = select(RecurringInvoice.id).where(
        RecurringInvoice.is_active.is_(True), RecurringInvoice.next_run_on <= today
    )
    if account_id is not None:
        statement = statement.where(RecurringInvoice.account_id == account_id)
    return list(await session.scalars(statement.order_by(RecurringInvoice.id)))


async def schedule_for_update(
    session: AsyncSession, recurring_invoice_id: int
) -> RecurringInvoice | None:
    """The schedule, locked: a second runner waits, then sees the advanced date."""
    statement = (
        select(RecurringInvoice)
        .where(RecurringInvoice.id == recurring_invoice_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(statement)).first()
