"""Cards and bank accounts on file (the payments add-on), and charging them.

Only the processor's token, the brand or bank, the last four digits and a
card's expiry are kept. A client has at most one default method; the first
method added becomes it. Removing a method keeps its row (past payments
name it) and leaves the client without a default until staff choose one.

A charge that the processor declines is still recorded, as a FAILED
payment: the attempt is the outcome of the request, not a half-done change,
so it commits together with its activity record and any hold the
failed-payments rule places, while the mutation reports the decline as a
user error.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.gateway import AttachRefused, GatewayFailure, PaymentGateway
from domain.holds import judge_failed_payment
from domain.identity.viewer import Viewer
from domain.payment_checks import (
    Allocation,
    PaymentProblem,
    allocation_problems,
    amount_problems,
    key_problems,
    require_client,
)
from domain.payments import (
    account_of,
    claim_key,
    record_receipt,
    replay_claimed,
    replayed_payment,
)
from domain.problems import Problem, refuse, refuse_all
from domain.settlement import (
    apply_plan,
    lock_targets,
    plan_applications,
)
from persistence.enums import PaymentStatus, StoredMethodKind
from persistence.models import Client, Payment, PaymentMethod
from persistence.queries import payments as queries
from persistence.queries.invoicing import by_public_id


class PaymentMethodProblem(StrEnum):
    CLIENT_NOT_FOUND = "client_not_found"
    PAYMENT_METHOD_NOT_FOUND = "payment_method_not_found"
    ADDON_REQUIRED = "addon_required"
    INVALID_TOKEN = "invalid_token"
    HOLDER_NAME_TOO_LONG = "holder_name_too_long"


MAX_HOLDER_NAME = 200


FAILURES = {
    GatewayFailure.DECLINED: (
        PaymentProblem.CARD_DECLINED,
        "The card or bank declined the charge.",
    ),
    GatewayFailure.INSUFFICIENT_FUNDS: (
        PaymentProblem.INSUFFICIENT_FUNDS,
        "The account has insufficient funds.",
    ),
    GatewayFailure.INVALID_TOKEN: (
        PaymentProblem.CARD_DECLINED,
        "The processor no longer knows this payment method.",
    ),
}
CODES_BY_REASON = {reason: code for code, reason in FAILURES.values()}


async def require_addon(session: AsyncSession, viewer: Viewer, code: StrEnum) -> None:
    account = await account_of(session, viewer)
    if not account.has_payments_addon:
        refuse(
            code,
            "",
            "Cards and ACH on file need the payments add-on on your account.",
        )


@dataclass(frozen=True, slots=True)
class NewPaymentMethod:
    client: UUID | None
    kind: StoredMethodKind
    token: str
    holder_name: str | None = None
    make_default: bool = False


async def make_default(
    session: AsyncSession, client: Client, method: PaymentMethod
) -> None:
    """``method`` becomes the only default; the others stop being it first,
    because the database allows one default per client at any moment."""
    for other in await queries.payment_methods_of(session, client):
        if other.id != method.id and other.is_default:
            other.is_default = False
    await session.flush()
    method.is_default = True


async def add_payment_method(
    session: AsyncSession,
    viewer: Viewer,
    gateway: PaymentGateway,
    entry: NewPaymentMethod,
) -> PaymentMethod:
    await require_addon(session, viewer, PaymentMethodProblem.ADDON_REQUIRED)
    client = await by_public_id(session, Client, viewer.account_id, entry.client)
    if client is None:
        refuse(
            PaymentMethodProblem.CLIENT_NOT_FOUND,
            "clientId",
            "Your account has no client with that ID.",
        )

    if entry.holder_name is not None and len(entry.holder_name) > MAX_HOLDER_NAME:
        refuse(
            PaymentMethodProblem.HOLDER_NAME_TOO_LONG,
            "holderName",
            f"The name on the card or account is at most {MAX_HOLDER_NAME} characters.",
        )
    # The processor turns the one-time token into the reusable one we keep.
    try:
        attached = await gateway.attach(entry.kind, entry.token)
    except AttachRefused as refused:
        refuse(PaymentMethodProblem.INVALID_TOKEN, "token", str(refused))

    on_file = await queries.payment_methods_of(session, client)
    method = PaymentMethod(
        account_id=client.account_id,
        client_id=client.id,
        kind=attached.kind,
        processor=gateway.name,
        processor_token=attached.processor_token,
        brand=attached.brand,
        bank_name=attached.bank_name,
        holder_name=entry.holder_name,
        last_four=attached.last_four,
        exp_month=attached.exp_month,
        exp_year=attached.exp_year,
    )
    session.add(method)
    await session.flush()
    if entry.make_default or not any(row.is_default for row in on_file):
        await make_default(session, client, method)
    await record_activity(
        session,
        viewer,
        "payment_method.added",
        client_id=client.id,
        subject=method,
        kind=method.kind,
        last_four=method.last_four,
    )
    return method


async def method_on_file(
    session: AsyncSession,
    viewer: Viewer,
    public_id: UUID | None,
    code: StrEnum,
    client: Client | None = None,
) -> PaymentMethod:
    """A method still on file in the viewer's account (and ``client``'s)."""
    method = None
    if public_id is not None:
        method = await session.scalar(
            select(PaymentMethod).where(
                PaymentMethod.account_id == viewer.account_id,
                PaymentMethod.public_id == public_id,
                PaymentMethod.removed_at.is_(None),
            )
        )
    # A client (or a preview of its dashboard) finds only its own methods.
    owner_id = client.id if client is not None else None
    if viewer.sees_as_client:
        owner_id = viewer.client_id
    if method is None or (owner_id is not None and method.client_id != owner_id):
        refuse(code, "paymentMethodId", "No payment method on file has that ID.")
    return method


async def set_default_payment_method(
    session: AsyncSession, viewer: Viewer, public_id: UUID | None
) -> PaymentMethod:
    method = await method_on_file(
        session, viewer, public_id, PaymentMethodProblem.PAYMENT_METHOD_NOT_FOUND
    )
    client = await session.get_one(Client, method.client_id)
    await make_default(session, client, method)

    await record_activity(
        session,
        viewer,
        "payment_method.made_default",
        client_id=client.id,
        subject=method,
    )
    return method


async def remove_payment_method(
    session: AsyncSession, viewer: Viewer, public_id: UUID | None, now: datetime
) -> PaymentMethod:
    method = await method_on_file(
        session, viewer, public_id, PaymentMethodProblem.PAYMENT_METHOD_NOT_FOUND
    )
    method.removed_at = now
    method.is_default = False

    await record_activity(
        session,
        viewer,
        "payment_method.removed",
        client_id=method.client_id,
        subject=method,
    )
    return method


@dataclass(frozen=True, slots=True)
class ChargeEntry:
    client: UUID | None
    payment_method: UUID | None
    amount: int
    idempotency_key: str
    allocations: tuple[Allocation, ...] | None = None


@dataclass(frozen=True, slots=True)
class ChargeOutcome:
    """The payment or failed attempt, and the problem when it failed."""

    payment: Payment
    problem: Problem | None = None


def failure_problem(payment: Payment) -> Problem | None:
    if payment.status != PaymentStatus.FAILED:
        return None
    reason = payment.failure_reason or ""
    code = CODES_BY_REASON.get(reason, PaymentProblem.CARD_DECLINED)
    return Problem(code, "paymentMethodId", reason)


async def charge_payment_method(
    session: AsyncSession,
    viewer: Viewer,
    gateway: PaymentGateway,
    entry: ChargeEntry,
    now: datetime,
) -> ChargeOutcome:
    """Charge a method on file and apply the money like a recorded payment."""
    refuse_all(
        amount_problems(entry.amount)
        + key_problems(entry.idempotency_key)
        + allocation_problems(entry.allocations, entry.amount)
    )
    await require_addon(session, viewer, PaymentProblem.ADDON_REQUIRED)
    client = await require_client(session, viewer, entry.client)
    method = await method_on_file(
        session,
        viewer,
        entry.payment_method,
        PaymentProblem.PAYMENT_METHOD_NOT_FOUND,
        client,
    )
    charge = ChargeKind(method.kind, entry.amount, entry.idempotency_key)
    if (replay := await replayed_payment(session, viewer, client, charge)) is not None:
        return ChargeOutcome(replay, failure_problem(replay))

    # Judge the allocations on locked invoices before any money moves.
    targets = await lock_targets(session, client, entry.allocations)
    plan = await plan_applications(session, targets, entry.amount)
    payment = Payment(
        account_id=client.account_id,
        client_id=client.id,
        method=method.kind,
        status=PaymentStatus.SUCCEEDED,
        currency=(await account_of(session, viewer)).currency,
        amount=entry.amount,
        received_at=now,
        payment_method_id=method.id,
        idempotency_key=entry.idempotency_key,
        recorded_by_id=viewer.staff_user_id,
    )
    claimed = await claim_key(
        session,
        payment,
        lambda: queries.payment_by_key(
            session, viewer.account_id, entry.idempotency_key
        ),
    )
    if claimed is not payment:
        replay = replay_claimed(claimed, client, charge)
        return ChargeOutcome(replay, failure_problem(replay))

    result = await gateway.charge(
        method.processor_token, entry.amount, payment.currency, entry.idempotency_key
    )
    if result.failure is not None:
        return await record_failure(
            session, viewer, client, payment, result.failure, now
        )
    payment.processor_reference = result.reference
    await apply_plan(session, payment, plan, now)
    await record_receipt(session, viewer, payment, plan)
    return ChargeOutcome(payment)


@dataclass(frozen=True, slots=True)
class ChargeKind:
    """What an idempotency replay compares: method kind, amount and key."""

    method: str
    amount: int
    idempotency_key: str


async def record_failure(
    session: AsyncSession,
    viewer: Viewer,
    client: Client,
    payment: Payment,
    failure: GatewayFailure,
    now: datetime,
) -> ChargeOutcome:
    """Keep the failed attempt and judge the hold rules it may trip."""
    code, reason = FAILURES[failure]
    payment.status = PaymentStatus.FAILED
    payment.failure_reason = reason
    await session.flush()

    await record_activity(
        session,
        viewer,
        "payment.failed",
        client_id=client.id,
        subject=payment,
        amount=payment.amount,
        reason=reason,
    )
    await judge_failed_payment(session, client, now)
    return ChargeOutcome(payment, Problem(code, "paymentMethodId", reason))
