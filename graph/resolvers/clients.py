"""Root fields that find clients: by ID, by node ID, and the client list."""

from datetime import date
from enum import Enum
from typing import Annotated, Any

import strawberry

from graph.context import Info
from graph.loaders import row_loader
from graph.nodes import load_node, register_nodes
from graph.types.client import After, Before, Client, First, Last, load_connection
from graph.types.scalars import ClientType
from graph.types.settings import account_today
from persistence.models import Account
from persistence.queries.clients import client_list, clients


@strawberry.enum(description="What the client list is sorted by.")
class ClientOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"
    LAST_ACTIVITY_AT = "last_activity_at"
    BALANCE = "balance"


@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.input(description="How to sort the client list.")
class ClientOrder:
    field: ClientOrderField = strawberry.field(description="The sort key.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="ASC or DESC."
    )


@strawberry.input(description="Narrow the client list; all conditions must hold.")
class ClientFilter:
    search: str | None = strawberry.field(
        default=None,
        description="Text in the name, company, account number, contact names, "
        "emails or phones, addresses, or an invoice or estimate number.",
    )
    client_types: list[ClientType] | None = strawberry.field(
        default=None, description="Only clients of these types."
    )
    tags: list[str] | None = strawberry.field(
        default=None, description="Only clients with at least one of these tags."
    )
    is_on_hold: bool | None = strawberry.field(
        default=None, description="Only clients on hold (true) or not (false)."
    )
    has_balance: bool | None = strawberry.field(
        default=None, description="Only clients that owe money (true) or not."
    )
    has_overdue_invoices: bool | None = strawberry.field(
        default=None, description="Only clients with an overdue invoice (true) or not."
    )
    include_archived: bool = strawberry.field(
        default=False, description="Include archived clients."
    )


def filter_values(
    filter: ClientFilter | None, today: date
) -> tuple[tuple[str, Any], ...]:
    if filter is None:
        return (("today", today),)
    values: dict[str, Any] = {
        "search": filter.search,
        "client_types": tuple(kind.value for kind in filter.client_types or ()) or None,
        "tags": tuple(filter.tags or ()) or None,
        "is_on_hold": filter.is_on_hold,
        "has_balance": filter.has_balance,
        "has_overdue_invoices": filter.has_overdue_invoices,
        "include_archived": filter.include_archived,
        "today": today,
    }
    return tuple((name, value) for name, value in values.items() if value is not None)


async def account_currency(info: Info) -> str:
    loader = row_loader(info.context, Account.__table__, "id")
    account = await loader.load(info.context.account_id)
    return account.currency if account is not None else "USD"


async def build_client(info: Info, row: Any) -> Client:
    return Client.from_row(row, await account_currency(info))


register_nodes({"Client": (clients, build_client)})


async def resolve_client(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The client's ID.")],
) -> Client | None:
    client: Client = await load_node(info, id, expected_type="Client")
    return client


async def resolve_clients(
    info: Info,
    first: First = None,
    after: After = None,
    last: Last = None,
    before: Before = None,
    filter: Annotated[
        ClientFilter | None, strawberry.argument(description="Conditions to meet.")
    ] = None,
    order_by: Annotated[
        ClientOrder | None,
        strawberry.argument(description="Sort order; by name by default."),
    ] = None,
) -> Any:
    order = order_by or ClientOrder(field=ClientOrderField.NAME)
    relation = client_list(
        order.field.value, is_descending=order.direction is OrderDirection.DESC
    )
    currency = await account_currency(info)
    return await load_connection(
        info,
        relation,
        info.context.account_id,
        lambda row: Client.from_row(row, currency),
        (first, after, last, before),
        filter_values(filter, await account_today(info)),
    )
