"""The client list: search, filters and orders, and per-client lookups."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    BindParameter,
    Boolean,
    ColumnElement,
    FromClause,
    Select,
    bindparam,
    func,
    literal,
    or_,
    select,
    union,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles

from persistence.models import (
    Address,
    Client,
    ClientTag,
    Contact,
    Estimate,
    Invoice,
)
from persistence.queries.batched import ACCOUNT_ID, IDS, bound
from persistence.queries.ledger import (
    active_hold_exists,
    balance_of,
    overdue_invoice_exists,
)
from persistence.queries.pages import SortKey
from persistence.queries.relations import Filters, Relation

clients = Client.__table__
contacts = Contact.__table__
addresses = Address.__table__
tags = ClientTag.__table__
invoices = Invoice.__table__
estimates = Estimate.__table__

ORDERABLE = {
    "name": clients.c.display_name,
    "created_at": clients.c.created_at,
    "last_activity_at": clients.c.last_activity_at,
    "balance": balance_of(clients.c.id),
}


def contains(column: Any, term: str) -> ColumnElement[bool]:
    """Case-insensitive substring match, the same on SQLite and PostgreSQL.

    ``ILIKE`` on PostgreSQL, where the trigram indexes of the searched columns
    serve it; ``lower(…) LIKE lower(…)`` on SQLite.
    """
    return column.ilike(f"%{escaped(term)}%", escape="\\")


def escaped(term: str) -> str:
    """``term`` for LIKE: lower case, its wildcards and backslashes escaped."""
    return term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matching_any(columns: Sequence[Any], term: str) -> ColumnElement[bool]:
    return or_(*(contains(column, term) for column in columns))


class ClientSearch(ColumnElement[bool]):
    """``clients.id IN (…)``: the ids of matching clients, found per table.

    On PostgreSQL the ids come from ``client_search_ids`` (migration 0009),
    whose lookups can use the trigram indexes under row-level security;
    elsewhere from the same union written out here.
    """

    inherit_cache = False
    type = Boolean()

    def __init__(self, term: str, pattern: str) -> None:
        self.term = term
        self.pattern = pattern


@compiles(ClientSearch)
def compile_search(element: ClientSearch, compiler: Any, **options: Any) -> str:
    return str(compiler.process(union_search(element.term), **options))


@compiles(ClientSearch, "postgresql")
def compile_search_postgresql(
    element: ClientSearch, compiler: Any, **options: Any
) -> str:
    ids = select(
        func.client_search_ids(
            bindparam("account_id"),
            literal(element.pattern),
            literal(" " in element.term),
        ).column_valued("client_id")
    )
    condition = clients.c.id.in_(ids.union(*number_matches(element.term)))
    return str(compiler.process(condition, **options))


def number_matches(term: str) -> list[Select[Any]]:
    """Clients with an invoice or estimate of the number ``term`` (or #term)."""
    number = term.lstrip("#")
    if not (number.isascii() and number.isdecimal() and len(number) < 10):
        return []
    return [
        select(table.c.client_id).where(
            table.c.account_id == bindparam("account_id"),
            table.c.number == int(number),
        )
        for table in (invoices, estimates)
    ]


def union_search(term: str) -> ColumnElement[bool]:
    """Each table's matching client ids, in a union: every branch can use that
    table's indexes, where a condition per client would scan the clients and
    probe contacts and addresses for each. The branches stay within the list's
    account (``account_id``, bound per request)."""
    account_id: BindParameter[int] = bindparam("account_id")
    people: list[ColumnElement[Any]] = [contacts.c.first_name, contacts.c.last_name]
    people += [contacts.c.email, contacts.c.phone]
    if " " in term:
        # Only a term with a space can span first and last name.
        people.append(contacts.c.first_name + " " + contacts.c.last_name)
    sources = [
        select(clients.c.id).where(
            clients.c.account_id == account_id,
            matching_any(
                [clients.c.display_name, clients.c.company_name]
                + [clients.c.account_number],
                term,
            ),
        ),
        select(contacts.c.client_id).where(
            contacts.c.account_id == account_id, matching_any(people, term)
        ),
        select(addresses.c.client_id).where(
            addresses.c.account_id == account_id,
            matching_any(
                [addresses.c.line1, addresses.c.city, addresses.c.postal_code], term
            ),
        ),
        *number_matches(term),
    ]
    return clients.c.id.in_(union(*sources))


def matches_search(term: str) -> ColumnElement[bool]:
    """Clients whose name, people, places or document numbers match ``term``."""
    return ClientSearch(term, f"%{escaped(term)}%")


def client_filters(source: FromClause, filters: Filters) -> list[ColumnElement[bool]]:
    """SQL for the client list's filters; see ``ClientFilter`` in the graph."""
    values = dict(filters)
    where: list[ColumnElement[bool]] = []
    if not values.get("include_archived"):
        where.append(clients.c.archived_at.is_(None))
    if term := (values.get("search") or "").strip():
        where.append(matches_search(term))
    if client_types := values.get("client_types"):
        where.append(clients.c.client_type.in_(client_types))
    if tag_names := values.get("tags"):
        where.append(
            select(tags.c.tag)
            .where(tags.c.client_id == clients.c.id, tags.c.tag.in_(tag_names))
            .exists()
        )
    if (is_on_hold := values.get("is_on_hold")) is not None:
        on_hold = active_hold_exists(clients.c.id)
        where.append(on_hold if is_on_hold else ~on_hold)
    if (has_balance := values.get("has_balance")) is not None:
        balance = balance_of(clients.c.id)
        where.append(balance > 0 if has_balance else balance <= 0)
    if (has_overdue := values.get("has_overdue_invoices")) is not None:
        overdue = overdue_invoice_exists(clients.c.id, values["today"])
        where.append(overdue if has_overdue else ~overdue)
    return where


def client_list(order_by: str, is_descending: bool) -> Relation:
    """The account's clients in one of the list's orders."""
    return Relation(
        name=f"clients.{order_by}.{'desc' if is_descending else 'asc'}",
        source=clients,
        parent_column="account_id",
        order=(
            SortKey(order_by, ORDERABLE[order_by], is_descending=is_descending),
            SortKey("public_id", clients.c.public_id, is_descending=is_descending),
        ),
        build_filters=client_filters,
        is_account_wide=True,
    )


PRIMARY_CONTACTS = select(contacts).where(
    contacts.c.account_id == ACCOUNT_ID,
    contacts.c.client_id.in_(IDS),
    contacts.c.is_primary,
)
TAGS = (
    select(tags.c.client_id, tags.c.tag)
    .where(tags.c.account_id == ACCOUNT_ID, tags.c.client_id.in_(IDS))
    .order_by(tags.c.tag)
)


async def primary_contacts(
    session: AsyncSession, account_id: int, client_ids: Sequence[int]
) -> dict[int, Any]:
    rows = await session.execute(PRIMARY_CONTACTS, bound(account_id, client_ids))
    return {row.client_id: row for row in rows}


async def tags_of_clients(
    session: AsyncSession, account_id: int, client_ids: Sequence[int]
) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for client_id, tag in await session.execute(TAGS, bound(account_id, client_ids)):
        found[client_id].append(tag)
    return found


def today_filter(today: date) -> tuple[str, date]:
    return ("today", today)
