"""The profile's records section: documents, notes and files here; messages
and notifications in ``notifications``, special pricing and settings in
``settings``."""

from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Self, cast

import strawberry
from sqlalchemy import FromClause, Row, Table

from graph.connections import After, Before, First, Last, load_connection
from graph.context import Info
from graph.fields import EVERYONE, STAFF_ONLY, field
from graph.ids import encode_global_id
from graph.loaders import Reference, grouped_loader
from graph.nodes import Node
from graph.pagination import Connection
from graph.permissions import (
    DOCUMENTS_READ,
    MESSAGES_READ,
    NOTES_READ,
    NOTIFICATIONS_READ,
    PRICING_READ,
    SETTINGS_READ,
)
from graph.types.notifications import (
    Channel,
    Message,
    NotificationEvent,
    NotificationExplanation,
    NotificationLogEntry,
    NotificationSetting,
    NotificationStatus,
    explain_notification,
    notification_settings_of,
)
from graph.types.settings import (
    ClientSetting,
    SpecialPrice,
    account_today,
    client_settings_of,
)
from graph.types.staff import StaffMember
from persistence.enums import DocumentKind
from persistence.queries import records as queries

# The stored vocabulary becomes a GraphQL enum: strawberry marks the class
# itself, so fields are annotated with it directly.
strawberry.enum(DocumentKind, description="What a document is for.")


@strawberry.enum(
    description="How far a document got: DRAFT (not sent), SENT, VIEWED "
    "(opened by the client) or SIGNED."
)
class DocumentStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    VIEWED = "viewed"
    SIGNED = "signed"


def document_status(row: Any) -> DocumentStatus:
    """The furthest step reached; a signature counts even without a view."""
    if row.signed_at is not None:
        return DocumentStatus.SIGNED
    if row.viewed_at is not None:
        return DocumentStatus.VIEWED
    if row.sent_at is not None:
        return DocumentStatus.SENT
    return DocumentStatus.DRAFT


@strawberry.type(description="A document sent to the client, and its signature.")
class Document(Node):
    sent_by_id: strawberry.Private[int | None]
    id: strawberry.ID = field(
        description="Global ID of the document.",
        audiences=EVERYONE,
        permission=DOCUMENTS_READ,
    )
    kind: DocumentKind = field(
        description="Rental agreement, terms, estimate or invoice signature, other.",
        audiences=EVERYONE,
        permission=DOCUMENTS_READ,
    )
    title: str = field(
        description="The document's title.",
        audiences=EVERYONE,
        permission=DOCUMENTS_READ,
    )
    status: DocumentStatus = field(
        description="The furthest step reached: DRAFT, SENT, VIEWED or SIGNED.",
        audiences=EVERYONE,
        permission=DOCUMENTS_READ,
    )
    requires_signature: bool = field(
        description="The client is asked to sign it.",
        audiences=EVERYONE,
        permission=DOCUMENTS_READ,
    )
    sent_at: datetime | None = field(
        description="When it was sent; null for a draft.",
        audiences=EVERYONE,
        permission=DOCUMENTS_READ,
    )
    sent_to: str | None = field(
        description="The email address or phone number it was sent to.",
        permission=DOCUMENTS_READ,
    )
    sent_via: Channel | None = field(
        description="EMAIL or TEXT.",
        permission=DOCUMENTS_READ,
    )
    viewed_at: datetime | None = field(
        description="When the client first opened it.",
        audiences=EVERYONE,
        permission=DOCUMENTS_READ,
    )
    signed_at: datetime | None = field(
        description="When it was signed.",
        audiences=EVERYONE,
        permission=DOCUMENTS_READ,
    )
    signer_name: str | None = field(
        description="The name the signer typed.",
        audiences=EVERYONE,
        permission=DOCUMENTS_READ,
    )
    signer_ip: str | None = field(
        description="The IP address the signature came from.",
        permission=DOCUMENTS_READ,
    )
    body: str = field(
        description="The exact text sent, its values HTML-escaped as the template "
        "rendered them (read it as HTML); it never changes once signed.",
        audiences=EVERYONE,
        permission=DOCUMENTS_READ,
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            sent_by_id=row.sent_by_id,
            id=strawberry.ID(encode_global_id("Document", row.public_id)),
            kind=DocumentKind(row.kind),
            title=row.title,
            status=document_status(row),
            requires_signature=row.requires_signature,
            sent_at=row.sent_at,
            sent_to=row.sent_to,
            sent_via=Channel(row.sent_via) if row.sent_via else None,
            viewed_at=row.viewed_at,
            signed_at=row.signed_at,
            signer_name=row.signer_name,
            signer_ip=row.signer_ip,
            body=row.body,
        )

    @field(
        description="The staff user who sent it.",
        permission=DOCUMENTS_READ,
        graphql_type=StaffMember | None,
    )
    def sent_by(self, info: Info) -> Reference[StaffMember]:
        return StaffMember.load(info, self.sent_by_id)


@strawberry.type(
    description="Metadata of a file on record for the client (a note's attachment "
    "or a task photo); the bytes are not served here."
)
class Attachment(Node):
    uploaded_by_id: strawberry.Private[int | None]
    id: strawberry.ID = field(
        description="Global ID of the file.", permission=NOTES_READ
    )
    filename: str = field(
        description="The file's name as uploaded.", permission=NOTES_READ
    )
    content_type: str = field(
        description='MIME type, e.g. "application/pdf".', permission=NOTES_READ
    )
    size_bytes: int = field(description="Size in bytes.", permission=NOTES_READ)
    sha256: str = field(
        description="SHA-256 of the content, hex.", permission=NOTES_READ
    )
    created_at: datetime = field(
        description="When it was uploaded.", permission=NOTES_READ
    )
    download_path: str = field(
        description="Where to GET the file on this API, with the same bearer "
        "token; needs notes:read. The answer names the file and is never "
        "rendered in place.",
        audiences=STAFF_ONLY,
        permission=NOTES_READ,
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        global_id = encode_global_id("Attachment", row.public_id)
        return cls(
            uploaded_by_id=row.uploaded_by_id,
            download_path=f"/attachments/{global_id}",
            id=strawberry.ID(global_id),
            filename=row.filename,
            content_type=row.content_type,
            size_bytes=row.size_bytes,
            sha256=row.sha256,
            created_at=row.created_at,
        )

    @field(
        description="The staff user who uploaded it.",
        permission=NOTES_READ,
        graphql_type=StaffMember | None,
    )
    def uploaded_by(self, info: Info) -> Reference[StaffMember]:
        return StaffMember.load(info, self.uploaded_by_id)


@strawberry.type(description="An internal note on file for the client; staff only.")
class Note(Node):
    row_id: strawberry.Private[int]
    author_id: strawberry.Private[int | None]
    id: strawberry.ID = field(
        description="Global ID of the note.",
        audiences=STAFF_ONLY,
        permission=NOTES_READ,
    )
    body: str = field(
        description="The note's text.", audiences=STAFF_ONLY, permission=NOTES_READ
    )
    is_pinned: bool = field(
        description="Pinned notes are listed first.",
        audiences=STAFF_ONLY,
        permission=NOTES_READ,
    )
    created_at: datetime = field(
        description="When it was written.", audiences=STAFF_ONLY, permission=NOTES_READ
    )
    updated_at: datetime = field(
        description="When it was last edited.",
        audiences=STAFF_ONLY,
        permission=NOTES_READ,
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            row_id=row.id,
            author_id=row.author_id,
            id=strawberry.ID(encode_global_id("Note", row.public_id)),
            body=row.body,
            is_pinned=row.is_pinned,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    @field(
        description="The staff user who wrote it.",
        audiences=STAFF_ONLY,
        permission=NOTES_READ,
        graphql_type=StaffMember | None,
    )
    def author(self, info: Info) -> Reference[StaffMember]:
        return StaffMember.load(info, self.author_id)

    @field(
        description="Files attached to the note, newest first.",
        audiences=STAFF_ONLY,
        permission=NOTES_READ,
    )
    async def attachments(self, info: Info) -> list[Attachment]:
        loader = grouped_loader(info.context, queries.attachments_of_notes, [])
        rows = await loader.load(self.row_id)
        return [Attachment.from_row(row) for row in rows]


ActiveOn = Annotated[
    date | None,
    strawberry.argument(description="Only prices that apply on this day."),
]
Events = Annotated[
    list[NotificationEvent] | None,
    strawberry.argument(description="Only entries caused by one of these events."),
]
OnChannel = Annotated[
    Channel | None, strawberry.argument(description="Only entries on this channel.")
]
Statuses = Annotated[
    list[NotificationStatus] | None,
    strawberry.argument(description="Only entries in one of these delivery states."),
]


def values_of(members: list[Any] | None) -> tuple[str, ...]:
    # Sorted, so the same filter spelled in another order shares a batch.
    return tuple(sorted(member.value for member in members or ()))


@strawberry.type(description="Client fields: records, pricing and settings.")
class RecordsSection:
    row_id: strawberry.Private[int]

    @field(
        description="Documents sent to the client (agreements, terms, signatures), "
        "newest first.",
        permission=DOCUMENTS_READ,
        audiences=EVERYONE,
    )
    async def documents(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Document] | None:
        is_client = info.context.signed_in_viewer.sees_as_client
        return await load_connection(
            info,
            queries.CLIENT_DOCUMENTS,
            self.row_id,
            Document.from_row,
            (first, after, last, before),
            (("sent_only", True),) if is_client else (),
        )

    @field(
        description="The text conversation with the client, both directions, "
        "newest first.",
        permission=MESSAGES_READ,
    )
    async def messages(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Message] | None:
        return await load_connection(
            info,
            queries.CLIENT_MESSAGES,
            self.row_id,
            Message.from_row,
            (first, after, last, before),
        )

    @field(
        description="Internal notes on file: pinned first, then newest first. "
        "Staff only.",
        permission=NOTES_READ,
        audiences=STAFF_ONLY,
    )
    async def notes(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Note] | None:
        return await load_connection(
            info,
            queries.CLIENT_NOTES,
            self.row_id,
            Note.from_row,
            (first, after, last, before),
        )

    @field(
        description="Every file on record for the client (note attachments and task "
        "photos), newest first.",
        permission=NOTES_READ,
    )
    async def attachments(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Attachment] | None:
        return await load_connection(
            info,
            queries.CLIENT_ATTACHMENTS,
            self.row_id,
            Attachment.from_row,
            (first, after, last, before),
        )

    @field(
        description="Negotiated prices and fees that replace the standard price "
        "list for this client: container prices by size and rental length, then "
        "fees by code.",
        permission=PRICING_READ,
    )
    async def special_pricing(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        active_on: ActiveOn = None,
    ) -> Connection[SpecialPrice] | None:
        # One "today" for the whole page, where the business is, not UTC.
        today = await account_today(info)
        filters = (("active_on", active_on),) if active_on else ()
        return await load_connection(
            info,
            queries.CLIENT_SPECIAL_PRICES,
            self.row_id,
            lambda row: SpecialPrice.from_row(row, today),
            (first, after, last, before),
            filters,
        )

    @field(
        description="Every email and text sent to the client, automatic or manual, "
        "with its delivery state, newest first.",
        permission=NOTIFICATIONS_READ,
    )
    async def notification_log(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        event: Events = None,
        channel: OnChannel = None,
        status: Statuses = None,
    ) -> Connection[NotificationLogEntry] | None:
        filters = (
            ("events", values_of(event)),
            ("channel", channel.value if channel else None),
            ("statuses", values_of(status)),
        )
        return await load_connection(
            info,
            queries.CLIENT_NOTIFICATION_LOG,
            self.row_id,
            NotificationLogEntry.from_row,
            (first, after, last, before),
            tuple((name, value) for name, value in filters if value),
        )

    @field(
        description="Whether the client receives each event's notifications by "
        "email and by text: one item per event and channel, with its source.",
        permission=NOTIFICATIONS_READ,
        audiences=EVERYONE,
    )
    async def notification_settings(
        self, info: Info
    ) -> list[NotificationSetting] | None:
        return await notification_settings_of(info, self.row_id)

    @field(
        description="Would this event's notification reach the client on this "
        "channel now? To whom, and if not, why: the rule the dispatcher applies. "
        "Staff only.",
        permission=NOTIFICATIONS_READ,
        audiences=STAFF_ONLY,
    )
    async def explain_notification(
        self,
        info: Info,
        event: Annotated[
            NotificationEvent, strawberry.argument(description="The event.")
        ],
        channel: Annotated[Channel, strawberry.argument(description="The channel.")],
    ) -> NotificationExplanation | None:
        return await explain_notification(info, self.row_id, event, channel)

    @field(
        description="Every client setting's effective value for this client, with "
        "its source and the account's value.",
        permission=SETTINGS_READ,
    )
    async def settings(self, info: Info) -> list[ClientSetting] | None:
        return await client_settings_of(info, self.row_id)


NodeType = tuple[Table, Callable[[Row[Any]], object]]


def node_type(table: FromClause, from_row: Callable[[Row[Any]], object]) -> NodeType:
    return cast(Table, table), from_row


NODE_TYPES: dict[str, NodeType] = {
    "Document": node_type(queries.documents, Document.from_row),
    "Message": node_type(queries.messages, Message.from_row),
    "Note": node_type(queries.notes, Note.from_row),
    "Attachment": node_type(queries.attachments, Attachment.from_row),
    "SpecialPrice": node_type(queries.special_prices, SpecialPrice.from_row),
    "NotificationLogEntry": node_type(
        queries.notification_log, NotificationLogEntry.from_row
    ),
}
