"""Money received: recording a payment once, whatever the retries.

A payment is applied by ``domain.settlement``. What it does not apply stays
on the payment as credit on account (the balance goes below zero), ready
for ``domain.credits.apply_credit``: no separate credit memo is written, so
the money is never counted twice.

Every money-moving operation takes an idempotency key, unique per account
in the database. The same key again answers with the first result; the
same key with a different request is refused. Concurrent requests with one
key race on the unique index: the loser's insert fails inside a savepoint
and it answers with the winner's row.
"""

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.identity.viewer import Viewer
from domain.notify import announce
from domain.payment_checks import (
    Allocation,
    PaymentProblem,
    allocation_problems,
    amount_problems,
    key_problems,
    refuse_different_request,
    require_client,
)
from domain.problems import Problem, refuse_all
from domain.settlement import (
    Application,
    apply_plan,
    lock_targets,
    plan_applications,
)
from domain.unique import insert_unless_taken
from persistence.enums import NotificationEvent, PaymentMethodKind, PaymentStatus
from persistence.models import Account, Client, Payment
from persistence.models.base import Base
from persistence.queries import payments as queries

logger = logging.getLogger(__name__)

Row = TypeVar("Row", bound=Base)

MAX_REFERENCE_LENGTH = 100


@dataclass(frozen=True, slots=True)
class PaymentEntry:
    """A payment as staff record it."""

    client: UUID | None
    method: PaymentMethodKind
    amount: int
    idempotency_key: str
    allocations: tuple[Allocation, ...] | None = None
    reference: str | None = None


async def account_of(session: AsyncSession, viewer: Viewer) -> Account:
    return await session.get_one(Account, viewer.account_id)


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


def same_payment(payment: Payment, client: Client, method: str, amount: int) -> bool:
    return (
        payment.client_id == client.id
        and payment.method == method
        and payment.amount == amount
    )


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
