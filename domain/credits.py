"""Credit memos, and applying the client's credit to its invoices.

A client's credit is what its payments have not applied (nor given back)
plus its credit memos on account. ``apply_credit`` spends it on invoices,
oldest credit first: a payment's unapplied part becomes an application of
that payment; a credit memo on account is tied to the invoice, split in two
when only part of it is needed. The balance does not move, only where the
money stands.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.identity.viewer import Viewer
from domain.payment_checks import (
    Allocation,
    PaymentProblem,
    allocation_problems,
    amount_problems,
    key_problems,
    refuse_different_request,
    require_client,
)
from domain.payments import (
    account_of,
    claim_key,
)
from domain.problems import Problem, refuse, refuse_all
from domain.settlement import (
    Application,
    Target,
    apply_plan,
    business_today,
    lock_targets,
    plan_applications,
    settle,
)
from persistence.models import Client, Credit, Invoice, Payment
from persistence.queries import payments as queries

MAX_REASON_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class CreditEntry:
    client: UUID | None
    amount: int
    reason: str
    idempotency_key: str
    invoice: UUID | None = None
    names_invoice: bool = False
    """True when the input named an invoice (even one that does not exist)."""


def reason_problems(reason: str) -> list[Problem]:
    if reason.strip() and len(reason) <= MAX_REASON_LENGTH:
        return []
    return [
        Problem(
            PaymentProblem.REASON_REQUIRED,
            "reason",
            f"Say why, in 1 to {MAX_REASON_LENGTH} characters.",
        )
    ]


async def replayed_credit(
    session: AsyncSession, viewer: Viewer, client: Client, entry: CreditEntry
) -> Credit | None:
    existing = await queries.credit_by_key(
        session, viewer.account_id, entry.idempotency_key
    )
    if existing is not None and (
        existing.client_id != client.id or existing.amount != entry.amount
    ):
        refuse_different_request()
    return existing


async def credited_invoice(
    session: AsyncSession, client: Client, entry: CreditEntry
) -> Invoice | None:
    """The invoice the credit is against, locked and checked; None: on account."""
    if not entry.names_invoice:
        return None
    found = await queries.invoices_by_public_id(
        session, client, [entry.invoice] if entry.invoice else []
    )
    if entry.invoice not in found:
        refuse(
            PaymentProblem.INVOICE_NOT_FOUND,
            "invoiceId",
            "This client has no invoice with that ID.",
        )

    # A credit against an invoice is judged like a payment's allocation.
    locked = await queries.lock_invoices(
        session, client.account_id, [found[entry.invoice].id]
    )
    await plan_applications(
        session, [Target(locked[0], entry.amount, "")], entry.amount
    )
    return locked[0]


async def issue_credit(
    session: AsyncSession, viewer: Viewer, entry: CreditEntry, now: datetime
) -> Credit:
    """A credit memo against one open invoice, or on account."""
    refuse_all(
        amount_problems(entry.amount)
        + key_problems(entry.idempotency_key)
        + reason_problems(entry.reason)
    )
    client = await require_client(session, viewer, entry.client)
    if (replay := await replayed_credit(session, viewer, client, entry)) is not None:
        return replay
    invoice = await credited_invoice(session, client, entry)

    account = await account_of(session, viewer)
    credit = Credit(
        account_id=viewer.account_id,
        client_id=client.id,
        invoice_id=invoice.id if invoice is not None else None,
        currency=account.currency,
        amount=entry.amount,
        reason=entry.reason.strip(),
        idempotency_key=entry.idempotency_key,
        created_by_id=viewer.staff_user_id,
        created_at=now,
    )
    claimed = await claim_key(
        session,
        credit,
        lambda: queries.credit_by_key(
            session, viewer.account_id, entry.idempotency_key
        ),
    )
    if claimed is not credit:
        return await replayed_credit(session, viewer, client, entry) or claimed

    if invoice is not None:
        await settle(
            session,
            [invoice],
            await business_today(session, client.account_id, now),
            now,
        )
    await record_activity(
        session,
        viewer,
        "credit.issued",
        client_id=client.id,
        subject=credit,
        amount=entry.amount,
        invoice=invoice.number if invoice is not None else None,
    )
    return credit


@dataclass
class Source:
    """Credit the client holds: a payment's unapplied part or a memo."""

    available: int
    payment: Payment | None = None
    credit: Credit | None = None
    spent: list[Application] = field(default_factory=list)


async def credit_sources(session: AsyncSession, client: Client) -> list[Source]:
    """The client's credit, oldest first, its rows locked."""
    payments, credits = await queries.lock_unapplied_sources(session, client)
    ids = [payment.id for payment in payments]
    applied = await queries.applied_to_payments(session, ids)
    refunded = await queries.refunded_from_payments(session, ids)

    sources = [
        (
            payment.received_at,
            Source(
                payment.amount - applied[payment.id] - refunded[payment.id],
                payment=payment,
            ),
        )
        for payment in payments
    ]
    sources += [
        (credit.created_at, Source(credit.amount, credit=credit)) for credit in credits
    ]
    # Oldest first, so the money that waited longest is spent first.
    sources.sort(key=lambda pair: pair[0])
    return [source for _, source in sources if source.available > 0]


def spend(sources: Sequence[Source], plan: Sequence[Application]) -> None:
    """Assign each application of the plan to sources, oldest first."""
    queue = list(sources)
    for item in plan:
        needed = item.amount
        while needed > 0:
            source = queue[0]
            amount = min(source.available, needed)
            source.spent.append(Application(item.invoice, amount))
            source.available -= amount
            needed -= amount
            if source.available == 0:
                queue.pop(0)


async def spend_credit_memo(
    session: AsyncSession, credit: Credit, spent: Sequence[Application]
) -> None:
    """Tie the memo to its first invoice; split off a memo per other invoice
    and one for what stays on account."""
    remainder = credit.amount - sum(item.amount for item in spent)

    first, *others = spent
    credit.invoice_id = first.invoice.id
    credit.amount = first.amount
    for item in others:
        session.add(split_credit(credit, item.amount, item.invoice.id))
    if remainder > 0:
        session.add(split_credit(credit, remainder, None))


def split_credit(credit: Credit, amount: int, invoice_id: int | None) -> Credit:
    return Credit(
        account_id=credit.account_id,
        client_id=credit.client_id,
        invoice_id=invoice_id,
        currency=credit.currency,
        amount=amount,
        reason=credit.reason,
        created_by_id=credit.created_by_id,
        created_at=credit.created_at,
    )


async def spend_sources(
    session: AsyncSession, sources: Sequence[Source], now: datetime
) -> None:
    """Write what each source gave. Memos go first, so when a payment's part
    finishes paying an invoice, the invoice's payment requests name it."""
    for source in sources:
        if source.credit is not None and source.spent:
            await spend_credit_memo(session, source.credit, source.spent)
    for source in sources:
        if source.payment is not None and source.spent:
            await apply_plan(session, source.payment, source.spent, now)


@dataclass(frozen=True, slots=True)
class ApplyCreditEntry:
    client: UUID | None
    allocations: tuple[Allocation, ...] | None = None


async def apply_credit(
    session: AsyncSession, viewer: Viewer, entry: ApplyCreditEntry, now: datetime
) -> list[Invoice]:
    """Spend the client's credit on invoices; return the invoices it paid."""
    refuse_all(allocation_problems(entry.allocations, None))
    client = await require_client(session, viewer, entry.client)

    # Lock order: invoices, then payments, then credit memos.
    targets = await lock_targets(session, client, entry.allocations)
    sources = await credit_sources(session, client)
    available = sum(source.available for source in sources)
    if available == 0:
        refuse(
            PaymentProblem.NO_CREDIT_AVAILABLE,
            "clientId",
            "The client has no unapplied payments or credits to apply.",
        )
    refuse_all(allocation_problems(entry.allocations, available))
    plan = await plan_applications(session, targets, available)

    spend(sources, plan)
    await spend_sources(session, sources, now)
    invoices = list({item.invoice.id: item.invoice for item in plan}.values())
    today = await business_today(session, client.account_id, now)
    await settle(session, invoices, today, now)

    await record_activity(
        session,
        viewer,
        "credit.applied",
        client_id=client.id,
        subject=client,
        applied={str(item.invoice.number): item.amount for item in plan},
    )
    return invoices
