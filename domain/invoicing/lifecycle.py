"""An invoice's life after drafting: issued, sent to the client, voided.

Issuing dates the invoice on the business day it is issued and keeps the
draft's payment terms (its due date moves by as many days). Sending issues a
draft first, then queues the "invoice sent" notification; sending again is a
reminder. Voiding keeps the number, so it is never reused, and returns the
invoice's charges to the uninvoiced list.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.calendar import local_date
from domain.identity.viewer import Viewer
from domain.invoicing.invoices import draft_for_change, invoice_for_change
from domain.invoicing.problems import InvoicingProblem
from domain.invoicing.terms import refuse_if_archived
from domain.notify import announce
from domain.problems import Problem, refuse_all
from persistence.enums import InvoiceStatus, NotificationEvent
from persistence.models import Invoice
from persistence.queries import invoicing as queries


@dataclass(frozen=True, slots=True)
class SentInvoice:
    invoice: Invoice
    is_client_on_hold: bool


async def issue_invoice(
    session: AsyncSession, viewer: Viewer, now: datetime, public_id: uuid.UUID
) -> Invoice:
    """Make a draft a bill: it counts toward the balance from now on."""
    invoice = await draft_for_change(session, viewer, public_id)
    await issue(session, viewer, now, invoice)
    return invoice


async def issue(
    session: AsyncSession, viewer: Viewer | None, now: datetime, invoice: Invoice
) -> None:
    refuse_if_archived(await queries.client_by_id(session, invoice.client_id), "id")
    account = await queries.account_of(session, invoice.account_id)
    today = local_date(now, account.time_zone)

    # A draft that waited keeps its terms: both dates move by the days it waited.
    invoice.due_on = invoice.due_on + (today - invoice.issued_on)
    invoice.issued_on = today
    invoice.status = InvoiceStatus.OPEN

    await record_activity(
        session,
        viewer,
        "invoice.issued",
        client_id=invoice.client_id,
        subject=invoice,
        number=invoice.number,
        total=invoice.total,
    )


async def send_invoice(
    session: AsyncSession, viewer: Viewer, now: datetime, public_id: uuid.UUID
) -> SentInvoice:
    """Issue a draft if need be, then tell the client; a client on hold is
    still sent its bill, and the caller is warned."""
    invoice = await invoice_for_change(session, viewer, public_id)
    if invoice.status == InvoiceStatus.DRAFT:
        await issue(session, viewer, now, invoice)
    await deliver(session, viewer, now, invoice, manual=True)

    is_on_hold = await queries.has_active_hold(session, invoice.client_id)
    return SentInvoice(invoice, is_on_hold)


async def deliver(
    session: AsyncSession,
    viewer: Viewer | None,
    now: datetime,
    invoice: Invoice,
    *,
    manual: bool,
) -> None:
    """Stamp the invoice sent and queue the client's notification."""
    invoice.sent_at = now
    await announce(
        session,
        viewer,
        NotificationEvent.INVOICE_SENT,
        account_id=invoice.account_id,
        client_id=invoice.client_id,
        manual=manual,
        invoice_id=invoice.id,
    )
    await record_activity(
        session,
        viewer,
        "invoice.sent",
        client_id=invoice.client_id,
        subject=invoice,
        number=invoice.number,
    )


async def void_invoice(
    session: AsyncSession,
    viewer: Viewer,
    now: datetime,
    public_id: uuid.UUID,
    reason: str,
) -> Invoice:
    """Void an invoice nothing has been paid or credited against.

    Money applied to it must be moved first (refund or re-apply the payment,
    reverse the credit); otherwise the ledger would hold a payment for a bill
    that no longer exists.
    """
    invoice = await invoice_for_change(session, viewer, public_id)
    refuse_all(await void_problems(session, invoice, reason))

    # The work is still owed: its charges wait for the next invoice.
    released = await queries.charges_of_invoice(session, invoice.id)
    for charge in released:
        charge.invoice_id = None

    invoice.status = InvoiceStatus.VOID
    invoice.voided_at = now
    invoice.void_reason = reason.strip()

    await record_activity(
        session,
        viewer,
        "invoice.voided",
        client_id=invoice.client_id,
        subject=invoice,
        number=invoice.number,
        reason=invoice.void_reason,
        released_charges=len(released),
    )
    return invoice


async def void_problems(
    session: AsyncSession, invoice: Invoice, reason: str
) -> list[Problem]:
    """Why the invoice cannot be voided: a missing reason, money applied."""
    problems = []
    if not reason.strip():
        message = "Say why the invoice is void; the reason is kept with it."
        problems.append(Problem(InvoicingProblem.REASON_REQUIRED, "reason", message))
    if await queries.amount_paid_toward(session, invoice.id) > 0:
        message = (
            f"Payments are applied to invoice #{invoice.number}; refund them or "
            "apply them elsewhere before voiding it."
        )
        problems.append(Problem(InvoicingProblem.HAS_PAYMENTS, "id", message))
    if await queries.amount_credited_toward(session, invoice.id) > 0:
        message = (
            f"Credits are applied to invoice #{invoice.number}; move them before "
            "voiding it."
        )
        problems.append(Problem(InvoicingProblem.HAS_CREDITS, "id", message))
    return problems
