"""The text provider's signed callbacks: delivery reports and inbound texts."""

from collections.abc import AsyncIterator
from dataclasses import replace
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.delivery.signatures import SIGNATURE_HEADER, signature_of
from domain.notify import announce
from graph.app import create_app
from persistence.config import Config
from persistence.enums import Channel, NotificationEvent, NotificationStatus
from persistence.models import Message, NotificationLogEntry
from tests.notify_factories import NotifiedClient, add_notified_client, memory_worker

SECRET = "shared-webhook-secret"
STATUS = "/webhooks/texts/status"
INBOUND = "/webhooks/texts/inbound"


@pytest.fixture
async def http(engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    config = Config.from_environment()
    config = replace(config, delivery=replace(config.delivery, webhook_secret=SECRET))
    app = create_app(config, engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


async def post(
    http: httpx.AsyncClient, path: str, form: dict[str, str], secret: str = SECRET
) -> httpx.Response:
    body = urlencode(form).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        SIGNATURE_HEADER: signature_of(body, secret),
    }
    return await http.post(path, content=body, headers=headers)


async def sent_text_entry(
    engine: AsyncEngine, session: AsyncSession, notified: NotifiedClient
) -> NotificationLogEntry:
    await announce(
        session,
        None,
        NotificationEvent.TASK_SCHEDULED,
        account_id=notified.account.id,
        client_id=notified.client.id,
    )
    await session.commit()
    worker, _, _ = memory_worker(engine)
    await worker.run_until_idle()
    entry = await session.scalar(
        select(NotificationLogEntry).where(NotificationLogEntry.channel == Channel.TEXT)
    )
    assert entry is not None
    assert entry.provider_message_id is not None
    return entry


async def test_a_delivery_report_marks_the_text_delivered(
    engine: AsyncEngine, session: AsyncSession, http: httpx.AsyncClient
) -> None:
    notified = await add_notified_client(session)
    entry = await sent_text_entry(engine, session, notified)

    response = await post(
        http,
        STATUS,
        {"MessageSid": entry.provider_message_id or "", "MessageStatus": "delivered"},
    )

    await session.refresh(entry)
    assert response.status_code == 204
    assert entry.status == NotificationStatus.DELIVERED
    assert entry.delivered_at is not None


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=00", signature_of(b"another body", SECRET), "wrong"],
)
async def test_reports_without_a_valid_signature_are_refused(
    engine: AsyncEngine,
    session: AsyncSession,
    http: httpx.AsyncClient,
    signature: str | None,
) -> None:
    notified = await add_notified_client(session)
    entry = await sent_text_entry(engine, session, notified)
    body = urlencode(
        {"MessageSid": entry.provider_message_id or "", "MessageStatus": "failed"}
    ).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature

    response = await http.post(STATUS, content=body, headers=headers)

    await session.refresh(entry)
    assert response.status_code == 403
    assert entry.status == NotificationStatus.SENT


async def test_a_signature_made_with_another_secret_is_refused(
    http: httpx.AsyncClient,
) -> None:
    response = await post(
        http, STATUS, {"MessageSid": "x", "MessageStatus": "delivered"}, "guess"
    )

    assert response.status_code == 403


async def test_webhooks_refuse_everything_without_a_configured_secret(
    engine: AsyncEngine,
) -> None:
    app = create_app(Config.from_environment(), engine=engine)
    transport = httpx.ASGITransport(app=app)
    body = b"From=%2B13035550142&Body=hi"
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        response = await http.post(
            INBOUND, content=body, headers={SIGNATURE_HEADER: signature_of(body, "")}
        )

    assert response.status_code == 403


async def test_an_inbound_text_joins_the_thread_of_the_matching_contact(
    session: AsyncSession, http: httpx.AsyncClient
) -> None:
    notified = await add_notified_client(session)

    response = await post(
        http,
        INBOUND,
        {
            "From": "+1 303-555-0142",
            "To": "+13035550999",
            "Body": "Can you pick up Friday?",
            "MessageSid": "SM-inbound-1",
        },
    )

    message = await session.scalar(select(Message))
    assert response.status_code == 200
    assert message is not None
    assert message.client_id == notified.client.id
    assert message.contact_id == notified.contact.id
    assert (message.direction, message.status) == ("inbound", "received")
    assert message.from_number == "+13035550142"
    assert message.body == "Can you pick up Friday?"


async def test_an_unmatched_number_gets_the_same_answer_and_nothing_is_stored(
    session: AsyncSession, http: httpx.AsyncClient
) -> None:
    await add_notified_client(session)
    matched_form = {"From": "+13035550142", "To": "+1", "Body": "hi"}
    unmatched_form = {"From": "+14155550100", "To": "+1", "Body": "hi"}

    unmatched = await post(http, INBOUND, unmatched_form)
    stored_after_unmatched = list(await session.scalars(select(Message)))
    matched = await post(http, INBOUND, matched_form)

    assert unmatched.status_code == matched.status_code == 200
    assert unmatched.content == matched.content
    assert stored_after_unmatched == []


async def test_a_failure_report_marks_a_staff_text_failed(
    session: AsyncSession, http: httpx.AsyncClient
) -> None:
    notified = await add_notified_client(session)
    message = Message(
        account_id=notified.account.id,
        client_id=notified.client.id,
        contact_id=notified.contact.id,
        direction="outbound",
        status="sent",
        body="On our way.",
        from_number="+17205550100",
        to_number="+13035550142",
        provider_message_id="SM-staff-1",
    )
    session.add(message)
    await session.commit()

    response = await post(
        http, STATUS, {"MessageSid": "SM-staff-1", "MessageStatus": "undelivered"}
    )

    await session.refresh(message)
    assert response.status_code == 204
    assert message.status == "failed"
