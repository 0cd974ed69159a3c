"""Cursor connections: arguments, opaque keyset cursors and the Relay types.

Every list in the graph is a connection. ``first`` or ``last`` is required
(1 to 100); a cursor holds the sort-key values of a row (never its row id),
so pages stay stable when rows are inserted between requests.
"""

import base64
import binascii
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

import orjson
import strawberry
from graphql import GraphQLError

from graph.fields import EVERYONE, field
from persistence.queries.pages import Page, PageRequest, SortKey

MAX_PAGE_SIZE = 100

Node = TypeVar("Node")


class InvalidPageArguments(GraphQLError):
    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "BAD_USER_INPUT"})


def encode_value(value: Any) -> list[Any]:
    if isinstance(value, datetime):
        return ["t", value.isoformat()]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, uuid.UUID):
        return ["u", value.hex]
    if isinstance(value, Decimal):
        return ["n", str(value)]
    return ["v", value]


DECODERS: dict[str, Callable[[Any], Any]] = {
    "t": datetime.fromisoformat,
    "d": date.fromisoformat,
    "u": lambda text: uuid.UUID(hex=text),
    "n": Decimal,
    "v": lambda value: value,
}


def encode_cursor(order_name: str, values: Sequence[Any]) -> str:
    payload = orjson.dumps([order_name, [encode_value(value) for value in values]])
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def sort_value_type(key: SortKey) -> type | None:
    """The Python type a sort key's values have, when the column says."""
    try:
        python_type: type = key.expression.type.python_type
    except NotImplementedError:
        return None
    return python_type


def fits(value: Any, expected: type | None) -> bool:
    """A decoded cursor value of the sort key's type (a forged one is not)."""
    if expected is None:
        return True
    if expected is datetime:
        return isinstance(value, datetime) and value.tzinfo is not None
    if expected is date:
        return type(value) is date
    if expected is int:
        return type(value) is int
    if expected is Decimal:
        return type(value) in (Decimal, int)
    return isinstance(value, expected)


def decode_cursor(
    cursor: str, order_name: str, types: Sequence[type | None]
) -> tuple[Any, ...]:
    padded = cursor + "=" * (-len(cursor) % 4)
    try:
        name, tagged = orjson.loads(base64.urlsafe_b64decode(padded))
        values = tuple(DECODERS[tag](value) for tag, value in tagged)
    except (
        binascii.Error,
        orjson.JSONDecodeError,
        KeyError,
        TypeError,
        ValueError,
        ArithmeticError,
    ):
        raise InvalidPageArguments(f"The cursor {cursor!r} is not valid.") from None
    if name != order_name or len(values) != len(types):
        raise InvalidPageArguments(
            f"The cursor {cursor!r} belongs to another list or order; "
            "request the first page again."
        )
    if not all(
        fits(value, expected) for value, expected in zip(values, types, strict=True)
    ):
        raise InvalidPageArguments(f"The cursor {cursor!r} is not valid.")
    return values


def page_request(
    order_name: str,
    order: Sequence[SortKey],
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> PageRequest:
    """Validate Relay arguments into a request for the persistence layer."""
    if (first is None) == (last is None):
        raise InvalidPageArguments(
            "Pass exactly one of `first` or `last` (1 to 100) to page this list."
        )
    if first is not None and before is not None:
        raise InvalidPageArguments("Use `before` with `last`, not with `first`.")
    if last is not None and after is not None:
        raise InvalidPageArguments("Use `after` with `first`, not with `last`.")
    size = first if first is not None else last
    if size is None or not 1 <= size <= MAX_PAGE_SIZE:
        argument = "first" if first is not None else "last"
        raise InvalidPageArguments(
            f"`{argument}` must be between 1 and {MAX_PAGE_SIZE}; got {size}."
        )
    cursor = after if first is not None else before
    values = None
    if cursor:
        types = [sort_value_type(key) for key in order]
        values = decode_cursor(cursor, order_name, types)
    return PageRequest(limit=size, is_backward=last is not None, after=values)


@strawberry.type(description="Where a page sits in its list.")
class PageInfo:
    has_next_page: bool = field(
        description="More items follow this page.", audiences=EVERYONE
    )
    has_previous_page: bool = field(
        description="Items come before this page.", audiences=EVERYONE
    )
    start_cursor: str | None = field(
        description="The cursor of the first item on this page.", audiences=EVERYONE
    )
    end_cursor: str | None = field(
        description="The cursor of the last item on this page.", audiences=EVERYONE
    )


@strawberry.type(description="An item of a list and its cursor.")
class Edge(Generic[Node]):
    cursor: str = field(
        description="Pass as `after` or `before` to page from this item.",
        audiences=EVERYONE,
    )
    node: Node = field(description="The item.", audiences=EVERYONE)


def edges_of(root: "Connection[Node]") -> "list[Edge[Node]]":
    return [
        Edge(cursor=root.cursor_of(row), node=node)
        for row, node in zip(root.rows, root.nodes, strict=True)
    ]


def page_info_of(root: "Connection[Node]") -> PageInfo:
    rows = root.rows
    return PageInfo(
        has_next_page=root.has_next_page,
        has_previous_page=root.has_previous_page,
        start_cursor=root.cursor_of(rows[0]) if rows else None,
        end_cursor=root.cursor_of(rows[-1]) if rows else None,
    )


@strawberry.type(description="A page of a list, with cursors to page further.")
class Connection(Generic[Node]):
    edges: list[Edge[Node]] = field(
        edges_of,
        description="The items of this page with their cursors.",
        audiences=EVERYONE,
    )
    nodes: list[Node] = field(description="The items of this page.", audiences=EVERYONE)
    page_info: PageInfo = field(
        page_info_of,
        description="Whether more pages exist, and their cursors.",
        audiences=EVERYONE,
    )
    total_count: int = field(
        description="The number of items in the whole list, all pages together.",
        audiences=EVERYONE,
    )
    # Cursors are encoded only for what asks for them (``edges``, ``pageInfo``):
    # a list nested in every item of another rarely pages at all.
    rows: strawberry.Private[Sequence[Any]]
    cursor_of: strawberry.Private[Callable[[Any], str]]
    has_next_page: strawberry.Private[bool]
    has_previous_page: strawberry.Private[bool]


def build_connection(
    page: Page,
    request: PageRequest,
    order_name: str,
    order: Sequence[SortKey],
    to_node: Callable[[Any], Node],
) -> Connection[Node]:
    """Turn a page of rows into a connection of nodes."""
    names = [f"_sort_{key.name}" for key in order]

    def cursor_of(row: Any) -> str:
        return encode_cursor(order_name, [getattr(row, name) for name in names])

    has_cursor = request.after is not None
    return Connection(
        nodes=[to_node(row) for row in page.rows],
        total_count=page.total,
        rows=page.rows,
        cursor_of=cursor_of,
        has_next_page=page.has_more if not request.is_backward else has_cursor,
        has_previous_page=page.has_more if request.is_backward else has_cursor,
    )
