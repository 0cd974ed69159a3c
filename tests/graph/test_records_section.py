"""The records section of Client: documents, messages, notes and files,
special pricing, the notification log, and notification and client settings."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from graph.fields import Audience
from graph.ids import encode_global_id
from graph.schema import SCHEMAS
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
from persistence.models import Account, Client
from tests.factories import add_account, add_client, add_contact, add_staff_user
from tests.graph.conftest import GraphClient
from tests.records_factories import (
    add_attachment,
    add_document,
    add_message,
    add_note,
    add_notification,
    add_notification_override,
    add_setting_override,
    add_signed_document,
    add_special_price,
    minutes_later,
)

DOCUMENTS = """
query Documents($id: ID!, $first: Int, $after: String) {
  client(id: $id) {
    documents(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id kind title status requiresSignature sentAt sentTo sentVia
        sentBy { name } viewedAt signedAt signerName signerIp body
      }
    }
  }
}
"""

MESSAGES = """
query Messages($id: ID!) {
  client(id: $id) {
    messages(first: 10) {
      nodes {
        id direction status body fromNumber toNumber createdAt
        contact { firstName } sentBy { name }
      }
    }
  }
}
"""

NOTES_AND_FILES = """
query Notes($id: ID!, $first: Int, $after: String) {
  client(id: $id) {
    notes(first: 10) {
      nodes {
        id body isPinned createdAt updatedAt author { name }
        attachments { filename }
      }
    }
    attachments(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id filename contentType sizeBytes sha256 createdAt uploadedBy { name } }
    }
  }
}
"""

SPECIAL_PRICING = """
query Pricing($id: ID!, $activeOn: Date) {
  client(id: $id) {
    specialPricing(first: 10, activeOn: $activeOn) {
      totalCount
      nodes {
        id kind containerSize rentalDays feeCode
        basePrice { amount currency } overagePerTon { amount }
        perExtraDay { amount } feeAmount { amount minorUnits }
        includedDays includedTons startsOn endsOn isActive note createdAt
        createdBy { name }
      }
    }
  }
}
"""

NOTIFICATION_LOG = """
query Log($id: ID!, $first: Int, $after: String, $event: [NotificationEvent!],
          $channel: Channel, $status: [NotificationStatus!]) {
  client(id: $id) {
    notificationLog(first: $first, after: $after, event: $event,
                    channel: $channel, status: $status) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id event channel trigger status recipient subject suppressionReason
        error sentAt deliveredAt createdAt
        resendOf { subject } triggeredBy { name }
      }
    }
  }
}
"""

NOTIFICATION_SETTINGS = """
query NotificationSettings($id: ID!) {
  client(id: $id) {
    notificationSettings {
      event channel isEnabled source accountDefault changedAt changedBy { name }
    }
  }
}
"""

CLIENT_SETTINGS = """
query Settings($id: ID!) {
  client(id: $id) {
    settings {
      key description value source accountValue isClientOverridable
      changedAt changedBy { name }
    }
  }
}
"""

EVERYTHING = """
query Everything($id: ID!) {
  client(id: $id) {
    documents(first: 50) { nodes { id status sentBy { name } } }
    messages(first: 50) { nodes { id contact { firstName } sentBy { name } } }
    notes(first: 50) { nodes { id author { name } attachments { filename } } }
    attachments(first: 50) { nodes { id uploadedBy { name } } }
    specialPricing(first: 50) { nodes { id isActive createdBy { name } } }
    notificationLog(first: 50) {
      nodes { id resendOf { id } triggeredBy { name } }
    }
    notificationSettings { isEnabled changedBy { name } }
    settings { key value changedBy { name } }
  }
}
"""


def global_id(client: Client) -> str:
    return encode_global_id("Client", client.public_id)


def nodes(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return data["client"][name]["nodes"]


async def test_documents_show_status_and_signature_newest_first(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    office = await add_staff_user(session, account, name="Dana Office")
    await add_document(session, client, title="Draft", created_at=minutes_later(1))
    await add_document(
        session,
        client,
        title="Sent",
        created_at=minutes_later(2),
        sent_at=minutes_later(2),
        sent_to="ana@example.com",
        sent_via="email",
        sent_by_id=office.id,
    )
    await add_document(
        session,
        client,
        title="Viewed",
        kind=DocumentKind.TERMS_AND_CONDITIONS,
        requires_signature=False,
        created_at=minutes_later(3),
        sent_at=minutes_later(3),
        viewed_at=minutes_later(4),
    )
    await add_signed_document(
        session,
        client,
        title="Signed",
        created_at=minutes_later(5),
        sent_at=minutes_later(5),
        viewed_at=minutes_later(6),
        signer_ip="192.0.2.10",
    )
    await session.commit()

    data = await graph.data(DOCUMENTS, id=global_id(client), first=10)

    documents = nodes(data, "documents")
    assert [(d["title"], d["status"]) for d in documents] == [
        ("Signed", "SIGNED"),
        ("Viewed", "VIEWED"),
        ("Sent", "SENT"),
        ("Draft", "DRAFT"),
    ]
    signed, viewed, sent, draft = documents
    assert signed["signerName"] == "Ana Ortiz"
    assert signed["signerIp"] == "192.0.2.10"
    assert signed["signedAt"] == signed["viewedAt"] == "2026-03-02T09:06:00+00:00"
    assert viewed["kind"] == "TERMS_AND_CONDITIONS"
    assert viewed["requiresSignature"] is False
    assert sent["sentBy"] == {"name": "Dana Office"}
    assert sent["sentTo"] == "ana@example.com"
    assert sent["sentVia"] == "EMAIL"
    assert draft["sentAt"] is None
    assert draft["sentVia"] is None
    assert draft["body"].startswith("The renter agrees")


async def test_documents_page_forward_with_the_end_cursor(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    for minute in range(5):
        await add_document(
            session, client, title=f"Doc {minute}", created_at=minutes_later(minute)
        )
    await session.commit()

    first = (await graph.data(DOCUMENTS, id=global_id(client), first=2))["client"]
    cursor = first["documents"]["pageInfo"]["endCursor"]
    second = (await graph.data(DOCUMENTS, id=global_id(client), first=2, after=cursor))[
        "client"
    ]

    titles = lambda page: [d["title"] for d in page["documents"]["nodes"]]  # noqa: E731
    assert titles(first) == ["Doc 4", "Doc 3"]
    assert titles(second) == ["Doc 2", "Doc 1"]
    assert first["documents"]["totalCount"] == 5
    assert second["documents"]["pageInfo"]["hasNextPage"] is True


async def test_messages_show_both_directions_with_contact_and_sender(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    contact = await add_contact(session, client, first_name="Ana")
    dispatcher = await add_staff_user(session, account, name="Sam Dispatch")
    await add_message(
        session,
        client,
        contact_id=contact.id,
        sent_by_id=dispatcher.id,
        created_at=minutes_later(1),
    )
    await add_message(
        session,
        client,
        contact_id=contact.id,
        direction=MessageDirection.INBOUND,
        status=MessageStatus.RECEIVED,
        body="Left side of the driveway, please.",
        from_number="+13035550199",
        to_number="+13035550100",
        created_at=minutes_later(2),
    )
    await session.commit()

    data = await graph.data(MESSAGES, id=global_id(client))

    inbound, outbound = nodes(data, "messages")
    assert inbound["direction"] == "INBOUND"
    assert inbound["status"] == "RECEIVED"
    assert inbound["body"] == "Left side of the driveway, please."
    assert inbound["fromNumber"] == "+13035550199"
    assert inbound["contact"] == {"firstName": "Ana"}
    assert inbound["sentBy"] is None
    assert outbound["direction"] == "OUTBOUND"
    assert outbound["status"] == "DELIVERED"
    assert outbound["toNumber"] == "+13035550199"
    assert outbound["sentBy"] == {"name": "Sam Dispatch"}
    assert outbound["createdAt"] == "2026-03-02T09:01:00+00:00"


async def test_notes_list_pinned_first_then_newest_with_their_files(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    author = await add_staff_user(session, account, name="Lee Office")
    old_pinned = await add_note(
        session,
        client,
        body="Gate code 4412.",
        is_pinned=True,
        author_id=author.id,
        created_at=minutes_later(1),
    )
    await add_note(session, client, body="Newest.", created_at=minutes_later(3))
    await add_note(session, client, body="Older.", created_at=minutes_later(2))
    await add_attachment(
        session,
        client,
        note_id=old_pinned.id,
        filename="gate.jpg",
        created_at=minutes_later(1),
    )
    await add_attachment(
        session,
        client,
        note_id=old_pinned.id,
        filename="plan.pdf",
        created_at=minutes_later(4),
    )
    await session.commit()

    data = await graph.data(NOTES_AND_FILES, id=global_id(client), first=10)

    notes = nodes(data, "notes")
    assert [note["body"] for note in notes] == ["Gate code 4412.", "Newest.", "Older."]
    assert notes[0]["isPinned"] is True
    assert notes[0]["author"] == {"name": "Lee Office"}
    assert notes[0]["attachments"] == [
        {"filename": "plan.pdf"},
        {"filename": "gate.jpg"},
    ]
    assert notes[1]["attachments"] == []
    assert notes[1]["author"] is None
    assert notes[0]["updatedAt"] is not None


async def test_attachments_list_every_file_newest_first_and_page(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    uploader = await add_staff_user(session, account, name="Kim Driver")
    note = await add_note(session, client)
    await add_attachment(
        session,
        client,
        note_id=note.id,
        filename="old.pdf",
        created_at=minutes_later(1),
    )
    await add_attachment(
        session,
        client,
        filename="driveway.jpg",
        content_type="image/jpeg",
        size_bytes=2_048,
        uploaded_by_id=uploader.id,
        created_at=minutes_later(2),
    )
    await add_attachment(
        session, client, filename="new.pdf", created_at=minutes_later(3)
    )
    await session.commit()

    first = await graph.data(NOTES_AND_FILES, id=global_id(client), first=2)
    cursor = first["client"]["attachments"]["pageInfo"]["endCursor"]
    second = await graph.data(
        NOTES_AND_FILES, id=global_id(client), first=2, after=cursor
    )

    files = nodes(first, "attachments")
    assert [f["filename"] for f in files] == ["new.pdf", "driveway.jpg"]
    assert [f["filename"] for f in nodes(second, "attachments")] == ["old.pdf"]
    assert first["client"]["attachments"]["totalCount"] == 3
    assert files[1]["contentType"] == "image/jpeg"
    assert files[1]["sizeBytes"] == 2_048
    assert len(files[1]["sha256"]) == 64
    assert files[1]["uploadedBy"] == {"name": "Kim Driver"}
    assert second["client"]["attachments"]["pageInfo"]["hasNextPage"] is False


async def test_special_pricing_lists_containers_then_fees_with_money_and_dates(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    sales = await add_staff_user(session, account, name="Pat Sales")
    await add_special_price(
        session,
        client,
        kind=SpecialPriceKind.FEE,
        container_size=None,
        rental_days=None,
        base_price=None,
        fee_code="relocation",
        fee_amount=5_000,
        ends_on=date(2021, 1, 31),
    )
    await add_special_price(
        session,
        client,
        container_size=30,
        base_price=52_500,
        included_days=10,
        included_tons=Decimal("2.5"),
        overage_per_ton=6_500,
        per_extra_day=1_200,
        starts_on=date(2020, 1, 1),
        note="Volume contract 2026.",
        created_by_id=sales.id,
    )
    await add_special_price(
        session, client, container_size=20, starts_on=date(2999, 1, 1)
    )
    await session.commit()

    data = await graph.data(SPECIAL_PRICING, id=global_id(client))

    twenty, thirty, fee = nodes(data, "specialPricing")
    assert (twenty["containerSize"], thirty["containerSize"]) == (20, 30)
    assert twenty["isActive"] is False
    assert twenty["startsOn"] == "2999-01-01"
    assert twenty["overagePerTon"] is None
    assert thirty["kind"] == "CONTAINER"
    assert thirty["rentalDays"] == 7
    assert thirty["basePrice"] == {"amount": "525.00", "currency": "USD"}
    assert thirty["overagePerTon"] == {"amount": "65.00"}
    assert thirty["perExtraDay"] == {"amount": "12.00"}
    assert thirty["includedDays"] == 10
    assert thirty["includedTons"] == "2.50"
    assert thirty["isActive"] is True
    assert thirty["endsOn"] is None
    assert thirty["note"] == "Volume contract 2026."
    assert thirty["createdBy"] == {"name": "Pat Sales"}
    assert fee["kind"] == "FEE"
    assert fee["feeCode"] == "relocation"
    assert fee["feeAmount"] == {"amount": "50.00", "minorUnits": 5_000}
    assert fee["basePrice"] is None
    assert fee["containerSize"] is None
    assert fee["isActive"] is False


async def test_special_pricing_active_on_keeps_prices_that_apply_that_day(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    await add_special_price(session, client, container_size=10, note="open-ended")
    await add_special_price(
        session,
        client,
        container_size=15,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 30),
        note="first half",
    )
    await add_special_price(
        session, client, container_size=20, starts_on=date(2026, 7, 1), note="later"
    )
    await session.commit()

    async def notes_on(day: str) -> list[str]:
        data = await graph.data(SPECIAL_PRICING, id=global_id(client), activeOn=day)
        return [price["note"] for price in nodes(data, "specialPricing")]

    assert await notes_on("2026-06-30") == ["open-ended", "first half"]
    assert await notes_on("2026-07-01") == ["open-ended", "later"]
    assert await notes_on("2025-12-31") == ["open-ended"]


async def test_notification_log_shows_delivery_resends_and_who_sent(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    office = await add_staff_user(session, account, name="Dana Office")
    original = await add_notification(
        session,
        client,
        subject="Invoice 1042",
        status=NotificationStatus.FAILED,
        error="Mailbox full",
        created_at=minutes_later(1),
    )
    await add_notification(
        session,
        client,
        subject="Invoice 1042 (again)",
        trigger=NotificationTrigger.MANUAL,
        triggered_by_id=office.id,
        resend_of_id=original.id,
        sent_at=minutes_later(2),
        delivered_at=minutes_later(3),
        created_at=minutes_later(2),
    )
    await add_notification(
        session,
        client,
        event=NotificationEvent.TASK_REMINDER,
        channel=Channel.TEXT,
        status=NotificationStatus.SUPPRESSED,
        suppression_reason="client turned off task reminder texts",
        recipient="+13035550199",
        created_at=minutes_later(4),
    )
    await session.commit()

    data = await graph.data(NOTIFICATION_LOG, id=global_id(client), first=10)

    suppressed, resend, failed = nodes(data, "notificationLog")
    assert suppressed["event"] == "TASK_REMINDER"
    assert suppressed["channel"] == "TEXT"
    assert suppressed["status"] == "SUPPRESSED"
    assert suppressed["suppressionReason"] == "client turned off task reminder texts"
    assert suppressed["recipient"] == "+13035550199"
    assert resend["trigger"] == "MANUAL"
    assert resend["triggeredBy"] == {"name": "Dana Office"}
    assert resend["resendOf"] == {"subject": "Invoice 1042"}
    assert resend["sentAt"] == "2026-03-02T09:02:00+00:00"
    assert resend["deliveredAt"] == "2026-03-02T09:03:00+00:00"
    assert failed["trigger"] == "AUTOMATIC"
    assert failed["error"] == "Mailbox full"
    assert failed["resendOf"] is None
    assert failed["triggeredBy"] is None


async def test_notification_log_filters_by_event_channel_and_status(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    rows = [
        (NotificationEvent.INVOICE_SENT, Channel.EMAIL, NotificationStatus.DELIVERED),
        (NotificationEvent.INVOICE_SENT, Channel.TEXT, NotificationStatus.FAILED),
        (NotificationEvent.TASK_REMINDER, Channel.TEXT, NotificationStatus.DELIVERED),
        (NotificationEvent.ESTIMATE_SENT, Channel.EMAIL, NotificationStatus.QUEUED),
    ]
    for minute, (event, channel, status) in enumerate(rows):
        await add_notification(
            session,
            client,
            event=event,
            channel=channel,
            status=status,
            subject=f"{event.value}/{channel.value}",
            created_at=minutes_later(minute),
        )
    await session.commit()

    async def subjects(**filters: Any) -> list[str]:
        data = await graph.data(
            NOTIFICATION_LOG, id=global_id(client), first=10, **filters
        )
        return [entry["subject"] for entry in nodes(data, "notificationLog")]

    assert await subjects(event=["INVOICE_SENT"]) == [
        "invoice_sent/text",
        "invoice_sent/email",
    ]
    assert await subjects(channel="TEXT") == [
        "task_reminder/text",
        "invoice_sent/text",
    ]
    assert await subjects(status=["QUEUED", "FAILED"]) == [
        "estimate_sent/email",
        "invoice_sent/text",
    ]
    assert await subjects(
        event=["INVOICE_SENT", "TASK_REMINDER"], channel="TEXT", status=["DELIVERED"]
    ) == ["task_reminder/text"]


async def test_notification_log_pages_forward(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    for minute in range(3):
        await add_notification(
            session, client, subject=f"N{minute}", created_at=minutes_later(minute)
        )
    await session.commit()

    first = await graph.data(NOTIFICATION_LOG, id=global_id(client), first=2)
    cursor = first["client"]["notificationLog"]["pageInfo"]["endCursor"]
    second = await graph.data(
        NOTIFICATION_LOG, id=global_id(client), first=2, after=cursor
    )

    assert [e["subject"] for e in nodes(first, "notificationLog")] == ["N2", "N1"]
    assert [e["subject"] for e in nodes(second, "notificationLog")] == ["N0"]
    assert first["client"]["notificationLog"]["pageInfo"]["hasNextPage"] is True


async def test_notification_settings_resolve_override_account_and_built_in(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    account.notification_defaults = {"invoice_sent": {"text": True}}
    client = await add_client(session, account)
    office = await add_staff_user(session, account, name="Dana Office")
    await add_notification_override(
        session,
        client,
        NotificationEvent.INVOICE_SENT,
        Channel.EMAIL,
        is_enabled=False,
        changed_by_id=office.id,
        changed_at=minutes_later(5),
    )
    await add_notification_override(
        session, client, NotificationEvent.TASK_REMINDER, Channel.TEXT
    )
    await session.commit()

    data = await graph.data(NOTIFICATION_SETTINGS, id=global_id(client))

    settings = {
        (s["event"], s["channel"]): s for s in data["client"]["notificationSettings"]
    }
    assert len(settings) == len(NotificationEvent) * len(Channel)
    assert settings["INVOICE_SENT", "EMAIL"] == {
        "event": "INVOICE_SENT",
        "channel": "EMAIL",
        "isEnabled": False,
        "source": "CLIENT_OVERRIDE",
        "accountDefault": True,
        "changedAt": "2026-03-02T09:05:00+00:00",
        "changedBy": {"name": "Dana Office"},
    }
    assert settings["INVOICE_SENT", "TEXT"]["isEnabled"] is True
    assert settings["INVOICE_SENT", "TEXT"]["source"] == "ACCOUNT_DEFAULT"
    assert settings["INVOICE_SENT", "TEXT"]["changedAt"] is None
    assert settings["ESTIMATE_SENT", "TEXT"]["isEnabled"] is False
    reminder = settings["TASK_REMINDER", "TEXT"]
    assert (reminder["isEnabled"], reminder["accountDefault"]) == (False, True)
    assert reminder["changedBy"] is None


async def test_client_settings_show_effective_value_and_its_source(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    account.client_settings = {"payment_terms_days": 15, "tax_rate_bps": 825}
    client = await add_client(session, account)
    admin = await add_staff_user(session, account, name="Robin Admin")
    await add_setting_override(
        session,
        client,
        "payment_terms_days",
        45,
        changed_by_id=admin.id,
        changed_at=minutes_later(7),
    )
    await add_setting_override(session, client, "invoice_delivery", "text")
    await session.commit()

    data = await graph.data(CLIENT_SETTINGS, id=global_id(client))

    settings = {s["key"]: s for s in data["client"]["settings"]}
    assert settings["payment_terms_days"] == {
        "key": "payment_terms_days",
        "description": "Days from issue until due.",
        "value": 45,
        "source": "CLIENT_OVERRIDE",
        "accountValue": 15,
        "isClientOverridable": True,
        "changedAt": "2026-03-02T09:07:00+00:00",
        "changedBy": {"name": "Robin Admin"},
    }
    assert settings["invoice_delivery"]["value"] == "text"
    assert settings["invoice_delivery"]["accountValue"] == "email"
    assert settings["tax_rate_bps"]["value"] == 825
    assert settings["tax_rate_bps"]["source"] == "ACCOUNT_DEFAULT"
    assert settings["hold_balance_threshold"]["value"] is None
    assert settings["dashboard_access"]["value"] is True


async def test_records_of_another_account_never_appear(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    other = await add_account(session)
    stranger = await add_contact(session, await add_client(session, other))
    foreign = {"account_id": other.id}
    await add_document(session, client, title="Mine")
    await add_document(session, client, title="Theirs", **foreign)
    await add_note(session, client, **foreign)
    await add_attachment(session, client, **foreign)
    await add_special_price(session, client, **foreign)
    await add_notification(session, client, **foreign)
    await add_message(session, client, contact_id=stranger.id)
    await add_notification_override(
        session, client, NotificationEvent.INVOICE_SENT, Channel.EMAIL, **foreign
    )
    await add_setting_override(session, client, "tax_exempt", True, **foreign)
    await session.commit()

    data = (await graph.data(EVERYTHING, id=global_id(client)))["client"]

    assert len(data["documents"]["nodes"]) == 1
    for name in ("notes", "attachments", "specialPricing", "notificationLog"):
        assert data[name]["nodes"] == [], name
    assert data["messages"]["nodes"][0]["contact"] is None
    assert all(s["changedBy"] is None for s in data["notificationSettings"])
    assert all(s["changedBy"] is None for s in data["settings"])
    assert {s["key"]: s["value"] for s in data["settings"]}["tax_exempt"] is False


async def add_records(
    session: AsyncSession, account: Account, client: Client, count: int
) -> None:
    """``count`` rows of every relation, each pointing at a staff user; the log
    also holds the original that each of its ``count`` entries re-sent."""
    staff = await add_staff_user(session, account)
    contact = await add_contact(session, client)
    events = list(NotificationEvent)
    original = await add_notification(session, client)
    for number in range(count):
        await add_signed_document(
            session, client, sent_at=minutes_later(number), sent_by_id=staff.id
        )
        await add_message(session, client, contact_id=contact.id, sent_by_id=staff.id)
        note = await add_note(session, client, author_id=staff.id)
        await add_attachment(session, client, note_id=note.id, uploaded_by_id=staff.id)
        await add_special_price(
            session,
            client,
            container_size=20,
            rental_days=number + 1,
            created_by_id=staff.id,
        )
        await add_notification(
            session, client, triggered_by_id=staff.id, resend_of_id=original.id
        )
        # An override per event and channel, as many as there are pairs.
        if number < len(events) * len(Channel):
            await add_notification_override(
                session,
                client,
                events[number % len(events)],
                list(Channel)[number // len(events)],
                changed_by_id=staff.id,
            )
    await add_setting_override(
        session, client, "payment_terms_days", 45, changed_by_id=staff.id
    )


async def test_statement_count_does_not_grow_with_records(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    small = await add_client(session, account)
    large = await add_client(session, account)
    await add_records(session, account, small, 1)
    await add_records(session, account, large, 30)
    await session.commit()

    small_data = await graph.data(EVERYTHING, id=global_id(small))
    small_statements = len(graph.statements)
    large_data = await graph.data(EVERYTHING, id=global_id(large))
    large_statements = len(graph.statements)

    assert len(small_data["client"]["documents"]["nodes"]) == 1
    assert len(large_data["client"]["notificationLog"]["nodes"]) == 31
    assert large_statements == small_statements


def fields_of(audience: Audience, type_name: str) -> set[str]:
    graphql_type = SCHEMAS[audience]._schema.type_map.get(type_name)
    return set(getattr(graphql_type, "fields", {}))


def test_clients_see_their_documents_and_choices_but_no_internals() -> None:
    client_fields = fields_of(Audience.DASHBOARD, "Client")

    assert {"documents", "notificationSettings"} <= client_fields
    assert not client_fields & {
        "messages",
        "notes",
        "attachments",
        "specialPricing",
        "notificationLog",
        "settings",
    }
    assert not fields_of(Audience.DASHBOARD, "Document") & {"sentBy", "signerIp"}
    assert not fields_of(Audience.DASHBOARD, "NotificationSetting") & {
        "changedAt",
        "changedBy",
    }


def test_internal_notes_are_for_staff_only() -> None:
    staff_fields = fields_of(Audience.STAFF, "Client")
    partner_fields = fields_of(Audience.PARTNER, "Client")

    assert "notes" in staff_fields
    assert "notes" not in partner_fields
    assert fields_of(Audience.PARTNER, "Note") == set()
    assert {"attachments", "specialPricing", "notificationLog", "settings"} <= (
        partner_fields
    )
