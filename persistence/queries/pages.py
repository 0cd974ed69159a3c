"""Keyset pages of child rows for many parents in one statement.

A page of a connection is "the first N rows after this cursor" in a fixed
order. ``pages_for_parents`` answers that for every parent at once with
window functions (SQLite 3.25+ and PostgreSQL both have them), so a list of
100 clients costs one statement per relation, not one per client:

    rows of the parents, filtered      COUNT(*) OVER parent  -> total
      └ after the cursor (keyset)      ROW_NUMBER() OVER parent -> rank
          └ rank <= N + 1              the extra row says "there is more"
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    and_,
    bindparam,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True)
class SortKey:
    """One column of a page's order; ``name`` labels it in the cursor."""

    name: str
    expression: ColumnElement[Any]
    is_descending: bool = False


@dataclass(frozen=True, slots=True)
class PageRequest:
    """What to fetch: ``limit`` rows after (or before) a cursor's key values."""

    limit: int
    is_backward: bool = False
    after: tuple[Any, ...] | None = None


@dataclass(slots=True)
class Page:
    rows: list[Any] = field(default_factory=list)
    total: int = 0
    has_more: bool = False


def keyset_after(
    keys: Sequence[tuple[ColumnElement[Any], bool]],
) -> ColumnElement[bool]:
    """Rows strictly after the cursor's values (bound as ``after_0``, ``after_1``…).

    ``(a, b) > (x, y)`` spelled out so each key keeps its own direction:
    ``a > x OR (a = x AND b > y)``, with ``<`` for descending keys.
    """
    # Bound with each column's type: SQLAlchemy will not compare a boolean
    # column with a bare True or False using < and >.
    values = [
        bindparam(f"after_{position}", type_=expression.type)
        for position, (expression, _) in enumerate(keys)
    ]
    clauses: list[ColumnElement[bool]] = []
    for position, (expression, is_descending) in enumerate(keys):
        value = values[position]
        beyond = expression < value if is_descending else expression > value
        equal_before = [keys[i][0] == values[i] for i in range(position)]
        clauses.append(and_(*equal_before, beyond))
    return or_(*clauses)


@lru_cache(maxsize=512)
def page_statement(
    source: FromClause,
    parent_column: str,
    where: tuple[ColumnElement[bool], ...],
    order: tuple[SortKey, ...],
    is_backward: bool,
    has_cursor: bool,
) -> Select[Any]:
    """The statement for one shape of page, built once and reused.

    Everything that changes between requests is a bound parameter: the
    parents (``parent_ids``), the page size (``limit``) and the cursor
    (``after_0``…), so SQLAlchemy's compiled cache serves every later request.
    """
    parent = source.c[parent_column]
    sort_columns = [key.expression.label(f"_sort_{key.name}") for key in order]
    filtered = (
        select(
            source,
            *sort_columns,
            func.count().over(partition_by=parent).label("_total"),
        )
        .where(parent.in_(bindparam("parent_ids", expanding=True)), *where)
        .subquery("filtered")
    )

    # Walking backward is walking forward in the reversed order.
    directions = [key.is_descending != is_backward for key in order]
    keys = [
        (filtered.c[f"_sort_{key.name}"], is_descending)
        for key, is_descending in zip(order, directions, strict=True)
    ]
    ordering = [column.desc() if desc else column.asc() for column, desc in keys]
    ranked = (
        select(
            filtered,
            func.row_number()
            .over(partition_by=filtered.c[parent_column], order_by=ordering)
            .label("_rank"),
        )
        .where(keyset_after(keys) if has_cursor else true())
        .subquery("ranked")
    )
    return (
        select(ranked)
        .where(ranked.c._rank <= bindparam("limit"))
        .order_by(ranked.c[parent_column], ranked.c._rank)
    )


def bound_values(
    request: PageRequest, parameters: dict[str, Any], **parents: Any
) -> dict[str, Any]:
    """Values of a page statement's parameters; one row more says "more"."""
    cursor = {f"after_{i}": value for i, value in enumerate(request.after or ())}
    return {**parameters, **parents, "limit": request.limit + 1, **cursor}


@lru_cache(maxsize=256)
def root_page_statements(
    source: FromClause,
    parent_column: str,
    where: tuple[ColumnElement[bool], ...],
    order: tuple[SortKey, ...],
    is_backward: bool,
    has_cursor: bool,
) -> tuple[Select[Any], Select[Any]]:
    """A page of one large list (an account's clients): ``LIMIT`` in index
    order, and a separate count, instead of windows over every row."""
    parent = source.c[parent_column]
    directions = [key.is_descending != is_backward for key in order]
    keys = [
        (key.expression, is_descending)
        for key, is_descending in zip(order, directions, strict=True)
    ]
    conditions = (parent == bindparam("parent_id"), *where)
    page = (
        select(source, *(key.expression.label(f"_sort_{key.name}") for key in order))
        .where(*conditions, keyset_after(keys) if has_cursor else true())
        .order_by(*(column.desc() if desc else column.asc() for column, desc in keys))
        .limit(bindparam("limit"))
    )
    count = select(func.count()).select_from(source).where(*conditions)
    return page, count


async def root_page(
    session: AsyncSession,
    source: FromClause,
    parent_column: str,
    parent_id: int,
    where: tuple[ColumnElement[bool], ...],
    order: tuple[SortKey, ...],
    request: PageRequest,
    parameters: dict[str, Any],
) -> Page:
    page_statement, count_statement = root_page_statements(
        source,
        parent_column,
        where,
        order,
        request.is_backward,
        request.after is not None,
    )
    values = bound_values(request, parameters, parent_id=parent_id)
    rows = list(await session.execute(page_statement, values))
    total = await session.scalar(count_statement, values)
    page = Page(rows=rows[: request.limit], total=total or 0)
    page.has_more = len(rows) > request.limit
    if request.is_backward:
        page.rows.reverse()
    return page


async def pages_for_parents(
    session: AsyncSession,
    source: FromClause,
    parent_column: str,
    parent_ids: Sequence[int],
    where: tuple[ColumnElement[bool], ...],
    order: tuple[SortKey, ...],
    request: PageRequest,
    parameters: dict[str, Any],
) -> dict[int, Page]:
    """One page of ``source`` rows for each parent id, in one statement.

    ``where`` may hold bound parameters; their values come in ``parameters``.
    Each page's rows come back in the connection's order (reversed back for a
    backward page). A parent whose rows all lie before the cursor gets its
    total from a second, grouped count (only then).
    """
    statement = page_statement(
        source,
        parent_column,
        where,
        order,
        request.is_backward,
        request.after is not None,
    )
    values = bound_values(request, parameters, parent_ids=list(parent_ids))
    pages = {parent_id: Page() for parent_id in parent_ids}
    for row in await session.execute(statement, values):
        mapping = row._mapping
        page = pages[mapping[parent_column]]
        page.total = mapping["_total"]
        if mapping["_rank"] > request.limit:
            page.has_more = True
        else:
            page.rows.append(row)

    if request.after is not None:
        unseen = [parent_id for parent_id, page in pages.items() if not page.rows]
        if unseen:
            totals = await count_for_parents(
                session, source, parent_column, unseen, where, parameters
            )
            for parent_id in unseen:
                pages[parent_id].total = totals.get(parent_id, 0)

    if request.is_backward:
        for page in pages.values():
            page.rows.reverse()
    return pages


async def count_for_parents(
    session: AsyncSession,
    source: FromClause,
    parent_column: str,
    parent_ids: Sequence[int],
    where: tuple[ColumnElement[bool], ...],
    parameters: dict[str, Any],
) -> dict[int, int]:
    parent = source.c[parent_column]
    statement = (
        select(parent, func.count())
        .where(parent.in_(parent_ids), *where)
        .group_by(parent)
    )
    rows = await session.execute(statement, parameters)
    return dict(rows.all())
