"""Announced events are delivered, suppressed with a reason, or retried."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.delivery.dispatch import money
from domain.delivery.mail import DeliveryError, Email
from domain.notify import announce
from domain.payment_checks import Allocation
from domain.payments import PaymentEntry, record_payment
from persistence.enums import (
    Channel,
    NotificationEvent,
    NotificationStatus,
    PaymentMethodKind,
)
from persistence.models import (
    NotificationLogEntry,
    NotificationPreferenceOverride,
    OutboxItem,
)
from tests.notify_factories import NotifiedClient, add_notified_client, memory_worker
from tests.payment_helpers import NOW, staff_viewer


async def announce_invoice(session: AsyncSession, notified: NotifiedClient) -> None:
    await announce(
        session,
        None,
        NotificationEvent.INVOICE_SENT,
        account_id=notified.account.id,
        client_id=notified.client.id,
        invoice_id=notified.invoice.id,
    )
    await session.commit()


async def log_of(session: AsyncSession) -> dict[str, NotificationLogEntry]:
    entries = await session.scalars(
        select(NotificationLogEntry).execution_options(populate_existing=True)
    )
    return {entry.channel: entry for entry in entries}


async def test_an_invoice_email_reaches_the_primary_contact(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    notified = await add_notified_client(session)
    worker, mailer, texter = memory_worker(engine)
    await announce_invoice(session, notified)

    delivered = await worker.run_until_idle()

    log = await log_of(session)
    assert delivered == 1
    assert [email.to for email in mailer.sent] == ["rita@rocky.example"]
    assert "1042" in mailer.sent[0].subject
    assert log[Channel.EMAIL].status == NotificationStatus.SENT
    assert log[Channel.EMAIL].recipient == "rita@rocky.example"
    assert log[Channel.EMAIL].contact_id == notified.contact.id
    # Invoice texts are off by default: not attempted, so not logged.
    assert texter.sent == []
    assert Channel.TEXT not in log


async def test_a_client_who_turned_off_invoice_emails_gets_none(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    notified = await add_notified_client(session)
    session.add(
        NotificationPreferenceOverride(
            account_id=notified.account.id,
            client_id=notified.client.id,
            event=NotificationEvent.INVOICE_SENT,
            channel=Channel.EMAIL,
            is_enabled=False,
        )
    )
    worker, mailer, _ = memory_worker(engine)
    await announce_invoice(session, notified)

    await worker.run_until_idle()

    log = await log_of(session)
    assert mailer.sent == []
    assert log[Channel.EMAIL].status == NotificationStatus.SUPPRESSED
    assert log[Channel.EMAIL].suppression_reason == "client turned off invoice emails"


async def test_a_client_who_turned_texts_off_has_that_logged(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    notified = await add_notified_client(session)
    session.add(
        NotificationPreferenceOverride(
            account_id=notified.account.id,
            client_id=notified.client.id,
            event=NotificationEvent.TASK_SCHEDULED,
            channel=Channel.TEXT,
            is_enabled=False,
        )
    )
    worker, _, texter = memory_worker(engine)
    await announce(
        session,
        None,
        NotificationEvent.TASK_SCHEDULED,
        account_id=notified.account.id,
        client_id=notified.client.id,
    )
    await session.commit()

    await worker.run_until_idle()

    log = await log_of(session)
    assert texter.sent == []
    assert (
        log[Channel.TEXT].suppression_reason == "client turned off task scheduled texts"
    )


async def test_texts_need_a_phone_and_consent(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    without_consent = await add_notified_client(session, text_consent_at=None)
    without_phone = await add_notified_client(session, phone=None)
    worker, _, texter = memory_worker(engine)
    for notified in (without_consent, without_phone):
        await announce(
            session,
            None,
            NotificationEvent.TASK_SCHEDULED,
            account_id=notified.account.id,
            client_id=notified.client.id,
        )
    await session.commit()

    await worker.run_until_idle()

    reasons = {
        entry.client_id: entry.suppression_reason
        for entry in await session.scalars(
            select(NotificationLogEntry).where(
                NotificationLogEntry.channel == Channel.TEXT
            )
        )
    }
    assert texter.sent == []
    assert reasons == {
        without_consent.client.id: "no text consent",
        without_phone.client.id: "primary contact has no phone",
    }


async def test_a_consenting_contact_gets_the_text(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    notified = await add_notified_client(session)
    worker, _, texter = memory_worker(engine)
    await announce(
        session,
        None,
        NotificationEvent.TASK_SCHEDULED,
        account_id=notified.account.id,
        client_id=notified.client.id,
    )
    await session.commit()

    await worker.run_until_idle()

    log = await log_of(session)
    assert [text.to for text in texter.sent] == ["+13035550142"]
    assert log[Channel.TEXT].status == NotificationStatus.SENT


class BrokenMailer:
    def __init__(self) -> None:
        self.calls = 0

    async def send(self, email: Email) -> str:
        self.calls += 1
        raise DeliveryError("The SMTP server said no.")


async def test_failures_are_retried_with_backoff_then_recorded(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    notified = await add_notified_client(session)
    mailer = BrokenMailer()
    await announce_invoice(session, notified)
    started = datetime.now(UTC)
    now = [started]
    worker, _, _ = memory_worker(engine, mailer, clock=lambda: now[0], max_attempts=3)

    await worker.run_until_idle()
    item = await session.scalar(
        select(OutboxItem)
        .where(OutboxItem.attempts > 0)
        .order_by(OutboxItem.id)
        .execution_options(populate_existing=True)
    )
    first_retry = item.available_at if item else None
    for _ in range(3):
        now[0] += timedelta(hours=2)
        await worker.run_until_idle()

    log = await log_of(session)
    assert first_retry is not None
    assert first_retry - started == timedelta(seconds=30)
    assert mailer.calls == 3
    assert log[Channel.EMAIL].status == NotificationStatus.FAILED
    assert log[Channel.EMAIL].error == "The SMTP server said no."
    pending = await session.scalars(
        select(OutboxItem).where(OutboxItem.completed_at.is_(None))
    )
    assert list(pending) == []


class RefusingMailer:
    def __init__(self) -> None:
        self.calls = 0

    async def send(self, email: Email) -> str:
        self.calls += 1
        raise DeliveryError("550 No such mailbox.", is_permanent=True)


async def test_a_permanent_refusal_is_not_retried(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    notified = await add_notified_client(session)
    mailer = RefusingMailer()
    await announce_invoice(session, notified)
    now = [datetime.now(UTC)]
    worker, _, _ = memory_worker(engine, mailer, clock=lambda: now[0])

    await worker.run_until_idle()
    now[0] += timedelta(days=1)
    await worker.run_until_idle()

    log = await log_of(session)
    assert mailer.calls == 1
    assert log[Channel.EMAIL].status == NotificationStatus.FAILED
    assert log[Channel.EMAIL].error == "550 No such mailbox."


async def test_a_receipt_names_the_payment_and_a_reminder_what_is_still_due(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    notified = await add_notified_client(session)
    payment = PaymentEntry(
        notified.client.public_id,
        PaymentMethodKind.CHECK,
        4_000,
        "check-1001",
        (Allocation(notified.invoice.public_id, 4_000),),
    )
    await record_payment(session, staff_viewer(notified.account), payment, NOW)
    await announce_invoice(session, notified)
    worker, mailer, _ = memory_worker(engine)

    await worker.run_until_idle()

    receipt, reminder = sorted(mailer.sent, key=lambda email: email.subject)[::-1]
    assert "received your payment of $40.00 by check" in receipt.text
    due = money(notified.invoice.total - 4_000, "USD")
    assert f"{due} is still due" in reminder.text
