"""A client's own communication preferences: which notifications it gets on
which channel (the same override staff set), and its consent to texts.
Both stay open while the client is on hold.

Texts go to the primary contact, and only with its recorded consent; so a
client turns a text notification on only once that contact has consented,
rather than choosing something that would be suppressed every time.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from domain.contacts import set_text_consent
from domain.dashboard.access import client_acting
from domain.documents import primary_contact
from domain.identity.viewer import Viewer
from domain.people import ClientProblem
from domain.problems import refuse
from domain.setting_changes import set_notification_preference
from persistence.enums import Channel, NotificationEvent
from persistence.models import Client, Contact


class PreferenceProblem(StrEnum):
    TEXT_CONSENT_REQUIRED = "text_consent_required"


async def set_preference(
    session: AsyncSession,
    viewer: Viewer,
    event: NotificationEvent,
    channel: Channel,
    is_enabled: bool,
) -> Client:
    client = await client_acting(session, viewer, is_open_during_hold=True)
    if channel is Channel.TEXT and is_enabled:
        contact = await primary_contact(session, client)
        if contact is None or contact.text_consent_at is None:
            refuse(
                PreferenceProblem.TEXT_CONSENT_REQUIRED,
                "isEnabled",
                "Texts go to your primary contact, who has not agreed to text "
                "messages yet; agree to them first.",
            )
    await set_notification_preference(
        session, viewer, client, event, channel, is_enabled
    )
    return client


async def set_own_text_consent(
    session: AsyncSession, viewer: Viewer, consent: bool, now: datetime
) -> Contact:
    """Consent of the contact signed in; a sign-in with no contact has none
    to give."""
    await client_acting(session, viewer, is_open_during_hold=True)
    contact = (
        await session.get(Contact, viewer.contact_id)
        if viewer.contact_id is not None
        else None
    )
    if contact is None or contact.client_id != viewer.client_id:
        refuse(
            ClientProblem.CONTACT_NOT_FOUND,
            "",
            "We could not tell who is signed in; sign in again from your link.",
        )
    return await set_text_consent(session, viewer, contact, consent, now)
