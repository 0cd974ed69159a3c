"""Money in and out: payments, charges, refunds, credits, payment requests.

``PaymentMutations`` gathers these with the hold and payment-method
mutations, so the schema adds one base class for all of them.
"""

from collections.abc import Sequence
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain import credits, payment_requests, payments, refunds
from domain.payment_checks import (
    Allocation,
    PaymentProblem,
)
from domain.payment_methods import ChargeEntry, ChargeOutcome, charge_payment_method
from domain.permissions import Permission
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.mutations import MutationInput, UserError, perform, user_errors
from graph.resolvers.holds import HoldMutations
from graph.resolvers.invoice_inputs import optional_public_id, public_id_of
from graph.resolvers.invoices import clock
from graph.resolvers.payment_methods import PaymentMethodMutations
from graph.types.billing.collection import PaymentRequest
from graph.types.billing.ledger import Credit, Invoice, Payment, Refund
from persistence.enums import Channel, PaymentMethodKind

strawberry.enum(
    PaymentProblem,
    name="PaymentErrorCode",
    description="Why a payment, charge, refund, credit or payment request was refused.",
)

KEY_DESCRIPTION = (
    "A key unique to this request (a UUID, say). Sending it again answers with "
    "the first result and moves no more money; with a different request it is "
    "refused (DUPLICATE_KEY_DIFFERENT_REQUEST)."
)


@strawberry.type(description="A reason a money movement was refused.")
class PaymentError(UserError):
    code: PaymentProblem = field(description="What went wrong.", audiences=STAFF_ONLY)


@strawberry.input(description="Part of an amount, for one invoice.")
class AllocationInput:
    invoice_id: strawberry.ID = strawberry.field(description="The invoice's ID.")
    amount: int = strawberry.field(
        description="Minor units for this invoice: positive, at most what it owes."
    )


Allocations = list[AllocationInput] | None
ALLOCATIONS_DESCRIPTION = (
    "Which invoices get how much; together at most the amount. Left out: the "
    "client's unpaid invoices, oldest due first. What is not applied stays on "
    "account as credit."
)


def allocations_of(given: Allocations) -> tuple[Allocation, ...] | None:
    if given is None:
        return None
    return tuple(
        Allocation(public_id_of(item.invoice_id, "Invoice"), item.amount)
        for item in given
    )


@strawberry.input(description="Money received by cash, check, card or ACH.")
class RecordPaymentInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    method: PaymentMethodKind = strawberry.field(description="How it was paid.")
    amount: int = strawberry.field(description="Minor units received, positive.")
    idempotency_key: str = strawberry.field(description=KEY_DESCRIPTION)
    allocations: Allocations = strawberry.field(
        default=None, description=ALLOCATIONS_DESCRIPTION
    )
    reference: str | None = strawberry.field(
        default=None, description="Check number or terminal reference (≤ 100)."
    )


@strawberry.input(description="Charge a card or bank account on file.")
class ChargePaymentMethodInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    payment_method_id: strawberry.ID = strawberry.field(
        description="The method on file to charge."
    )
    amount: int = strawberry.field(description="Minor units to charge, positive.")
    idempotency_key: str = strawberry.field(description=KEY_DESCRIPTION)
    allocations: Allocations = strawberry.field(
        default=None, description=ALLOCATIONS_DESCRIPTION
    )


@strawberry.type(description="The payment recorded, or the attempt that failed.")
class PaymentPayload:
    """The shape of both payment payloads; each mutation names its own."""

    payment: Payment | None = field(
        description="The payment. A declined charge is kept as a FAILED payment "
        "and comes with a CARD_DECLINED or INSUFFICIENT_FUNDS error; null when "
        "the input was refused.",
        audiences=STAFF_ONLY,
    )
    user_errors: list[PaymentError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The payment recorded.")
class RecordPaymentPayload(PaymentPayload):
    pass


@strawberry.type(description="The payment charged, or the attempt that failed.")
class ChargePaymentMethodPayload(PaymentPayload):
    pass


@strawberry.input(description="Give money back from a payment.")
class RefundPaymentInput:
    payment_id: strawberry.ID = strawberry.field(description="The payment's ID.")
    amount: int = strawberry.field(
        description="Minor units to give back: at most what is left unrefunded."
    )
    idempotency_key: str = strawberry.field(description=KEY_DESCRIPTION)
    reason: str | None = strawberry.field(default=None, description="Why.")


@strawberry.type(description="The refund given.")
class RefundPaymentPayload:
    refund: Refund | None = field(
        description="The refund; null on failure.", audiences=STAFF_ONLY
    )
    user_errors: list[PaymentError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.input(description="A credit memo, against an invoice or on account.")
class IssueCreditInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    amount: int = strawberry.field(description="Minor units credited, positive.")
    reason: str = strawberry.field(description="Why, 1 to 2000 characters.")
    idempotency_key: str = strawberry.field(description=KEY_DESCRIPTION)
    invoice_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="An unpaid invoice it settles (at most what it owes); left "
        "out: credit on account, for applyCredit.",
    )


@strawberry.type(description="The credit memo issued.")
class IssueCreditPayload:
    credit: Credit | None = field(
        description="The credit; null on failure.", audiences=STAFF_ONLY
    )
    user_errors: list[PaymentError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.input(description="Spend the client's credit on its invoices.")
class ApplyCreditInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    allocations: Allocations = strawberry.field(
        default=None,
        description="Which invoices get how much, at most the credit there is. "
        "Left out: unpaid invoices oldest due first, until the credit runs out.",
    )


@strawberry.type(description="The invoices the credit went to.")
class ApplyCreditPayload:
    invoices: list[Invoice] | None = field(
        description="The invoices paid from credit; null on failure.",
        audiences=STAFF_ONLY,
    )
    user_errors: list[PaymentError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.input(description="Ask the client to pay an unpaid invoice.")
class CreatePaymentRequestInput:
    invoice_id: strawberry.ID = strawberry.field(description="The invoice's ID.")
    channel: Channel = strawberry.field(description="EMAIL or TEXT.")
    sent_to: str | None = strawberry.field(
        default=None,
        description="Where to send it; left out: the primary contact's email "
        "address or phone.",
    )


@strawberry.type(description="The payment request sent.")
class CreatePaymentRequestPayload:
    payment_request: PaymentRequest | None = field(
        description="The request; null on failure.", audiences=STAFF_ONLY
    )
    user_errors: list[PaymentError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


def errors(problems: Sequence[Any]) -> list[PaymentError]:
    return user_errors(PaymentError, problems)


async def record_payment(
    info: Info, input: MutationInput[RecordPaymentInput]
) -> RecordPaymentPayload:
    viewer = info.context.signed_in_viewer
    entry = payments.PaymentEntry(
        client=public_id_of(input.client_id, "Client"),
        method=input.method,
        amount=input.amount,
        idempotency_key=input.idempotency_key,
        allocations=allocations_of(input.allocations),
        reference=input.reference,
    )
    moment = clock(info)

    async def work(session: AsyncSession) -> Any:
        return await payments.record_payment(session, viewer, entry, moment)

    outcome = await perform(info, work)
    payment = Payment.from_row(outcome.result) if outcome.result else None
    return RecordPaymentPayload(payment=payment, user_errors=errors(outcome.problems))


async def charge(
    info: Info, input: MutationInput[ChargePaymentMethodInput]
) -> ChargePaymentMethodPayload:
    viewer = info.context.signed_in_viewer
    gateway = info.context.services.gateway
    entry = ChargeEntry(
        client=public_id_of(input.client_id, "Client"),
        payment_method=public_id_of(input.payment_method_id, "PaymentMethod"),
        amount=input.amount,
        idempotency_key=input.idempotency_key,
        allocations=allocations_of(input.allocations),
    )
    moment = clock(info)

    async def work(session: AsyncSession) -> ChargeOutcome:
        return await charge_payment_method(session, viewer, gateway, entry, moment)

    outcome = await perform(info, work)
    if outcome.result is None:
        return ChargePaymentMethodPayload(
            payment=None, user_errors=errors(outcome.problems)
        )
    # A declined charge commits its failed attempt and reports the decline.
    declined = (outcome.result.problem,) if outcome.result.problem else ()
    return ChargePaymentMethodPayload(
        payment=Payment.from_row(outcome.result.payment), user_errors=errors(declined)
    )


async def refund_payment(
    info: Info, input: MutationInput[RefundPaymentInput]
) -> RefundPaymentPayload:
    viewer = info.context.signed_in_viewer
    gateway = info.context.services.gateway
    entry = refunds.RefundEntry(
        payment=public_id_of(input.payment_id, "Payment"),
        amount=input.amount,
        idempotency_key=input.idempotency_key,
        reason=input.reason,
    )
    moment = clock(info)

    async def work(session: AsyncSession) -> Any:
        return await refunds.refund_payment(session, viewer, gateway, entry, moment)

    outcome = await perform(info, work)
    refund = Refund.from_row(outcome.result) if outcome.result else None
    return RefundPaymentPayload(refund=refund, user_errors=errors(outcome.problems))


async def issue_credit(
    info: Info, input: MutationInput[IssueCreditInput]
) -> IssueCreditPayload:
    viewer = info.context.signed_in_viewer
    entry = credits.CreditEntry(
        client=public_id_of(input.client_id, "Client"),
        amount=input.amount,
        reason=input.reason,
        idempotency_key=input.idempotency_key,
        invoice=optional_public_id(input.invoice_id, "Invoice"),
        names_invoice=input.invoice_id is not None,
    )
    moment = clock(info)

    async def work(session: AsyncSession) -> Any:
        return await credits.issue_credit(session, viewer, entry, moment)

    outcome = await perform(info, work)
    credit = Credit.from_row(outcome.result) if outcome.result else None
    return IssueCreditPayload(credit=credit, user_errors=errors(outcome.problems))


async def apply_credit(
    info: Info, input: MutationInput[ApplyCreditInput]
) -> ApplyCreditPayload:
    viewer = info.context.signed_in_viewer
    entry = credits.ApplyCreditEntry(
        client=public_id_of(input.client_id, "Client"),
        allocations=allocations_of(input.allocations),
    )
    moment = clock(info)

    async def work(session: AsyncSession) -> Any:
        return await credits.apply_credit(session, viewer, entry, moment)

    outcome = await perform(info, work)
    invoices = None
    if outcome.result is not None:
        invoices = [Invoice.from_row(row) for row in outcome.result]
    return ApplyCreditPayload(invoices=invoices, user_errors=errors(outcome.problems))


async def create_payment_request(
    info: Info, input: MutationInput[CreatePaymentRequestInput]
) -> CreatePaymentRequestPayload:
    viewer = info.context.signed_in_viewer
    entry = payment_requests.PaymentRequestEntry(
        invoice=public_id_of(input.invoice_id, "Invoice"),
        channel=input.channel,
        sent_to=input.sent_to,
    )
    moment = clock(info)

    async def work(session: AsyncSession) -> Any:
        return await payment_requests.create_payment_request(
            session, viewer, entry, moment
        )

    outcome = await perform(info, work)
    request = PaymentRequest.from_row(outcome.result) if outcome.result else None
    return CreatePaymentRequestPayload(
        payment_request=request, user_errors=errors(outcome.problems)
    )


@strawberry.type(description="Money in and out, holds and methods on file.")
class PaymentMutations(HoldMutations, PaymentMethodMutations):
    record_payment: RecordPaymentPayload | None = field(
        record_payment,
        description="Record money received by cash, check, card or ACH, applied "
        "to the named invoices or oldest due first; an overpayment stays on "
        "account as credit. Needs payments:collect. Errors: AMOUNT_NOT_POSITIVE, "
        "IDEMPOTENCY_KEY_INVALID, DUPLICATE_KEY_DIFFERENT_REQUEST, "
        "CLIENT_NOT_FOUND, INVOICE_NOT_FOUND, INVOICE_LISTED_TWICE, "
        "INVOICE_NOT_OPEN, OVERAPPLIED, REFERENCE_TOO_LONG.",
        audiences=STAFF_ONLY,
        permission=Permission.PAYMENTS_COLLECT,
    )
    charge_payment_method: ChargePaymentMethodPayload | None = field(
        charge,
        description="Charge a card or bank account on file and apply the money "
        "like recordPayment. A decline is kept as a FAILED payment (it counts "
        "toward the failed-payments hold rule) and reported as CARD_DECLINED or "
        "INSUFFICIENT_FUNDS. Needs payments:collect and the payments add-on. "
        "Errors as recordPayment, plus ADDON_REQUIRED, PAYMENT_METHOD_NOT_FOUND.",
        audiences=STAFF_ONLY,
        permission=Permission.PAYMENTS_COLLECT,
    )
    refund_payment: RefundPaymentPayload | None = field(
        refund_payment,
        description="Give back all or part of a payment: its unapplied part "
        "first, then what it paid on invoices, newest first, which then owe "
        "again. Needs billing:write. Errors: AMOUNT_NOT_POSITIVE, "
        "IDEMPOTENCY_KEY_INVALID, DUPLICATE_KEY_DIFFERENT_REQUEST, "
        "PAYMENT_NOT_FOUND, PAYMENT_NOT_SUCCEEDED, REFUND_EXCEEDS_PAYMENT, "
        "REFUND_FAILED.",
        audiences=STAFF_ONLY,
        permission=Permission.BILLING_WRITE,
    )
    issue_credit: IssueCreditPayload | None = field(
        issue_credit,
        description="Issue a credit memo against an unpaid invoice or on "
        "account. Needs billing:write. Errors: AMOUNT_NOT_POSITIVE, "
        "IDEMPOTENCY_KEY_INVALID, DUPLICATE_KEY_DIFFERENT_REQUEST, "
        "REASON_REQUIRED, CLIENT_NOT_FOUND, INVOICE_NOT_FOUND, INVOICE_NOT_OPEN, "
        "OVERAPPLIED.",
        audiences=STAFF_ONLY,
        permission=Permission.BILLING_WRITE,
    )
    apply_credit: ApplyCreditPayload | None = field(
        apply_credit,
        description="Spend the client's credit (unapplied payments, credits on "
        "account), oldest first, on its invoices. Needs billing:write. Errors: "
        "CLIENT_NOT_FOUND, NO_CREDIT_AVAILABLE, AMOUNT_NOT_POSITIVE, "
        "INVOICE_NOT_FOUND, INVOICE_LISTED_TWICE, INVOICE_NOT_OPEN, OVERAPPLIED.",
        audiences=STAFF_ONLY,
        permission=Permission.BILLING_WRITE,
    )
    create_payment_request: CreatePaymentRequestPayload | None = field(
        create_payment_request,
        description="Ask the client to pay what an unpaid invoice still owes, by "
        "email or text; the request is kept and shows whether it led to a "
        "payment. Needs payments:collect. Errors: INVOICE_NOT_FOUND, "
        "INVOICE_NOT_OPEN, RECIPIENT_MISSING.",
        audiences=STAFF_ONLY,
        permission=Permission.PAYMENTS_COLLECT,
    )
