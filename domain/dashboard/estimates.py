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
from collections.abc import Sequence
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
    needed = await signatures_needed(session, viewer.account_id, [estimate.id])
    if needed[estimate.id]:
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
    have) when the setting was turned on after the estimate was sent. That one
    was shown and signed on the dashboard, not sent anywhere."""
    if document is None:
        document = await rules.send_for_signature(
            session, viewer, estimate, client, signature.signed_at
        )
        document.sent_to, document.sent_via = None, None
        await session.flush()
    return await sign_document(session, viewer, document, signature)


async def signatures_needed(
    session: AsyncSession, account_id: int, estimate_ids: Sequence[int]
) -> dict[int, bool]:
    """For each estimate, whether accepting it asks for the signer's name: a
    signature document sent for it waits unsigned (even if the setting was
    turned off since), or the client's ``signature_required`` setting is on
    and no signature was given yet. A few statements for any number of
    estimates of one client."""
    owners = dict(
        (
            await session.execute(
                select(Estimate.id, Estimate.client_id).where(
                    Estimate.account_id == account_id, Estimate.id.in_(estimate_ids)
                )
            )
        ).all()
    )
    documents = await session.execute(
        select(
            Document.estimate_id, Document.requires_signature, Document.signed_at
        ).where(
            Document.account_id == account_id,
            Document.kind == DocumentKind.ESTIMATE_SIGNATURE,
            Document.estimate_id.in_(estimate_ids),
        )
    )
    waiting, signed = set(), set()
    for estimate_id, requires_signature, signed_at in documents:
        if signed_at is not None:
            signed.add(estimate_id)
        elif requires_signature:
            waiting.add(estimate_id)
    asked = {}
    for client_id in set(owners.values()):
        client = await session.get_one(Client, client_id)
        asked[client_id] = bool(
            await client_setting(session, client, "signature_required")
        )
    return {
        estimate_id: estimate_id in waiting
        or (asked[client_id] and estimate_id not in signed)
        for estimate_id, client_id in owners.items()
    }


async def unsigned_signature_document(
    session: AsyncSession, estimate: Estimate
) -> Document | None:
    return await session.scalar(
        select(Document)
        .where(
            Document.estimate_id == estimate.id,
            Document.kind == DocumentKind.ESTIMATE_SIGNATURE,
            Document.requires_signature,
            Document.signed_at.is_(None),
        )
        .order_by(Document.id.desc())
        .limit(1)
        .with_for_update()
    )
