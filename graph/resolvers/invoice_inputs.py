"""The input objects of the invoicing mutations, and how each becomes the
domain's own input (``domain.invoicing``)."""

import uuid
from datetime import date

import strawberry

from domain.invoicing.charges import ChargeInput
from domain.invoicing.invoices import InvoiceChanges, InvoiceInput
from domain.invoicing.lines import LineInput
from domain.invoicing.recurring import KEEP, ScheduleChanges, ScheduleInput
from graph.ids import InvalidGlobalId, decode_global_id
from persistence.enums import RecurrenceInterval

# A UUID no record has (public ids are random version-4 UUIDs): an ID that
# does not decode, or names another type, finds nothing, like an unknown one.
NO_RECORD = uuid.UUID(int=0)

QUANTITY = 'The quantity as a decimal string with at most two decimals, e.g. "1.5".'
UNIT_PRICE = "The price of one unit in minor units (cents); negative for a discount."


def public_id_of(global_id: strawberry.ID, type_name: str) -> uuid.UUID:
    """The public UUID a global ID of ``type_name`` names."""
    try:
        found_type, public_id = decode_global_id(global_id)
    except InvalidGlobalId:
        return NO_RECORD
    return public_id if found_type == type_name else NO_RECORD


def optional_public_id(
    global_id: strawberry.ID | None, type_name: str
) -> uuid.UUID | None:
    return None if global_id is None else public_id_of(global_id, type_name)


def charge_ids(global_ids: list[strawberry.ID] | None) -> list[uuid.UUID] | None:
    if global_ids is None:
        return None
    return [public_id_of(global_id, "Charge") for global_id in global_ids]


@strawberry.input(description="A line to bill: what, how many, at what price.")
class InvoiceLineInput:
    description: str = strawberry.field(description="What is billed, 1 to 500 chars.")
    unit_price: int = strawberry.field(description=UNIT_PRICE)
    quantity: str = strawberry.field(default="1", description=QUANTITY)
    is_taxable: bool = strawberry.field(
        default=True, description="Sales tax applies (unless the client is exempt)."
    )

    def to_domain(self) -> LineInput:
        return LineInput(
            description=self.description,
            quantity=self.quantity,
            unit_price=self.unit_price,
            is_taxable=self.is_taxable,
        )


def domain_lines(lines: list[InvoiceLineInput] | None) -> list[LineInput] | None:
    return None if lines is None else [line.to_domain() for line in lines]


@strawberry.input(description="A manual charge for a client, invoiced later.")
class AddChargeInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    description: str = strawberry.field(description="What is billed, 1 to 500 chars.")
    unit_price: int = strawberry.field(description=UNIT_PRICE)
    quantity: str = strawberry.field(default="1", description=QUANTITY)
    is_taxable: bool = strawberry.field(
        default=True, description="Sales tax applies (unless the client is exempt)."
    )
    service_address_id: strawberry.ID | None = strawberry.field(
        default=None, description="The client's service address the work was at."
    )

    def to_domain(self) -> ChargeInput:
        line = LineInput(
            self.description, self.quantity, self.unit_price, self.is_taxable
        )
        return ChargeInput(
            client_id=public_id_of(self.client_id, "Client"),
            line=line,
            service_address_id=optional_public_id(self.service_address_id, "Address"),
        )


@strawberry.input(description="The record the mutation acts on.")
class RecordInput:
    id: strawberry.ID = strawberry.field(description="The record's global ID.")


@strawberry.input(description="A new draft invoice for one client.")
class CreateInvoiceInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    charge_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="The uninvoiced charges to bill. Leave out to bill every "
        "uninvoiced charge of the client (of `serviceAddressId` when given); "
        "pass [] to bill only `lines`.",
    )
    lines: list[InvoiceLineInput] = strawberry.field(
        default_factory=list, description="Manual lines, after the charges."
    )
    service_address_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The service address the invoice covers; charges of other "
        "addresses are left for their own invoice.",
    )
    due_on: date | None = strawberry.field(
        default=None,
        description="When payment is due; by default today plus the client's "
        "payment terms.",
    )
    memo: str | None = strawberry.field(
        default=None, description="A note printed on the invoice."
    )

    def to_domain(self) -> InvoiceInput:
        return InvoiceInput(
            client_id=public_id_of(self.client_id, "Client"),
            charge_ids=charge_ids(self.charge_ids),
            lines=[line.to_domain() for line in self.lines],
            service_address_id=optional_public_id(self.service_address_id, "Address"),
            due_on=self.due_on,
            memo=self.memo,
        )


@strawberry.input(description="Changes to a draft invoice; what is left out stays.")
class UpdateInvoiceInput:
    id: strawberry.ID = strawberry.field(description="The draft invoice's ID.")
    lines: list[InvoiceLineInput] | None = strawberry.field(
        default=None, description="Replaces the manual lines (charges stay)."
    )
    charge_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Replaces the charges billed; charges left out return to "
        "the uninvoiced list.",
    )
    due_on: date | None = strawberry.field(
        default=None, description="The new due date, on or after the invoice date."
    )
    memo: str | None = strawberry.field(
        default=None, description='The new memo; "" removes it.'
    )

    def to_domain(self) -> InvoiceChanges:
        return InvoiceChanges(
            invoice_id=public_id_of(self.id, "Invoice"),
            lines=domain_lines(self.lines),
            charge_ids=charge_ids(self.charge_ids),
            due_on=self.due_on,
            memo=self.memo,
        )


@strawberry.input(description="Which invoice to void, and why.")
class VoidInvoiceInput:
    id: strawberry.ID = strawberry.field(description="The invoice's ID.")
    reason: str = strawberry.field(description="Why it is void; kept with it.")


@strawberry.input(description="A schedule that issues an invoice every period.")
class CreateRecurringInvoiceInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    name: str = strawberry.field(description="The schedule's name, 1 to 200 chars.")
    interval: RecurrenceInterval = strawberry.field(
        description="The unit of the period."
    )
    starts_on: date = strawberry.field(
        description="The first period's date (today or later); the first invoice "
        "is issued that day."
    )
    lines: list[InvoiceLineInput] = strawberry.field(
        description="What each invoice bills; at least one line."
    )
    interval_count: int = strawberry.field(
        default=1, description="How many units make one period, 1 to 52."
    )
    ends_on: date | None = strawberry.field(
        default=None, description="The last date it may run; null: no end."
    )
    payment_terms_days: int | None = strawberry.field(
        default=None,
        description="Days from issue until each invoice is due, 0 to 365; by "
        "default the client's payment terms.",
    )
    service_address_id: strawberry.ID | None = strawberry.field(
        default=None, description="The service address the schedule serves."
    )

    def to_domain(self) -> ScheduleInput:
        return ScheduleInput(
            client_id=public_id_of(self.client_id, "Client"),
            name=self.name,
            interval=RecurrenceInterval(self.interval),
            starts_on=self.starts_on,
            lines=[line.to_domain() for line in self.lines],
            interval_count=self.interval_count,
            ends_on=self.ends_on,
            payment_terms_days=self.payment_terms_days,
            service_address_id=optional_public_id(self.service_address_id, "Address"),
        )


@strawberry.input(description="Changes to what future periods bill.")
class UpdateRecurringInvoiceInput:
    id: strawberry.ID = strawberry.field(description="The recurring invoice's ID.")
    name: str | None = strawberry.field(default=None, description="A new name.")
    lines: list[InvoiceLineInput] | None = strawberry.field(
        default=None, description="Replaces the lines of future invoices."
    )
    payment_terms_days: int | None = strawberry.field(
        default=None, description="New payment terms, 0 to 365 days."
    )
    ends_on: date | None = strawberry.field(
        default=strawberry.UNSET,
        description="The last date it may run; null removes the end, leaving "
        "it out keeps it.",
    )

    def to_domain(self) -> ScheduleChanges:
        return ScheduleChanges(
            recurring_invoice_id=public_id_of(self.id, "RecurringInvoice"),
            name=self.name,
            lines=domain_lines(self.lines),
            payment_terms_days=self.payment_terms_days,
            ends_on=KEEP if self.ends_on is strawberry.UNSET else self.ends_on,
        )
