"""Asking a client to pay an open invoice, by email or text.

The request records who sent it, when, to whom and for how much; it stays
after the invoice is paid, and the payment that settles the invoice is
written on it (``domain.payments.mark_requests_answered``), so the trail
shows which requests led to a payment.
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.identity.viewer import Viewer
from domain.notify import announce
from domain.payment_checks import (
    PaymentProblem,
)
from domain.problems import refuse
from persistence.enums import Channel, NotificationEvent
from persistence.models import Contact, Invoice, PaymentRequest
from persistence.queries import payments as queries
from persistence.queries.ledger import UNPAID

MAX_RECIPIENT_LENGTH = 320


@dataclass(frozen=True, slots=True)
class PaymentRequestEntry:
    invoice: UUID | None
    channel: Channel
    sent_to: str | None = None


async def requested_invoice(
    session: AsyncSession, viewer: Viewer, public_id: UUID | None
) -> Invoice:
    """The invoice, locked, and still asking for money."""
    invoice = None
    if public_id is not None:
        invoice = await session.scalar(
            select(Invoice).where(
                Invoice.account_id == viewer.account_id,
                Invoice.public_id == public_id,
            )
        )
    if invoice is None:
        refuse(
            PaymentProblem.INVOICE_NOT_FOUND,
            "invoiceId",
            "Your account has no invoice with that ID.",
        )

    # Locked, so the amount requested is what it owes when the request goes.
    (invoice,) = await queries.lock_invoices(session, viewer.account_id, [invoice.id])
    if invoice.status not in UNPAID:
        refuse(
            PaymentProblem.INVOICE_NOT_OPEN,
            "invoiceId",
            f"Invoice #{invoice.number} is {invoice.status}; only unpaid invoices "
            "can be requested.",
        )
    return invoice


async def primary_destination(
    session: AsyncSession, invoice: Invoice, channel: Channel
) -> str | None:
    """The primary contact's email, or phone for texts."""
    contact = await session.scalar(
        select(Contact).where(
            Contact.client_id == invoice.client_id, Contact.is_primary.is_(True)
        )
    )
    if contact is None:
        return None
    return contact.email if channel is Channel.EMAIL else contact.phone


async def recipient_of(
    session: AsyncSession, invoice: Invoice, entry: PaymentRequestEntry
) -> str:
    recipient = (entry.sent_to or "").strip() or await primary_destination(
        session, invoice, entry.channel
    )
    if not recipient or len(recipient) > MAX_RECIPIENT_LENGTH:
        refuse(
            PaymentProblem.RECIPIENT_MISSING,
            "sentTo",
            f"Name where to send it: the client's primary contact has no "
            f"{'email address' if entry.channel is Channel.EMAIL else 'phone'}.",
        )
    return recipient


async def create_payment_request(
    session: AsyncSession, viewer: Viewer, entry: PaymentRequestEntry, now: datetime
) -> PaymentRequest:
    """Record the request for what the invoice still owes and queue it."""
    invoice = await requested_invoice(session, viewer, entry.invoice)
    recipient = await recipient_of(session, invoice, entry)
    settled = await queries.settled_amounts(session, [invoice.id])

    request = PaymentRequest(
        account_id=invoice.account_id,
        client_id=invoice.client_id,
        invoice_id=invoice.id,
        currency=invoice.currency,
        amount=max(invoice.total - settled[invoice.id], 0),
        channel=entry.channel,
        sent_to=recipient,
        sent_at=now,
        sent_by_id=viewer.staff_user_id,
    )
    session.add(request)
    await session.flush()
    await record_activity(
        session,
        viewer,
        "payment_request.sent",
        client_id=invoice.client_id,
        subject=request,
        invoice=invoice.number,
        amount=request.amount,
        channel=request.channel,
    )
    await announce(
        session,
        viewer,
        NotificationEvent.PAYMENT_REQUEST,
        account_id=invoice.account_id,
        client_id=invoice.client_id,
        manual=True,
        channels=[entry.channel],
        invoice_id=invoice.id,
        payment_request_id=request.id,
        context={"channel": request.channel, "recipient": recipient},
    )
    return request
