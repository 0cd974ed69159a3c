"""Staff mutations of documents: the account's templates, sending one to a
client for signature, and recording that it was viewed or signed. The rules
are in ``domain.documents``."""

from datetime import datetime
from typing import Any, Self

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain import documents as rules
from domain.documents import DocumentProblem, Signature, TemplateDraft
from domain.permissions import Permission
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.ids import encode_global_id
from graph.mutations import MutationInput, UserError, perform, user_errors
from graph.resolvers.estimates import ERRORS_DESCRIPTION, public_id_of
from graph.types.records import Document
from graph.types.scalars import Channel, ClientType
from persistence.enums import DocumentKind
from persistence.models import Document as DocumentRow
from persistence.models import DocumentTemplate as TemplateRow

strawberry.enum(
    DocumentProblem,
    name="DocumentErrorCode",
    description="Why a document change was refused: a record not found "
    "(CLIENT_NOT_FOUND, TEMPLATE_NOT_FOUND, DOCUMENT_NOT_FOUND), an archived "
    "client (CLIENT_ARCHIVED), a template at "
    "fault (NAME_INVALID, BODY_INVALID, TEMPLATE_SYNTAX, TEMPLATE_RENDER), no "
    "contact to send to (NO_RECIPIENT), a signature out of turn (NOT_SENT, "
    "SIGNATURE_NOT_REQUIRED, ALREADY_SIGNED) or its details at fault "
    "(SIGNER_NAME_INVALID, IP_ADDRESS_INVALID).",
)


@strawberry.type(description="A reason a document change was refused.")
class DocumentError(UserError):
    code: DocumentProblem = field(
        description="What went wrong, to branch on.", audiences=STAFF_ONLY
    )


@strawberry.type(
    description="A document the account sends (rental agreement, terms), as a "
    "jinja2 template rendered for each client."
)
class DocumentTemplate:
    id: strawberry.ID = field(
        description="Global ID of the template.", audiences=STAFF_ONLY
    )
    kind: DocumentKind = field(
        description="What documents made from it are for.", audiences=STAFF_ONLY
    )
    name: str = field(
        description="Its name, also the title of documents made from it.",
        audiences=STAFF_ONLY,
    )
    client_type: ClientType | None = field(
        description="The client type it is written for; null: any client.",
        audiences=STAFF_ONLY,
    )
    body: str = field(
        description="The jinja2 source. It can print `client` (name, "
        "company_name, client_type, account_number), `contact` (name, email, "
        "phone), `service_address`, `service_addresses`, `billing_address` "
        "(label, line1, line2, city, region, postal_code, country), `business` "
        "(name, phone, email), `today`, and the short names `client_name`, "
        "`account_name` and `address`; everything printed is HTML-escaped, and a "
        "name the context lacks fails the render (TEMPLATE_RENDER).",
        audiences=STAFF_ONLY,
    )
    version: int = field(
        description="Raised by one with every change.", audiences=STAFF_ONLY
    )
    created_at: datetime = field(
        description="When it was created.", audiences=STAFF_ONLY
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            id=strawberry.ID(encode_global_id("DocumentTemplate", row.public_id)),
            kind=DocumentKind(row.kind),
            name=row.name,
            client_type=ClientType(row.client_type) if row.client_type else None,
            body=row.body,
            version=row.version,
            created_at=row.created_at,
        )


@strawberry.input(description="A new document template.")
class CreateDocumentTemplateInput:
    kind: DocumentKind = strawberry.field(description="What it is for.")
    name: str = strawberry.field(description="Its name, 1 to 200 characters.")
    body: str = strawberry.field(
        description="The jinja2 source (see DocumentTemplate.body for what it "
        "can print); a syntax error is a TEMPLATE_SYNTAX user error."
    )
    client_type: ClientType | None = strawberry.field(
        default=None, description="The client type it is for; null: any client."
    )


@strawberry.input(
    description="Changes to a template; omitted fields stay as they are. "
    "Documents sent already keep the text they were sent with."
)
class UpdateDocumentTemplateInput:
    template_id: strawberry.ID = strawberry.field(description="The template's ID.")
    kind: DocumentKind | None = strawberry.field(
        default=None, description="What it is for."
    )
    name: str | None = strawberry.field(default=None, description="A new name.")
    body: str | None = strawberry.field(default=None, description="New jinja2 source.")
    client_type: ClientType | None = strawberry.field(
        default=None, description="A new client type."
    )
    for_any_client_type: bool = strawberry.field(
        default=False, description="True makes the template apply to any client."
    )


@strawberry.input(description="A template to render for a client and send.")
class SendDocumentInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    template_id: strawberry.ID = strawberry.field(description="The template's ID.")
    via: Channel = strawberry.field(
        default=Channel.EMAIL,
        description="EMAIL to the primary contact's address, or TEXT to their phone.",
    )
    requires_signature: bool = strawberry.field(
        default=True, description="Ask the client to sign it."
    )


@strawberry.input(description="The document the client opened.")
class MarkDocumentViewedInput:
    document_id: strawberry.ID = strawberry.field(description="The document's ID.")


@strawberry.input(description="A signature given in front of staff.")
class SignDocumentInput:
    document_id: strawberry.ID = strawberry.field(description="The document's ID.")
    signer_name: str = strawberry.field(
        description="The name the signer typed, 1 to 200 characters."
    )
    ip_address: str = strawberry.field(
        description="The IPv4 or IPv6 address the signature was given from."
    )


@strawberry.type(description="The template after the change.")
class DocumentTemplatePayload:
    template: DocumentTemplate | None = field(
        description="The template; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[DocumentError] = field(
        description=ERRORS_DESCRIPTION, audiences=STAFF_ONLY
    )


@strawberry.type(description="The document after the change.")
class DocumentPayload:
    document: Document | None = field(
        description="The document; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[DocumentError] = field(
        description=ERRORS_DESCRIPTION, audiences=STAFF_ONLY
    )


async def template_change(info: Info, work: Any) -> DocumentTemplatePayload:
    outcome = await perform(info, work)
    template = outcome.result
    return DocumentTemplatePayload(
        template=DocumentTemplate.from_row(template) if template else None,
        user_errors=user_errors(DocumentError, outcome.problems),
    )


async def document_change(info: Info, work: Any) -> DocumentPayload:
    outcome = await perform(info, work)
    document = outcome.result
    return DocumentPayload(
        document=Document.from_row(document) if document else None,
        user_errors=user_errors(DocumentError, outcome.problems),
    )


async def create_document_template(
    info: Info, input: MutationInput[CreateDocumentTemplateInput]
) -> DocumentTemplatePayload:
    viewer = info.context.signed_in_viewer
    draft = TemplateDraft(input.kind, input.name, input.body, input.client_type)

    async def work(session: AsyncSession) -> TemplateRow:
        return await rules.create_template(session, viewer, viewer.account_id, draft)

    return await template_change(info, work)


async def update_document_template(
    info: Info, input: MutationInput[UpdateDocumentTemplateInput]
) -> DocumentTemplatePayload:
    viewer = info.context.signed_in_viewer
    draft = TemplateDraft(input.kind, input.name, input.body, input.client_type)

    async def work(session: AsyncSession) -> TemplateRow:
        public_id = public_id_of(input.template_id, "DocumentTemplate")
        template = await rules.find_template(session, viewer.account_id, public_id)
        return await rules.update_template(
            session,
            viewer,
            template,
            draft,
            clear_client_type=input.for_any_client_type,
        )

    return await template_change(info, work)


async def send_document(
    info: Info, input: MutationInput[SendDocumentInput]
) -> DocumentPayload:
    viewer = info.context.signed_in_viewer
    now = info.context.services.clock()

    async def work(session: AsyncSession) -> DocumentRow:
        account_id = viewer.account_id
        template_id = public_id_of(input.template_id, "DocumentTemplate")
        client_id = public_id_of(input.client_id, "Client")
        client = await rules.find_client(session, account_id, client_id)
        template = await rules.find_template(session, account_id, template_id)
        return await rules.send_document(
            session,
            viewer,
            client,
            template,
            input.via,
            now,
            requires_signature=input.requires_signature,
        )

    return await document_change(info, work)


async def mark_document_viewed(
    info: Info, input: MutationInput[MarkDocumentViewedInput]
) -> DocumentPayload:
    viewer = info.context.signed_in_viewer
    now = info.context.services.clock()

    async def work(session: AsyncSession) -> DocumentRow:
        public_id = public_id_of(input.document_id, "Document")
        document = await rules.find_document(session, viewer, public_id)
        return await rules.mark_document_viewed(session, viewer, document, now)

    return await document_change(info, work)


async def sign_document(
    info: Info, input: MutationInput[SignDocumentInput]
) -> DocumentPayload:
    viewer = info.context.signed_in_viewer
    signature = Signature(
        input.signer_name, info.context.services.clock(), input.ip_address
    )

    async def work(session: AsyncSession) -> DocumentRow:
        public_id = public_id_of(input.document_id, "Document")
        document = await rules.find_document(session, viewer, public_id)
        return await rules.sign_document(session, viewer, document, signature)

    return await document_change(info, work)


@strawberry.type(description="Document mutations.")
class DocumentMutations:
    create_document_template: DocumentTemplatePayload | None = field(
        create_document_template,
        description="Add a document template (rental agreement, terms and "
        "conditions, ...), optionally for one client type. Needs documents:write.",
        audiences=STAFF_ONLY,
        permission=Permission.DOCUMENTS_WRITE,
    )
    update_document_template: DocumentTemplatePayload | None = field(
        update_document_template,
        description="Change a document template; its version goes up by one. "
        "Needs documents:write.",
        audiences=STAFF_ONLY,
        permission=Permission.DOCUMENTS_WRITE,
    )
    send_document: DocumentPayload | None = field(
        send_document,
        description="Render a template for a client, keep the exact text, and "
        "send it to the primary contact (a document-to-sign notification is "
        "queued). Needs documents:write.",
        audiences=STAFF_ONLY,
        permission=Permission.DOCUMENTS_WRITE,
    )
    mark_document_viewed: DocumentPayload | None = field(
        mark_document_viewed,
        description="Record that the client opened a sent document; only the "
        "first opening is kept. Needs documents:write.",
        audiences=STAFF_ONLY,
        permission=Permission.DOCUMENTS_WRITE,
    )
    sign_document: DocumentPayload | None = field(
        sign_document,
        description="Record a signature given in front of staff: the signer's "
        "name, the time and IP address, and the SHA-256 of the exact text. A "
        "signed document never changes. Needs documents:write.",
        audiences=STAFF_ONLY,
        permission=Permission.DOCUMENTS_WRITE,
    )
