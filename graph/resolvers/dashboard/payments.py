"""Paying invoices and managing payment methods from the dashboard (the
payments add-on)."""

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.dashboard import payments
from domain.dashboard.payments import InvoicePayment, PaidInvoice
from graph.context import Info
from graph.fields import DASHBOARD_ONLY, field
from graph.mutations import MutationInput
from graph.resolvers.dashboard.errors import (
    ERRORS_DESCRIPTION,
    DashboardError,
    act,
    dashboard_errors,
)
from graph.resolvers.invoice_inputs import optional_public_id, public_id_of
from graph.types.billing.collection import PaymentMethod
from graph.types.billing.ledger import Invoice, Payment
from persistence.enums import StoredMethodKind
from persistence.models import PaymentMethod as PaymentMethodRow

TOKENS = (
    "In the sandbox: tok_visa, tok_mastercard, tok_chargeDeclined, "
    "tok_insufficientFunds (cards); btok_success, btok_accountClosed, "
    "btok_insufficientFunds (bank accounts)."
)


@strawberry.input(description="Pay one of your invoices.")
class PayInvoiceInput:
    invoice_id: strawberry.ID = strawberry.field(description="The invoice's ID.")
    idempotency_key: str = strawberry.field(
        description="A key new for each payment you mean to make (a UUID); "
        "sending the same key again answers with the first payment and charges "
        "nothing more."
    )
    amount: int | None = strawberry.field(
        default=None,
        description="Minor units (cents) to pay; at most what the invoice still "
        "owes, which is the default.",
    )
    payment_method_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A payment method on file; or send token and kind instead.",
    )
    token: str | None = strawberry.field(
        default=None,
        description="A new card or bank account as the processor's one-time "
        f"token, never its number. {TOKENS}",
    )
    kind: StoredMethodKind | None = strawberry.field(
        default=None, description="CARD or ACH, with token."
    )
    holder_name: str | None = strawberry.field(
        default=None, description="The name on the new card or account."
    )
    save_method: bool = strawberry.field(
        default=False,
        description="Keep the new card or account on file when the payment succeeds.",
    )


@strawberry.input(description="A card or bank account to keep on file.")
class AddOwnPaymentMethodInput:
    kind: StoredMethodKind = strawberry.field(description="CARD or ACH.")
    token: str = strawberry.field(
        description=f"The processor's one-time token. {TOKENS}"
    )
    holder_name: str | None = strawberry.field(
        default=None, description="The name on the card or account."
    )
    make_default: bool = strawberry.field(
        default=False,
        description="Make it your default; your first method always is.",
    )


@strawberry.input(description="One of your payment methods.")
class OwnPaymentMethodInput:
    payment_method_id: strawberry.ID = strawberry.field(
        description="The payment method's ID."
    )


@strawberry.type(description="Your payment, and the invoice after it.")
class PayInvoicePayload:
    payment: Payment | None = field(
        description="The payment. A declined charge is kept as a FAILED payment "
        "and comes with CARD_DECLINED or INSUFFICIENT_FUNDS; null when refused.",
        audiences=DASHBOARD_ONLY,
    )
    invoice: Invoice | None = field(
        description="The invoice with its new status; null when refused.",
        audiences=DASHBOARD_ONLY,
    )
    user_errors: list[DashboardError] = field(
        description=ERRORS_DESCRIPTION, audiences=DASHBOARD_ONLY
    )


@strawberry.type(description="The payment method after the change.")
class DashboardPaymentMethodPayload:
    payment_method: PaymentMethod | None = field(
        description="The method; null when refused.", audiences=DASHBOARD_ONLY
    )
    user_errors: list[DashboardError] = field(
        description=ERRORS_DESCRIPTION, audiences=DASHBOARD_ONLY
    )


@strawberry.type(description="Which payment method was taken off file.")
class RemoveOwnPaymentMethodPayload:
    removed_payment_method_id: strawberry.ID | None = field(
        description="Its ID; null when refused.", audiences=DASHBOARD_ONLY
    )
    user_errors: list[DashboardError] = field(
        description=ERRORS_DESCRIPTION, audiences=DASHBOARD_ONLY
    )


async def pay_invoice(
    info: Info, input: MutationInput[PayInvoiceInput]
) -> PayInvoicePayload:
    viewer, now = info.context.signed_in_viewer, info.context.services.clock()
    gateway = info.context.services.gateway
    entry = InvoicePayment(
        invoice=public_id_of(input.invoice_id, "Invoice"),
        idempotency_key=input.idempotency_key,
        amount=input.amount,
        payment_method=optional_public_id(input.payment_method_id, "PaymentMethod"),
        token=input.token,
        kind=input.kind,
        holder_name=input.holder_name,
        is_saved=input.save_method,
    )

    async def work(session: AsyncSession) -> PaidInvoice:
        return await payments.pay_invoice(session, viewer, gateway, entry, now)

    paid, errors = await act(info, work)
    if paid is None:
        return PayInvoicePayload(payment=None, invoice=None, user_errors=errors)
    # A declined charge keeps its failed attempt and reports the decline.
    problem = paid.outcome.problem
    return PayInvoicePayload(
        payment=Payment.from_row(paid.outcome.payment),
        invoice=Invoice.from_row(paid.invoice),
        user_errors=dashboard_errors([problem] if problem else []),
    )


def method_payload(
    row: PaymentMethodRow | None, errors: list[DashboardError]
) -> DashboardPaymentMethodPayload:
    method = PaymentMethod.from_row(row) if row is not None else None
    return DashboardPaymentMethodPayload(payment_method=method, user_errors=errors)


async def add_payment_method(
    info: Info, input: MutationInput[AddOwnPaymentMethodInput]
) -> DashboardPaymentMethodPayload:
    viewer, gateway = info.context.signed_in_viewer, info.context.services.gateway

    async def work(session: AsyncSession) -> PaymentMethodRow:
        return await payments.add_own_method(
            session,
            viewer,
            gateway,
            input.kind,
            input.token,
            input.holder_name,
            input.make_default,
        )

    return method_payload(*await act(info, work))


async def set_default_payment_method(
    info: Info, input: MutationInput[OwnPaymentMethodInput]
) -> DashboardPaymentMethodPayload:
    viewer = info.context.signed_in_viewer
    method_id = public_id_of(input.payment_method_id, "PaymentMethod")

    async def work(session: AsyncSession) -> PaymentMethodRow:
        return await payments.set_own_default(session, viewer, method_id)

    return method_payload(*await act(info, work))


async def remove_payment_method(
    info: Info, input: MutationInput[OwnPaymentMethodInput]
) -> RemoveOwnPaymentMethodPayload:
    viewer, now = info.context.signed_in_viewer, info.context.services.clock()
    method_id = public_id_of(input.payment_method_id, "PaymentMethod")

    async def work(session: AsyncSession) -> PaymentMethodRow:
        return await payments.remove_own(session, viewer, method_id, now)

    row, errors = await act(info, work)
    removed = PaymentMethod.from_row(row).id if row is not None else None
    return RemoveOwnPaymentMethodPayload(
        removed_payment_method_id=removed, user_errors=errors
    )


PAYMENT_ERRORS = "ADDON_REQUIRED, READ_ONLY"


@strawberry.type(description="Paying and payment methods.")
class DashboardPaymentMutations:
    pay_invoice: PayInvoicePayload = field(
        pay_invoice,
        description="Pay an invoice with a saved payment method or a new card or "
        "bank account, through the business's payment processor; a receipt is "
        "sent. Allowed while on hold. Errors: NOT_FOUND, NOT_ALLOWED_IN_STATUS, "
        "PAYMENT_SOURCE_REQUIRED, AMOUNT_NOT_POSITIVE, OVERPAYMENT, "
        "INVALID_TOKEN, CARD_DECLINED, INSUFFICIENT_FUNDS, "
        "IDEMPOTENCY_KEY_INVALID, DUPLICATE_KEY_DIFFERENT_REQUEST, "
        f"{PAYMENT_ERRORS}.",
        audiences=DASHBOARD_ONLY,
        signed_in=True,
    )
    add_payment_method: DashboardPaymentMethodPayload = field(
        add_payment_method,
        description="Keep a card or bank account on file (only the processor's "
        "token, brand or bank and last four are kept). Allowed while on hold. "
        f"Errors: INVALID_TOKEN, {PAYMENT_ERRORS}.",
        audiences=DASHBOARD_ONLY,
        signed_in=True,
    )
    set_default_payment_method: DashboardPaymentMethodPayload = field(
        set_default_payment_method,
        description="Make one of your payment methods the default. Allowed while "
        f"on hold. Errors: NOT_FOUND, {PAYMENT_ERRORS}.",
        audiences=DASHBOARD_ONLY,
        signed_in=True,
    )
    remove_payment_method: RemoveOwnPaymentMethodPayload = field(
        remove_payment_method,
        description="Take one of your payment methods off file; past payments "
        f"keep naming it. Allowed while on hold. Errors: NOT_FOUND, "
        f"{PAYMENT_ERRORS}.",
        audiences=DASHBOARD_ONLY,
        signed_in=True,
    )
