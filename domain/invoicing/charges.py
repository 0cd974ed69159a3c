"""Manual charges: billable amounts staff record before they are invoiced."""

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.identity.viewer import Viewer
from domain.invoicing.lines import LineInput, line_problems, priced
from domain.invoicing.problems import InvoicingProblem
from domain.invoicing.terms import billable_client, service_address_of
from domain.problems import refuse, refuse_all
from persistence.enums import PriceRule
from persistence.models import Charge
from persistence.queries import invoicing as queries


@dataclass(frozen=True, slots=True)
class ChargeInput:
    client_id: uuid.UUID
    line: LineInput
    service_address_id: uuid.UUID | None = None


async def add_charge(
    session: AsyncSession, viewer: Viewer, charge: ChargeInput
) -> Charge:
    """Record a manual charge; it waits, uninvoiced, for the next invoice.

    The price is what staff typed, so its provenance is ``manual``.
    """
    # The charge's fields are the input's top level, so paths have no prefix.
    refuse_all(line_problems(charge.line, ""))
    client = await billable_client(
        session, viewer.account_id, charge.client_id, "clientId"
    )
    address = await service_address_of(
        session, client, charge.service_address_id, "serviceAddressId"
    )

    account = await queries.account_of(session, viewer.account_id)
    line = priced(charge.line)

    row = Charge(
        account_id=client.account_id,
        client_id=client.id,
        service_address_id=address.id if address is not None else None,
        description=line.description,
        quantity=line.quantity,
        currency=account.currency,
        unit_price=line.unit_price,
        amount=line.amount,
        is_taxable=line.is_taxable,
        price_rule=PriceRule.MANUAL,
    )
    session.add(row)

    await record_activity(
        session,
        viewer,
        "charge.added",
        client_id=client.id,
        subject=row,
        description=row.description,
        amount=row.amount,
    )
    return row


async def remove_charge(
    session: AsyncSession, viewer: Viewer, public_id: uuid.UUID
) -> Charge:
    """Delete a charge that no invoice bills; an invoiced one must be voided
    off its invoice first, so a sent bill never loses a line."""
    charge = await queries.by_public_id(
        session, Charge, viewer.account_id, public_id, for_update=True
    )
    if charge is None:
        refuse(
            InvoicingProblem.CHARGE_NOT_FOUND, "id", "Your account has no such charge."
        )
    if charge.invoice_id is not None:
        refuse(
            InvoicingProblem.CHARGE_ALREADY_INVOICED,
            "id",
            "This charge is on an invoice; void the invoice (or take the charge "
            "off the draft) before removing it.",
        )

    await record_activity(
        session,
        viewer,
        "charge.removed",
        client_id=charge.client_id,
        subject=charge,
        description=charge.description,
        amount=charge.amount,
    )
    await session.delete(charge)
    await session.flush()
    return charge
