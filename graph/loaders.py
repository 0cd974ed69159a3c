"""Per-request DataLoaders: every relation of the graph is fetched in batches.

A loader lives for one request (see ``Context.loader``), so its cache never
outlives what the viewer may see. Keys of a ``PageLoader`` carry the page
request and filters; a batch groups keys that share them into one statement.
"""

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeAlias, TypeVar

from aiodataloader import DataLoader, Loader, dispatch_queue_batch
from sqlalchemy import FromClause
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from graph.context import Context
from persistence.queries.batched import bound, rows_by_key
from persistence.queries.pages import Page, PageRequest
from persistence.queries.relations import Filters, Relation

PageKey = tuple[int, PageRequest, Filters]
Key = TypeVar("Key")
Value = TypeVar("Value")
# What a resolver of an optional reference returns: None at once when there
# is nothing to load. graphql-core completes a plain value in place, while
# every awaitable costs it a task; most references in a long list are empty.
Reference: TypeAlias = Awaitable[Value | None] | None


class RequestLoader(DataLoader[Key, Value], Generic[Key, Value]):
    """A loader whose batch takes its keys when its turn on the request's
    database comes, not when it is dispatched.

    Batches run one after another on the request's session. Keys asked for
    while a batch waits its turn (an invoice's address, found only once the
    invoices arrived) join it, instead of waiting for a batch of their own.
    """

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context
        # The request's session while this loader has its turn on it.
        self.session: AsyncSession | None = None

    def do_resolve_reject(self, key: Key, future: "asyncio.Future[Value]") -> None:
        self._queue.append(Loader(key=key, future=future))
        if len(self._queue) == 1:
            self.loop.call_soon(asyncio.ensure_future, self.dispatch_in_turn())

    async def dispatch_in_turn(self) -> None:
        async with self.context.db.turn() as session:
            queue, self._queue = self._queue, []
            self.session = session
            try:
                await dispatch_queue_batch(self, queue)
            finally:
                self.session = None

    async def batch_load_fn(self, keys: Sequence[Key]) -> list[Value]:
        if self.session is None:
            raise RuntimeError("a batch runs only in its turn on the session")
        return await self.load_batch(self.session, keys)

    async def load_batch(
        self, session: AsyncSession, keys: Sequence[Key]
    ) -> list[Value]:
        """The values of ``keys``, in order, read with ``session``."""
        raise NotImplementedError


class PageLoader(RequestLoader[PageKey, Page]):
    """Pages of one relation for many parents."""

    def __init__(self, context: Context, relation: Relation) -> None:
        super().__init__(context)
        self.relation = relation

    async def load_batch(
        self, session: AsyncSession, keys: Sequence[PageKey]
    ) -> list[Page]:
        parents_by_query: dict[tuple[PageRequest, Filters], list[int]] = defaultdict(
            list
        )
        for parent_id, request, filters in keys:
            parents_by_query[request, filters].append(parent_id)

        pages: dict[PageKey, Page] = {}
        for (request, filters), parent_ids in parents_by_query.items():
            found = await self.relation.pages(
                session,
                account_id=self.context.account_id,
                parent_ids=parent_ids,
                request=request,
                filters=filters,
            )
            for parent_id, page in found.items():
                pages[parent_id, request, filters] = page
        return [pages[key] for key in keys]


class RowByKeyLoader(RequestLoader[Any, Row[Any] | None]):
    """Rows of one table by a unique column, within the viewer's account."""

    def __init__(self, context: Context, source: FromClause, column: str) -> None:
        super().__init__(context)
        self.statement = rows_by_key(source, column)
        self.column = column

    async def load_batch(
        self, session: AsyncSession, keys: Sequence[Any]
    ) -> list[Row[Any] | None]:
        parameters = bound(self.context.account_id, keys)
        found = await session.execute(self.statement, parameters)
        rows = {getattr(row, self.column): row for row in found}
        return [rows.get(key) for key in keys]


def page_loader(context: Context, relation: Relation) -> PageLoader:
    return context.loader(
        ("page", relation.name), lambda: PageLoader(context, relation)
    )


def row_loader(context: Context, source: FromClause, column: str) -> RowByKeyLoader:
    key = ("row", source.description, column)
    return context.loader(key, lambda: RowByKeyLoader(context, source, column))


GroupedFetch = Callable[[AsyncSession, int, Sequence[int]], Any]


class GroupedLoader(RequestLoader[int, Any]):
    """Anything computed for many parent ids at once by a persistence function.

    ``fetch(session, account_id, ids)`` returns a mapping of id to value;
    missing ids get ``default``.
    """

    def __init__(self, context: Context, fetch: GroupedFetch, default: Any) -> None:
        super().__init__(context)
        self.fetch = fetch
        self.default = default

    async def load_batch(self, session: AsyncSession, keys: Sequence[int]) -> list[Any]:
        values = await self.fetch(session, self.context.account_id, list(keys))
        return [values.get(key, self.default) for key in keys]


def grouped_loader(
    context: Context, fetch: GroupedFetch, default: Any = None
) -> GroupedLoader:
    return context.loader(
        ("grouped", fetch), lambda: GroupedLoader(context, fetch, default)
    )


def load_reference(
    loader: DataLoader[Any, Any], key: Any, convert: Callable[[Any], Value]
) -> Reference[Value]:
    """The value ``loader`` finds for ``key``, converted; None when ``key`` or
    the loaded value is None (the former without awaiting)."""
    if key is None:
        return None
    return converted(loader.load(key), convert)


async def converted(
    pending: Awaitable[Any], convert: Callable[[Any], Value]
) -> Value | None:
    loaded = await pending
    return convert(loaded) if loaded is not None else None
