"""Global object identification: the ``Node`` interface and ``node(id)``.

Each node type registers its table and how to build it from a row. Lookups
go through the same per-request, tenant-scoped loaders as every list, so an
ID from another account answers NOT_FOUND, exactly like one that never
existed.
"""

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from sqlalchemy import FromClause

from graph.audiences import type_permission
from graph.authorization import check_permission
from graph.context import Info
from graph.errors import NotFound
from graph.fields import EVERYONE, field
from graph.ids import InvalidGlobalId, decode_global_id
from graph.loaders import row_loader


@strawberry.interface(description="A record with a global ID: fetch it with `node`.")
class Node:
    id: strawberry.ID = field(
        description="Global ID of the record.", audiences=EVERYONE
    )


NodeBuilder = Callable[[Info, Any], Awaitable[Any] | Any]
REGISTRY: dict[str, tuple[FromClause, NodeBuilder]] = {}


def register_nodes(types: dict[str, tuple[FromClause, NodeBuilder]]) -> None:
    REGISTRY.update(types)


async def load_node(
    info: Info, global_id: str, expected_type: str | None = None
) -> Any:
    """The viewer's record with this global ID, or a NOT_FOUND error."""
    try:
        type_name, public_id = decode_global_id(global_id)
    except InvalidGlobalId:
        raise NotFound() from None
    if type_name not in REGISTRY or expected_type not in (None, type_name):
        raise NotFound()
    # A record whose type this audience's schema lacks does not exist for it.
    definition = info.schema.get_type_by_name(type_name)
    if definition is None:
        raise NotFound()
    # Reading a record needs its type's permission, whichever fields are asked.
    permission = type_permission(definition)  # type: ignore[arg-type]
    if permission is not None:
        check_permission(info.context.viewer, permission)
    table, build = REGISTRY[type_name]
    row = await row_loader(info.context, table, "public_id").load(public_id)
    # Removed records (a card taken off file) are gone from every list too.
    if row is None or getattr(row, "removed_at", None) is not None:
        raise NotFound()
    built = build(info, row)
    return await built if isinstance(built, Awaitable) else built
