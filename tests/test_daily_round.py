"""The daily round does each account's day once, however often it runs."""

import asyncio
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.daily import run_daily, run_rounds
from persistence.database import create_session_factory
from persistence.enums import EstimateStatus, InvoiceStatus
from persistence.models import Estimate, Hold, Invoice
from tests.billing_factories import add_recurring_invoice, add_recurring_line
from tests.factories import add_account, add_client, add_invoice
from tests.invoicing_helpers import NOW, TODAY
from tests.work_factories import add_estimate


async def add_a_day_of_work(session: AsyncSession) -> None:
    """A recurring invoice due today, an invoice 30 days overdue with a
    10-day hold rule, and an estimate that lapsed yesterday."""
    account = await add_account(session, client_settings={"hold_days_past_due": 10})
    client = await add_client(session, account)
    schedule = await add_recurring_invoice(
        session, client, starts_on=TODAY, next_run_on=TODAY, payment_terms_days=10
    )
    await add_recurring_line(session, schedule, unit_price=30_000)
    await add_invoice(
        session,
        client,
        issued_on=TODAY - timedelta(days=40),
        due_on=TODAY - timedelta(days=30),
    )
    await add_estimate(
        session,
        client,
        status=EstimateStatus.NO_RESPONSE,
        valid_until=TODAY - timedelta(days=1),
    )
    await session.commit()


async def test_the_round_does_the_day_once(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    await add_a_day_of_work(session)
    factory = create_session_factory(engine)

    first = await run_daily(factory, NOW, TODAY)
    second = await run_daily(factory, NOW, TODAY)

    [day] = first
    assert (day.day, day.invoices_issued, day.invoices_overdue) == (TODAY, 1, 1)
    assert (day.holds_placed, day.estimates_expired) == (1, 1)
    [again] = second
    assert (again.invoices_issued, again.invoices_overdue) == (0, 0)
    assert (again.holds_placed, again.estimates_expired) == (0, 0)
    statuses = await session.scalars(select(Invoice.status).order_by(Invoice.id))
    assert sorted(statuses) == sorted([InvoiceStatus.OVERDUE, InvoiceStatus.OPEN])
    assert await session.scalar(select(Estimate.status)) == EstimateStatus.EXPIRED
    assert len(list(await session.scalars(select(Hold)))) == 1


async def test_rounds_run_at_once_and_stop_when_told(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    await add_a_day_of_work(session)
    stop = asyncio.Event()
    rounds = asyncio.create_task(
        run_rounds(create_session_factory(engine), stop, clock=lambda: NOW)
    )

    for _ in range(200):
        if await session.scalar(select(Hold.id)) is not None:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(rounds, timeout=5)

    assert await session.scalar(select(Hold.reason)) is not None
    assert rounds.exception() is None
