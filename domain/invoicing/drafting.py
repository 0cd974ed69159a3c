"""Putting an invoice together: which charges it bills, its lines in order,
and totals that always equal the sum of those lines."""

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from domain.invoicing.lines import PricedLine, Totals, totals_of
from domain.invoicing.problems import InvoicingProblem
from domain.invoicing.terms import BillingTerms
from domain.problems import Problem, refuse, refuse_all
from persistence.models import Address, Charge, Client, Invoice, InvoiceLine
from persistence.queries import invoicing as queries


async def chosen_charges(
    session: AsyncSession,
    client: Client,
    public_ids: Sequence[uuid.UUID],
    *,
    invoice_id: int | None = None,
) -> list[Charge]:
    """The charges named in ``chargeIds``, each the client's and free to bill.

    ``invoice_id`` is the draft being edited: its own charges are free to it.
    """
    # A charge named twice is billed once.
    unique_ids = list(dict.fromkeys(public_ids))
    found = await queries.charges_by_public_ids(session, client.account_id, unique_ids)

    problems = []
    for index, public_id in enumerate(public_ids):
        problem = charge_problem(found.get(public_id), client, invoice_id)
        if problem is not None:
            code, message = problem
            problems.append(Problem(code, f"chargeIds.{index}", message))
    refuse_all(problems)
    return [found[public_id] for public_id in unique_ids]


def charge_problem(
    charge: Charge | None, client: Client, invoice_id: int | None
) -> tuple[InvoicingProblem, str] | None:
    if charge is None:
        return InvoicingProblem.CHARGE_NOT_FOUND, "Your account has no such charge."
    if charge.client_id != client.id:
        return (
            InvoicingProblem.CHARGE_OF_OTHER_CLIENT,
            "That charge belongs to another client; an invoice bills one client.",
        )
    if charge.invoice_id is not None and charge.invoice_id != invoice_id:
        return (
            InvoicingProblem.CHARGE_ALREADY_INVOICED,
            "That charge is on another invoice already.",
        )
    return None


async def every_uninvoiced_charge(
    session: AsyncSession, client: Client, address: Address | None
) -> list[Charge]:
    """The client's uninvoiced charges; with an address, those of that address
    and those recorded without one."""
    charges = await queries.uninvoiced_charges(session, client.id)
    if address is None:
        return charges
    return [
        charge for charge in charges if charge.service_address_id in (None, address.id)
    ]


def common_service_address(
    charges: Sequence[Charge], address_id: int | None
) -> int | None:
    """The one service address the charges (and the invoice's ``address_id``)
    share; charges without an address go anywhere. Refused when they name
    several, since an invoice covers the work at one address."""
    addresses = {charge.service_address_id for charge in charges} - {None}
    if address_id is not None:
        addresses.add(address_id)
    if len(addresses) > 1:
        refuse(
            InvoicingProblem.MIXED_SERVICE_ADDRESSES,
            "chargeIds",
            "These charges are for different service addresses; invoice each "
            "address separately (choose the charges, or give serviceAddressId).",
        )
    return next(iter(addresses), None)


def due_date_problems(due_on: date, issued_on: date) -> list[Problem]:
    if due_on >= issued_on:
        return []
    message = (
        f"The due date {due_on.isoformat()} is before the invoice date "
        f"{issued_on.isoformat()}."
    )
    return [Problem(InvoicingProblem.INVALID_DUE_DATE, "dueOn", message)]


def charge_line(charge: Charge) -> PricedLine:
    return PricedLine(
        description=charge.description,
        quantity=charge.quantity,
        unit_price=charge.unit_price,
        amount=charge.amount,
        is_taxable=charge.is_taxable,
    )


def invoice_totals(
    charges: Sequence[Charge], manual: Sequence[PricedLine], terms: BillingTerms
) -> Totals:
    """Totals of the charges and manual lines; refused when nothing is billed
    or the discounts outweigh the rest."""
    if not charges and not manual:
        refuse(
            InvoicingProblem.NOTHING_TO_INVOICE,
            "",
            "There is nothing to invoice: no uninvoiced charges were chosen and "
            "no lines were given.",
        )
    lines = [charge_line(charge) for charge in charges] + list(manual)
    totals = totals_of(
        [(line.amount, line.is_taxable) for line in lines],
        terms.tax_rate_bps,
        terms.is_tax_exempt,
    )
    if totals.subtotal < 0:
        refuse(
            InvoicingProblem.NEGATIVE_TOTAL,
            "lines",
            "The lines add up to less than zero; give a credit instead.",
        )
    return totals


def write_lines(
    session: AsyncSession,
    invoice: Invoice,
    charges: Sequence[Charge],
    manual: Sequence[PricedLine],
) -> None:
    """The invoice's lines: its charges first, then the manual ones, each in
    the order given. Each charge is marked as billed by the invoice."""
    position = 0
    for charge in charges:
        position += 1
        charge.invoice_id = invoice.id
        session.add(
            InvoiceLine(
                account_id=invoice.account_id,
                invoice_id=invoice.id,
                position=position,
                description=charge.description,
                quantity=charge.quantity,
                unit_price=charge.unit_price,
                amount=charge.amount,
                is_taxable=charge.is_taxable,
                price_rule=charge.price_rule,
                price_detail=charge.price_detail,
                charge_id=charge.id,
                task_id=charge.task_id,
                job_id=charge.job_id,
            )
        )
    for line in manual:
        position += 1
        session.add(
            InvoiceLine(
                account_id=invoice.account_id,
                invoice_id=invoice.id,
                position=position,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                amount=line.amount,
                is_taxable=line.is_taxable,
            )
        )


def apply_totals(invoice: Invoice, totals: Totals) -> None:
    invoice.subtotal = totals.subtotal
    invoice.tax = totals.tax
    invoice.total = totals.total
