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
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    and_,
    false,
    func,
    literal,
    or_,
    select,
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
    keys: Sequence[tuple[ColumnElement[Any], bool]], values: Sequence[Any]
) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in the order of ``keys``.

    ``(a, b) > (x, y)`` spelled out so each key keeps its own direction:
    ``a > x OR (a = x AND b > y)``, with ``<`` for descending keys.
    """
    clauses: list[ColumnElement[bool]] = []
    for position, (expression, is_descending) in enumerate(keys):
        # Bound with the column's type: SQLAlchemy will not compare a boolean
        # column with a bare True or False using < and >.
        value = literal(values[position], expression.type)
        beyond = expression < value if is_descending else expression > value
        equal_before = [
            keys[i][0] == literal(values[i], keys[i][0].type) for i in range(position)
        ]
        clauses.append(and_(*equal_before, beyond))
    return or_(*clauses) if clauses else false()


def page_statement(
    source: FromClause,
    parent_column: str,
    parent_ids: Sequence[int],
    where: Sequence[ColumnElement[bool]],
    order: Sequence[SortKey],
    request: PageRequest,
) -> Select[Any]:
    parent = source.c[parent_column]
    sort_columns = [key.expression.label(f"_sort_{key.name}") for key in order]
    filtered = (
        select(
            source,
            *sort_columns,
            func.count().over(partition_by=parent).label("_total"),
        )
        .where(parent.in_(parent_ids), *where)
        .subquery("filtered")
    )

    # Walking backward is walking forward in the reversed order.
    directions = [key.is_descending != request.is_backward for key in order]
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
        .where(keyset_after(keys, request.after) if request.after else True)
        .subquery("ranked")
    )
    return (
        select(ranked)
        .where(ranked.c._rank <= request.limit + 1)
        .order_by(ranked.c[parent_column], ranked.c._rank)
    )


async def pages_for_parents(
    session: AsyncSession,
    source: FromClause,
    parent_column: str,
    parent_ids: Sequence[int],
    where: Sequence[ColumnElement[bool]],
    order: Sequence[SortKey],
    request: PageRequest,
) -> dict[int, Page]:
    """One page of ``source`` rows for each parent id, in one statement.

    Each page's rows come back in the connection's order (reversed back for a
    backward page). A parent whose rows all lie before the cursor gets its
    total from a second, grouped count (only then).
    """
    statement = page_statement(source, parent_column, parent_ids, where, order, request)
    pages = {parent_id: Page() for parent_id in parent_ids}
    for row in await session.execute(statement):
        page = pages[row._mapping[parent_column]]
        page.total = row._total
        if row._rank > request.limit:
            page.has_more = True
        else:
            page.rows.append(row)

    if request.after is not None:
        unseen = [parent_id for parent_id, page in pages.items() if not page.rows]
        if unseen:
            totals = await count_for_parents(
                session, source, parent_column, unseen, where
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
    where: Sequence[ColumnElement[bool]],
) -> dict[int, int]:
    parent = source.c[parent_column]
    statement = (
        select(parent, func.count())
        .where(parent.in_(parent_ids), *where)
        .group_by(parent)
    )
    return dict(await session.execute(statement))
