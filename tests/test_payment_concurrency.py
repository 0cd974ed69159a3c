"""Simultaneous payments on PostgreSQL: row locks keep invoices from being
paid twice and idempotency keys from recording twice.

SQLite has one writer at a time, so these races only exist on PostgreSQL;
the suite's PostgreSQL pass runs them.
"""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.gateway import SandboxGateway
from domain.payment_checks import (
    Allocation,
)
from domain.payments import (
    PaymentEntry,
    record_payment,
)
from domain.problems import Refused
from domain.refunds import RefundEntry, refund_payment
from persistence.database import create_engine, create_session_factory, is_sqlite
from persistence.enums import InvoiceStatus, PaymentMethodKind
from persistence.models import Account, Client, Invoice, Payment, PaymentApplication
from tests.factories import add_account, add_client, add_invoice
from tests.payment_helpers import NOW, assert_ledger_consistent, staff_viewer

SIMULTANEOUS = 20


@pytest.fixture
async def wide_engine(engine: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    """The test database with a connection for every simultaneous payment."""
    if is_sqlite(engine):
        pytest.skip("Row locks and concurrent writers are PostgreSQL's.")
    url = engine.url.render_as_string(hide_password=False)
    wide = create_engine(url, pool_size=SIMULTANEOUS + 2)
    yield wide
    await wide.dispose()


async def ledger_with_invoice(engine: AsyncEngine) -> tuple[Account, Client, Invoice]:
    async with create_session_factory(engine)() as session:
        account = await add_account(session, time_zone="UTC")
        client = await add_client(session, account)
        invoice = await add_invoice(session, client, total=10_825)
        await session.commit()
    return account, client, invoice


async def pay(engine: AsyncEngine, account: Account, entry: PaymentEntry) -> Any:
    """One request: its own session and transaction; the result or the refusal."""
    async with create_session_factory(engine)() as session:
        try:
            payment = await record_payment(session, staff_viewer(account), entry, NOW)
            await session.commit()
        except Refused as refused:
            await session.rollback()
            return refused
        return payment.id


async def applied_total(engine: AsyncEngine) -> int:
    async with create_session_factory(engine)() as session:
        total = await session.scalar(select(func.sum(PaymentApplication.amount)))
    return int(total or 0)


async def test_simultaneous_allocations_never_overpay_an_invoice(
    wide_engine: AsyncEngine,
) -> None:
    account, client, invoice = await ledger_with_invoice(wide_engine)
    entries = [
        PaymentEntry(
            client.public_id,
            PaymentMethodKind.CARD,
            1_000,
            f"key-{number}",
            (Allocation(invoice.public_id, 1_000),),
        )
        for number in range(SIMULTANEOUS)
    ]

    results = await asyncio.gather(
        *(pay(wide_engine, account, entry) for entry in entries)
    )

    refused = [result for result in results if isinstance(result, Refused)]
    assert len(refused) == SIMULTANEOUS - 10
    assert {p.code for r in refused for p in r.problems} == {"overapplied"}
    assert await applied_total(wide_engine) == 10_000
    async with create_session_factory(wide_engine)() as session:
        await assert_ledger_consistent(session, client)


async def test_simultaneous_payments_oldest_first_pay_exactly_the_total(
    wide_engine: AsyncEngine,
) -> None:
    account, client, invoice = await ledger_with_invoice(wide_engine)
    entries = [
        PaymentEntry(client.public_id, PaymentMethodKind.CASH, 1_000, f"key-{n}")
        for n in range(SIMULTANEOUS)
    ]

    results = await asyncio.gather(
        *(pay(wide_engine, account, entry) for entry in entries)
    )

    assert not any(isinstance(result, Refused) for result in results)
    assert await applied_total(wide_engine) == invoice.total
    async with create_session_factory(wide_engine)() as session:
        status = await session.scalar(
            select(Invoice.status).where(Invoice.id == invoice.id)
        )
        assert status == InvoiceStatus.PAID
        balance = await assert_ledger_consistent(session, client)
    assert balance == invoice.total - SIMULTANEOUS * 1_000


async def test_simultaneous_requests_with_one_key_record_one_payment(
    wide_engine: AsyncEngine,
) -> None:
    account, client, _ = await ledger_with_invoice(wide_engine)
    entry = PaymentEntry(client.public_id, PaymentMethodKind.CHECK, 2_500, "same")

    results = await asyncio.gather(
        *(pay(wide_engine, account, entry) for _ in range(SIMULTANEOUS))
    )

    assert len(set(results)) == 1
    async with create_session_factory(wide_engine)() as session:
        assert await session.scalar(select(func.count()).select_from(Payment)) == 1
        await assert_ledger_consistent(session, client)


async def refund(engine: AsyncEngine, account: Account, entry: RefundEntry) -> Any:
    async with create_session_factory(engine)() as session:
        try:
            row = await refund_payment(
                session, staff_viewer(account), SandboxGateway(), entry, NOW
            )
            await session.commit()
        except Refused as refused:
            await session.rollback()
            return refused
        return row.id


async def test_simultaneous_refunds_never_give_back_more_than_was_paid(
    wide_engine: AsyncEngine,
) -> None:
    account, client, invoice = await ledger_with_invoice(wide_engine)
    entry = PaymentEntry(client.public_id, PaymentMethodKind.CHECK, 5_000, "paid")
    await pay(wide_engine, account, entry)
    async with create_session_factory(wide_engine)() as session:
        payment = await session.scalar(select(Payment))
    assert payment is not None
    refunds = [
        RefundEntry(payment.public_id, 1_000, f"refund-{number}")
        for number in range(SIMULTANEOUS)
    ]

    results = await asyncio.gather(
        *(refund(wide_engine, account, entry) for entry in refunds)
    )

    refused = [result for result in results if isinstance(result, Refused)]
    assert len(refused) == SIMULTANEOUS - 5
    assert await applied_total(wide_engine) == 0
    async with create_session_factory(wide_engine)() as session:
        status = await session.scalar(
            select(Invoice.status).where(Invoice.id == invoice.id)
        )
        assert status == InvoiceStatus.OPEN
        assert await assert_ledger_consistent(session, client) == invoice.total
