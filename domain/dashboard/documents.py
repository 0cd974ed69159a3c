"""A client opening and signing the documents sent to it (the staff side's
rules in ``domain.documents``; the signature keeps the request's address).

An estimate's acceptance document is signed only by accepting the estimate
(``domain.dashboard.estimates``), so a signature on it always comes with the
acceptance it speaks of.
"""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from domain import documents as rules
from domain.dashboard.access import client_acting
from domain.documents import Signature
from domain.identity.viewer import Viewer
from domain.problems import refuse
from persistence.enums import DocumentKind
from persistence.models import Document


class SigningProblem(StrEnum):
    ACCEPT_TO_SIGN = "accept_to_sign"


async def mark_viewed(
    session: AsyncSession, viewer: Viewer, public_id: uuid.UUID, now: datetime
) -> Document:
    """The client opened the document; only the first opening is kept."""
    await client_acting(session, viewer)
    document = await rules.find_document(session, viewer, public_id)
    return await rules.mark_document_viewed(session, viewer, document, now)


async def sign(
    session: AsyncSession,
    viewer: Viewer,
    public_id: uuid.UUID,
    signer_name: str,
    ip_address: str,
    now: datetime,
) -> Document:
    await client_acting(session, viewer)
    document = await rules.find_document(session, viewer, public_id)
    if document.kind == DocumentKind.ESTIMATE_SIGNATURE and document.estimate_id:
        refuse(
            SigningProblem.ACCEPT_TO_SIGN,
            "documentId",
            "This is signed by accepting its estimate: open the estimate to "
            "accept it with your signature.",
        )
    signature = Signature(signer_name, now, ip_address)
    return await rules.sign_document(session, viewer, document, signature)
