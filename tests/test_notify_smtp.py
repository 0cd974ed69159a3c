"""End to end over a real SMTP server on loopback: an invoice is announced,
the worker delivers it, and the log tells what happened."""

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.delivery.dispatch import Transports
from domain.delivery.mail import SmtpMailer
from domain.delivery.outbox import Worker
from domain.delivery.texts import MemoryTexter
from domain.notify import announce
from persistence.database import create_session_factory
from persistence.enums import Channel, NotificationEvent, NotificationStatus
from persistence.models import NotificationLogEntry, NotificationPreferenceOverride
from tests.notify_factories import NotifiedClient, add_notified_client


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class RefusingInbox(Inbox):
    """A server that knows no such mailbox."""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        return "550 No such mailbox here"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server(request: pytest.FixtureRequest) -> Iterator[tuple[Inbox, int]]:
    inbox = getattr(request, "param", Inbox)()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def smtp_worker(engine: AsyncEngine, port: int) -> Worker:
    mailer = SmtpMailer("127.0.0.1", port, security="none", timeout=10)
    transports = Transports(mailer=mailer, texter=MemoryTexter())
    return Worker(create_session_factory(engine), transports)


async def send_invoice(session: AsyncSession, notified: NotifiedClient) -> None:
    """What sending an invoice does for notifications: announce it."""
    await announce(
        session,
        None,
        NotificationEvent.INVOICE_SENT,
        account_id=notified.account.id,
        client_id=notified.client.id,
        manual=True,
        invoice_id=notified.invoice.id,
    )
    await session.commit()


async def email_entry(session: AsyncSession) -> NotificationLogEntry | None:
    return await session.scalar(
        select(NotificationLogEntry)
        .where(NotificationLogEntry.channel == Channel.EMAIL)
        .execution_options(populate_existing=True)
    )


async def test_a_sent_invoice_arrives_by_smtp_and_is_logged_sent(
    engine: AsyncEngine, session: AsyncSession, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    notified = await add_notified_client(session)
    await send_invoice(session, notified)

    await smtp_worker(engine, port).run_until_idle()

    entry = await email_entry(session)
    assert len(inbox.received) == 1
    recipients, message = inbox.received[0]
    assert recipients == ["rita@rocky.example"]
    assert message["To"] == "rita@rocky.example"
    assert message["From"] == "office@hauling.example"
    assert "1042" in message["Subject"]
    assert entry is not None
    assert entry.status == NotificationStatus.SENT
    assert entry.recipient == "rita@rocky.example"
    assert entry.provider_message_id == message["Message-ID"]


async def test_turned_off_invoice_emails_deliver_nothing_and_say_why(
    engine: AsyncEngine, session: AsyncSession, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
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
    await send_invoice(session, notified)

    await smtp_worker(engine, port).run_until_idle()

    entry = await email_entry(session)
    assert inbox.received == []
    assert entry is not None
    assert entry.status == NotificationStatus.SUPPRESSED
    assert entry.suppression_reason == "client turned off invoice emails"


@pytest.mark.parametrize("smtp_server", [RefusingInbox], indirect=True)
async def test_a_refused_mailbox_fails_at_once_without_retries(
    engine: AsyncEngine, session: AsyncSession, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    notified = await add_notified_client(session)
    await send_invoice(session, notified)

    await smtp_worker(engine, port).run_until_idle()

    entry = await email_entry(session)
    assert inbox.received == []
    assert entry is not None
    assert entry.status == NotificationStatus.FAILED
    assert entry.error is not None
    assert "550" in entry.error
