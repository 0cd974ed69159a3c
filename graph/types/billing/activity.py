"""The billing activity feed: invoices, payments, credits and refunds merged."""

from collections.abc import Callable
from datetime import datetime
from typing import Any, Self

import strawberry
from sqlalchemy import FromClause

from domain import billing as rules
from graph.context import Info
from graph.loaders import Reference, load_reference, row_loader
from graph.types.billing.common import (
    Record,
    client_visible,
    load_row,
    staff_visible,
)
from graph.types.billing.ledger import (
    Credit,
    Invoice,
    Payment,
    Refund,
)
from graph.types.scalars import Money
from persistence.queries import billing as queries
from persistence.queries.billing import BillingActivityKind

ACTIVITY_TABLES: dict[BillingActivityKind, FromClause] = {
    BillingActivityKind.INVOICE: queries.invoices,
    BillingActivityKind.CREDIT: queries.credits,
    BillingActivityKind.PAYMENT: queries.payments,
    BillingActivityKind.REFUND: queries.refunds,
}


@strawberry.type(
    description="An entry of the ledger's feed: exactly one of `invoice`, "
    "`credit`, `payment` and `refund` is set, as `kind` says."
)
class BillingActivity:
    row_id: strawberry.Private[int]
    kind: BillingActivityKind = client_visible("Which of the four records this is.")
    occurred_at: datetime = staff_visible(
        "When it happened. An invoice is dated, not timed: its issue date at 12:00 UTC."
    )
    amount: Money = staff_visible(
        "The invoice total, or the amount credited, paid (or attempted) or refunded."
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            row_id=row.row_id,
            kind=BillingActivityKind(row.kind),
            occurred_at=row.occurred_at,
            amount=Money.of(row.amount, row.currency),
        )

    def record(
        self, info: Info, kind: BillingActivityKind, from_row: Callable[[Any], Record]
    ) -> Reference[Record]:
        """The entry's record when it is of ``kind``; None at once otherwise."""
        if self.kind is not kind:
            return None
        loader = row_loader(info.context, ACTIVITY_TABLES[kind], "id")
        return load_reference(loader, self.row_id, from_row)

    @staff_visible('One line to show, e.g. "Invoice #1042", "Payment by check".')
    async def summary(self, info: Info) -> str:
        row = await load_row(info, ACTIVITY_TABLES[self.kind], self.row_id)
        if self.kind is BillingActivityKind.INVOICE:
            return rules.invoice_summary(row.number)
        if self.kind is BillingActivityKind.PAYMENT:
            return rules.payment_summary(row.method, row.status)
        if self.kind is BillingActivityKind.CREDIT:
            invoice = await load_row(info, queries.invoices, row.invoice_id)
            return rules.credit_summary(invoice.number if invoice else None)
        payment = await load_row(info, queries.payments, row.payment_id)
        return rules.refund_summary(payment.method)

    @staff_visible("The invoice, when this entry is one.", graphql_type=Invoice | None)
    def invoice(self, info: Info) -> Reference[Invoice]:
        return self.record(info, BillingActivityKind.INVOICE, Invoice.from_row)

    @staff_visible("The credit, when this entry is one.", graphql_type=Credit | None)
    def credit(self, info: Info) -> Reference[Credit]:
        return self.record(info, BillingActivityKind.CREDIT, Credit.from_row)

    @client_visible("The payment, when this entry is one.", graphql_type=Payment | None)
    def payment(self, info: Info) -> Reference[Payment]:
        return self.record(info, BillingActivityKind.PAYMENT, Payment.from_row)

    @staff_visible("The refund, when this entry is one.", graphql_type=Refund | None)
    def refund(self, info: Info) -> Reference[Refund]:
        return self.record(info, BillingActivityKind.REFUND, Refund.from_row)
