"""A client's contacts: add, change, remove, and which one is primary.

A client always has exactly one primary contact (the database enforces "at
most one"; these operations keep "at least one"). Removing the primary
contact hands the role on: to the only other contact when there is exactly
one (nobody has to choose), otherwise to the contact the office names; an
office user never finds notifications silently going to someone they did
not pick. The last contact cannot be removed: invoices need somebody to go to.
"""

import dataclasses
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.identity.viewer import Viewer
from domain.people import (
    Checker,
    ClientProblem,
    ContactDetails,
    checked_contact,
    client_country,
    contacts_of,
    find_client,
    find_in_account,
)
from domain.problems import refuse, refuse_all
from persistence.models import Client, Contact


def contact_row(
    client: Client, values: dict[str, Any], now: datetime, *, is_primary: bool
) -> Contact:
    consent_at = now if values["text_consent_source"] is not None else None
    return Contact(
        account_id=client.account_id,
        client_id=client.id,
        is_primary=is_primary,
        text_consent_at=consent_at,
        **values,
    )


async def find_contact(
    session: AsyncSession,
    viewer: Viewer,
    public_id: uuid.UUID | None,
    field: str = "contactId",
) -> tuple[Contact, Client]:
    """The viewer's contact and its client (which must not be merged away)."""
    contact = await find_in_account(
        session, viewer, Contact, public_id, ClientProblem.CONTACT_NOT_FOUND, field
    )
    client = await session.get_one(Client, contact.client_id)
    if client.merged_into_id is not None:
        refuse(ClientProblem.CLIENT_MERGED, field, "The contact's client was merged.")
    return contact, client


async def add_contact(
    session: AsyncSession,
    viewer: Viewer,
    client_id: uuid.UUID | None,
    details: ContactDetails,
    now: datetime,
    *,
    make_primary: bool = False,
) -> Contact:
    """A new contact; primary when asked (the old primary steps down) or when
    the client has no primary yet."""
    client = await find_client(session, viewer, client_id)
    check = Checker("", [])
    values = checked_contact(details, check, await client_country(session, client))
    refuse_all(check.problems)

    has_primary = any(
        other.is_primary for other in await contacts_of(session, client.id)
    )
    is_primary = make_primary or not has_primary
    if is_primary:
        await step_down_primary(session, client.id)
    contact = contact_row(client, values, now, is_primary=is_primary)
    session.add(contact)
    await record_activity(
        session, viewer, "contact.added", client_id=client.id, subject=contact
    )
    return contact


def details_of(contact: Contact) -> ContactDetails:
    return ContactDetails(
        first_name=contact.first_name,
        last_name=contact.last_name,
        title=contact.title,
        email=contact.email,
        phone=contact.phone,
        text_consent_source=contact.text_consent_source,
    )


async def update_contact(
    session: AsyncSession,
    viewer: Viewer,
    contact_id: uuid.UUID | None,
    changes: Mapping[str, Any],
    now: datetime,
) -> Contact:
    """Change the given fields (``ContactDetails`` names); others stay."""
    contact, client = await find_contact(session, viewer, contact_id)
    details = dataclasses.replace(details_of(contact), **changes)
    check = Checker("", [])
    values = checked_contact(details, check, await client_country(session, client))
    refuse_all(check.problems)

    had_consent = contact.text_consent_source is not None
    for name, value in values.items():
        setattr(contact, name, value)
    # Consent is dated when it is given; withdrawing it clears the date.
    if values["text_consent_source"] is None:
        contact.text_consent_at = None
    elif not had_consent:
        contact.text_consent_at = now
    await record_activity(
        session,
        viewer,
        "contact.updated",
        client_id=client.id,
        subject=contact,
        fields=sorted(changes),
    )
    return contact


async def step_down_primary(session: AsyncSession, client_id: int) -> None:
    """No primary for a moment: the unique index allows one at a time."""
    for contact in await contacts_of(session, client_id):
        if contact.is_primary:
            contact.is_primary = False
    await session.flush()


async def make_primary_contact(
    session: AsyncSession, viewer: Viewer, contact_id: uuid.UUID | None
) -> Contact:
    contact, client = await find_contact(session, viewer, contact_id)
    if contact.is_primary:
        return contact
    await step_down_primary(session, client.id)
    contact.is_primary = True
    await record_activity(
        session, viewer, "contact.made_primary", client_id=client.id, subject=contact
    )
    return contact


async def successor_of(
    session: AsyncSession,
    viewer: Viewer,
    contact: Contact,
    named: uuid.UUID | None,
) -> Contact | None:
    """Who becomes primary when ``contact`` goes; None when it is not primary."""
    others = [
        other
        for other in await contacts_of(session, contact.client_id)
        if other.id != contact.id
    ]
    if not others:
        refuse(
            ClientProblem.LAST_CONTACT,
            "contactId",
            "A client keeps at least one contact; add another before removing "
            "this one.",
        )
    if not contact.is_primary:
        return None
    if named is not None:
        for other in others:
            if other.public_id == named:
                return other
        refuse(
            ClientProblem.CONTACT_NOT_FOUND,
            "newPrimaryContactId",
            "Name another contact of the same client as the new primary.",
        )
    if len(others) > 1:
        refuse(
            ClientProblem.SUCCESSOR_REQUIRED,
            "newPrimaryContactId",
            "This is the primary contact: say which contact takes its place.",
        )
    return others[0]


async def remove_contact(
    session: AsyncSession,
    viewer: Viewer,
    contact_id: uuid.UUID | None,
    new_primary_id: uuid.UUID | None = None,
) -> Contact:
    """Delete a contact; messages and notifications keep their own copy of the
    number or address they went to."""
    contact, client = await find_contact(session, viewer, contact_id)
    successor = await successor_of(session, viewer, contact, new_primary_id)

    await record_activity(
        session,
        viewer,
        "contact.removed",
        client_id=client.id,
        subject=contact,
        name=f"{contact.first_name} {contact.last_name}".strip(),
    )
    await session.delete(contact)
    await session.flush()
    if successor is not None:
        successor.is_primary = True
        await record_activity(
            session,
            viewer,
            "contact.made_primary",
            client_id=client.id,
            subject=successor,
        )
    return contact


# How consent given by the contact itself on its dashboard is recorded.
DASHBOARD_CONSENT_SOURCE = "Given by the contact on the client dashboard"


async def set_text_consent(
    session: AsyncSession,
    viewer: Viewer,
    contact: Contact,
    consent: bool,
    now: datetime,
) -> Contact:
    """The contact gives or withdraws its consent to text messages; giving it
    again keeps the first date, and a contact without a phone cannot give it."""
    if consent and not (contact.phone or "").strip():
        refuse(
            ClientProblem.CONSENT_NEEDS_PHONE,
            "consent",
            "Add a phone number before agreeing to text messages.",
        )
    had_consent = contact.text_consent_at is not None
    if consent and not had_consent:
        contact.text_consent_at = now
        contact.text_consent_source = DASHBOARD_CONSENT_SOURCE
    elif not consent:
        contact.text_consent_at = None
        contact.text_consent_source = None

    if consent != had_consent:
        await record_activity(
            session,
            viewer,
            "contact.text_consent_given"
            if consent
            else "contact.text_consent_withdrawn",
            client_id=contact.client_id,
            subject=contact,
        )
    return contact
