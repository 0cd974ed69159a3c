"""The client list: search, filters and orders, and per-client lookups."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, FromClause, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.models import (
    Address,
    Client,
    ClientTag,
    Contact,
    Estimate,
    Invoice,
)
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
    """Case-insensitive substring match, the same on SQLite and PostgreSQL."""
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def matches_search(term: str) -> ColumnElement[bool]:
    """Clients whose name, people, places or document numbers match ``term``."""
    client_id = clients.c.id
    people = select(contacts.c.id).where(
        contacts.c.client_id == client_id,
        or_(
            *(
                contains(column, term)
                for column in (
                    contacts.c.first_name,
                    contacts.c.last_name,
                    contacts.c.email,
                    contacts.c.phone,
                    contacts.c.first_name + " " + contacts.c.last_name,
                )
            )
        ),
    )
    places = select(addresses.c.id).where(
        addresses.c.client_id == client_id,
        or_(
            contains(addresses.c.line1, term),
            contains(addresses.c.city, term),
            contains(addresses.c.postal_code, term),
        ),
    )
    conditions = [
        contains(clients.c.display_name, term),
        contains(clients.c.company_name, term),
        contains(clients.c.account_number, term),
        people.exists(),
        places.exists(),
    ]
    number = term.lstrip("#")
    if number.isascii() and number.isdecimal() and len(number) < 10:
        conditions += [
            select(invoices.c.id)
            .where(invoices.c.client_id == client_id, invoices.c.number == int(number))
            .exists(),
            select(estimates.c.id)
            .where(
                estimates.c.client_id == client_id, estimates.c.number == int(number)
            )
            .exists(),
        ]
    return or_(*conditions)


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


async def primary_contacts(
    session: AsyncSession, account_id: int, client_ids: Sequence[int]
) -> dict[int, Any]:
    statement = select(contacts).where(
        contacts.c.account_id == account_id,
        contacts.c.client_id.in_(client_ids),
        contacts.c.is_primary,
    )
    return {row.client_id: row for row in await session.execute(statement)}


async def tags_of_clients(
    session: AsyncSession, account_id: int, client_ids: Sequence[int]
) -> dict[int, list[str]]:
    statement = (
        select(tags.c.client_id, tags.c.tag)
        .where(tags.c.account_id == account_id, tags.c.client_id.in_(client_ids))
        .order_by(tags.c.tag)
    )
    found: dict[int, list[str]] = defaultdict(list)
    for client_id, tag in await session.execute(statement):
        found[client_id].append(tag)
    return found


def today_filter(today: date) -> tuple[str, date]:
    return ("today", today)
