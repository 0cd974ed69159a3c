"""The daily round does each account's day once, however often it runs."""

import asyncio
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.daily import AccountDay, run_daily, run_rounds
from domain.work.reminders import remind_tasks
from persistence.database import create_session_factory
from persistence.enums import (
    Channel,
    EstimateStatus,
    InvoiceStatus,
    NotificationEvent,
    NotificationStatus,
    NotificationTrigger,
)
from persistence.models import (
    Estimate,
    Hold,
    Invoice,
    NotificationLogEntry,
    OutboxItem,
)
from tests.billing_factories import add_recurring_invoice, add_recurring_line
from tests.factories import add_account, add_client, add_invoice
from tests.invoicing_helpers import NOW, TODAY
from tests.notify_factories import add_notified_client, memory_worker
from tests.work_factories import add_estimate, add_job, add_task


async def add_a_day_of_work(session: AsyncSession) -> None:
    """A recurring invoice due today, an invoice 30 days overdue with a
    10-day hold rule, an estimate that lapsed yesterday, a task tomorrow."""
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
    await add_task(session, client, scheduled_on=TODAY + timedelta(days=1))
    await session.commit()


DENVER = ZoneInfo("America/Denver")


def counts(day: AccountDay) -> tuple[int, ...]:
    return (
        day.invoices_issued,
        day.invoices_overdue,
        day.holds_placed,
        day.estimates_expired,
        day.reminders_queued,
    )


async def test_the_round_does_the_day_once(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    await add_a_day_of_work(session)
    factory = create_session_factory(engine)

    first = await run_daily(factory, NOW, TODAY)
    second = await run_daily(factory, NOW, TODAY)

    [day], [again] = first, second
    assert day.day == TODAY
    assert counts(day) == (1, 1, 1, 1, 1)
    assert counts(again) == (0, 0, 0, 0, 0)
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


async def test_a_rescheduled_task_is_reminded_for_its_new_day(
    session: AsyncSession,
) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    task = await add_task(session, client, scheduled_on=TODAY + timedelta(days=1))
    first = await remind_tasks(session, account.id, TODAY)
    task.scheduled_on = TODAY + timedelta(days=3)

    before = await remind_tasks(session, account.id, TODAY + timedelta(days=1))
    moved = await remind_tasks(session, account.id, TODAY + timedelta(days=2))
    again = await remind_tasks(session, account.id, TODAY + timedelta(days=2))

    assert [t.id for t in first] == [task.id]
    assert before == []
    assert [t.id for t in moved] == [task.id]
    assert again == []
    events = await session.scalars(
        select(NotificationLogEntry.event).where(
            NotificationLogEntry.channel == Channel.EMAIL
        )
    )
    assert list(events) == [NotificationEvent.TASK_REMINDER] * 2


async def test_finished_outbox_items_go_after_a_month(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    account = await add_account(session)
    client = await add_client(session, account)
    ages = {"old": timedelta(days=31), "recent": timedelta(days=29), "due": None}
    for name, age in ages.items():
        entry = NotificationLogEntry(
            account_id=account.id,
            client_id=client.id,
            event=NotificationEvent.INVOICE_SENT,
            channel=Channel.EMAIL,
            trigger=NotificationTrigger.AUTOMATIC,
            status=NotificationStatus.SENT if age else NotificationStatus.QUEUED,
            subject=name,
        )
        session.add(entry)
        await session.flush()
        session.add(
            OutboxItem(
                account_id=account.id,
                notification_id=entry.id,
                completed_at=NOW - age if age else None,
            )
        )
    await session.commit()

    await run_daily(create_session_factory(engine), NOW, TODAY)

    left = await session.scalars(
        select(NotificationLogEntry.subject)
        .join(OutboxItem, OutboxItem.notification_id == NotificationLogEntry.id)
        .order_by(NotificationLogEntry.subject)
    )
    assert list(left) == ["due", "recent"]
    assert await session.scalar(select(func.count(NotificationLogEntry.id))) == 3


async def test_a_job_tomorrow_where_the_business_is_gets_one_reminder(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    notified = await add_notified_client(session)
    notified.account.time_zone = "America/Denver"
    # 5 pm in Denver on the day after TODAY is already the next day in UTC.
    evening = datetime.combine(TODAY + timedelta(days=1), time(17), DENVER)
    late = datetime.combine(TODAY + timedelta(days=2), time(9), DENVER)
    await add_job(session, notified.client, window_start=evening)
    await add_job(session, notified.client, window_start=late)
    await session.commit()
    factory = create_session_factory(engine)
    worker, mailer, _ = memory_worker(engine)

    first = await run_daily(factory, NOW, TODAY)
    again = await run_daily(factory, NOW, TODAY)
    await worker.run_until_idle()

    assert (first[0].reminders_queued, again[0].reminders_queued) == (1, 0)
    [reminder] = mailer.sent
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    assert f"your junk removal is on {tomorrow}" in reminder.text
