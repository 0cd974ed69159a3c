"""Resending notifications, texting contacts and explaining notifications
through the staff graph."""

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.notify import announce
from domain.permissions import ALL, Permission
from graph.ids import encode_global_id
from persistence.enums import Channel, NotificationEvent
from persistence.models import (
    ActivityRecord,
    Message,
    NotificationLogEntry,
    OutboxItem,
    StaffUser,
)
from tests.factories import add_contact, add_staff_user
from tests.graph.staff_clients import signed_in
from tests.notify_factories import NotifiedClient, add_notified_client, memory_worker

RESEND = """
mutation($id: ID!) {
  resendNotification(input: {id: $id}) {
    entry { event channel status trigger resendOf { id } triggeredBy { name } }
    userErrors { field code }
  }
}
"""
SEND_MESSAGE = """
mutation($client: ID!, $contact: ID, $body: String!) {
  sendMessage(input: {clientId: $client, contactId: $contact, body: $body}) {
    message { direction status body toNumber sentBy { name } contact { firstName } }
    userErrors { field code }
  }
}
"""
EXPLAIN = """
query($id: ID!, $event: NotificationEvent!, $channel: Channel!) {
  client(id: $id) {
    explainNotification(event: $event, channel: $channel) {
      event channel wouldSend recipient reason contact { firstName }
    }
  }
}
"""


@pytest.fixture
async def notified(session: AsyncSession) -> NotifiedClient:
    return await add_notified_client(session)


@pytest.fixture
async def staff_user(session: AsyncSession, notified: NotifiedClient) -> StaffUser:
    user = await add_staff_user(session, notified.account, name="Olive Office")
    await session.commit()
    return user


def client_id(notified: NotifiedClient) -> str:
    return encode_global_id("Client", notified.client.public_id)


async def delivered_invoice_entry(
    engine: AsyncEngine, session: AsyncSession, notified: NotifiedClient
) -> NotificationLogEntry:
    await announce(
        session,
        None,
        NotificationEvent.INVOICE_SENT,
        account_id=notified.account.id,
        client_id=notified.client.id,
        invoice_id=notified.invoice.id,
    )
    await session.commit()
    worker, _, _ = memory_worker(engine)
    await worker.run_until_idle()
    entry = await session.scalar(
        select(NotificationLogEntry).where(
            NotificationLogEntry.channel == Channel.EMAIL
        )
    )
    assert entry is not None
    return entry


async def test_a_resend_queues_a_linked_entry_that_is_delivered_again(
    engine: AsyncEngine,
    session: AsyncSession,
    notified: NotifiedClient,
    staff_user: StaffUser,
) -> None:
    original = await delivered_invoice_entry(engine, session, notified)
    original_id = encode_global_id("NotificationLogEntry", original.public_id)

    async with signed_in(engine, staff_user) as graph:
        data = await graph.data(RESEND, id=original_id)
    worker, mailer, _ = memory_worker(engine)
    await worker.run_until_idle()

    assert data["resendNotification"] == {
        "entry": {
            "event": "INVOICE_SENT",
            "channel": "EMAIL",
            "status": "QUEUED",
            "trigger": "MANUAL",
            "resendOf": {"id": original_id},
            "triggeredBy": {"name": "Olive Office"},
        },
        "userErrors": [],
    }
    assert [email.to for email in mailer.sent] == ["rita@rocky.example"]
    actions = list(await session.scalars(select(ActivityRecord.action)))
    assert "notification.resent" in actions


async def test_only_a_dispatched_entry_of_your_account_can_be_resent(
    engine: AsyncEngine,
    session: AsyncSession,
    notified: NotifiedClient,
    staff_user: StaffUser,
) -> None:
    theirs = await add_notified_client(session)
    foreign = await delivered_invoice_entry(engine, session, theirs)
    queued = await announce(
        session,
        None,
        NotificationEvent.INVOICE_SENT,
        account_id=notified.account.id,
        client_id=notified.client.id,
    )
    await session.commit()
    entries_before = len(list(await session.scalars(select(NotificationLogEntry))))

    async with signed_in(engine, staff_user) as graph:
        still_queued = await graph.data(
            RESEND, id=encode_global_id("NotificationLogEntry", queued.public_id)
        )
        not_found = await graph.data(
            RESEND, id=encode_global_id("NotificationLogEntry", foreign.public_id)
        )

    assert still_queued["resendNotification"] == {
        "entry": None,
        "userErrors": [{"field": ["input", "id"], "code": "STILL_QUEUED"}],
    }
    assert not_found["resendNotification"]["userErrors"] == [
        {"field": ["input", "id"], "code": "ENTRY_NOT_FOUND"}
    ]
    session.expire_all()
    entries_after = len(list(await session.scalars(select(NotificationLogEntry))))
    assert entries_after == entries_before


async def test_a_text_to_a_consenting_contact_goes_through_the_outbox(
    engine: AsyncEngine,
    session: AsyncSession,
    notified: NotifiedClient,
    staff_user: StaffUser,
) -> None:
    async with signed_in(engine, staff_user) as graph:
        data = await graph.data(
            SEND_MESSAGE, client=client_id(notified), body="Your dumpster is here."
        )
    worker, _, texter = memory_worker(engine)
    await worker.run_until_idle()

    assert data["sendMessage"] == {
        "message": {
            "direction": "OUTBOUND",
            "status": "QUEUED",
            "body": "Your dumpster is here.",
            "toNumber": "+13035550142",
            "sentBy": {"name": "Olive Office"},
            "contact": {"firstName": "Rita"},
        },
        "userErrors": [],
    }
    assert [(text.to, text.body) for text in texter.sent] == [
        ("+13035550142", "Your dumpster is here.")
    ]
    status = await session.scalar(
        select(Message.status).execution_options(populate_existing=True)
    )
    assert status == "sent"
    actions = list(await session.scalars(select(ActivityRecord.action)))
    assert "message.sent" in actions


@pytest.mark.parametrize(
    ("contact_values", "body", "code", "field"),
    [
        ({"text_consent_at": None}, "Hi", "NO_TEXT_CONSENT", ["input", "contactId"]),
        ({"phone": None}, "Hi", "NO_PHONE", ["input", "contactId"]),
        ({"phone": "12"}, "Hi", "NO_PHONE", ["input", "contactId"]),
        ({}, "   ", "BODY_INVALID", ["input", "body"]),
        ({}, "x" * 1601, "BODY_INVALID", ["input", "body"]),
    ],
)
async def test_texts_are_refused_without_consent_phone_or_words(
    engine: AsyncEngine,
    session: AsyncSession,
    staff_user: StaffUser,
    notified: NotifiedClient,
    contact_values: dict[str, Any],
    body: str,
    code: str,
    field: list[str],
) -> None:
    target = await add_notified_client(session, notified.account, **contact_values)

    async with signed_in(engine, staff_user) as graph:
        data = await graph.data(SEND_MESSAGE, client=client_id(target), body=body)

    assert data["sendMessage"] == {
        "message": None,
        "userErrors": [{"field": field, "code": code}],
    }
    assert list(await session.scalars(select(Message))) == []
    assert list(await session.scalars(select(OutboxItem))) == []


async def test_a_text_to_another_clients_contact_is_refused(
    engine: AsyncEngine,
    session: AsyncSession,
    staff_user: StaffUser,
    notified: NotifiedClient,
) -> None:
    other = await add_notified_client(session, notified.account)
    stranger = await add_contact(session, other.client, phone="+13035550100")
    await session.commit()

    async with signed_in(engine, staff_user) as graph:
        wrong_contact = await graph.data(
            SEND_MESSAGE,
            client=client_id(notified),
            contact=encode_global_id("Contact", stranger.public_id),
            body="Hi",
        )
        wrong_client = await graph.data(
            SEND_MESSAGE,
            client=encode_global_id("Client", stranger.public_id),
            body="Hi",
        )

    assert wrong_contact["sendMessage"]["userErrors"] == [
        {"field": ["input", "contactId"], "code": "CONTACT_NOT_FOUND"}
    ]
    assert wrong_client["sendMessage"]["userErrors"] == [
        {"field": ["input", "clientId"], "code": "CLIENT_NOT_FOUND"}
    ]


@pytest.mark.parametrize(
    ("mutation", "permission"),
    [
        (RESEND, Permission.NOTIFICATIONS_RESEND),
        (SEND_MESSAGE, Permission.MESSAGES_SEND),
    ],
)
async def test_resending_and_texting_need_their_permissions(
    engine: AsyncEngine,
    session: AsyncSession,
    notified: NotifiedClient,
    staff_user: StaffUser,
    mutation: str,
    permission: Permission,
) -> None:
    original = await delivered_invoice_entry(engine, session, notified)
    variables = {
        "id": encode_global_id("NotificationLogEntry", original.public_id),
        "client": client_id(notified),
        "body": "Hi",
    }

    async with signed_in(engine, staff_user, ALL - {permission}) as graph:
        body = await graph.execute(mutation, **variables)

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert list(await session.scalars(select(Message))) == []
    entries = list(await session.scalars(select(NotificationLogEntry)))
    assert len(entries) == 1


async def test_explain_says_who_would_get_it_or_why_not(
    engine: AsyncEngine,
    session: AsyncSession,
    notified: NotifiedClient,
    staff_user: StaffUser,
) -> None:
    without_consent = await add_notified_client(
        session, notified.account, text_consent_at=None
    )

    async with signed_in(engine, staff_user) as graph:
        email = await graph.data(
            EXPLAIN, id=client_id(notified), event="INVOICE_SENT", channel="EMAIL"
        )
        text = await graph.data(
            EXPLAIN,
            id=client_id(without_consent),
            event="TASK_SCHEDULED",
            channel="TEXT",
        )

    assert email["client"]["explainNotification"] == {
        "event": "INVOICE_SENT",
        "channel": "EMAIL",
        "wouldSend": True,
        "recipient": "rita@rocky.example",
        "reason": None,
        "contact": {"firstName": "Rita"},
    }
    assert text["client"]["explainNotification"]["wouldSend"] is False
    assert text["client"]["explainNotification"]["reason"] == "no text consent"


async def test_explain_needs_notifications_read(
    engine: AsyncEngine, notified: NotifiedClient, staff_user: StaffUser
) -> None:
    lacking = ALL - {Permission.NOTIFICATIONS_READ}

    async with signed_in(engine, staff_user, lacking) as graph:
        body = await graph.execute(
            EXPLAIN, id=client_id(notified), event="INVOICE_SENT", channel="EMAIL"
        )

    assert body["data"]["client"]["explainNotification"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
