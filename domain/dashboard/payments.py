"""A client paying its invoices and managing its payment methods.

All of it goes through the staff side's operations (``domain.payment_methods``):
the same ledger, receipt, idempotency and failed-payment hold rules. What the
client adds:

- an invoice is paid with a method on file or with a new card or bank
  token; a new method is kept on file only when the client asks and the
  charge succeeded, otherwise it is taken off file at once (its row stays,
  because the payment names it);
- the amount defaults to what the invoice still owes, and never exceeds it;
- a repeated idempotency key answers with the first payment before any new
  token is attached, so a retried request neither charges nor files twice.

Payments and payment methods stay open while the client is on hold: paying
is how a hold ends.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.billing import amount_due
from domain.dashboard.access import client_acting
from domain.gateway import PaymentGateway
from domain.identity.viewer import Viewer
from domain.money import format_money
from domain.payment_checks import (
    Allocation,
    PaymentProblem,
    amount_problems,
    key_problems,
    refuse_different_request,
)
from domain.payment_methods import (
    ChargeEntry,
    ChargeOutcome,
    NewPaymentMethod,
    PaymentMethodProblem,
    add_payment_method,
    charge_payment_method,
    failure_problem,
    method_on_file,
    remove_payment_method,
    require_addon,
    set_default_payment_method,
)
from domain.problems import Problem, refuse, refuse_all
from persistence.enums import InvoiceStatus, PaymentStatus, StoredMethodKind
from persistence.models import Client, Invoice, Payment, PaymentMethod
from persistence.queries import payments as queries
from persistence.queries.ledger import UNPAID


class PayProblem(StrEnum):
    PAYMENT_SOURCE_REQUIRED = "payment_source_required"


@dataclass(frozen=True, slots=True)
class InvoicePayment:
    """A client's payment of one invoice, as its dashboard sends it."""

    invoice: UUID | None
    idempotency_key: str
    amount: int | None = None
    payment_method: UUID | None = None
    token: str | None = None
    kind: StoredMethodKind | None = None
    holder_name: str | None = None
    is_saved: bool = False


@dataclass(frozen=True, slots=True)
class PaidInvoice:
    outcome: ChargeOutcome
    invoice: Invoice


def source_problems(entry: InvoicePayment) -> list[Problem]:
    """Exactly one of a method on file and a new token (with its kind)."""
    has_method, has_token = entry.payment_method is not None, entry.token is not None
    if has_method == has_token:
        message = "Choose a saved payment method or enter a new card or bank account."
        return [Problem(PayProblem.PAYMENT_SOURCE_REQUIRED, "paymentMethodId", message)]
    if has_token and entry.kind is None:
        message = "Say whether the new payment method is a card or a bank account."
        return [Problem(PayProblem.PAYMENT_SOURCE_REQUIRED, "kind", message)]
    return []


async def own_invoice(
    session: AsyncSession, client: Client, public_id: UUID | None
) -> Invoice:
    """The client's invoice, locked; drafts are not the client's to see."""
    invoice = await session.scalar(
        select(Invoice)
        .where(
            Invoice.account_id == client.account_id,
            Invoice.client_id == client.id,
            Invoice.public_id == public_id,
            Invoice.status != InvoiceStatus.DRAFT,
        )
        .with_for_update()
    )
    if invoice is None:
        refuse(
            PaymentProblem.INVOICE_NOT_FOUND,
            "invoiceId",
            "You have no invoice with that ID.",
        )
    return invoice


async def owed_on(session: AsyncSession, invoice: Invoice) -> int:
    settled = await queries.settled_amounts(session, [invoice.id])
    return amount_due(invoice.status, invoice.total, settled[invoice.id], 0)


def amount_to_pay(entry: InvoicePayment, invoice: Invoice, owed: int) -> int:
    if invoice.status not in UNPAID or owed == 0:
        refuse(
            PaymentProblem.INVOICE_NOT_OPEN,
            "invoiceId",
            f"Invoice #{invoice.number} owes nothing now.",
        )
    amount = owed if entry.amount is None else entry.amount
    refuse_all(amount_problems(amount))
    if amount > owed:
        refuse(
            PaymentProblem.OVERAPPLIED,
            "amount",
            f"Invoice #{invoice.number} owes {format_money(owed, invoice.currency)}; "
            "pay at most that.",
        )
    return amount


async def replay(
    session: AsyncSession,
    viewer: Viewer,
    client: Client,
    invoice: Invoice,
    entry: InvoicePayment,
) -> ChargeOutcome | None:
    """The outcome of an earlier request with this key, if it was this one."""
    existing = await queries.payment_by_key(
        session, viewer.account_id, entry.idempotency_key
    )
    if existing is None:
        return None
    if not await is_same_request(session, existing, client, invoice, entry):
        refuse_different_request()
    return ChargeOutcome(existing, failure_problem(existing))


async def is_same_request(
    session: AsyncSession,
    existing: Payment,
    client: Client,
    invoice: Invoice,
    entry: InvoicePayment,
) -> bool:
    """Whether ``existing`` answers ``entry``: the same client, the amount
    asked for, and a payment taken for this invoice alone. An amount left out
    ("what is owed") matches a payment that settled the invoice. A declined
    payment moved no money and names no invoice: it answers any retry."""
    if existing.client_id != client.id:
        return False
    if entry.amount is not None and entry.amount != existing.amount:
        return False
    if existing.status != PaymentStatus.SUCCEEDED:
        return True
    applications = await queries.applications_of(session, [existing.id])
    if {application.invoice_id for application in applications} != {invoice.id}:
        return False
    return entry.amount is not None or invoice.status not in UNPAID


async def pay_invoice(
    session: AsyncSession,
    viewer: Viewer,
    gateway: PaymentGateway,
    entry: InvoicePayment,
    now: datetime,
) -> PaidInvoice:
    client = await client_acting(session, viewer, is_open_during_hold=True)
    refuse_all(source_problems(entry) + key_problems(entry.idempotency_key))
    await require_addon(session, viewer, PaymentProblem.ADDON_REQUIRED)
    invoice = await own_invoice(session, client, entry.invoice)

    # Before any token is attached: a retry must not file the card twice.
    if (replayed := await replay(session, viewer, client, invoice, entry)) is not None:
        return PaidInvoice(replayed, invoice)

    # Judged on the locked invoice, so two tabs paying at once cannot overpay.
    amount = amount_to_pay(entry, invoice, await owed_on(session, invoice))
    method = await method_to_charge(session, viewer, gateway, client, entry)
    charge = ChargeEntry(
        client=client.public_id,
        payment_method=method.public_id,
        amount=amount,
        idempotency_key=entry.idempotency_key,
        allocations=(Allocation(invoice.public_id, amount),),
    )
    outcome = await charge_payment_method(session, viewer, gateway, charge, now)

    # A declined card is not one to keep: the client chose it for this charge.
    is_kept = entry.payment_method is not None or (
        entry.is_saved and outcome.payment.status == PaymentStatus.SUCCEEDED
    )
    if not is_kept:
        method.removed_at, method.is_default = now, False
        await record_activity(
            session,
            viewer,
            "payment_method.removed",
            client_id=client.id,
            subject=method,
            reason="used for one payment only",
        )
    # Settling changed the invoice's status in the database; show it.
    await session.refresh(invoice)
    return PaidInvoice(outcome, invoice)


async def method_to_charge(
    session: AsyncSession,
    viewer: Viewer,
    gateway: PaymentGateway,
    client: Client,
    entry: InvoicePayment,
) -> PaymentMethod:
    """The saved method named, or the new token put on file for this charge."""
    if entry.payment_method is not None:
        return await method_on_file(
            session,
            viewer,
            entry.payment_method,
            PaymentProblem.PAYMENT_METHOD_NOT_FOUND,
            client,
        )
    new = NewPaymentMethod(
        client=client.public_id,
        kind=entry.kind or StoredMethodKind.CARD,
        token=entry.token or "",
        holder_name=entry.holder_name,
        make_default=False,
    )
    return await add_payment_method(session, viewer, gateway, new)


async def add_own_method(
    session: AsyncSession,
    viewer: Viewer,
    gateway: PaymentGateway,
    kind: StoredMethodKind,
    token: str,
    holder_name: str | None,
    make_default: bool,
) -> PaymentMethod:
    client = await client_acting(session, viewer, is_open_during_hold=True)
    new = NewPaymentMethod(client.public_id, kind, token, holder_name, make_default)
    return await add_payment_method(session, viewer, gateway, new)


async def set_own_default(
    session: AsyncSession, viewer: Viewer, public_id: UUID | None
) -> PaymentMethod:
    await client_acting(session, viewer, is_open_during_hold=True)
    await require_addon(session, viewer, PaymentMethodProblem.ADDON_REQUIRED)
    return await set_default_payment_method(session, viewer, public_id)


async def remove_own(
    session: AsyncSession, viewer: Viewer, public_id: UUID | None, now: datetime
) -> PaymentMethod:
    await client_acting(session, viewer, is_open_during_hold=True)
    await require_addon(session, viewer, PaymentMethodProblem.ADDON_REQUIRED)
    return await remove_payment_method(session, viewer, public_id, now)
