"""Statements for a batch of ids, built once and bound per call.

A loader asks for the rows of many ids at once: an invoice's lines, each
client's hold, addresses by id. Those statements are built once (most at
import) with the account and the ids as bound parameters, ``account_id``
and ``ids``; a request binds its values instead of building and coercing the
expression again, which for small statements cost more than running them.
"""

from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    FromClause,
    Select,
    bindparam,
    select,
)
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

# Typed by the column each is compared with.
ACCOUNT_ID: BindParameter[int] = bindparam("account_id")
IDS: BindParameter[Any] = bindparam("ids", expanding=True)


def bound(account_id: int, ids: Sequence[Any]) -> dict[str, Any]:
    return {"account_id": account_id, "ids": list(ids)}


def children_of(
    source: FromClause, parent_column: str, *order: ColumnElement[Any]
) -> Select[Any]:
    """Every row of ``source`` in the account under any of the ids, in
    ``order`` within each parent."""
    parent = source.c[parent_column]
    return (
        select(source)
        .where(source.c.account_id == ACCOUNT_ID, parent.in_(IDS))
        .order_by(parent, *order)
    )


async def rows_by_parent(
    session: AsyncSession,
    statement: Select[Any],
    parent_column: str,
    account_id: int,
    parent_ids: Sequence[int],
) -> dict[int, list[Row[Any]]]:
    """The rows ``statement`` finds for the parents, grouped by parent."""
    found: dict[int, list[Row[Any]]] = defaultdict(list)
    for row in await session.execute(statement, bound(account_id, parent_ids)):
        found[row._mapping[parent_column]].append(row)
    return found


@cache
def rows_by_key(source: FromClause, column: str) -> Select[Any]:
    """The rows of ``source`` whose ``column`` is one of the ids, in the
    account (the accounts table is the tenant itself)."""
    tenant = source.c.id if source.description == "accounts" else source.c.account_id
    return select(source).where(source.c[column].in_(IDS), tenant == ACCOUNT_ID)
