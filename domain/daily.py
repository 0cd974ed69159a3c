"""The business day's round: what happens once a day for every account.

Recurring invoices that fall due are issued, invoices past due are marked
overdue with the hold rules applied, open estimates past their validity are
stored as expired, tomorrow's tasks and jobs get their reminders, and
outbox items finished over a month ago are pruned. Each step does nothing
twice on one day, so the round may run every hour in the API process, in
several workers at once, or by hand with ``haulgraph run-daily``.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.calendar import local_date
from domain.delivery.outbox import prune_outbox
from domain.estimates import expire_estimates
from domain.holds import age_invoices
from domain.invoicing.generation import run_recurring
from domain.work.reminders import remind_jobs, remind_tasks
from persistence.models import Account

logger = logging.getLogger(__name__)

# Hourly: a business's day starts on its own clock, and a missed round (the
# process was down) is made up within the hour.
ROUND_INTERVAL = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class AccountDay:
    """What the round did for one account on its business day."""

    slug: str
    day: date
    invoices_issued: int
    invoices_overdue: int
    holds_placed: int
    estimates_expired: int
    reminders_queued: int


async def run_daily(
    session_factory: async_sessionmaker[AsyncSession],
    now: datetime,
    today: date | None = None,
) -> list[AccountDay]:
    """Run the day's work of every account, each on its own calendar day
    (``today`` overrides it, for catching up)."""
    issued = await run_recurring(session_factory, now, today)
    async with session_factory() as session:
        account_ids = list(
            await session.scalars(select(Account.id).order_by(Account.id))
        )

    report = []
    for account_id in account_ids:
        # One transaction per account: a failure leaves the others' day done.
        async with session_factory() as session, session.begin():
            account = await session.get_one(Account, account_id)
            day = today or local_date(now, account.time_zone)
            aged = await age_invoices(session, account, day, now)
            expired = await expire_estimates(session, account.id, day, now)
            tasks = await remind_tasks(session, account.id, day)
            jobs = await remind_jobs(session, account, day)
        report.append(
            AccountDay(
                slug=account.slug,
                day=day,
                invoices_issued=sum(i.account_id == account_id for i in issued),
                invoices_overdue=aged.marked_overdue,
                holds_placed=aged.holds_placed,
                estimates_expired=len(expired),
                reminders_queued=len(tasks) + len(jobs),
            )
        )
    async with session_factory() as session, session.begin():
        pruned = await prune_outbox(session, now)
    logger.info(
        "Daily round done for %d accounts; %d finished outbox items pruned",
        len(report),
        pruned,
    )
    return report


async def run_daily_safely(
    session_factory: async_sessionmaker[AsyncSession], now: datetime
) -> None:
    """The round as a background job: a failure is logged and retried at the
    next round, never raised into the process that runs it."""
    try:
        await run_daily(session_factory, now)
    except Exception:
        logger.exception("The daily round failed; it runs again within the hour")


async def run_rounds(
    session_factory: async_sessionmaker[AsyncSession],
    stop: asyncio.Event,
    *,
    interval: timedelta = ROUND_INTERVAL,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> None:
    """Run the round now and every ``interval`` until ``stop`` is set."""
    while not stop.is_set():
        await run_daily_safely(session_factory, clock())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval.total_seconds())
