"""Row builders for the records section: documents, messages, notes, files,
special prices, the notification log, overrides, and the staff who made them."""

import hashlib
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from persistence.enums import (
    Channel,
    DocumentKind,
    MessageDirection,
    MessageStatus,
    NotificationEvent,
    NotificationStatus,
    NotificationTrigger,
    SpecialPriceKind,
)
from persistence.models import (
    Attachment,
    Client,
    ClientSettingOverride,
    Document,
    Message,
    Note,
    NotificationLogEntry,
    NotificationPreferenceOverride,
    SpecialPrice,
)
from tests.factories import add, owned_by

sequence = count(1)
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def minutes_later(minutes: int) -> datetime:
    """A distinct, increasing moment, so "newest first" has a clear answer."""
    return START + timedelta(minutes=minutes)


async def add_document(
    session: AsyncSession, client: Client, **values: Any
) -> Document:
    defaults: dict[str, Any] = {
        "kind": DocumentKind.RENTAL_AGREEMENT,
        "title": f"Rental agreement {next(sequence)}",
        "body": "The renter agrees to keep the container clear of hazardous waste.",
    }
    return await add(session, Document(**(owned_by(client) | defaults | values)))


async def add_signed_document(
    session: AsyncSession, client: Client, **values: Any
) -> Document:
    document = await add_document(session, client, **values)
    document.signed_at = document.viewed_at or minutes_later(90)
    document.signer_name = "Ana Ortiz"
    document.signed_sha256 = hashlib.sha256(document.body.encode()).hexdigest()
    await session.flush()
    return document


async def add_message(session: AsyncSession, client: Client, **values: Any) -> Message:
    defaults: dict[str, Any] = {
        "direction": MessageDirection.OUTBOUND,
        "status": MessageStatus.DELIVERED,
        "body": "Your 20 yd dumpster is set for Tuesday.",
        "from_number": "+13035550100",
        "to_number": "+13035550199",
    }
    return await add(session, Message(**(owned_by(client) | defaults | values)))


async def add_note(session: AsyncSession, client: Client, **values: Any) -> Note:
    defaults: dict[str, Any] = {"body": f"Gate code 4{next(sequence):03d}."}
    return await add(session, Note(**(owned_by(client) | defaults | values)))


async def add_attachment(
    session: AsyncSession, client: Client, **values: Any
) -> Attachment:
    number = next(sequence)
    defaults: dict[str, Any] = {
        "filename": f"site-plan-{number}.pdf",
        "content_type": "application/pdf",
        "size_bytes": 120_000,
        "sha256": hashlib.sha256(str(number).encode()).hexdigest(),
        "storage_key": f"test/{client.id}/{number}",
    }
    return await add(session, Attachment(**(owned_by(client) | defaults | values)))


async def add_special_price(
    session: AsyncSession, client: Client, **values: Any
) -> SpecialPrice:
    defaults: dict[str, Any] = {
        "kind": SpecialPriceKind.CONTAINER,
        "container_size": 20,
        "rental_days": 7,
        "base_price": 39_500,
    }
    return await add(session, SpecialPrice(**(owned_by(client) | defaults | values)))


async def add_notification(
    session: AsyncSession, client: Client, **values: Any
) -> NotificationLogEntry:
    defaults: dict[str, Any] = {
        "event": NotificationEvent.INVOICE_SENT,
        "channel": Channel.EMAIL,
        "trigger": NotificationTrigger.AUTOMATIC,
        "status": NotificationStatus.DELIVERED,
        "recipient": "ana@example.com",
        "subject": f"Invoice {next(sequence)}",
    }
    return await add(
        session, NotificationLogEntry(**(owned_by(client) | defaults | values))
    )


async def add_notification_override(
    session: AsyncSession,
    client: Client,
    event: NotificationEvent,
    channel: Channel,
    **values: Any,
) -> NotificationPreferenceOverride:
    defaults: dict[str, Any] = {"event": event, "channel": channel, "is_enabled": False}
    return await add(
        session,
        NotificationPreferenceOverride(**(owned_by(client) | defaults | values)),
    )


async def add_setting_override(
    session: AsyncSession, client: Client, key: str, value: Any, **values: Any
) -> ClientSettingOverride:
    defaults: dict[str, Any] = {"key": key, "value": value}
    return await add(
        session, ClientSettingOverride(**(owned_by(client) | defaults | values))
    )
