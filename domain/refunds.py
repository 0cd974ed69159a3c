"""Giving money back from a payment, in full or in part.

A refund never exceeds what the payment has not yet given back. It comes
out of the payment's unapplied part first; beyond that it takes back what
the payment paid on invoices, newest invoice first, and those invoices owe
again. So the balance still equals what the unpaid invoices owe minus the
client's credit. A payment taken through the processor is refunded through
it too; when the processor refuses, nothing is recorded.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.gateway import PaymentGateway
from domain.identity.viewer import Viewer
from domain.payment_checks import (
    PaymentProblem,
    amount_problems,
    key_problems,
    refuse_different_request,
)
from domain.payments import (
    claim_key,
)
from domain.problems import refuse, refuse_all
from domain.settlement import (
    business_today,
    settle,
)
from persistence.enums import PaymentStatus
from persistence.models import Invoice, Payment, PaymentApplication, Refund
from persistence.queries import payments as queries
from persistence.queries.invoicing import by_public_id


@dataclass(frozen=True, slots=True)
class RefundEntry:
    payment: UUID | None
    amount: int
    idempotency_key: str
    reason: str | None = None


async def require_payment(
    session: AsyncSession, viewer: Viewer, public_id: UUID | None
) -> Payment:
    payment = await by_public_id(session, Payment, viewer.account_id, public_id)
    if payment is None:
        refuse(
            PaymentProblem.PAYMENT_NOT_FOUND,
            "paymentId",
            "Your account has no payment with that ID.",
        )
    return payment


async def replayed_refund(
    session: AsyncSession, viewer: Viewer, payment: Payment, entry: RefundEntry
) -> Refund | None:
    existing = await queries.refund_by_key(
        session, viewer.account_id, entry.idempotency_key
    )
    if existing is not None and (
        existing.payment_id != payment.id or existing.amount != entry.amount
    ):
        refuse_different_request()
    return existing


def check_refundable(payment: Payment, refunded: int, amount: int) -> None:
    if payment.status != PaymentStatus.SUCCEEDED:
        refuse(
            PaymentProblem.PAYMENT_NOT_SUCCEEDED,
            "paymentId",
            "Only a payment that succeeded can be refunded.",
        )

    if refunded + amount > payment.amount:
        refuse(
            PaymentProblem.REFUND_EXCEEDS_PAYMENT,
            "amount",
            f"At most {payment.amount - refunded} of this payment is left to refund.",
        )


def take_back(
    applications: Sequence[PaymentApplication], excess: int
) -> dict[int, int]:
    """Reduce applications by ``excess``, in the given order; the amount
    taken from each invoice."""
    taken: dict[int, int] = {}
    for application in applications:
        if excess <= 0:
            break
        amount = min(application.amount, excess)
        application.amount -= amount
        taken[application.invoice_id] = amount
        excess -= amount
    return taken


async def unapply(
    session: AsyncSession,
    payment: Payment,
    applications: Sequence[PaymentApplication],
    invoices: Sequence[Invoice],
    refunded_after: int,
    now: datetime,
) -> dict[str, int]:
    """Take back from invoices what the unapplied part cannot cover; the
    amount taken per invoice number."""
    # What stays applied may not exceed what the payment still holds.
    applied = sum(application.amount for application in applications)
    excess = applied - (payment.amount - refunded_after)
    taken = take_back(applications, excess)
    for application in applications:
        if application.amount == 0:
            await session.delete(application)

    reopened = [invoice for invoice in invoices if invoice.id in taken]
    today = await business_today(session, payment.account_id, now)
    await settle(session, reopened, today, now)
    return {str(invoice.number): taken[invoice.id] for invoice in reopened}


async def lock_late_invoices(
    session: AsyncSession,
    payment: Payment,
    applications: Sequence[PaymentApplication],
    locked: Sequence[Invoice],
) -> list[Invoice]:
    """Every invoice the payment pays now, locked.

    Credit spent from this payment while the refund waited for the payment's
    lock may have reached an invoice the refund did not lock first; it is
    locked now, out of the usual order, which risks only a rare deadlock
    that PostgreSQL breaks by failing one of the two requests.
    """
    known = {invoice.id for invoice in locked}
    late = [row.invoice_id for row in applications if row.invoice_id not in known]
    return [*locked, *await queries.lock_invoices(session, payment.account_id, late)]


async def refund_payment(
    session: AsyncSession,
    viewer: Viewer,
    gateway: PaymentGateway,
    entry: RefundEntry,
    now: datetime,
) -> Refund:
    refuse_all(amount_problems(entry.amount) + key_problems(entry.idempotency_key))
    payment = await require_payment(session, viewer, entry.payment)
    if (replay := await replayed_refund(session, viewer, payment, entry)) is not None:
        return replay

    # Lock order: the payment's invoices, then the payment itself.
    applications = await queries.applications_of(session, [payment.id])
    invoices = await queries.lock_invoices(
        session, viewer.account_id, [row.invoice_id for row in applications]
    )
    payment = await queries.lock_payment(session, payment.id)
    refunded = (await queries.refunded_from_payments(session, [payment.id]))[payment.id]
    check_refundable(payment, refunded, entry.amount)

    refund = Refund(
        account_id=payment.account_id,
        client_id=payment.client_id,
        payment_id=payment.id,
        currency=payment.currency,
        amount=entry.amount,
        reason=entry.reason,
        idempotency_key=entry.idempotency_key,
        created_by_id=viewer.staff_user_id,
        created_at=now,
    )
    claimed = await claim_key(
        session,
        refund,
        lambda: queries.refund_by_key(
            session, viewer.account_id, entry.idempotency_key
        ),
    )
    if claimed is not refund:
        return await replayed_refund(session, viewer, payment, entry) or claimed

    applications = await queries.applications_of(session, [payment.id])
    invoices = await lock_late_invoices(session, payment, applications, invoices)
    reopened = await unapply(
        session, payment, applications, invoices, refunded + entry.amount, now
    )
    await refund_through_processor(gateway, payment, entry)
    await record_activity(
        session,
        viewer,
        "payment.refunded",
        client_id=payment.client_id,
        subject=refund,
        payment=str(payment.public_id),
        amount=entry.amount,
        taken_back=reopened,
    )
    return refund


async def refund_through_processor(
    gateway: PaymentGateway, payment: Payment, entry: RefundEntry
) -> None:
    """Money taken by the processor goes back through it; cash and checks are
    handed back by people, so there is nothing to call."""
    if payment.processor_reference is None:
        return

    # The same key makes a retried refund a replay at the processor too.
    result = await gateway.refund(
        payment.processor_reference,
        entry.amount,
        payment.currency,
        entry.idempotency_key,
    )
    if not result.succeeded:
        refuse(
            PaymentProblem.REFUND_FAILED,
            "",
            result.message or "The processor refused the refund.",
        )
