"""Invoicing mutations: charges, invoices from draft to void, recurring
invoices. Each needs ``billing:write``; the rules are in ``domain.invoicing``.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.invoicing import charges, invoices, lifecycle, recurring
from domain.invoicing.problems import InvoicingProblem
from domain.permissions import Permission
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.mutations import MutationInput, Outcome, UserError, perform, user_errors
from graph.resolvers.invoice_inputs import (
    AddChargeInput,
    CreateInvoiceInput,
    CreateRecurringInvoiceInput,
    RecordInput,
    UpdateInvoiceInput,
    UpdateRecurringInvoiceInput,
    VoidInvoiceInput,
    public_id_of,
)
from graph.types.billing.ledger import Invoice
from graph.types.billing.recurring import Charge, RecurringInvoice

BILLING_WRITE = Permission.BILLING_WRITE

strawberry.enum(
    InvoicingProblem,
    name="InvoicingErrorCode",
    description="Why a charge, invoice or recurring invoice change was refused.",
)


@strawberry.type(description="A reason an invoicing change was refused.")
class InvoicingError(UserError):
    code: InvoicingProblem = field(description="What went wrong.", audiences=STAFF_ONLY)


def errors_of(outcome: Outcome[Any]) -> list[InvoicingError]:
    return user_errors(InvoicingError, outcome.problems)


@strawberry.type(description="The charge after the change.")
class ChargePayload:
    charge: Charge | None = field(
        description="The charge; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[InvoicingError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The charge that was removed.")
class RemoveChargePayload:
    removed_charge_id: strawberry.ID | None = field(
        description="The removed charge's ID; null when refused.",
        audiences=STAFF_ONLY,
    )
    user_errors: list[InvoicingError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The invoice after the change.")
class InvoicePayload:
    invoice: Invoice | None = field(
        description="The invoice; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[InvoicingError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The invoice that was sent.")
class SendInvoicePayload(InvoicePayload):
    is_client_on_hold: bool = field(
        description="The client is on hold: the invoice was sent all the same; "
        "you may want to tell them why they are on hold.",
        audiences=STAFF_ONLY,
    )


@strawberry.type(description="The recurring invoice after the change.")
class RecurringInvoicePayload:
    recurring_invoice: RecurringInvoice | None = field(
        description="The recurring invoice; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[InvoicingError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


Work = Callable[[AsyncSession], Awaitable[Any]]


async def charge_payload(info: Info, work: Work) -> ChargePayload:
    outcome = await perform(info, work)
    charge = Charge.from_row(outcome.result) if outcome.result else None
    return ChargePayload(charge=charge, user_errors=errors_of(outcome))


async def invoice_payload(info: Info, work: Work) -> InvoicePayload:
    outcome = await perform(info, work)
    invoice = Invoice.from_row(outcome.result) if outcome.result else None
    return InvoicePayload(invoice=invoice, user_errors=errors_of(outcome))


async def recurring_payload(info: Info, work: Work) -> RecurringInvoicePayload:
    outcome = await perform(info, work)
    row = outcome.result
    return RecurringInvoicePayload(
        recurring_invoice=RecurringInvoice.from_row(row) if row else None,
        user_errors=errors_of(outcome),
    )


async def add_charge(info: Info, input: MutationInput[AddChargeInput]) -> ChargePayload:
    viewer, charge = info.context.signed_in_viewer, input.to_domain()
    return await charge_payload(
        info, lambda session: charges.add_charge(session, viewer, charge)
    )


async def remove_charge(
    info: Info, input: MutationInput[RecordInput]
) -> RemoveChargePayload:
    viewer, public_id = info.context.signed_in_viewer, public_id_of(input.id, "Charge")
    outcome = await perform(
        info, lambda session: charges.remove_charge(session, viewer, public_id)
    )

    # The row is gone; the caller's own ID says which one it was.
    return RemoveChargePayload(
        removed_charge_id=input.id if outcome.result else None,
        user_errors=errors_of(outcome),
    )


async def create_invoice(
    info: Info, input: MutationInput[CreateInvoiceInput]
) -> InvoicePayload:
    viewer, now, draft = info.context.signed_in_viewer, clock(info), input.to_domain()
    return await invoice_payload(
        info, lambda session: invoices.create_invoice(session, viewer, now, draft)
    )


async def update_invoice(
    info: Info, input: MutationInput[UpdateInvoiceInput]
) -> InvoicePayload:
    viewer, now, changes = info.context.signed_in_viewer, clock(info), input.to_domain()
    return await invoice_payload(
        info, lambda session: invoices.update_invoice(session, viewer, now, changes)
    )


async def issue_invoice(
    info: Info, input: MutationInput[RecordInput]
) -> InvoicePayload:
    viewer, now = info.context.signed_in_viewer, clock(info)
    public_id = public_id_of(input.id, "Invoice")
    return await invoice_payload(
        info, lambda session: lifecycle.issue_invoice(session, viewer, now, public_id)
    )


async def send_invoice(
    info: Info, input: MutationInput[RecordInput]
) -> SendInvoicePayload:
    viewer, now = info.context.signed_in_viewer, clock(info)
    public_id = public_id_of(input.id, "Invoice")

    outcome = await perform(
        info, lambda session: lifecycle.send_invoice(session, viewer, now, public_id)
    )

    sent = outcome.result
    return SendInvoicePayload(
        invoice=Invoice.from_row(sent.invoice) if sent else None,
        is_client_on_hold=sent.is_client_on_hold if sent else False,
        user_errors=errors_of(outcome),
    )


async def void_invoice(
    info: Info, input: MutationInput[VoidInvoiceInput]
) -> InvoicePayload:
    viewer, now = info.context.signed_in_viewer, clock(info)
    public_id, reason = public_id_of(input.id, "Invoice"), input.reason
    return await invoice_payload(
        info,
        lambda session: lifecycle.void_invoice(session, viewer, now, public_id, reason),
    )


async def create_recurring_invoice(
    info: Info, input: MutationInput[CreateRecurringInvoiceInput]
) -> RecurringInvoicePayload:
    viewer, now, schedule = (
        info.context.signed_in_viewer,
        clock(info),
        input.to_domain(),
    )
    return await recurring_payload(
        info,
        lambda session: recurring.create_recurring_invoice(
            session, viewer, now, schedule
        ),
    )


async def update_recurring_invoice(
    info: Info, input: MutationInput[UpdateRecurringInvoiceInput]
) -> RecurringInvoicePayload:
    viewer, changes = info.context.signed_in_viewer, input.to_domain()
    return await recurring_payload(
        info,
        lambda session: recurring.update_recurring_invoice(session, viewer, changes),
    )


async def pause_recurring_invoice(
    info: Info, input: MutationInput[RecordInput]
) -> RecurringInvoicePayload:
    viewer = info.context.signed_in_viewer
    public_id = public_id_of(input.id, "RecurringInvoice")
    return await recurring_payload(
        info,
        lambda session: recurring.pause_recurring_invoice(session, viewer, public_id),
    )


async def resume_recurring_invoice(
    info: Info, input: MutationInput[RecordInput]
) -> RecurringInvoicePayload:
    viewer, now = info.context.signed_in_viewer, clock(info)
    public_id = public_id_of(input.id, "RecurringInvoice")
    return await recurring_payload(
        info,
        lambda session: recurring.resume_recurring_invoice(
            session, viewer, now, public_id
        ),
    )


async def end_recurring_invoice(
    info: Info, input: MutationInput[RecordInput]
) -> RecurringInvoicePayload:
    viewer, now = info.context.signed_in_viewer, clock(info)
    public_id = public_id_of(input.id, "RecurringInvoice")
    return await recurring_payload(
        info,
        lambda session: recurring.end_recurring_invoice(
            session, viewer, now, public_id
        ),
    )


def clock(info: Info) -> datetime:
    """The server's clock: injected, so tests fix the business day."""
    return info.context.services.clock()


def mutation(resolver: Callable[..., Any], description: str) -> Any:
    """A staff mutation that needs ``billing:write``."""
    return field(
        resolver,
        description=f"{description} Needs billing:write.",
        audiences=STAFF_ONLY,
        permission=BILLING_WRITE,
    )


@strawberry.type(description="Charges, invoices and recurring invoices.")
class InvoiceMutations:
    add_charge: ChargePayload | None = mutation(
        add_charge,
        "Record a manual charge for a client; it waits uninvoiced for the next "
        "invoice.",
    )
    remove_charge: RemoveChargePayload | None = mutation(
        remove_charge, "Delete a charge that no invoice bills."
    )
    create_invoice: InvoicePayload | None = mutation(
        create_invoice,
        "Create a draft invoice from a client's uninvoiced charges (all, or "
        "chosen ones) and manual lines, with the next invoice number, sales tax "
        "and the client's payment terms.",
    )
    update_invoice: InvoicePayload | None = mutation(
        update_invoice, "Change a draft invoice's lines, charges, due date or memo."
    )
    issue_invoice: InvoicePayload | None = mutation(
        issue_invoice,
        "Issue a draft without sending it: it is dated today and counts toward "
        "the balance.",
    )
    send_invoice: SendInvoicePayload | None = mutation(
        send_invoice,
        "Send an invoice to the client (issuing a draft first); sending again "
        "is a reminder.",
    )
    void_invoice: InvoicePayload | None = mutation(
        void_invoice,
        "Void an invoice nothing was paid or credited against; its number is "
        "kept and its charges return to the uninvoiced list.",
    )
    create_recurring_invoice: RecurringInvoicePayload | None = mutation(
        create_recurring_invoice,
        "Set up a schedule that issues and sends an invoice every period.",
    )
    update_recurring_invoice: RecurringInvoicePayload | None = mutation(
        update_recurring_invoice,
        "Change what future periods bill: name, lines, payment terms, end.",
    )
    pause_recurring_invoice: RecurringInvoicePayload | None = mutation(
        pause_recurring_invoice, "Stop issuing invoices until resumed."
    )
    resume_recurring_invoice: RecurringInvoicePayload | None = mutation(
        resume_recurring_invoice,
        "Issue invoices again from the next period; periods missed while paused "
        "are not billed.",
    )
    end_recurring_invoice: RecurringInvoicePayload | None = mutation(
        end_recurring_invoice,
        "End a schedule for good; invoices already issued stay.",
    )
