"""Notification and message mutations: resend a logged notification, text a
client's contact."""

import uuid

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.messages import MessageProblem, send_message
from domain.notify import ResendProblem, resend
from domain.permissions import Permission
from domain.problems import refuse
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.ids import InvalidGlobalId, decode_global_id
from graph.mutations import MutationInput, UserError, perform, user_errors
from graph.types.notifications import Message, NotificationLogEntry
from persistence.models import Client, Contact
from persistence.models import NotificationLogEntry as EntryRow

strawberry.enum(
    ResendProblem,
    name="NotificationErrorCode",
    description="Why a resend was refused: ENTRY_NOT_FOUND, or STILL_QUEUED "
    "(the original has not been dispatched yet).",
)
strawberry.enum(
    MessageProblem,
    name="MessageErrorCode",
    description="Why a text was refused: CLIENT_NOT_FOUND, CONTACT_NOT_FOUND, "
    "NO_PHONE (the contact has no number that takes texts), NO_TEXT_CONSENT, "
    "BODY_INVALID (empty or over 1,600 characters).",
)


def public_id_of(global_id: str | None, type_name: str) -> uuid.UUID | None:
    """The public UUID a global ID names, if it names a ``type_name``."""
    if global_id is None:
        return None
    try:
        found_type, public_id = decode_global_id(global_id)
    except InvalidGlobalId:
        return None
    return public_id if found_type == type_name else None


@strawberry.type(description="A reason a resend was refused.")
class NotificationError(UserError):
    code: ResendProblem = field(description="What went wrong.", audiences=STAFF_ONLY)


@strawberry.input(description="Which notification to send again.")
class ResendNotificationInput:
    id: strawberry.ID = strawberry.field(description="The notification-log entry's ID.")


@strawberry.type(description="The new log entry of the resend.")
class ResendNotificationPayload:
    entry: NotificationLogEntry | None = field(
        description="The new entry, queued and linked to the original by "
        "`resendOf`; null when refused.",
        audiences=STAFF_ONLY,
    )
    user_errors: list[NotificationError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


async def resolve_resend_notification(
    info: Info, input: MutationInput[ResendNotificationInput]
) -> ResendNotificationPayload:
    viewer = info.context.signed_in_viewer
    public_id = public_id_of(input.id, "NotificationLogEntry")

    async def work(session: AsyncSession) -> NotificationLogEntry:
        entry = None
        if public_id is not None:
            entry = await session.scalar(
                select(EntryRow).where(
                    EntryRow.public_id == public_id,
                    EntryRow.account_id == viewer.account_id,
                )
            )
        copy = await resend(session, viewer, entry)
        await session.refresh(copy)
        return NotificationLogEntry.from_row(copy)

    outcome = await perform(info, work)
    return ResendNotificationPayload(
        entry=outcome.result,
        user_errors=user_errors(NotificationError, outcome.problems),
    )


@strawberry.type(description="A reason a text was refused.")
class MessageError(UserError):
    code: MessageProblem = field(description="What went wrong.", audiences=STAFF_ONLY)


@strawberry.input(description="A text to one of a client's contacts.")
class SendMessageInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    contact_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The contact to text; the primary contact when left out.",
    )
    body: str = strawberry.field(description="The text, 1 to 1,600 characters.")


@strawberry.type(description="The queued text.")
class SendMessagePayload:
    message: Message | None = field(
        description="The message, QUEUED until the provider takes it; null when "
        "refused.",
        audiences=STAFF_ONLY,
    )
    user_errors: list[MessageError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


async def contact_to_text(
    session: AsyncSession, client: Client, contact_public_id: uuid.UUID | None
) -> Contact | None:
    """The chosen contact of this client, or its primary contact."""
    statement = select(Contact).where(Contact.client_id == client.id)
    if contact_public_id is not None:
        statement = statement.where(Contact.public_id == contact_public_id)
    else:
        statement = statement.where(Contact.is_primary)
    return await session.scalar(statement)


async def resolve_send_message(
    info: Info, input: MutationInput[SendMessageInput]
) -> SendMessagePayload:
    viewer = info.context.signed_in_viewer
    client_id = public_id_of(input.client_id, "Client")
    contact_id = public_id_of(input.contact_id, "Contact")
    names_a_contact = input.contact_id is not None

    async def work(session: AsyncSession) -> Message:
        client = None
        if client_id is not None:
            client = await session.scalar(
                select(Client).where(
                    Client.public_id == client_id,
                    Client.account_id == viewer.account_id,
                )
            )
        if client is None:
            refuse(MessageProblem.CLIENT_NOT_FOUND, "clientId", "No such client.")
        contact = None
        if contact_id is not None or not names_a_contact:
            contact = await contact_to_text(session, client, contact_id)
        message = await send_message(session, viewer, client, contact, input.body)
        await session.refresh(message)
        return Message.from_row(message)

    outcome = await perform(info, work)
    return SendMessagePayload(
        message=outcome.result, user_errors=user_errors(MessageError, outcome.problems)
    )


@strawberry.type(description="Notifications and text messages.")
class NotificationMutations:
    resend_notification: ResendNotificationPayload | None = field(
        resolve_resend_notification,
        description="Send a logged email or text again: a new entry, decided "
        "afresh by the client's current settings. Needs notifications:resend.",
        audiences=STAFF_ONLY,
        permission=Permission.NOTIFICATIONS_RESEND,
    )
    send_message: SendMessagePayload | None = field(
        resolve_send_message,
        description="Text one of a client's contacts (the primary contact by "
        "default); the contact must have agreed to texts. It leaves through the "
        "outbox. Needs messages:send.",
        audiences=STAFF_ONLY,
        permission=Permission.MESSAGES_SEND,
    )
