"""Money received: validating it, applying it to invoices, and idempotency.

A payment is applied to the invoices named in its allocations, or else to
the client's unpaid invoices oldest due first. What it does not apply stays
on the payment as credit on account (the balance goes below zero), ready for
``domain.credits.apply_credit``: no separate credit memo is written, so the
money is never counted twice.

Every money-moving operation takes an idempotency key, unique per account
in the database. The same key again answers with the first result; the
same key with a different request is refused. Concurrent requests with one
key race on the unique index: the loser's insert fails inside a savepoint
and it answers with the winner's row.
"""

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.billing import status_after_settlement
from domain.calendar import local_date
from domain.identity.viewer import Viewer
from domain.notify import announce
from domain.problems import Problem, refuse, refuse_all
from domain.unique import insert_unless_taken
from persistence.enums import (
    InvoiceStatus,
    NotificationEvent,
    PaymentMethodKind,
    PaymentStatus,
)
from persistence.models import Account, Client, Invoice, Payment, PaymentApplication
from persistence.models.base import Base
from persistence.queries import payments as queries
from persistence.queries.ledger import UNPAID

logger = logging.getLogger(__name__)

MAX_KEY_LENGTH = 100
MAX_REFERENCE_LENGTH = 100

Row = TypeVar("Row", bound=Base)


class PaymentProblem(StrEnum):
    """Why a payment, refund, credit or payment request was refused."""

    AMOUNT_NOT_POSITIVE = "amount_not_positive"
    IDEMPOTENCY_KEY_INVALID = "idempotency_key_invalid"
    DUPLICATE_KEY_DIFFERENT_REQUEST = "duplicate_key_different_request"
    CLIENT_NOT_FOUND = "client_not_found"
    INVOICE_NOT_FOUND = "invoice_not_found"
    INVOICE_LISTED_TWICE = "invoice_listed_twice"
    INVOICE_NOT_OPEN = "invoice_not_open"
    OVERAPPLIED = "overapplied"
    NO_CREDIT_AVAILABLE = "no_credit_available"
    PAYMENT_NOT_FOUND = "payment_not_found"
    PAYMENT_NOT_SUCCEEDED = "payment_not_succeeded"
    REFUND_EXCEEDS_PAYMENT = "refund_exceeds_payment"
    REFUND_FAILED = "refund_failed"
    REASON_REQUIRED = "reason_required"
    REFERENCE_TOO_LONG = "reference_too_long"
    PAYMENT_METHOD_NOT_FOUND = "payment_method_not_found"
    ADDON_REQUIRED = "addon_required"
    CARD_DECLINED = "card_declined"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    RECIPIENT_MISSING = "recipient_missing"


@dataclass(frozen=True, slots=True)
class Allocation:
    """Part of an amount meant for one invoice (``invoice`` None: an ID that
    names no invoice)."""

    invoice: UUID | None
    amount: int


@dataclass(frozen=True, slots=True)
class PaymentEntry:
    """A payment as staff record it."""

    client: UUID | None
    method: PaymentMethodKind
    amount: int
    idempotency_key: str
    allocations: tuple[Allocation, ...] | None = None
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """An invoice money is about to go to; ``amount`` None: as much as it owes."""

    invoice: Invoice
    amount: int | None
    field: str


@dataclass(frozen=True, slots=True)
class Application:
    invoice: Invoice
    amount: int


def within(prefix: str, name: str) -> str:
    """The dotted input path of ``name`` inside ``prefix`` (empty: the input)."""
    return f"{prefix}.{name}" if prefix else name


def amount_problems(amount: int, field: str = "amount") -> list[Problem]:
    if amount > 0:
        return []
    return [
        Problem(
            PaymentProblem.AMOUNT_NOT_POSITIVE,
            field,
            f"Amounts are positive minor units; {amount} is not.",
        )
    ]


def key_problems(key: str) -> list[Problem]:
    if key.strip() and len(key) <= MAX_KEY_LENGTH:
        return []
    return [
        Problem(
            PaymentProblem.IDEMPOTENCY_KEY_INVALID,
            "idempotencyKey",
            f"Send an idempotency key of 1 to {MAX_KEY_LENGTH} characters, new "
            "for each distinct request.",
        )
    ]


def allocation_problems(
    allocations: Sequence[Allocation] | None, total: int | None
) -> list[Problem]:
    """Each allocation positive, each invoice once, together within ``total``."""
    if allocations is None:
        return []

    problems = []
    seen: set[UUID | None] = set()
    for index, allocation in enumerate(allocations):
        problems += amount_problems(allocation.amount, f"allocations.{index}.amount")
        if allocation.invoice is not None and allocation.invoice in seen:
            problems.append(
                Problem(
                    PaymentProblem.INVOICE_LISTED_TWICE,
                    f"allocations.{index}.invoiceId",
                    "Name each invoice once, with the whole amount it gets.",
                )
            )
        seen.add(allocation.invoice)

    allocated = sum(allocation.amount for allocation in allocations)
    if total is not None and allocated > total:
        problems.append(
            Problem(
                PaymentProblem.OVERAPPLIED,
                "allocations",
                f"The allocations add up to {allocated}, more than the {total} "
                "available.",
            )
        )
    return problems


async def require_client(
    session: AsyncSession, viewer: Viewer, public_id: UUID | None
) -> Client:
    client = await queries.client_by_public_id(session, viewer.account_id, public_id)
    if client is None:
        refuse(
            PaymentProblem.CLIENT_NOT_FOUND,
            "clientId",
            "Your account has no client with that ID.",
        )
    return client


async def account_of(session: AsyncSession, viewer: Viewer) -> Account:
    return await session.get_one(Account, viewer.account_id)


async def business_today(session: AsyncSession, account_id: int, now: datetime) -> date:
    account = await session.get_one(Account, account_id)
    return local_date(now, account.time_zone)


async def claim_key(
    session: AsyncSession,
    row: Row,
    find_existing: Callable[[], Awaitable[Row | None]],
) -> Row:
    """Insert ``row``, whose idempotency key is unique per account; when a
    concurrent request committed the key first, return that request's row."""
    if await insert_unless_taken(session, row):
        return row

    existing = await find_existing()
    if existing is None:  # pragma: no cover - another constraint failed
        raise LookupError("The row was refused but no row holds its key.")
    logger.info("An idempotency key was claimed concurrently; replaying it.")
    return existing


def refuse_different_request() -> None:
    refuse(
        PaymentProblem.DUPLICATE_KEY_DIFFERENT_REQUEST,
        "idempotencyKey",
        "This idempotency key was used for a different request; send a new key.",
    )


def same_payment(payment: Payment, client: Client, method: str, amount: int) -> bool:
    return (
        payment.client_id == client.id
        and payment.method == method
        and payment.amount == amount
    )


async def lock_targets(
    session: AsyncSession, client: Client, allocations: Sequence[Allocation] | None
) -> list[Target]:
    """Lock the invoices money may go to: the named ones, else every unpaid
    one, oldest due first."""
    if allocations is None:
        invoices = await queries.lock_unpaid_invoices(session, client)
        invoices.sort(key=lambda invoice: (invoice.due_on, invoice.number))
        return [Target(invoice, None, "") for invoice in invoices]

    named = [allocation.invoice for allocation in allocations if allocation.invoice]
    found = await queries.invoices_by_public_id(session, client, named)
    refuse_all(
        [
            Problem(
                PaymentProblem.INVOICE_NOT_FOUND,
                f"allocations.{index}.invoiceId",
                "This client has no invoice with that ID.",
            )
            for index, allocation in enumerate(allocations)
            if allocation.invoice not in found
        ]
    )
    ids = [invoice.id for invoice in found.values()]
    locked = {
        row.id: row
        for row in await queries.lock_invoices(session, client.account_id, ids)
    }
    return [
        Target(
            locked[found[allocation.invoice].id],
            allocation.amount,
            f"allocations.{index}",
        )
        for index, allocation in enumerate(allocations)
        if allocation.invoice is not None
    ]


async def plan_applications(
    session: AsyncSession, targets: Sequence[Target], available: int
) -> list[Application]:
    """How much of ``available`` each target gets, judged on locked rows.

    A named amount must fit what its invoice still owes; without amounts,
    each invoice in turn gets what it owes until the money runs out.
    """
    # Read after the locks: a payment that committed while this one waited
    # has already reduced what the invoice owes.
    settled = await queries.settled_amounts(
        session, [target.invoice.id for target in targets]
    )

    plan, problems = [], []
    for target in targets:
        invoice = target.invoice
        owed = max(invoice.total - settled[invoice.id], 0)
        if target.amount is None:
            amount = min(owed, available)
            if amount > 0:
                plan.append(Application(invoice, amount))
                available -= amount
        elif (problem := named_amount_problem(target, owed)) is not None:
            problems.append(problem)
        else:
            plan.append(Application(invoice, target.amount))

    refuse_all(problems)
    return plan


def named_amount_problem(target: Target, owed: int) -> Problem | None:
    """Why ``target`` cannot take its named amount, if it cannot."""
    invoice = target.invoice
    if invoice.status not in UNPAID:
        return Problem(
            PaymentProblem.INVOICE_NOT_OPEN,
            within(target.field, "invoiceId"),
            f"Invoice #{invoice.number} is {invoice.status}; only open, overdue "
            "or partially paid invoices take money.",
        )
    if target.amount is not None and target.amount > owed:
        return Problem(
            PaymentProblem.OVERAPPLIED,
            within(target.field, "amount"),
            f"Invoice #{invoice.number} owes {owed}, less than {target.amount}.",
        )
    return None


async def settle(
    session: AsyncSession, invoices: Sequence[Invoice], today: date, now: datetime
) -> list[Invoice]:
    """Bring the invoices' statuses in line with their money; return those
    that became paid."""
    # The sums are SQL: pending applications and credits must be written first.
    await session.flush()
    settled = await queries.settled_amounts(session, [row.id for row in invoices])

    became_paid = []
    for invoice in invoices:
        status = status_after_settlement(
            invoice.status, invoice.total, settled[invoice.id], invoice.due_on, today
        )
        if status == InvoiceStatus.PAID and invoice.status != InvoiceStatus.PAID:
            invoice.paid_at = now
            became_paid.append(invoice)
        elif status != InvoiceStatus.PAID:
            invoice.paid_at = None
        invoice.status = status
    return became_paid


async def apply_plan(
    session: AsyncSession,
    payment: Payment,
    plan: Sequence[Application],
    now: datetime,
) -> None:
    """Write the payment's applications, settle the invoices and mark the
    payment requests it answered."""
    # One application per payment and invoice: credit spent later from the
    # same payment adds to the row it has.
    existing = {
        row.invoice_id: row
        for row in await queries.applications_of(session, [payment.id])
    }
    for item in plan:
        row = existing.get(item.invoice.id)
        if row is not None:
            row.amount += item.amount
            continue
        session.add(
            PaymentApplication(
                account_id=payment.account_id,
                payment_id=payment.id,
                invoice_id=item.invoice.id,
                amount=item.amount,
            )
        )

    today = await business_today(session, payment.account_id, now)
    paid = await settle(session, [item.invoice for item in plan], today, now)
    await mark_requests_answered(session, payment, paid)


async def mark_requests_answered(
    session: AsyncSession, payment: Payment, paid: Sequence[Invoice]
) -> None:
    """Payment requests for invoices this payment settled led to it."""
    for request in await queries.unanswered_requests(session, [row.id for row in paid]):
        request.payment_id = payment.id


def applied_detail(plan: Sequence[Application]) -> dict[str, int]:
    return {str(item.invoice.number): item.amount for item in plan}


async def record_receipt(
    session: AsyncSession,
    viewer: Viewer | None,
    payment: Payment,
    plan: Sequence[Application],
) -> None:
    """The activity record and the client's receipt of a succeeded payment."""
    applied = sum(item.amount for item in plan)
    await record_activity(
        session,
        viewer,
        "payment.recorded",
        client_id=payment.client_id,
        subject=payment,
        method=payment.method,
        amount=payment.amount,
        applied=applied_detail(plan),
        unapplied=payment.amount - applied,
    )
    await announce(
        session,
        viewer,
        NotificationEvent.PAYMENT_RECEIPT,
        account_id=payment.account_id,
        client_id=payment.client_id,
        context={"payment": str(payment.public_id), "amount": payment.amount},
    )


async def replayed_payment(
    session: AsyncSession, viewer: Viewer, client: Client, entry: Any
) -> Payment | None:
    """The payment an earlier request with this key recorded, if any."""
    existing = await queries.payment_by_key(
        session, viewer.account_id, entry.idempotency_key
    )
    if existing is not None and not same_payment(
        existing, client, entry.method, entry.amount
    ):
        refuse_different_request()
    return existing


def reference_problems(reference: str | None) -> list[Problem]:
    if reference is None or len(reference) <= MAX_REFERENCE_LENGTH:
        return []
    return [
        Problem(
            PaymentProblem.REFERENCE_TOO_LONG,
            "reference",
            f"Keep the reference to {MAX_REFERENCE_LENGTH} characters.",
        )
    ]


async def record_payment(
    session: AsyncSession, viewer: Viewer, entry: PaymentEntry, now: datetime
) -> Payment:
    """Record money received (cash, check, card or ACH taken elsewhere)."""
    refuse_all(
        amount_problems(entry.amount)
        + key_problems(entry.idempotency_key)
        + allocation_problems(entry.allocations, entry.amount)
        + reference_problems(entry.reference)
    )
    client = await require_client(session, viewer, entry.client)
    if (replay := await replayed_payment(session, viewer, client, entry)) is not None:
        return replay

    account = await account_of(session, viewer)
    payment = Payment(
        account_id=viewer.account_id,
        client_id=client.id,
        method=entry.method,
        status=PaymentStatus.SUCCEEDED,
        currency=account.currency,
        amount=entry.amount,
        received_at=now,
        reference=entry.reference,
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
        return replay_claimed(claimed, client, entry)

    # The key is claimed before the invoices are locked: a concurrent
    # duplicate waits on the key and never holds an invoice lock.
    targets = await lock_targets(session, client, entry.allocations)
    plan = await plan_applications(session, targets, entry.amount)
    await apply_plan(session, payment, plan, now)
    await record_receipt(session, viewer, payment, plan)
    return payment


def replay_claimed(claimed: Payment, client: Client, entry: Any) -> Payment:
    if not same_payment(claimed, client, entry.method, entry.amount):
        refuse_different_request()
    return claimed
