"""The lists of the client profile: what rows each holds and in what order.

A ``Relation`` names a table (or union), the column that ties its rows to a
parent, its order (always ending in the public UUID, so it is total), and the
filters a caller may pass. ``pages_for_parents`` pages any of them.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, FromClause, bindparam
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.models import Address, Contact
from persistence.queries.pages import (
    Page,
    PageRequest,
    SortKey,
    pages_for_parents,
    root_page,
)

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
    # An account-wide list: one parent with thousands of rows, paged in index
    # order with LIMIT (two statements) rather than windows (one statement).
    is_account_wide: bool = False

    async def pages(
        self,
        session: AsyncSession,
        account_id: int,
        parent_ids: Sequence[int],
        request: PageRequest,
        filters: Filters,
    ) -> dict[int, Page]:
        """A page for each parent, never reaching outside ``account_id``."""
        if self.is_account_wide:
            pages = {}
            for parent_id in parent_ids:
                pages[parent_id] = await root_page(
                    session,
                    self.source,
                    self.parent_column,
                    parent_id,
                    self.conditions(filters),
                    self.order,
                    request,
                    {"account_id": account_id},
                )
            return pages
        return await pages_for_parents(
            session,
            self.source,
            self.parent_column,
            parent_ids,
            self.conditions(filters),
            self.order,
            request,
            {"account_id": account_id},
        )

    def conditions(self, filters: Filters) -> tuple[ColumnElement[bool], ...]:
        """The tenant condition (bound per request) and the filters' SQL.

        Cached per filters, so each shape of page builds its statement once.
        """
        return conditions_for(self.source, self.build_filters, filters)


@lru_cache(maxsize=512)
def conditions_for(
    source: FromClause, build_filters: FilterBuilder, filters: Filters
) -> tuple[ColumnElement[bool], ...]:
    return (
        source.c.account_id == bindparam("account_id"),
        *build_filters(source, filters),
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
