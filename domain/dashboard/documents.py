"""A client opening and signing the documents sent to it (the staff side's
rules in ``domain.documents``; the signature keeps the request's address)."""

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain import documents as rules
from domain.dashboard.access import client_acting
from domain.documents import Signature
from domain.identity.viewer import Viewer
from persistence.models import Document


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
    signature = Signature(signer_name, now, ip_address)
    return await rules.sign_document(session, viewer, document, signature)
