"""The billing section of the profile: balance, invoices, payments, holds."""

from datetime import UTC, datetime
from typing import Any

import strawberry

from graph.context import Info
from graph.fields import field
from graph.loaders import grouped_loader
from graph.types.scalars import Money
from persistence.queries.ledger import BillingSummary, billing_summaries


async def summaries_for(session: Any, account_id: int, ids: list[int]) -> Any:
    return await billing_summaries(session, account_id, ids, datetime.now(UTC).date())


@strawberry.type(description="The money side of a client: balance and what is owed.")
class Billing:
    client_id: strawberry.Private[int]
    currency: strawberry.Private[str]

    async def summary(self, info: Info) -> BillingSummary:
        loader = grouped_loader(info.context, summaries_for)
        summary: BillingSummary | None = await loader.load(self.client_id)
        return summary or BillingSummary(0, 0, 0, 0, 0)

    @field(
        description="Invoiced − paid − credited + refunded.", permission="billing:read"
    )
    async def balance(self, info: Info) -> Money:
        return Money.of((await self.summary(info)).balance, self.currency)

    @field(description="What unpaid invoices still ask for.", permission="billing:read")
    async def outstanding(self, info: Info) -> Money:
        return Money.of((await self.summary(info)).outstanding, self.currency)

    @field(
        description="The outstanding part of invoices past their due date.",
        permission="billing:read",
    )
    async def overdue(self, info: Info) -> Money:
        return Money.of((await self.summary(info)).overdue, self.currency)


@strawberry.type(description="Client fields: payment requests and methods on file.")
class BillingSection:
    row_id: strawberry.Private[int]
