"""setCommunicationPreference and setTextConsent on the dashboard route."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.notify import announce
from persistence.enums import Channel, NotificationEvent, NotificationStatus
from persistence.models import (
    ActivityRecord,
    Client,
    Contact,
    NotificationLogEntry,
    NotificationPreferenceOverride,
)
from tests.billing_factories import add_hold
from tests.factories import add_invoice
from tests.graph.dashboard.conftest import NOW, RouteClient, SignIn, codes
from tests.notify_factories import memory_worker

SET_PREFERENCE = """
mutation($event: NotificationEvent!, $channel: Channel!, $on: Boolean!) {
  setCommunicationPreference(
    input: {event: $event, channel: $channel, isEnabled: $on}
  ) {
    setting { event channel isEnabled source suppressionReason }
    userErrors { field code message }
  }
}
"""
SET_CONSENT = """
mutation($consent: Boolean!) {
  setTextConsent(input: {consent: $consent}) {
    contact { textConsent textConsentAt }
    userErrors { field code message }
  }
}
"""
SETTINGS = "{ viewer { client { notificationSettings { event channel isEnabled } } } }"


async def test_a_client_turning_off_invoice_emails_suppresses_the_next_one(
    dashboard: RouteClient,
    engine: AsyncEngine,
    session: AsyncSession,
    client: Client,
    contact: Contact,
) -> None:
    invoice = await add_invoice(session, client)
    await session.commit()

    data = await dashboard.data(
        SET_PREFERENCE, event="INVOICE_SENT", channel="EMAIL", on=False
    )
    await announce(
        session,
        None,
        NotificationEvent.INVOICE_SENT,
        account_id=client.account_id,
        client_id=client.id,
        invoice_id=invoice.id,
    )
    await session.commit()
    worker, mailer, _ = memory_worker(engine)
    await worker.run_until_idle()

    assert data["setCommunicationPreference"] == {
        "setting": {
            "event": "INVOICE_SENT",
            "channel": "EMAIL",
            "isEnabled": False,
            "source": "CLIENT_OVERRIDE",
            "suppressionReason": "client turned off invoice emails",
        },
        "userErrors": [],
    }
    entry = await session.scalar(
        select(NotificationLogEntry).execution_options(populate_existing=True)
    )
    assert entry is not None
    assert entry.status == NotificationStatus.SUPPRESSED
    assert entry.suppression_reason == "client turned off invoice emails"
    assert mailer.sent == []
    action = await session.scalar(select(ActivityRecord.action))
    assert action == "notification_preference.set"


async def test_the_dashboard_lists_every_event_and_channel(
    dashboard: RouteClient,
) -> None:
    data = await dashboard.data(SETTINGS)

    settings = data["viewer"]["client"]["notificationSettings"]
    assert len(settings) == len(NotificationEvent) * len(Channel)


async def test_texts_are_turned_on_only_with_consent(
    dashboard: RouteClient, session: AsyncSession
) -> None:
    refused = await dashboard.data(
        SET_PREFERENCE, event="TASK_REMINDER", channel="TEXT", on=True
    )
    consented = await dashboard.data(SET_CONSENT, consent=True)
    allowed = await dashboard.data(
        SET_PREFERENCE, event="TASK_REMINDER", channel="TEXT", on=True
    )

    assert codes(refused["setCommunicationPreference"]) == ["TEXT_CONSENT_REQUIRED"]
    assert consented["setTextConsent"]["contact"]["textConsent"] is True
    assert consented["setTextConsent"]["contact"]["textConsentAt"] == NOW.isoformat()
    assert allowed["setCommunicationPreference"]["setting"]["isEnabled"] is True


async def test_consent_is_withdrawn_and_needs_a_phone(
    dashboard: RouteClient, session: AsyncSession, contact: Contact
) -> None:
    given = await dashboard.data(SET_CONSENT, consent=True)
    withdrawn = await dashboard.data(SET_CONSENT, consent=False)
    contact.phone = None
    await session.commit()
    without_phone = await dashboard.data(SET_CONSENT, consent=True)

    assert given["setTextConsent"]["userErrors"] == []
    assert withdrawn["setTextConsent"]["contact"] == {
        "textConsent": False,
        "textConsentAt": None,
    }
    assert codes(without_phone["setTextConsent"]) == ["PHONE_REQUIRED"]
    actions = list(await session.scalars(select(ActivityRecord.action)))
    assert actions == [
        "contact.text_consent_given",
        "contact.text_consent_withdrawn",
    ]


async def test_preferences_stay_open_while_on_hold(
    dashboard: RouteClient, session: AsyncSession, client: Client
) -> None:
    await add_hold(session, client)
    await session.commit()

    preference = await dashboard.data(
        SET_PREFERENCE, event="INVOICE_SENT", channel="EMAIL", on=False
    )
    consent = await dashboard.data(SET_CONSENT, consent=True)

    assert preference["setCommunicationPreference"]["userErrors"] == []
    assert consent["setTextConsent"]["userErrors"] == []


async def test_a_staff_preview_changes_no_preference(
    preview: RouteClient, session: AsyncSession, contact: Contact
) -> None:
    preference = await preview.data(
        SET_PREFERENCE, event="INVOICE_SENT", channel="EMAIL", on=False
    )
    consent = await preview.data(SET_CONSENT, consent=True)

    assert codes(preference["setCommunicationPreference"]) == ["READ_ONLY"]
    assert codes(consent["setTextConsent"]) == ["READ_ONLY"]
    assert list(await session.scalars(select(NotificationPreferenceOverride))) == []
    await session.refresh(contact)
    assert contact.text_consent_at is None


async def test_a_sign_in_without_a_contact_has_no_consent_to_give(
    sign_in: SignIn, client: Client
) -> None:
    dashboard = await sign_in(client)

    data = await dashboard.data(SET_CONSENT, consent=True)

    assert codes(data["setTextConsent"]) == ["NOT_FOUND"]


async def test_a_held_client_reads_and_changes_its_preferences(
    sign_in: SignIn, session: AsyncSession, client: Client, contact: Contact
) -> None:
    await add_hold(session, client)
    await session.commit()
    held = await sign_in(client, contact, is_on_hold=True)

    listed = await held.execute(SETTINGS)
    changed = await held.execute(
        SET_PREFERENCE, event="INVOICE_SENT", channel="EMAIL", on=False
    )

    assert "errors" not in listed
    assert len(listed["data"]["viewer"]["client"]["notificationSettings"]) == len(
        NotificationEvent
    ) * len(Channel)
    assert "errors" not in changed
    assert changed["data"]["setCommunicationPreference"]["setting"]["source"] == (
        "CLIENT_OVERRIDE"
    )
