"""The Billing type and the billing fields of Client, with node lookup."""

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, cast

import strawberry
from sqlalchemy import FromClause, Table
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from domain import billing as rules
from graph.connections import (
    After,
    Before,
    First,
    Last,
    empty_connection,
    load_connection,
)
from graph.context import Info
from graph.loaders import GroupedLoader, grouped_loader
from graph.pagination import Connection
from graph.permissions import PAYMENT_METHODS_READ
from graph.types.billing.activity import (
    BillingActivity,
)
from graph.types.billing.collection import (
    InvoiceStatuses,
    PaymentMethod,
    PaymentRequest,
)
from graph.types.billing.common import (
    accounts,
    client_visible,
    load_row,
    staff_visible,
)
from graph.types.billing.ledger import (
    Credit,
    Hold,
    Invoice,
    Payment,
    Refund,
)
from graph.types.billing.recurring import (
    Charge,
    RecurringInvoice,
)
from graph.types.scalars import Money
from graph.types.settings import account_today
from persistence.queries import billing as queries
from persistence.queries.ledger import EMPTY_SUMMARY, BillingSummary, billing_summaries


def summaries_loader(info: Info, today: date) -> GroupedLoader:
    """One loader per request (and day) for every client's billing summary."""

    async def summaries(
        session: AsyncSession, account_id: int, ids: Sequence[int]
    ) -> dict[int, BillingSummary]:
        return await billing_summaries(session, account_id, ids, today)

    return info.context.loader(
        ("billing-summaries", today),
        lambda: GroupedLoader(info.context, summaries, EMPTY_SUMMARY),
    )


@strawberry.type(description="The money side of a client: balance and what is owed.")
class Billing:
    client_id: strawberry.Private[int]
    currency: strawberry.Private[str]

    async def summary(self, info: Info) -> BillingSummary:
        # Overdue means past due where the business is, not on the server.
        loader = summaries_loader(info, await account_today(info))
        summary: BillingSummary = await loader.load(self.client_id)
        return summary

    @client_visible("Invoiced − paid − credited + refunded.")
    async def balance(self, info: Info) -> Money:
        return Money.of((await self.summary(info)).balance, self.currency)

    @client_visible("What unpaid invoices still ask for.")
    async def outstanding(self, info: Info) -> Money:
        return Money.of((await self.summary(info)).outstanding, self.currency)

    @client_visible("The outstanding part of invoices past their due date.")
    async def overdue(self, info: Info) -> Money:
        return Money.of((await self.summary(info)).overdue, self.currency)

    @client_visible("The hold in force and why; null when the client is not on hold.")
    async def on_hold(self, info: Info) -> Hold | None:
        loader = grouped_loader(info.context, queries.active_holds)
        row = await loader.load(self.client_id)
        return Hold.from_row(row) if row is not None else None

    @client_visible(
        "Invoices (not drafts), credits, payments (failed ones too) and refunds "
        "in one feed, newest first."
    )
    async def activity(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[BillingActivity]:
        return await load_connection(
            info,
            queries.CLIENT_BILLING_ACTIVITY,
            self.client_id,
            BillingActivity.from_row,
            (first, after, last, before),
        )

    @client_visible(
        "The client's invoices, newest issued first. The client's own dashboard "
        "never lists drafts."
    )
    async def invoices(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        status: InvoiceStatuses = None,
    ) -> Connection[Invoice]:
        shown = rules.invoice_statuses_shown(
            [item.value for item in status or ()],
            is_client=info.context.signed_in_viewer.sees_as_client,
        )
        filters = (("statuses", shown),) if shown is not None else ()
        return await load_connection(
            info,
            queries.CLIENT_INVOICES,
            self.client_id,
            Invoice.from_row,
            (first, after, last, before),
            filters,
        )

    @staff_visible("Recurring invoice schedules: active first, the next to run first.")
    async def recurring_invoices(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[RecurringInvoice]:
        return await load_connection(
            info,
            queries.CLIENT_RECURRING_INVOICES,
            self.client_id,
            RecurringInvoice.from_row,
            (first, after, last, before),
        )

    @staff_visible("Charges not yet invoiced, newest first.")
    async def charges(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Charge]:
        return await load_connection(
            info,
            queries.CLIENT_UNINVOICED_CHARGES,
            self.client_id,
            Charge.from_row,
            (first, after, last, before),
        )


@strawberry.type(description="Client fields: payment requests and methods on file.")
class BillingSection:
    row_id: strawberry.Private[int]

    @staff_visible("Requests to pay sent to the client, newest first.")
    async def payment_requests(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[PaymentRequest] | None:
        return await load_connection(
            info,
            queries.CLIENT_PAYMENT_REQUESTS,
            self.row_id,
            PaymentRequest.from_row,
            (first, after, last, before),
        )

    @client_visible(
        "Cards and bank accounts on file, the default first; removed ones are "
        "left out. Empty unless the account has the payments add-on.",
        PAYMENT_METHODS_READ,
    )
    async def payment_methods(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[PaymentMethod] | None:
        paging = (first, after, last, before)
        if not await has_payments_addon(info):
            return empty_connection(queries.CLIENT_PAYMENT_METHODS, paging)
        return await load_connection(
            info,
            queries.CLIENT_PAYMENT_METHODS,
            self.row_id,
            PaymentMethod.from_row,
            paging,
        )


async def has_payments_addon(info: Info) -> bool:
    account = await load_row(info, accounts, info.context.account_id)
    return account is not None and account.has_payments_addon


NodeType = tuple[Table, Callable[[Row[Any]], object]]


def node_type(table: FromClause, from_row: Callable[[Row[Any]], object]) -> NodeType:
    return cast(Table, table), from_row


NODE_TYPES: dict[str, NodeType] = {
    "Invoice": node_type(queries.invoices, Invoice.from_row),
    "Payment": node_type(queries.payments, Payment.from_row),
    "Credit": node_type(queries.credits, Credit.from_row),
    "Refund": node_type(queries.refunds, Refund.from_row),
    "Charge": node_type(queries.charges, Charge.from_row),
    "RecurringInvoice": node_type(
        queries.recurring_invoices, RecurringInvoice.from_row
    ),
    "PaymentRequest": node_type(queries.payment_requests, PaymentRequest.from_row),
    "PaymentMethod": node_type(queries.payment_methods, PaymentMethod.from_row),
}
