"""The lists of the client profile: what rows each holds and in what order.

A ``Relation`` names a table (or union), the column that ties its rows to a
parent, its order (always ending in the public UUID, so it is total), and the
filters a caller may pass. ``pages_for_parents`` pages any of them.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, FromClause
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.models import Address, Contact
from persistence.queries.pages import Page, PageRequest, SortKey, pages_for_parents

Filters = tuple[tuple[str, Any], ...]
FilterBuilder = Callable[[FromClause, Filters], list[ColumnElement[bool]]]


def no_filters(source: FromClause, filters: Filters) -> list[ColumnElement[bool]]:
    return []


@dataclass(frozen=True, slots=True)
class Relation:
    name: str
    source: FromClause
    parent_column: str
    order: tuple[SortKey, ...]
    build_filters: FilterBuilder = no_filters

    async def pages(
        self,
        session: AsyncSession,
        account_id: int,
        parent_ids: Sequence[int],
        request: PageRequest,
        filters: Filters,
    ) -> dict[int, Page]:
        """A page for each parent, never reaching outside ``account_id``."""
        where = [
            self.source.c.account_id == account_id,
            *self.build_filters(self.source, filters),
        ]
        return await pages_for_parents(
            session,
            self.source,
            self.parent_column,
            parent_ids,
            where,
            self.order,
            request,
        )


def newest_first(source: FromClause, column: str) -> tuple[SortKey, ...]:
    return (
        SortKey(column, source.c[column], is_descending=True),
        SortKey("public_id", source.c.public_id, is_descending=True),
    )


def in_order(source: FromClause, *columns: str) -> tuple[SortKey, ...]:
    keys = [SortKey(column, source.c[column]) for column in columns]
    return (*keys, SortKey("public_id", source.c.public_id))


contacts_table = Contact.__table__
addresses_table = Address.__table__


def address_filters(source: FromClause, filters: Filters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [source.c.archived_at.is_(None)]
    for name, value in filters:
        if name == "kind":
            where.append(source.c.kind == value)
    return where


CLIENT_CONTACTS = Relation(
    name="client.contacts",
    source=contacts_table,
    parent_column="client_id",
    # The primary contact first, then by name.
    order=(
        SortKey("is_primary", contacts_table.c.is_primary, is_descending=True),
        *in_order(contacts_table, "last_name", "first_name"),
    ),
)

CLIENT_ADDRESSES = Relation(
    name="client.addresses",
    source=addresses_table,
    parent_column="client_id",
    order=(
        SortKey("kind", addresses_table.c.kind, is_descending=True),
        SortKey("is_default", addresses_table.c.is_default, is_descending=True),
        *in_order(addresses_table, "line1"),
    ),
    build_filters=address_filters,
)
