"""Resolving a connection field: arguments in, a page of nodes out."""

from typing import Annotated, Any

import strawberry

from graph.context import Info
from graph.loaders import page_loader
from graph.pagination import Connection, build_connection, page_request
from persistence.queries.pages import Page
from persistence.queries.relations import Relation

First = Annotated[
    int | None,
    strawberry.argument(description="Page forward: how many items (1 to 100)."),
]
After = Annotated[
    str | None,
    strawberry.argument(description="Page forward from after this cursor."),
]
Last = Annotated[
    int | None,
    strawberry.argument(description="Page backward: how many items (1 to 100)."),
]
Before = Annotated[
    str | None,
    strawberry.argument(description="Page backward from before this cursor."),
]


async def load_connection(
    info: Info,
    relation: Relation,
    parent_id: int,
    to_node: Any,
    paging: tuple[int | None, str | None, int | None, str | None],
    filters: tuple[tuple[str, Any], ...] = (),
) -> Connection[Any]:
    request = page_request(relation.name, relation.order, *paging)
    page = await page_loader(info.context, relation).load((parent_id, request, filters))
    return build_connection(page, request, relation.name, relation.order, to_node)


def empty_connection(relation: Relation, paging: tuple[Any, ...]) -> Connection[Any]:
    """No items, after checking the paging arguments like any other list."""
    request = page_request(relation.name, relation.order, *paging)
    return build_connection(Page(), request, relation.name, relation.order, str)
