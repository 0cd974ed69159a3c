"""The outbox worker: claim due items, deliver them, retry failures.

Claiming is one short transaction: due items are selected ``FOR UPDATE SKIP
LOCKED`` (so workers on PostgreSQL pass over each other's rows instead of
waiting) and stamped with a claim token and a lease (``claimed_until``).
Until the lease runs out no other worker takes the item; a worker that dies
holding claims loses nothing, because expired claims are due again. Only the
holder of the current token may record the outcome, so a worker that
outlived its lease cannot overwrite the item's new owner.

A failed delivery is tried again after an exponential backoff; after
``max_attempts`` tries, or at once when the transport says retrying cannot
help, the item is finished and its entry marked FAILED.

SQLite has no row locks (``FOR UPDATE`` is left out there); its single
writer makes the claiming ``UPDATE … RETURNING`` atomic, but run one worker
per SQLite database: that is what it is for.
"""

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.delivery.dispatch import (
    Prepared,
    Transports,
    prepare,
    record_failure,
    record_sent,
    send,
)
from domain.delivery.mail import DeliveryError
from persistence.models import OutboxItem

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
LEASE = timedelta(minutes=5)
# Finished items are only the work of delivering; the notification log keeps
# the history, so they go after a month (time enough to look into a failure).
KEEP_FINISHED = timedelta(days=30)


def utcnow() -> datetime:
    return datetime.now(UTC)


def retry_delay(attempts: int) -> timedelta:
    """30 s after the first failure, doubling each time, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


@dataclass(frozen=True, slots=True)
class Claim:
    item_id: int
    token: str
    attempts: int


def is_due(now: datetime) -> ColumnElement[bool]:
    return (
        OutboxItem.completed_at.is_(None)
        & (OutboxItem.available_at <= now)
        & or_(OutboxItem.claimed_until.is_(None), OutboxItem.claimed_until <= now)
    )


async def claim_due(
    session: AsyncSession, now: datetime, *, limit: int, lease: timedelta = LEASE
) -> list[Claim]:
    """Claim up to ``limit`` due items for one worker; commit to make it stick."""
    candidates = await session.scalars(
        select(OutboxItem.id)
        .where(is_due(now))
        .order_by(OutboxItem.available_at, OutboxItem.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(candidates)
    if not ids:
        return []
    token = secrets.token_hex(16)
    # The condition is repeated so that, on SQLite, a second worker whose
    # SELECT saw the same rows claims none of them.
    claimed = await session.execute(
        update(OutboxItem)
        .where(OutboxItem.id.in_(ids), is_due(now))
        .values(
            claimed_until=now + lease,
            claim_token=token,
            attempts=OutboxItem.attempts + 1,
        )
        .returning(OutboxItem.id, OutboxItem.attempts)
        .execution_options(synchronize_session=False)
    )
    return [Claim(row.id, token, row.attempts) for row in claimed]


async def held_item(session: AsyncSession, claim: Claim) -> OutboxItem | None:
    """The item, locked, if ``claim`` still holds it."""
    return await session.scalar(
        select(OutboxItem)
        .where(
            OutboxItem.id == claim.item_id,
            OutboxItem.claim_token == claim.token,
            OutboxItem.completed_at.is_(None),
        )
        .with_for_update()
    )


def finish(item: OutboxItem, now: datetime, error: str | None = None) -> None:
    item.completed_at = now
    item.claimed_until = None
    item.claim_token = None
    item.last_error = error[:500] if error else None


async def prune_outbox(
    session: AsyncSession, now: datetime, keep: timedelta = KEEP_FINISHED
) -> int:
    """Delete items finished more than ``keep`` ago; how many went."""
    result = await session.execute(
        delete(OutboxItem).where(OutboxItem.completed_at < now - keep)
    )
    return int(getattr(result, "rowcount", 0) or 0)


class Worker:
    """Delivers the outbox; one per process, several per PostgreSQL database."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        transports: Transports,
        *,
        clock: Callable[[], datetime] = utcnow,
        batch_size: int = 50,
        lease: timedelta = LEASE,
        max_attempts: int = MAX_ATTEMPTS,
        idle_seconds: float = 2.0,
    ) -> None:
        self.session_factory = session_factory
        self.transports = transports
        self.clock = clock
        self.batch_size = batch_size
        self.lease = lease
        self.max_attempts = max_attempts
        self.idle_seconds = idle_seconds

    async def claim(self) -> list[Claim]:
        async with self.session_factory() as session, session.begin():
            return await claim_due(
                session, self.clock(), limit=self.batch_size, lease=self.lease
            )

    async def run_once(self) -> int:
        """Claim one batch and deliver it; how many items were claimed."""
        claims = await self.claim()
        for claim in claims:
            await self.deliver(claim)
        return len(claims)

    async def run_until_idle(self) -> int:
        """Deliver until nothing is due (tests and one-off runs)."""
        total = 0
        while done := await self.run_once():
            total += done
        return total

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until ``stop`` is set; database outages are waited out."""
        logger.info("Outbox worker started")
        while not stop.is_set():
            try:
                done = await self.run_once()
            except (SQLAlchemyError, OSError):
                logger.exception("The outbox worker could not reach the database")
                done = 0
            if done == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.idle_seconds)
        logger.info("Outbox worker stopped")

    async def deliver(self, claim: Claim) -> None:
        try:
            prepared = await self.prepare(claim)
            if prepared is None or not prepared.has_delivery:
                return
            provider_message_id = await send(prepared, self.transports)
        except DeliveryError as error:
            logger.warning(
                "Outbox item %s failed (attempt %s): %s",
                claim.item_id,
                claim.attempts,
                error,
            )
            await self.fail(claim, str(error), is_permanent=error.is_permanent)
            return
        except Exception:
            # A bug, not an outage; the item is retried like any failure so
            # one bad row never stops the worker.
            logger.exception("Outbox item %s could not be delivered", claim.item_id)
            await self.fail(claim, "An internal error stopped the delivery.")
            return
        await self.succeed(claim, prepared, provider_message_id)

    async def prepare(self, claim: Claim) -> Prepared | None:
        """Decide and render; a suppressed or vanished item is finished here."""
        async with self.session_factory() as session, session.begin():
            item = await held_item(session, claim)
            if item is None:
                return None
            prepared = await prepare(session, item, self.transports)
            if not prepared.has_delivery:
                finish(item, self.clock())
            return prepared

    async def succeed(
        self, claim: Claim, prepared: Prepared, provider_message_id: str
    ) -> None:
        async with self.session_factory() as session, session.begin():
            item = await held_item(session, claim)
            if item is None:
                logger.warning(
                    "Outbox item %s was sent after its claim expired", claim.item_id
                )
                return
            now = self.clock()
            finish(item, now)
            await record_sent(session, item, prepared, provider_message_id, now)

    async def fail(
        self, claim: Claim, error: str, *, is_permanent: bool = False
    ) -> None:
        async with self.session_factory() as session, session.begin():
            item = await held_item(session, claim)
            if item is None:
                return
            now = self.clock()
            is_final = is_permanent or item.attempts >= self.max_attempts
            if is_final:
                finish(item, now, error)
            else:
                item.available_at = now + retry_delay(item.attempts)
                item.claimed_until = None
                item.claim_token = None
                item.last_error = error[:500]
            await record_failure(session, item, error, is_final=is_final)
