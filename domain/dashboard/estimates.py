"""A client's answer to an estimate from its dashboard.

A client answers only the estimates its dashboard shows: sent ones, while
its setting ``estimate_sharing`` is on; any other is not found.

Opening, accepting and declining are the staff side's steps
(``domain.estimates``), taken with the client as the actor. Where the
client's setting ``signature_required`` is on, or the estimate was sent for
signature, accepting needs the signer's name: the estimate's signature
document is signed (with the time and the request's address) in the same
transaction, so acceptance and signature stand or fall together.
"""

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import estimates as rules
from domain.client_settings import client_setting
from domain.dashboard.access import client_acting
from domain.documents import Signature, sign_document
from domain.estimates import EstimateProblem
from domain.identity.viewer import Viewer
from domain.problems import refuse
from persistence.enums import DocumentKind
from persistence.models import Client, Document, Estimate


async def shared_estimate(
    session: AsyncSession, viewer: Viewer, client: Client, public_id: uuid.UUID
) -> Estimate:
    if not await client_setting(session, client, "estimate_sharing"):
        refuse(
            EstimateProblem.ESTIMATE_NOT_FOUND,
            "estimateId",
            "Your account has no estimate with that ID.",
        )
    return await rules.find_estimate(session, viewer, public_id)


async def mark_read(
    session: AsyncSession, viewer: Viewer, public_id: uuid.UUID, now: datetime
) -> Estimate:
    """The client opened the estimate: a first opening of an unanswered one
    becomes READ for staff to see; later openings change nothing."""
    client = await client_acting(session, viewer)
    estimate = await shared_estimate(session, viewer, client, public_id)
    return await rules.mark_estimate_read(session, viewer, estimate, now)


async def decline(
    session: AsyncSession,
    viewer: Viewer,
    public_id: uuid.UUID,
    reason: str | None,
    now: datetime,
) -> Estimate:
    client = await client_acting(session, viewer)
    estimate = await shared_estimate(session, viewer, client, public_id)
    return await rules.decline_estimate(session, viewer, estimate, now, reason)


async def accept(
    session: AsyncSession,
    viewer: Viewer,
    public_id: uuid.UUID,
    signer_name: str | None,
    ip_address: str,
    now: datetime,
) -> Estimate:
    """Accept, signing first where a signature is asked for."""
    client = await client_acting(session, viewer)
    estimate = await shared_estimate(session, viewer, client, public_id)
    await rules.open_status(session, estimate, now)

    document = await unsigned_signature_document(session, estimate)
    if await signature_wanted(session, client, estimate, document):
        if not (signer_name or "").strip():
            refuse(
                EstimateProblem.SIGNATURE_REQUIRED,
                "signerName",
                "Type your name to sign this estimate before accepting it.",
            )
        signature = Signature(str(signer_name), now, ip_address)
        await sign(session, viewer, estimate, client, document, signature)
    return await rules.accept_estimate(session, viewer, estimate, now)


async def sign(
    session: AsyncSession,
    viewer: Viewer,
    estimate: Estimate,
    client: Client,
    document: Document | None,
    signature: Signature,
) -> Document:
    """Sign the estimate's signature document; one is made (as sending would
    have) when the setting was turned on after the estimate was sent."""
    if document is None:
        document = await rules.send_for_signature(
            session, viewer, estimate, client, signature.signed_at
        )
        await session.flush()
    return await sign_document(session, viewer, document, signature)


async def signature_wanted(
    session: AsyncSession, client: Client, estimate: Estimate, document: Document | None
) -> bool:
    """Accepting needs the signer's name: ``document`` (the estimate's unsigned
    signature document) must be signed even if the setting was turned off
    since; with the setting on, one signature is enough."""
    return document is not None or (
        bool(await client_setting(session, client, "signature_required"))
        and not await is_signed(session, estimate)
    )


async def needs_signature(session: AsyncSession, estimate_id: int) -> bool:
    """Whether accepting the estimate now would ask for a signature."""
    estimate = await session.get_one(Estimate, estimate_id)
    client = await session.get_one(Client, estimate.client_id)
    document = await unsigned_signature_document(session, estimate, lock=False)
    return await signature_wanted(session, client, estimate, document)


async def is_signed(session: AsyncSession, estimate: Estimate) -> bool:
    """A signature document of the estimate was signed already."""
    signed = await session.scalar(
        select(Document.id)
        .where(
            Document.estimate_id == estimate.id,
            Document.kind == DocumentKind.ESTIMATE_SIGNATURE,
            Document.signed_at.is_not(None),
        )
        .limit(1)
    )
    return signed is not None


async def unsigned_signature_document(
    session: AsyncSession, estimate: Estimate, lock: bool = True
) -> Document | None:
    query = (
        select(Document)
        .where(
            Document.estimate_id == estimate.id,
            Document.kind == DocumentKind.ESTIMATE_SIGNATURE,
            Document.requires_signature,
            Document.signed_at.is_(None),
        )
        .order_by(Document.id.desc())
        .limit(1)
    )
    return await session.scalar(query.with_for_update() if lock else query)
