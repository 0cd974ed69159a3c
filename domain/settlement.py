"""How money settles invoices: locking them, deciding what each gets, and
bringing their statuses in line.

Money goes to the invoices named in its allocations, or else to the
client's unpaid invoices oldest due first. The invoices are locked before
anything is judged, so concurrent payments queue and each sees what the
others paid. An invoice settled in full is PAID and the payment requests
for it are marked as answered by the payment that settled it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.billing import status_after_settlement
from domain.calendar import local_date
from domain.payment_checks import Allocation, PaymentProblem, within
from domain.problems import Problem, refuse_all
from persistence.enums import InvoiceStatus
from persistence.models import Account, Client, Invoice, Payment, PaymentApplication
from persistence.queries import payments as queries
from persistence.queries.ledger import UNPAID


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


async def business_today(session: AsyncSession, account_id: int, now: datetime) -> date:
    account = await session.get_one(Account, account_id)
    return local_date(now, account.time_zone)


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
