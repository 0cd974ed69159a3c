"""Documents for signature: the account's templates, rendering one for a
client, and the record of sending, viewing and signing it.

Templates are jinja2 run in a sandbox with autoescaping, and see plain
values only (never rows): a client named ``<script>`` renders as text, and a
template cannot reach the database or Python internals. The rendered text is
stored on the document; a signature keeps the SHA-256 of exactly that text,
and from then on the document cannot change (here, and by a trigger in the
database).
"""

import hashlib
import ipaddress
import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.calendar import local_date
from domain.client_settings import client_setting
from domain.identity.viewer import Viewer, ViewerKind
from domain.lookups import open_client
from domain.notify import announce
from domain.problems import Problem, refuse, refuse_all
from persistence.enums import (
    AddressKind,
    Channel,
    ClientType,
    DocumentKind,
    NotificationEvent,
)
from persistence.models import (
    Account,
    Address,
    Client,
    Contact,
    Document,
    DocumentTemplate,
)

logger = logging.getLogger(__name__)

NAME_LENGTH = 200
SIGNER_NAME_LENGTH = 200
BODY_LENGTH = 200_000

# One environment for every render: sandboxed, escaping everything it prints,
# and failing on a name the context lacks instead of printing nothing.
ENVIRONMENT = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


class DocumentProblem(StrEnum):
    CLIENT_NOT_FOUND = "client_not_found"
    CLIENT_ARCHIVED = "client_archived"
    TEMPLATE_NOT_FOUND = "template_not_found"
    DOCUMENT_NOT_FOUND = "document_not_found"
    NAME_INVALID = "name_invalid"
    BODY_INVALID = "body_invalid"
    TEMPLATE_SYNTAX = "template_syntax"
    TEMPLATE_RENDER = "template_render"
    NO_RECIPIENT = "no_recipient"
    NOT_SENT = "not_sent"
    SIGNATURE_NOT_REQUIRED = "signature_not_required"
    ALREADY_SIGNED = "already_signed"
    SIGNER_NAME_INVALID = "signer_name_invalid"
    IP_ADDRESS_INVALID = "ip_address_invalid"


@dataclass(frozen=True, slots=True)
class TemplateDraft:
    """A template as staff write it; on update, None leaves a part as it is."""

    kind: DocumentKind | None = None
    name: str | None = None
    body: str | None = None
    client_type: ClientType | None = None


@dataclass(frozen=True, slots=True)
class Signature:
    signer_name: str
    signed_at: datetime
    ip_address: str


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def template_problems(draft: TemplateDraft, *, is_new: bool) -> list[Problem]:
    """Name and body checks, the body parsed to find syntax errors now rather
    than when a client is waiting for the document."""
    problems = []
    name = draft.name.strip() if draft.name is not None else None
    if (is_new or name is not None) and not 1 <= len(name or "") <= NAME_LENGTH:
        problems.append(
            Problem(
                DocumentProblem.NAME_INVALID,
                "name",
                f"Give the template a name of 1 to {NAME_LENGTH} characters.",
            )
        )
    body = draft.body
    if (is_new or body is not None) and not 1 <= len((body or "").strip()) <= (
        BODY_LENGTH
    ):
        problems.append(
            Problem(
                DocumentProblem.BODY_INVALID,
                "body",
                f"The template needs a body of 1 to {BODY_LENGTH} characters.",
            )
        )
    elif body is not None:
        problems.extend(syntax_problems(body))
    return problems


def syntax_problems(body: str) -> list[Problem]:
    try:
        ENVIRONMENT.parse(body)
    except TemplateSyntaxError as error:
        return [
            Problem(
                DocumentProblem.TEMPLATE_SYNTAX,
                "body",
                f"The template does not parse at line {error.lineno}: {error.message}.",
            )
        ]
    return []


async def create_template(
    session: AsyncSession, viewer: Viewer, account_id: int, draft: TemplateDraft
) -> DocumentTemplate:
    refuse_all(template_problems(draft, is_new=True))
    template = DocumentTemplate(
        account_id=account_id,
        kind=draft.kind or DocumentKind.OTHER,
        client_type=draft.client_type,
        name=(draft.name or "").strip(),
        body=draft.body,
        version=1,
    )
    session.add(template)

    await record_activity(
        session, viewer, "document_template.created", client_id=None, subject=template
    )
    return template


async def update_template(
    session: AsyncSession,
    viewer: Viewer,
    template: DocumentTemplate,
    draft: TemplateDraft,
    *,
    clear_client_type: bool = False,
) -> DocumentTemplate:
    """A new version; documents sent already keep the text they were sent with."""
    refuse_all(template_problems(draft, is_new=False))
    if draft.kind is not None:
        template.kind = draft.kind
    if draft.name is not None:
        template.name = draft.name.strip()
    if draft.body is not None:
        template.body = draft.body
    if draft.client_type is not None or clear_client_type:
        template.client_type = draft.client_type

    template.version += 1

    await record_activity(
        session,
        viewer,
        "document_template.updated",
        client_id=None,
        subject=template,
        version=template.version,
    )
    return template


async def find_template(
    session: AsyncSession, account_id: int, public_id: uuid.UUID | None
) -> DocumentTemplate:
    template = await session.scalar(
        select(DocumentTemplate).where(
            DocumentTemplate.account_id == account_id,
            DocumentTemplate.public_id == public_id,
        )
    )
    if template is None:
        refuse(
            DocumentProblem.TEMPLATE_NOT_FOUND,
            "templateId",
            "Your account has no document template with that ID.",
        )
    return template


async def find_client(
    session: AsyncSession, account_id: int, public_id: uuid.UUID | None
) -> Client:
    return await open_client(
        session,
        account_id,
        public_id,
        missing=DocumentProblem.CLIENT_NOT_FOUND,
        closed=DocumentProblem.CLIENT_ARCHIVED,
        purpose="sending it documents",
    )


async def find_document(
    session: AsyncSession, viewer: Viewer, public_id: uuid.UUID | None
) -> Document:
    """The viewer's document; a client finds only its own sent ones."""
    statement = select(Document).where(
        Document.account_id == viewer.account_id, Document.public_id == public_id
    )

    if viewer.sees_as_client:
        statement = statement.where(
            Document.client_id == viewer.client_id, Document.sent_at.is_not(None)
        )
    document = await session.scalar(statement.with_for_update())
    if document is None:
        refuse(
            DocumentProblem.DOCUMENT_NOT_FOUND,
            "documentId",
            "Your account has no document with that ID.",
        )
    return document


def address_values(address: Address | None) -> dict[str, Any] | None:
    if address is None:
        return None
    return {
        "label": address.label,
        "line1": address.line1,
        "line2": address.line2,
        "city": address.city,
        "region": address.region,
        "postal_code": address.postal_code,
        "country": address.country,
    }


async def render_context(
    session: AsyncSession, client: Client, today: date
) -> dict[str, Any]:
    """What a template may print: plain values of the client and the business."""
    account = await session.get_one(Account, client.account_id)
    addresses = list(
        await session.scalars(
            select(Address)
            .where(Address.client_id == client.id, Address.archived_at.is_(None))
            .order_by(Address.is_default.desc(), Address.id)
        )
    )

    contact = await primary_contact(session, client)

    service = [a for a in addresses if a.kind == AddressKind.SERVICE]
    billing = [a for a in addresses if a.kind == AddressKind.BILLING]
    return flat_names(client, account, service[0] if service else None) | {
        "client": {
            "name": client.display_name,
            "company_name": client.company_name,
            "client_type": client.client_type,
            "account_number": client.account_number,
        },
        "contact": {
            "name": " ".join(filter(None, [contact.first_name, contact.last_name])),
            "email": contact.email,
            "phone": contact.phone,
        }
        if contact is not None
        else None,
        "service_address": address_values(service[0] if service else None),
        "service_addresses": [address_values(a) for a in service],
        "billing_address": address_values(billing[0] if billing else None),
        "business": {
            "name": account.name,
            "phone": account.phone,
            "email": account.email_from,
        },
        "today": today.isoformat(),
    }


def flat_names(
    client: Client, account: Account, address: Address | None
) -> dict[str, str]:
    """The short names templates written before the nested ones use."""
    return {
        "account_name": account.name,
        "client_name": client.display_name,
        "address": f"{address.line1}, {address.city}" if address else "",
        "reference": "",
    }


def render(body: str, context: dict[str, Any]) -> str:
    """The template's text for one client; refuses what cannot render."""
    try:
        return ENVIRONMENT.from_string(body).render(context)
    except TemplateError as error:
        refuse(
            DocumentProblem.TEMPLATE_RENDER,
            "templateId",
            f"The template cannot be rendered for this client: {error.message}.",
        )


async def primary_contact(session: AsyncSession, client: Client) -> Contact | None:
    contact: Contact | None = await session.scalar(
        select(Contact).where(Contact.client_id == client.id, Contact.is_primary)
    )
    return contact


async def send_document(
    session: AsyncSession,
    viewer: Viewer,
    client: Client,
    template: DocumentTemplate,
    channel: Channel,
    now: datetime,
    *,
    requires_signature: bool = True,
) -> Document:
    """Render ``template`` for ``client`` and send it to the primary contact."""
    contact = await primary_contact(session, client)
    recipient = None
    if contact is not None:
        recipient = contact.email if channel is Channel.EMAIL else contact.phone
    if not recipient:
        refuse(
            DocumentProblem.NO_RECIPIENT,
            "via",
            f"The client's primary contact has no {channel_noun(channel)}.",
        )

    account = await session.get_one(Account, client.account_id)
    context = await render_context(session, client, local_date(now, account.time_zone))

    document = Document(
        account_id=client.account_id,
        client_id=client.id,
        kind=template.kind,
        title=template.name,
        template_id=template.id,
        body=render(template.body, context),
        requires_signature=requires_signature,
        sent_at=now,
        sent_to=recipient,
        sent_via=channel,
        sent_by_id=viewer.staff_user_id if viewer.kind is ViewerKind.STAFF else None,
    )

    session.add(document)

    await record_activity(
        session,
        viewer,
        "document.sent",
        client_id=client.id,
        subject=document,
        template_version=template.version,
        via=channel.value,
    )

    await announce(
        session,
        viewer,
        NotificationEvent.DOCUMENT_TO_SIGN,
        account_id=client.account_id,
        client_id=client.id,
        manual=True,
        context={"document_id": str(document.public_id), "title": document.title},
    )
    return document


def channel_noun(channel: Channel) -> str:
    return "email address" if channel is Channel.EMAIL else "phone number"


async def mark_document_viewed(
    session: AsyncSession, viewer: Viewer, document: Document, now: datetime
) -> Document:
    """The client opened it; only the first opening is kept."""
    if document.sent_at is None:
        refuse(
            DocumentProblem.NOT_SENT,
            "documentId",
            "This document was never sent.",
        )
    if document.viewed_at is None:
        document.viewed_at = now
        await record_activity(
            session,
            viewer,
            "document.viewed",
            client_id=document.client_id,
            subject=document,
        )
    return document


def signature_problems(document: Document, signature: Signature) -> list[Problem]:
    if document.signed_at is not None:
        return [
            Problem(
                DocumentProblem.ALREADY_SIGNED,
                "documentId",
                f"It was signed by {document.signer_name}; a signed document "
                "never changes.",
            )
        ]
    if document.sent_at is None:
        return [
            Problem(DocumentProblem.NOT_SENT, "documentId", "Send the document first.")
        ]
    if not document.requires_signature:
        return [
            Problem(
                DocumentProblem.SIGNATURE_NOT_REQUIRED,
                "documentId",
                "This document was sent for information, not for signature.",
            )
        ]

    problems = []
    if not 1 <= len(signature.signer_name.strip()) <= SIGNER_NAME_LENGTH:
        problems.append(
            Problem(
                DocumentProblem.SIGNER_NAME_INVALID,
                "signerName",
                f"Type the signer's name, 1 to {SIGNER_NAME_LENGTH} characters.",
            )
        )
    if not is_ip_address(signature.ip_address):
        problems.append(
            Problem(
                DocumentProblem.IP_ADDRESS_INVALID,
                "ipAddress",
                f"{signature.ip_address!r} is not an IPv4 or IPv6 address.",
            )
        )
    return problems


def is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


async def sign_document(
    session: AsyncSession, viewer: Viewer, document: Document, signature: Signature
) -> Document:
    """Record the signature with the SHA-256 of exactly the text signed."""
    refuse_all(signature_problems(document, signature))

    document.signed_at = signature.signed_at
    document.signer_name = signature.signer_name.strip()
    document.signer_ip = str(ipaddress.ip_address(signature.ip_address))
    document.signed_sha256 = sha256_of(document.body)
    if document.viewed_at is None:
        document.viewed_at = signature.signed_at

    await record_activity(
        session,
        viewer,
        "document.signed",
        client_id=document.client_id,
        subject=document,
        signer_name=document.signer_name,
        sha256=document.signed_sha256,
    )
    return document


def is_signed_text_intact(document: Document) -> bool:
    """The stored text is still the text that was signed."""
    return document.signed_sha256 == sha256_of(document.body)


async def delivery_needs_signature(session: AsyncSession, client: Client) -> bool:
    """Whether a delivery for ``client`` must wait for a signed rental agreement:
    the setting asks for one and the client has not signed one yet."""
    if not await client_setting(session, client, "agreement_before_delivery"):
        return False

    signed = await session.scalar(
        select(Document.id)
        .where(
            Document.client_id == client.id,
            Document.kind == DocumentKind.RENTAL_AGREEMENT,
            Document.signed_at.is_not(None),
        )
        .limit(1)
    )
    return signed is None
