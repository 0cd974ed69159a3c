"""The Client: the root of the profile graph, every section a field of it."""

from datetime import datetime
from typing import Annotated, Any, Self

import strawberry

from domain.permissions import Permission
from graph.connections import After, Before, First, Last, load_connection
from graph.context import Info
from graph.fields import EVERYONE, field
from graph.ids import encode_global_id
from graph.loaders import grouped_loader, row_loader
from graph.nodes import Node
from graph.pagination import Connection
from graph.types.billing import Billing, BillingSection
from graph.types.people import Address, Contact
from graph.types.records import RecordsSection
from graph.types.scalars import AddressKind, ClientType
from graph.types.work import WorkSection
from persistence.models import Client as ClientRow
from persistence.queries import clients as client_queries
from persistence.queries.relations import CLIENT_ADDRESSES, CLIENT_CONTACTS


@strawberry.type(description="A customer of the business, with its whole profile.")
class Client(Node, BillingSection, WorkSection, RecordsSection):
    row_id: strawberry.Private[int]
    currency: strawberry.Private[str]
    merged_into_id: strawberry.Private[int | None]
    id: strawberry.ID = field(
        description="Global ID of the client.", audiences=EVERYONE
    )
    display_name: str = field(description="The client's name.", audiences=EVERYONE)
    company_name: str | None = field(
        description="Company name, for commercial clients.", audiences=EVERYONE
    )
    client_type: ClientType = field(
        description="Residential, commercial or contractor."
    )
    account_number: str | None = field(
        description="The business's own reference for the client."
    )
    created_at: datetime = field(description="When the client was added.")
    last_activity_at: datetime = field(
        description="The latest change anywhere in the profile."
    )
    archived_at: datetime | None = field(
        description="When the client was archived; null while active."
    )

    @classmethod
    def from_row(cls, row: Any, currency: str = "USD") -> Self:
        return cls(
            row_id=row.id,
            currency=currency,
            merged_into_id=row.merged_into_id,
            id=strawberry.ID(encode_global_id("Client", row.public_id)),
            display_name=row.display_name,
            company_name=row.company_name,
            client_type=ClientType(row.client_type),
            account_number=row.account_number,
            created_at=row.created_at,
            last_activity_at=row.last_activity_at,
            archived_at=row.archived_at,
        )

    @field(
        description="The client this duplicate was merged into (its records "
        "are there now); null unless merged.",
        permission=Permission.CLIENTS_READ,
    )
    async def merged_into(self, info: Info) -> "Client | None":
        if self.merged_into_id is None:
            return None
        loader = row_loader(info.context, ClientRow.__table__, "id")
        row = await loader.load(self.merged_into_id)
        return Client.from_row(row, self.currency) if row is not None else None

    @field(
        description="Free-form labels, alphabetical.",
        permission=Permission.CLIENTS_READ,
    )
    async def tags(self, info: Info) -> list[str] | None:
        loader = grouped_loader(info.context, client_queries.tags_of_clients, [])
        tags: list[str] = await loader.load(self.row_id)
        return tags

    @field(
        description="The main point of contact; default destination of notifications.",
        permission=Permission.CLIENTS_READ,
        audiences=EVERYONE,
    )
    async def primary_contact(self, info: Info) -> Contact | None:
        loader = grouped_loader(info.context, client_queries.primary_contacts)
        row = await loader.load(self.row_id)
        return Contact.from_row(row) if row is not None else None

    @field(
        description="Everyone the business talks to about this client, primary first.",
        permission=Permission.CLIENTS_READ,
    )
    async def contacts(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Contact] | None:
        return await load_connection(
            info,
            CLIENT_CONTACTS,
            self.row_id,
            Contact.from_row,
            (first, after, last, before),
        )

    @field(
        description="Service and billing addresses, defaults first.",
        permission=Permission.CLIENTS_READ,
    )
    async def addresses(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        kind: Annotated[
            AddressKind | None,
            strawberry.argument(description="Only addresses of this kind."),
        ] = None,
    ) -> Connection[Address] | None:
        filters = (("kind", kind.value),) if kind else ()
        return await load_connection(
            info,
            CLIENT_ADDRESSES,
            self.row_id,
            Address.from_row,
            (first, after, last, before),
            filters,
        )

    @field(
        description="Balance, invoices, payments and holds.",
        permission=Permission.BILLING_READ,
        audiences=EVERYONE,
    )
    def billing(self) -> Billing | None:
        return Billing(client_id=self.row_id, currency=self.currency)
