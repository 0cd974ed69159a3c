"""Invoices, payments, credits, refunds and holds as the graph shows them."""

from datetime import date, datetime
from typing import Any, Self

import strawberry

from domain import billing as rules
from graph.context import Info
from graph.loaders import Reference, grouped_loader
from graph.nodes import Node
from graph.permissions import PRICING_READ
from graph.types.billing.common import (
    client_visible,
    global_id,
    load_record,
    load_row,
    staff_visible,
)
from graph.types.people import Address
from graph.types.scalars import Money
from graph.types.staff import StaffMember
from graph.types.tasks import PriceProvenance, decimal_string, load_address
from persistence.enums import (
    HoldRule,
    InvoiceStatus,
    PaymentMethodKind,
    PaymentStatus,
)
from persistence.queries import billing as queries
from persistence.queries.billing import InvoiceSettlement


@strawberry.type(description="An account hold: new work waits while it is in force.")
class Hold:
    placed_by_id: strawberry.Private[int | None]
    reason: str = client_visible("Why the client is on hold.")
    since: datetime = client_visible("When the hold was placed.")
    rule: HoldRule = client_visible("MANUAL, or the automatic rule that placed it.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            placed_by_id=row.placed_by_id,
            reason=row.reason,
            since=row.placed_at,
            rule=HoldRule(row.rule),
        )

    @staff_visible(
        "The staff member who placed it; null when a rule did.",
        graphql_type=StaffMember | None,
    )
    def placed_by(self, info: Info) -> Reference[StaffMember]:
        return StaffMember.load(info, self.placed_by_id)


@strawberry.type(description="A line of an invoice.")
class InvoiceLine:
    description: str = client_visible("What was billed.")
    quantity: str = client_visible('The quantity as a decimal string, e.g. "1.50".')
    unit_price: Money = client_visible("The price of one unit.")
    amount: Money = client_visible("Quantity × unit price, as billed.")
    is_taxable: bool = staff_visible("Sales tax applies to this line.")
    price_provenance: PriceProvenance = staff_visible(
        "Why the price is what it is: the rule that produced it.", PRICING_READ
    )

    @classmethod
    def from_row(cls, row: Any, currency: str) -> Self:
        return cls(
            description=row.description,
            quantity=decimal_string(row.quantity),
            unit_price=Money.of(row.unit_price, currency),
            amount=Money.of(row.amount, currency),
            is_taxable=row.is_taxable,
            price_provenance=PriceProvenance.from_row(row),
        )


@strawberry.type(
    description="A bill sent to the client. Numbers are sequential per account "
    "and never reused."
)
class Invoice(Node):
    row_id: strawberry.Private[int]
    service_address_id: strawberry.Private[int | None]
    id: strawberry.ID = client_visible("Global ID of the invoice.")
    number: int = client_visible("The invoice number.")
    status: InvoiceStatus = client_visible("Where the invoice stands.")
    issued_on: date = client_visible("The invoice date.")
    due_on: date = client_visible("When payment is due.")
    subtotal: Money = client_visible("The sum of the lines, before tax.")
    tax: Money = client_visible("Sales tax.")
    total: Money = client_visible("Subtotal + tax.")
    memo: str | None = client_visible("A note printed on the invoice.")
    sent_at: datetime | None = staff_visible("When it was sent; null if never.")
    paid_at: datetime | None = client_visible("When it was paid in full.")
    voided_at: datetime | None = client_visible("When it was voided.")
    void_reason: str | None = client_visible("Why it was voided.")
    created_at: datetime = staff_visible("When it was created.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            row_id=row.id,
            service_address_id=row.service_address_id,
            id=global_id("Invoice", row),
            number=row.number,
            status=InvoiceStatus(row.status),
            issued_on=row.issued_on,
            due_on=row.due_on,
            subtotal=Money.of(row.subtotal, row.currency),
            tax=Money.of(row.tax, row.currency),
            total=Money.of(row.total, row.currency),
            memo=row.memo,
            sent_at=row.sent_at,
            paid_at=row.paid_at,
            voided_at=row.voided_at,
            void_reason=row.void_reason,
            created_at=row.created_at,
        )

    async def settlement(self, info: Info) -> InvoiceSettlement:
        loader = grouped_loader(
            info.context, queries.invoice_settlements, InvoiceSettlement()
        )
        settlement: InvoiceSettlement = await loader.load(self.row_id)
        return settlement

    @client_visible("What succeeded payments have paid against this invoice.")
    async def amount_paid(self, info: Info) -> Money:
        settlement = await self.settlement(info)
        return Money.of(settlement.paid, self.total.currency)

    @client_visible(
        "What the invoice still asks for: total − paid − credited, never below "
        "zero; zero when void."
    )
    async def amount_due(self, info: Info) -> Money:
        settlement = await self.settlement(info)
        due = rules.amount_due(
            self.status, self.total.minor_units, settlement.paid, settlement.credited
        )
        return Money.of(due, self.total.currency)

    @client_visible("The lines, in their printed order.")
    async def lines(self, info: Info) -> list[InvoiceLine]:
        loader = grouped_loader(info.context, queries.lines_of_invoices, [])
        rows: list[Any] = await loader.load(self.row_id)
        return [InvoiceLine.from_row(row, self.total.currency) for row in rows]

    @client_visible("Where the billed work was done; null when not recorded.")
    async def service_address(self, info: Info) -> Address | None:
        return await load_address(info, self.service_address_id)


@strawberry.type(description="The part of a payment applied to one invoice.")
class PaymentApplication:
    invoice_number: int = client_visible("The number of the invoice it paid.")
    amount: Money = client_visible("How much of the payment went to that invoice.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            invoice_number=row.invoice_number,
            amount=Money.of(row.amount, row.currency),
        )


@strawberry.type(description="Money received, or a failed attempt to collect it.")
class Payment(Node):
    row_id: strawberry.Private[int]
    id: strawberry.ID = client_visible("Global ID of the payment.")
    method: PaymentMethodKind = client_visible("Cash, check, card or ACH.")
    status: PaymentStatus = client_visible("Whether the money arrived.")
    amount: Money = client_visible("The amount received or attempted.")
    received_at: datetime = client_visible("When it was received or attempted.")
    reference: str | None = client_visible("Check number or processor reference.")
    failure_reason: str | None = client_visible("Why a failed payment failed.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            row_id=row.id,
            id=global_id("Payment", row),
            method=PaymentMethodKind(row.method),
            status=PaymentStatus(row.status),
            amount=Money.of(row.amount, row.currency),
            received_at=row.received_at,
            reference=row.reference,
            failure_reason=row.failure_reason,
        )

    @client_visible("The invoices it paid and how much each, lowest number first.")
    async def applied_to(self, info: Info) -> list[PaymentApplication]:
        loader = grouped_loader(info.context, queries.applications_of_payments, [])
        rows: list[Any] = await loader.load(self.row_id)
        return [PaymentApplication.from_row(row) for row in rows]


@strawberry.type(description="A credit memo: reduces the balance.")
class Credit(Node):
    invoice_id: strawberry.Private[int | None]
    id: strawberry.ID = client_visible("Global ID of the credit.")
    amount: Money = client_visible("The amount credited.")
    reason: str = client_visible("Why the credit was given.")
    created_at: datetime = client_visible("When it was given.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            invoice_id=row.invoice_id,
            id=global_id("Credit", row),
            amount=Money.of(row.amount, row.currency),
            reason=row.reason,
            created_at=row.created_at,
        )

    @client_visible("The invoice it was applied to; null for a credit on account.")
    async def invoice_number(self, info: Info) -> int | None:
        row = await load_row(info, queries.invoices, self.invoice_id)
        return row.number if row is not None else None


@strawberry.type(description="Money given back from a payment.")
class Refund(Node):
    payment_id: strawberry.Private[int]
    id: strawberry.ID = client_visible("Global ID of the refund.")
    amount: Money = client_visible("The amount given back.")
    reason: str | None = client_visible("Why it was refunded.")
    created_at: datetime = client_visible("When it was refunded.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            payment_id=row.payment_id,
            id=global_id("Refund", row),
            amount=Money.of(row.amount, row.currency),
            reason=row.reason,
            created_at=row.created_at,
        )

    @client_visible("The payment the money came from.")
    async def payment(self, info: Info) -> Payment | None:
        return await load_record(
            info, queries.payments, self.payment_id, Payment.from_row
        )
