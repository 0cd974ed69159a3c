"""Creating and editing draft invoices.

An invoice is created as a draft with the next number of its account (see
``persistence.queries.invoicing.take_invoice_number``): numbers are taken in
the creating transaction, so a committed number is never handed out again,
not even after the invoice is voided. A draft may change freely; once
issued, only voiding changes it (``domain.invoicing.lifecycle``).
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.identity.viewer import Viewer
from domain.invoicing.drafting import (
    apply_totals,
    chosen_charges,
    common_service_address,
    due_date_problems,
    every_uninvoiced_charge,
    invoice_totals,
    write_lines,
)
from domain.invoicing.lines import LineInput, PricedLine, lines_problems, priced
from domain.invoicing.problems import InvoicingProblem
from domain.invoicing.terms import (
    billable_client,
    billing_terms,
    service_address_of,
)
from domain.problems import Problem, refuse, refuse_all
from persistence.enums import InvoiceStatus
from persistence.models import Address, Charge, Client, Invoice
from persistence.queries import invoicing as queries


@dataclass(frozen=True, slots=True)
class InvoiceInput:
    """A new invoice. ``charge_ids`` None bills every uninvoiced charge of the
    client (of ``service_address_id`` when given); an empty list bills none."""

    client_id: uuid.UUID
    charge_ids: Sequence[uuid.UUID] | None = None
    lines: Sequence[LineInput] = ()
    service_address_id: uuid.UUID | None = None
    due_on: date | None = None
    memo: str | None = None


@dataclass(frozen=True, slots=True)
class InvoiceChanges:
    """Changes to a draft; None leaves a part as it is.

    ``lines`` replaces the manual lines and ``charge_ids`` the charges billed
    (those left out return to the uninvoiced list); an empty ``memo`` clears it.
    """

    invoice_id: uuid.UUID
    lines: Sequence[LineInput] | None = None
    charge_ids: Sequence[uuid.UUID] | None = None
    due_on: date | None = None
    memo: str | None = None


def memo_text(memo: str | None) -> str | None:
    """The memo as stored: trimmed, and None when blank."""
    if memo is None:
        return None
    return memo.strip() or None


async def create_invoice(
    session: AsyncSession, viewer: Viewer, now: datetime, draft: InvoiceInput
) -> Invoice:
    """A draft invoice of charges and manual lines, numbered, taxed and due
    by the client's payment terms unless ``due_on`` says otherwise."""
    # Everything is checked before anything is written or numbered.
    refuse_all(lines_problems(draft.lines, "lines"))
    client = await billable_client(
        session, viewer.account_id, draft.client_id, "clientId"
    )
    address = await service_address_of(
        session, client, draft.service_address_id, "serviceAddressId"
    )

    charges = await charges_to_bill(session, client, address, draft.charge_ids)
    address_id = address.id if address is not None else None
    manual = [priced(line) for line in draft.lines]

    account = await queries.account_of(session, viewer.account_id)
    terms = await billing_terms(session, account, client, now)
    due_on = draft.due_on or terms.today + timedelta(days=terms.payment_terms_days)
    refuse_all(due_date_problems(due_on, terms.today))

    invoice = Invoice(
        account_id=client.account_id,
        client_id=client.id,
        status=InvoiceStatus.DRAFT,
        issued_on=terms.today,
        due_on=due_on,
        currency=terms.currency,
        memo=memo_text(draft.memo),
        service_address_id=common_service_address(charges, address_id),
        created_by_id=viewer.staff_user_id,
    )
    apply_totals(invoice, invoice_totals(charges, manual, terms))
    await add_numbered(session, invoice)
    write_lines(session, invoice, charges, manual)

    await record_activity(
        session,
        viewer,
        "invoice.created",
        client_id=client.id,
        subject=invoice,
        number=invoice.number,
        total=invoice.total,
        charges=len(charges),
    )
    return invoice


async def add_numbered(session: AsyncSession, invoice: Invoice) -> None:
    """Give the invoice its account's next number, last of all, so the
    counter stays locked for as short a time as the transaction allows."""
    invoice.number = await queries.take_invoice_number(session, invoice.account_id)
    session.add(invoice)
    await session.flush()


async def charges_to_bill(
    session: AsyncSession,
    client: Client,
    address: Address | None,
    charge_ids: Sequence[uuid.UUID] | None,
    invoice_id: int | None = None,
) -> list[Charge]:
    if charge_ids is None:
        return await every_uninvoiced_charge(session, client, address)
    return await chosen_charges(session, client, charge_ids, invoice_id=invoice_id)


async def draft_for_change(
    session: AsyncSession, viewer: Viewer, public_id: uuid.UUID
) -> Invoice:
    """The account's invoice, locked, refused unless it is still a draft."""
    invoice = await invoice_for_change(session, viewer, public_id)
    if invoice.status != InvoiceStatus.DRAFT:
        refuse(
            InvoicingProblem.NOT_DRAFT,
            "id",
            f"Invoice #{invoice.number} is {invoice.status}; only drafts change. "
            "Void it and create a new one instead.",
        )
    return invoice


async def invoice_for_change(
    session: AsyncSession, viewer: Viewer, public_id: uuid.UUID
) -> Invoice:
    """The account's invoice, locked for the change; void ones are refused."""
    invoice = await queries.by_public_id(
        session, Invoice, viewer.account_id, public_id, for_update=True
    )
    if invoice is None:
        refuse(
            InvoicingProblem.INVOICE_NOT_FOUND,
            "id",
            "Your account has no such invoice.",
        )
    if invoice.status == InvoiceStatus.VOID:
        refuse(
            InvoicingProblem.ALREADY_VOID,
            "id",
            f"Invoice #{invoice.number} is void; it cannot change.",
        )
    return invoice


async def update_invoice(
    session: AsyncSession, viewer: Viewer, now: datetime, changes: InvoiceChanges
) -> Invoice:
    """Change a draft's lines, charges, due date or memo; totals and tax are
    computed again with the client's current settings."""
    invoice = await draft_for_change(session, viewer, changes.invoice_id)
    problems: list[Problem] = []
    if changes.lines is not None:
        problems += lines_problems(changes.lines, "lines")
    if changes.due_on is not None:
        problems += due_date_problems(changes.due_on, invoice.issued_on)
    refuse_all(problems)

    client = await queries.client_by_id(session, invoice.client_id)
    account = await queries.account_of(session, viewer.account_id)
    terms = await billing_terms(session, account, client, now)

    old_charges = await queries.charges_of_invoice(session, invoice.id)
    charges = old_charges
    if changes.charge_ids is not None:
        charges = await chosen_charges(
            session, client, changes.charge_ids, invoice_id=invoice.id
        )

    manual = await manual_lines(session, invoice, changes.lines)
    service_address_id = common_service_address(charges, invoice.service_address_id)
    totals = invoice_totals(charges, manual, terms)

    await replace_lines(session, invoice, old_charges, charges, manual)
    apply_totals(invoice, totals)
    invoice.service_address_id = service_address_id

    if changes.due_on is not None:
        invoice.due_on = changes.due_on
    if changes.memo is not None:
        invoice.memo = memo_text(changes.memo)

    await record_activity(
        session,
        viewer,
        "invoice.updated",
        client_id=invoice.client_id,
        subject=invoice,
        number=invoice.number,
        total=invoice.total,
    )
    return invoice


async def manual_lines(
    session: AsyncSession, invoice: Invoice, lines: Sequence[LineInput] | None
) -> list[PricedLine]:
    """The new manual lines, or the draft's own when none are given."""
    if lines is not None:
        return [priced(line) for line in lines]
    return [
        PricedLine(
            description=row.description,
            quantity=row.quantity,
            unit_price=row.unit_price,
            amount=row.amount,
            is_taxable=row.is_taxable,
        )
        for row in await queries.lines_of_invoice(session, invoice.id)
        if row.charge_id is None
    ]


async def replace_lines(
    session: AsyncSession,
    invoice: Invoice,
    old_charges: Sequence[Charge],
    charges: Sequence[Charge],
    manual: Sequence[PricedLine],
) -> None:
    """Write the draft's lines afresh; charges it no longer bills are free again."""
    for row in await queries.lines_of_invoice(session, invoice.id):
        await session.delete(row)
    kept = {charge.id for charge in charges}
    for charge in old_charges:
        if charge.id not in kept:
            charge.invoice_id = None
    await session.flush()
    write_lines(session, invoice, charges, manual)
