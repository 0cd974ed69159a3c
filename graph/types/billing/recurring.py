"""Recurring invoices and uninvoiced charges."""

from datetime import date, datetime
from typing import Any, Self

import strawberry

from domain import billing as rules
from graph.context import Info
from graph.loaders import grouped_loader
from graph.nodes import Node
from graph.permissions import PRICING_READ
from graph.types.billing.common import (
    global_id,
    staff_visible,
)
from graph.types.people import Address
from graph.types.scalars import Money
from graph.types.tasks import PriceProvenance, decimal_string, load_address
from persistence.enums import (
    RecurrenceInterval,
)
from persistence.queries import billing as queries


@strawberry.type(description="A line of a recurring invoice, billed every period.")
class RecurringInvoiceLine:
    description: str = staff_visible("What is billed.")
    quantity: str = staff_visible('The quantity as a decimal string, e.g. "1.50".')
    unit_price: Money = staff_visible("The price of one unit.")
    amount: Money = staff_visible("Quantity × unit price, rounded half up.")
    is_taxable: bool = staff_visible("Sales tax applies to this line.")

    @classmethod
    def from_row(cls, row: Any, currency: str) -> Self:
        return cls(
            description=row.description,
            quantity=decimal_string(row.quantity),
            unit_price=Money.of(row.unit_price, currency),
            amount=Money.of(rules.line_amount(row.quantity, row.unit_price), currency),
            is_taxable=row.is_taxable,
        )


@strawberry.type(
    description="A schedule that issues an invoice every period, once per period."
)
class RecurringInvoice(Node):
    row_id: strawberry.Private[int]
    currency: strawberry.Private[str]
    id: strawberry.ID = staff_visible("Global ID of the recurring invoice.")
    name: str = staff_visible("The schedule's name.")
    interval: RecurrenceInterval = staff_visible("The unit of the period.")
    interval_count: int = staff_visible("How many units make one period.")
    starts_on: date = staff_visible("The first period's date.")
    ends_on: date | None = staff_visible("The last date it may run; null: no end.")
    next_run_on: date = staff_visible("When the next invoice is due to be issued.")
    payment_terms_days: int = staff_visible("Days from issue until each is due.")
    is_active: bool = staff_visible("Whether it still issues invoices.")
    ended_at: datetime | None = staff_visible(
        "When it ended for good; null while it runs or is paused."
    )
    created_at: datetime = staff_visible("When the schedule was made.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            row_id=row.id,
            currency=row.currency,
            id=global_id("RecurringInvoice", row),
            name=row.name,
            interval=RecurrenceInterval(row.interval),
            interval_count=row.interval_count,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            next_run_on=row.next_run_on,
            payment_terms_days=row.payment_terms_days,
            is_active=row.is_active,
            ended_at=row.ended_at,
            created_at=row.created_at,
        )

    @staff_visible("The lines each invoice gets, in order.")
    async def lines(self, info: Info) -> list[RecurringInvoiceLine]:
        loader = grouped_loader(info.context, queries.lines_of_recurring_invoices, [])
        rows: list[Any] = await loader.load(self.row_id)
        return [RecurringInvoiceLine.from_row(row, self.currency) for row in rows]

    @staff_visible("What each invoice comes to before tax: the sum of the lines.")
    async def total_per_run(self, info: Info) -> Money:
        lines = await self.lines(info)
        return Money.of(sum(line.amount.minor_units for line in lines), self.currency)


@strawberry.type(description="A billable amount not yet invoiced (billed in arrears).")
class Charge(Node):
    service_address_id: strawberry.Private[int | None]
    id: strawberry.ID = staff_visible("Global ID of the charge.")
    description: str = staff_visible("What is to be billed.")
    quantity: str = staff_visible('The quantity as a decimal string, e.g. "1.50".')
    unit_price: Money = staff_visible("The price of one unit.")
    amount: Money = staff_visible("Quantity × unit price.")
    is_taxable: bool = staff_visible("Sales tax will apply.")
    price_provenance: PriceProvenance = staff_visible(
        "Why the price is what it is: the rule that produced it.", PRICING_READ
    )
    created_at: datetime = staff_visible("When the charge was recorded.")

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            service_address_id=row.service_address_id,
            id=global_id("Charge", row),
            description=row.description,
            quantity=decimal_string(row.quantity),
            unit_price=Money.of(row.unit_price, row.currency),
            amount=Money.of(row.amount, row.currency),
            is_taxable=row.is_taxable,
            price_provenance=PriceProvenance.from_row(row),
            created_at=row.created_at,
        )

    @staff_visible("Where the work was done; charges of one address bill together.")
    async def service_address(self, info: Info) -> Address | None:
        return await load_address(info, self.service_address_id)
