"""The staff schema: Query with the client list and the profile graph."""

from typing import Annotated

import strawberry
from strawberry.schema.config import StrawberryConfig

from graph.context import Info
from graph.fields import field
from graph.pagination import Connection
from graph.resolvers import clients
from graph.types.client import Client


@strawberry.type(description="Everything a staff user can read.")
class Query:
    client: Client | None = field(
        clients.resolve_client,
        description="A client of your account by ID; null when there is none.",
        permission="clients:read",
    )
    clients: Connection[Client] = field(
        clients.resolve_clients,
        description="Your account's clients: search, filter and sort them, "
        "1 to 100 a page.",
        permission="clients:read",
    )

    @field(
        description="Any record by its global ID (only clients so far); null when "
        "there is none.",
        permission="clients:read",
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global ID.")],
    ) -> Client | None:
        return await clients.client_by_id(info, id)


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        config=StrawberryConfig(disable_field_suggestions=True),
    )


schema = build_schema()
