"""Issuing what recurring invoices owe on a business day, once per period.

Each schedule is handled in a transaction of its own, under a row lock on
the schedule: a second runner waits for the first and then finds the next
run already moved on. The database's unique key on (schedule, period) is the
last word: should two runs ever race past the lock, one of them fails and
rolls back, and each period still has exactly one invoice. A runner that
missed days catches up, one invoice per missed period.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.activity import record_activity
from domain.billing import line_amount
from domain.calendar import local_date
from domain.invoicing.drafting import apply_totals, invoice_totals, write_lines
from domain.invoicing.invoices import add_numbered
from domain.invoicing.lifecycle import deliver
from domain.invoicing.lines import PricedLine
from domain.invoicing.periods import period_after, period_label
from domain.invoicing.terms import billing_terms
from domain.problems import Refused
from persistence.enums import InvoiceStatus, RecurrenceInterval
from persistence.models import Account, Client, Invoice, RecurringInvoice
from persistence.queries import invoicing as queries

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class GeneratedInvoice:
    """One invoice a run issued, for the runner's report."""

    account_id: int
    client_name: str
    schedule_name: str
    period: str
    number: int
    total: int
    currency: str


async def generate_due(
    session: AsyncSession, schedule_id: int, today: date, now: datetime
) -> list[GeneratedInvoice]:
    """Issue and send one invoice for every period of the schedule that has
    started by ``today`` and has none yet; the caller commits."""
    # Under the lock, the schedule is read again: another run may have moved it.
    schedule = await queries.schedule_for_update(session, schedule_id)
    if schedule is None or not schedule.is_active or schedule.ended_at is not None:
        return []

    client = await queries.client_by_id(session, schedule.client_id)
    if client.archived_at is not None or client.merged_into_id is not None:
        await pause_for_archived_client(session, schedule)
        return []

    generated = []
    while schedule.next_run_on <= today and not is_past_end(schedule):
        invoice = await invoice_for_period(session, schedule, client, now, today)
        if invoice is not None:
            generated.append(report(schedule, client, invoice))
        schedule.next_run_on = period_after(
            schedule.starts_on,
            RecurrenceInterval(schedule.interval),
            schedule.interval_count,
            schedule.next_run_on,
        )

    if is_past_end(schedule):
        schedule.is_active = False
        schedule.ended_at = now
        await record_activity(
            session,
            None,
            "recurring_invoice.ended",
            client_id=client.id,
            subject=schedule,
        )
    return generated


def is_past_end(schedule: RecurringInvoice) -> bool:
    return schedule.ends_on is not None and schedule.next_run_on > schedule.ends_on


async def pause_for_archived_client(
    session: AsyncSession, schedule: RecurringInvoice
) -> None:
    logger.info("Pausing recurring invoice %s: its client is archived", schedule.id)
    schedule.is_active = False
    await record_activity(
        session,
        None,
        "recurring_invoice.paused",
        client_id=schedule.client_id,
        subject=schedule,
        reason="client archived",
    )


async def invoice_for_period(
    session: AsyncSession,
    schedule: RecurringInvoice,
    client: Client,
    now: datetime,
    today: date,
) -> Invoice | None:
    """The period's invoice, issued and sent; None when it exists already."""
    label = period_label(schedule.next_run_on, RecurrenceInterval(schedule.interval))
    existing = await session.scalar(
        select(Invoice.id).where(
            Invoice.recurring_invoice_id == schedule.id,
            Invoice.recurring_period == label,
        )
    )
    if existing is not None:
        return None

    account = await session.get_one(Account, schedule.account_id)
    terms = await billing_terms(session, account, client, now)
    lines = await schedule_lines(session, schedule)
    totals = invoice_totals([], lines, terms)

    invoice = Invoice(
        account_id=schedule.account_id,
        client_id=client.id,
        status=InvoiceStatus.OPEN,
        issued_on=today,
        due_on=today + timedelta(days=schedule.payment_terms_days),
        currency=schedule.currency,
        memo=f"{schedule.name}, period {label}",
        service_address_id=schedule.service_address_id,
        recurring_invoice_id=schedule.id,
        recurring_period=label,
    )
    apply_totals(invoice, totals)
    await add_numbered(session, invoice)
    write_lines(session, invoice, [], lines)

    await record_activity(
        session,
        None,
        "invoice.created",
        client_id=client.id,
        subject=invoice,
        number=invoice.number,
        total=invoice.total,
        recurring_period=label,
    )
    # Recurring invoices go out by themselves: nobody clicks "send".
    await deliver(session, None, now, invoice, manual=False)
    return invoice


async def schedule_lines(
    session: AsyncSession, schedule: RecurringInvoice
) -> list[PricedLine]:
    return [
        PricedLine(
            description=row.description,
            quantity=row.quantity,
            unit_price=row.unit_price,
            amount=line_amount(row.quantity, row.unit_price),
            is_taxable=row.is_taxable,
        )
        for row in await queries.lines_of_schedule(session, schedule.id)
    ]


def report(
    schedule: RecurringInvoice, client: Client, invoice: Invoice
) -> GeneratedInvoice:
    return GeneratedInvoice(
        account_id=invoice.account_id,
        client_name=client.display_name,
        schedule_name=schedule.name,
        period=invoice.recurring_period or "",
        number=invoice.number,
        total=invoice.total,
        currency=invoice.currency,
    )


async def run_recurring(
    session_factory: async_sessionmaker[AsyncSession],
    now: datetime,
    today: date | None = None,
) -> list[GeneratedInvoice]:
    """Generate what every account's schedules owe; ``today`` overrides each
    account's own business day (for catching up or testing)."""
    async with session_factory() as session:
        accounts = list(await session.execute(select(Account.id, Account.time_zone)))

    generated = []
    for account_id, time_zone in accounts:
        # Each business bills on its own calendar day, not the server's.
        day = today or local_date(now, time_zone)
        async with session_factory() as session:
            schedule_ids = await queries.due_schedule_ids(session, day, account_id)
        for schedule_id in schedule_ids:
            generated += await run_schedule(session_factory, schedule_id, day, now)
    logger.info("Recurring invoices generated: %d", len(generated))
    return generated


async def run_schedule(
    session_factory: async_sessionmaker[AsyncSession],
    schedule_id: int,
    today: date,
    now: datetime,
) -> list[GeneratedInvoice]:
    """One schedule in its own transaction; a failure skips it, not the run."""
    async with session_factory() as session:
        try:
            generated = await generate_due(session, schedule_id, today, now)
            await session.commit()
        except Refused as refused:
            await session.rollback()
            logger.warning("Recurring invoice %s was skipped: %s", schedule_id, refused)
            return []
        except IntegrityError:
            await session.rollback()
            logger.info(
                "Recurring invoice %s was generated by another run", schedule_id
            )
            return []
        except DBAPIError:
            await session.rollback()
            logger.exception("Recurring invoice %s could not be generated", schedule_id)
            return []
    return generated
