"""Opening and signing documents from the dashboard."""

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.dashboard import documents
from graph.context import Info
from graph.fields import DASHBOARD_ONLY, field
from graph.mutations import MutationInput
from graph.resolvers.dashboard.errors import ERRORS_DESCRIPTION, DashboardError, act
from graph.resolvers.estimates import public_id_of
from graph.types.records import Document
from persistence.models import Document as DocumentRow


@strawberry.input(description="The document you opened.")
class MarkDocumentViewedInput:
    document_id: strawberry.ID = strawberry.field(description="The document's ID.")


@strawberry.input(description="The document you sign, and your signature.")
class SignDocumentInput:
    document_id: strawberry.ID = strawberry.field(description="The document's ID.")
    signer_name: str = strawberry.field(
        description="Your full name, typed as your signature (1 to 200 characters)."
    )


@strawberry.type(description="The document after the change.")
class DashboardDocumentPayload:
    document: Document | None = field(
        description="The document; null when refused.", audiences=DASHBOARD_ONLY
    )
    user_errors: list[DashboardError] = field(
        description=ERRORS_DESCRIPTION, audiences=DASHBOARD_ONLY
    )


def document_payload(
    row: DocumentRow | None, errors: list[DashboardError]
) -> DashboardDocumentPayload:
    document = Document.from_row(row) if row is not None else None
    return DashboardDocumentPayload(document=document, user_errors=errors)


async def mark_document_viewed(
    info: Info, input: MutationInput[MarkDocumentViewedInput]
) -> DashboardDocumentPayload:
    viewer, now = info.context.signed_in_viewer, info.context.services.clock()
    public_id = public_id_of(input.document_id, "Document")

    async def work(session: AsyncSession) -> DocumentRow:
        return await documents.mark_viewed(session, viewer, public_id, now)

    return document_payload(*await act(info, work))


async def sign_document(
    info: Info, input: MutationInput[SignDocumentInput]
) -> DashboardDocumentPayload:
    viewer, now = info.context.signed_in_viewer, info.context.services.clock()
    public_id = public_id_of(input.document_id, "Document")
    address = info.context.client_ip

    async def work(session: AsyncSession) -> DocumentRow:
        return await documents.sign(
            session, viewer, public_id, input.signer_name, address, now
        )

    return document_payload(*await act(info, work))


@strawberry.type(description="Documents to read and sign.")
class DashboardDocumentMutations:
    mark_document_viewed: DashboardDocumentPayload = field(
        mark_document_viewed,
        description="Call when you open a document; the business sees when you "
        "first did. Errors: NOT_FOUND, NOT_ALLOWED_IN_STATUS, READ_ONLY, ON_HOLD.",
        audiences=DASHBOARD_ONLY,
        signed_in=True,
    )
    sign_document: DashboardDocumentPayload = field(
        sign_document,
        description="Sign a document sent to you for signature, exactly as its "
        "body reads; the time and your network address are kept with it, and "
        "a signed document never changes. Errors: NOT_FOUND, ALREADY_SIGNED, "
        "SIGNER_NAME_INVALID, NOT_ALLOWED_IN_STATUS, READ_ONLY, ON_HOLD.",
        audiences=DASHBOARD_ONLY,
        signed_in=True,
    )
