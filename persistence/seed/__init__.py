"""Demo data and benchmark volumes: one realistic roll-off account per call,
generated from the seed and ``today`` alone, so equal arguments give equal rows."""

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from random import Random

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncEngine
from tqdm import tqdm

from persistence.seed.accounts import seed_account
from persistence.seed.clients import finish_client, new_client
from persistence.seed.context import BusinessRules, NumberSequence, SeedContext
from persistence.seed.estimates import add_estimates_and_jobs
from persistence.seed.holds import add_holds
from persistence.seed.invoices import bill_all
from persistence.seed.messages import add_messages
from persistence.seed.notices import write_notifications
from persistence.seed.payments import settle_all
from persistence.seed.pricing import PriceBook
from persistence.seed.records import add_agreements, add_notes
from persistence.seed.rentals import add_rentals, plan_rentals
from persistence.seed.rules import add_rules
from persistence.seed.service_requests import add_service_request
from persistence.seed.vocabulary import BUSINESS_NAMES
from persistence.seed.writer import (
    IdAllocator,
    Row,
    RowBuffer,
    analyze_tables,
    bulk_write_cache,
    insert_batches,
    read_first_ids,
    reset_sequences,
    vacuum_tables,
)

__all__ = ["BusinessRules", "SeedSummary", "seed_demo", "seed_scale"]

logger = logging.getLogger(__name__)

DEMO_NAME = "Summit Roll-Off & Junk Removal"
DEMO_CLIENTS = 40
# The first clients of every run have a full history, so even a small run
# shows every status; the rest are drawn at random.
SHOWCASE_CLIENTS = 3
CHUNK_CLIENTS = 500
FIRST_INVOICE_NUMBER = 1001
FIRST_ESTIMATE_NUMBER = 501

# A chunk of generated clients: how many, and their rows per table.
Chunk = tuple[int, list[tuple[Table, list[Row]]]]


@dataclass(frozen=True)
class SeedSummary:
    account_id: int
    slug: str
    clients: int
    rows: int
    rows_by_table: Mapping[str, int]
    next_invoice_number: int
    next_estimate_number: int
    seconds: float


@dataclass(frozen=True)
class SeedPlan:
    name: str
    slug: str
    clients: int
    seed: int
    today: date
    rules: BusinessRules


async def seed_demo(
    engine: AsyncEngine,
    *,
    seed: int = 1,
    today: date,
    staff_password_hash: str,
    rules: BusinessRules,
) -> SeedSummary:
    """The demo account (slug ``demo``) with 40 clients of every kind."""
    plan = SeedPlan(DEMO_NAME, "demo", DEMO_CLIENTS, seed, today, rules)
    return await run_seed(engine, plan, staff_password_hash, progress=False)


async def seed_scale(
    engine: AsyncEngine,
    *,
    clients: int,
    seed: int = 1,
    today: date,
    staff_password_hash: str,
    rules: BusinessRules,
    progress: bool = False,
) -> SeedSummary:
    """A benchmark account of ``clients`` clients, beside any existing data."""
    name = BUSINESS_NAMES[(seed - 1) % len(BUSINESS_NAMES)]
    plan = SeedPlan(name, f"scale-{clients}-{seed}", clients, seed, today, rules)
    return await run_seed(engine, plan, staff_password_hash, progress=progress)


async def run_seed(
    engine: AsyncEngine, plan: SeedPlan, password_hash: str, *, progress: bool
) -> SeedSummary:
    """Generate twice, in one transaction: plan the numbers, then write.

    The planning pass only counts the invoices and estimates dated each day,
    so the writing pass can number them in date order across the account.
    """
    started = time.perf_counter()
    invoices = NumberSequence(FIRST_INVOICE_NUMBER)
    estimates = NumberSequence(FIRST_ESTIMATE_NUMBER)
    async with engine.begin() as connection, bulk_write_cache(connection):
        first_ids = await read_first_ids(connection)

        planning = new_context(plan, first_ids, invoices, estimates, keeps_rows=False)
        with progress_bar(plan, "Planning", progress) as bar:
            numbering = generate(planning, plan, password_hash, numbers_only=True)
            async for done, _ in in_thread(numbering):
                bar.update(done)
        invoices.freeze()
        estimates.freeze()

        ctx = new_context(plan, first_ids, invoices, estimates, keeps_rows=True)
        with progress_bar(plan, "Seeding", progress) as bar:
            async for done, batches in in_thread(generate(ctx, plan, password_hash)):
                await insert_batches(connection, batches)
                bar.update(done)
        invoices.check_complete()
        estimates.check_complete()
        counts = dict(ctx.buffer.counts)
        await reset_sequences(connection, list(counts))
        await analyze_tables(connection, list(counts))
    await vacuum_tables(engine, list(counts))

    summary = SeedSummary(
        account_id=ctx.account_id,
        slug=plan.slug,
        clients=plan.clients,
        rows=sum(counts.values()),
        rows_by_table=counts,
        next_invoice_number=invoices.next_free,
        next_estimate_number=estimates.next_free,
        seconds=time.perf_counter() - started,
    )
    logger.info(
        "Seeded account %s: %d clients, %d rows in %.1f s",
        plan.slug,
        summary.clients,
        summary.rows,
        summary.seconds,
    )
    return summary


async def in_thread(chunks: Iterator[Chunk]) -> AsyncIterator[Chunk]:
    """Chunks generated in a worker thread, one ahead of the consumer.

    The next chunk is generated while the database writes the previous one,
    so generation overlaps with the database's own work.
    """
    upcoming = asyncio.create_task(asyncio.to_thread(next, chunks, None))
    try:
        while (chunk := await upcoming) is not None:
            upcoming = asyncio.create_task(asyncio.to_thread(next, chunks, None))
            yield chunk
    finally:
        # Let a generation still running finish before the caller goes on.
        await asyncio.wait([upcoming])


def new_context(
    plan: SeedPlan,
    first_ids: dict[str, int],
    invoices: NumberSequence,
    estimates: NumberSequence,
    *,
    keeps_rows: bool,
) -> SeedContext:
    # The slug is part of the seed, so accounts seeded side by side never
    # draw the same public ids or processor tokens.
    return SeedContext(
        rng=Random(f"{plan.slug}:{plan.seed}"),
        today=plan.today,
        ids=IdAllocator(first_ids),
        buffer=RowBuffer(keeps_rows=keeps_rows),
        invoice_numbers=invoices,
        estimate_numbers=estimates,
        rules=plan.rules,
        slug=plan.slug,
    )


def progress_bar(plan: SeedPlan, label: str, enabled: bool) -> tqdm:  # type: ignore[type-arg]
    return tqdm(total=plan.clients, desc=label, unit="client", disable=not enabled)


def generate(
    ctx: SeedContext, plan: SeedPlan, password_hash: str, *, numbers_only: bool = False
) -> Iterator[Chunk]:
    """The account, then its clients chunk by chunk, with each chunk's rows."""
    ctx.account_id = ctx.new_id("accounts")
    book = seed_account(
        ctx, name=plan.name, clients=plan.clients, staff_password_hash=password_hash
    )
    for first in range(0, plan.clients, CHUNK_CLIENTS):
        last = min(first + CHUNK_CLIENTS, plan.clients)
        for index in range(first, last):
            # Each client draws from its own stream, so the planning pass may
            # stop a client early without changing the clients after it.
            ctx.rng = Random(f"{plan.slug}:{plan.seed}:{index}")
            generate_client(ctx, book, index, numbers_only=numbers_only)
        yield last - first, ctx.buffer.drain()


def generate_client(
    ctx: SeedContext, book: PriceBook, index: int, *, numbers_only: bool
) -> None:
    client = new_client(ctx, index, is_showcase=index < SHOWCASE_CLIENTS)
    add_rules(ctx, client, book)
    plan_rentals(ctx, client)
    add_estimates_and_jobs(ctx, client, book)
    add_rentals(ctx, client, book)
    bills = bill_all(ctx, client)
    if numbers_only:
        return  # Nothing below takes an invoice or estimate number.
    cashier = settle_all(ctx, client, bills)
    add_holds(ctx, client, bills, cashier)
    add_agreements(ctx, client)
    add_notes(ctx, client)
    add_messages(ctx, client)
    add_service_request(ctx, client)
    write_notifications(ctx, client)
    finish_client(ctx, client)
