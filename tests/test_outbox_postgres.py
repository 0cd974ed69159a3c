"""Several workers share the outbox on PostgreSQL without sending twice, and
a worker that dies holding claims loses nothing."""

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.delivery.dispatch import Transports
from domain.delivery.mail import Email
from domain.delivery.outbox import LEASE, Worker, claim_due
from domain.delivery.texts import MemoryTexter
from domain.notify import announce
from persistence.database import create_engine, create_session_factory, is_sqlite
from persistence.enums import NotificationEvent, NotificationStatus
from persistence.models import NotificationLogEntry
from tests.notify_factories import add_notified_client

NOTIFICATIONS = 500


@pytest.fixture
def postgres_only(engine: AsyncEngine) -> None:
    if is_sqlite(engine):
        pytest.skip("row locks (FOR UPDATE SKIP LOCKED) need PostgreSQL")


class CountingMailer:
    """Counts deliveries per distinct email and yields to other workers."""

    def __init__(self) -> None:
        self.bodies: Counter[str] = Counter()

    async def send(self, email: Email) -> str:
        await asyncio.sleep(0)
        self.bodies[email.text] += 1
        return f"id-{sum(self.bodies.values())}"


async def announce_many(session: AsyncSession, count: int) -> None:
    """``count`` invoice emails, each with its own note (texts are off)."""
    notified = await add_notified_client(session)
    for number in range(count):
        await announce(
            session,
            None,
            NotificationEvent.INVOICE_SENT,
            account_id=notified.account.id,
            client_id=notified.client.id,
            context={"note": str(number)},
        )
    await session.commit()


def worker_on(engine: AsyncEngine, mailer: CountingMailer, **options: object) -> Worker:
    transports = Transports(mailer=mailer, texter=MemoryTexter())
    return Worker(create_session_factory(engine), transports, **options)  # type: ignore[arg-type]


async def sent_count(session: AsyncSession) -> int:
    return (
        await session.scalar(
            select(func.count()).where(
                NotificationLogEntry.status == NotificationStatus.SENT
            )
        )
        or 0
    )


@pytest.mark.usefixtures("postgres_only")
@pytest.mark.slow
async def test_two_workers_deliver_each_notification_exactly_once(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    await announce_many(session, NOTIFICATIONS)
    mailer = CountingMailer()
    # Each worker has its own connection pool, as separate processes would.
    other_engine = create_engine(engine.url.render_as_string(hide_password=False))
    first = worker_on(engine, mailer, batch_size=20)
    second = worker_on(other_engine, mailer, batch_size=20)

    try:
        done = await asyncio.gather(first.run_until_idle(), second.run_until_idle())
    finally:
        await other_engine.dispose()

    assert len(mailer.bodies) == NOTIFICATIONS
    assert set(mailer.bodies.values()) == {1}
    assert all(count > 0 for count in done)
    assert await sent_count(session) == NOTIFICATIONS


@pytest.mark.usefixtures("postgres_only")
async def test_claims_of_a_dead_worker_are_delivered_after_their_lease(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    await announce_many(session, 30)
    mailer = CountingMailer()
    now = datetime.now(UTC) + timedelta(seconds=1)
    # The dead worker claimed a batch and never came back.
    async with create_session_factory(engine)() as dying, dying.begin():
        abandoned = await claim_due(dying, now, limit=25)
    restarted = worker_on(engine, mailer, clock=lambda: now)

    before_expiry = await restarted.run_until_idle()
    now += LEASE + timedelta(seconds=1)
    after_expiry = await restarted.run_until_idle()

    assert len(abandoned) == 25
    assert before_expiry == 30 - 25
    assert after_expiry == 25
    assert len(mailer.bodies) == 30
    assert set(mailer.bodies.values()) == {1}
    assert await sent_count(session) == 30
