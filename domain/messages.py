"""The text conversation with a client: texts staff send, texts that come in,
and what the provider reports about delivery.

Phone numbers are compared in one normal form (``normalise_phone``): the
digits in E.164 with a leading ``+``; ten-digit numbers are taken as North
American and get the country code 1. Stored contact numbers keep whatever
format people typed; they are normalised when compared.
"""

import logging
import re
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.identity.viewer import Viewer
from domain.problems import Problem, refuse_all
from persistence.enums import MessageDirection, MessageStatus, NotificationStatus
from persistence.models import (
    Account,
    Client,
    Contact,
    Message,
    NotificationLogEntry,
    OutboxItem,
)

logger = logging.getLogger(__name__)

LONGEST_TEXT = 1600


def normalise_phone(raw: str | None) -> str | None:
    """``(303) 555-0142`` → ``+13035550142``; None when it is no phone number."""
    if not raw:
        return None
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 10 and not raw.strip().startswith("+"):
        digits = "1" + digits
    if not 8 <= len(digits) <= 15:
        return None
    return "+" + digits


def masked(number: str | None) -> str:
    """A number fit for logs: only its last two digits."""
    return "…" + (number or "")[-2:]


class MessageProblem(StrEnum):
    CLIENT_NOT_FOUND = "client_not_found"
    CONTACT_NOT_FOUND = "contact_not_found"
    NO_PHONE = "no_phone"
    NO_TEXT_CONSENT = "no_text_consent"
    BODY_INVALID = "body_invalid"


def message_problems(contact: Contact | None, body: str) -> list[Problem]:
    problems = []
    if not body.strip() or len(body) > LONGEST_TEXT:
        problems.append(
            Problem(
                MessageProblem.BODY_INVALID,
                "body",
                f"Write a message of 1 to {LONGEST_TEXT} characters.",
            )
        )
    if contact is None:
        problems.append(
            Problem(
                MessageProblem.CONTACT_NOT_FOUND,
                "contactId",
                "The client has no such contact (and no primary contact).",
            )
        )
    elif normalise_phone(contact.phone) is None:
        problems.append(
            Problem(
                MessageProblem.NO_PHONE,
                "contactId",
                "The contact has no phone number that can receive texts.",
            )
        )
    elif contact.text_consent_at is None:
        problems.append(
            Problem(
                MessageProblem.NO_TEXT_CONSENT,
                "contactId",
                "The contact has not agreed to receive texts; record consent first.",
            )
        )
    return problems


async def send_message(
    session: AsyncSession,
    viewer: Viewer,
    client: Client,
    contact: Contact | None,
    body: str,
) -> Message:
    """Queue a text to a client's contact; it leaves through the outbox."""
    refuse_all(message_problems(contact, body))
    assert contact is not None  # message_problems refused a missing contact
    account = await session.get_one(Account, client.account_id)
    message = Message(
        account_id=client.account_id,
        client_id=client.id,
        contact_id=contact.id,
        direction=MessageDirection.OUTBOUND,
        status=MessageStatus.QUEUED,
        body=body,
        from_number=normalise_phone(account.phone) or "",
        to_number=normalise_phone(contact.phone) or "",
        sent_by_id=viewer.staff_user_id,
    )
    session.add(message)
    await session.flush()
    session.add(OutboxItem(account_id=client.account_id, message_id=message.id))
    await record_activity(
        session, viewer, "message.sent", client_id=client.id, subject=message
    )
    return message


async def accounts_texted(session: AsyncSession, to_number: str | None) -> list[int]:
    """The accounts whose own number is ``to_number``."""
    if not to_number:
        return []
    accounts = await session.execute(
        select(Account.id, Account.phone).where(
            Account.phone.like(f"%{to_number[-4:]}")
        )
    )
    return [
        account_id
        for account_id, phone in accounts
        if normalise_phone(phone) == to_number
    ]


async def matching_contacts(
    session: AsyncSession, from_number: str, to_number: str | None
) -> list[Contact]:
    """Contacts whose phone is ``from_number``, in the account texted when its
    number is known, primary contacts first.

    The last four digits narrow the search in SQL; the normal forms decide.
    """
    statement = (
        select(Contact)
        .join(Client, Client.id == Contact.client_id)
        .where(Contact.phone.like(f"%{from_number[-4:]}"))
        .order_by(Contact.is_primary.desc(), Contact.id)
    )
    texted = await accounts_texted(session, to_number)
    if texted:
        statement = statement.where(Contact.account_id.in_(texted))
    candidates = await session.scalars(statement)
    return [
        contact
        for contact in candidates
        if normalise_phone(contact.phone) == from_number
    ]


async def replied_to(session: AsyncSession, contacts: list[Contact]) -> Contact | None:
    """Which of several contacts sharing a number is answering: the one that
    was texted last. With no such conversation, the first of one account;
    across accounts nobody, since a wrong guess would show one business's
    client's text to another business."""
    latest = await session.scalar(
        select(Message.contact_id)
        .where(
            Message.contact_id.in_([contact.id for contact in contacts]),
            Message.direction == MessageDirection.OUTBOUND,
        )
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(1)
    )
    for contact in contacts:
        if contact.id == latest:
            return contact
    if len({contact.account_id for contact in contacts}) == 1:
        return contacts[0]
    return None


async def receive_text(
    session: AsyncSession,
    from_number: str,
    to_number: str,
    body: str,
    provider_message_id: str | None,
) -> Message | None:
    """Append an inbound text to the thread of the client whose contact sent
    it; None (and a log line) when no contact, or no one contact, has that
    number."""
    sender = normalise_phone(from_number)
    contacts = (
        await matching_contacts(session, sender or "", normalise_phone(to_number))
        if sender
        else []
    )
    contact = await replied_to(session, contacts) if contacts else None
    if contact is None:
        logger.info(
            "An inbound text from %s matched %s contacts; not stored",
            masked(sender),
            len(contacts),
        )
        return None
    message = Message(
        account_id=contact.account_id,
        client_id=contact.client_id,
        contact_id=contact.id,
        direction=MessageDirection.INBOUND,
        status=MessageStatus.RECEIVED,
        body=body[:LONGEST_TEXT],
        from_number=sender or from_number,
        to_number=normalise_phone(to_number) or to_number,
        provider_message_id=provider_message_id,
    )
    session.add(message)
    await session.flush()
    return message


# Provider words for delivery states; others (queued, sending) change nothing.
DELIVERED = frozenset({"delivered", "read"})
FAILED = frozenset({"failed", "undelivered"})


async def record_delivery_status(
    session: AsyncSession, provider_message_id: str, status: str, now: datetime
) -> bool:
    """Apply a provider's delivery report; False when the id is unknown."""
    word = status.lower()
    entry = await session.scalar(
        select(NotificationLogEntry).where(
            NotificationLogEntry.provider_message_id == provider_message_id
        )
    )
    message = await session.scalar(
        select(Message).where(Message.provider_message_id == provider_message_id)
    )
    if entry is None and message is None:
        return False
    if entry is not None and word in DELIVERED:
        entry.status = NotificationStatus.DELIVERED
        entry.delivered_at = now
    elif entry is not None and word in FAILED:
        entry.status = NotificationStatus.FAILED
        entry.error = f"The provider reported the text {word}."
    if message is not None and word in DELIVERED:
        message.status = MessageStatus.DELIVERED
    elif message is not None and word in FAILED:
        message.status = MessageStatus.FAILED
    return True
