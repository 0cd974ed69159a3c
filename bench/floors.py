"""Floors: each scenario's rows fetched with hand-written SQL, as JSON by orjson.

A floor is what a hand-written endpoint would cost for the same answer: no
GraphQL, no loaders, no permissions, one statement per kind of row. Ratios to
the floor, measured in the same run, are what the benchmark compares.
"""

import re
from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

# The floor's statements: what a hand-written endpoint would run for (a).
PROFILE_FLOOR = {
    "client": "SELECT * FROM clients WHERE id = :client",
    "contacts": "SELECT * FROM contacts WHERE client_id = :client "
    "ORDER BY is_primary DESC, last_name, first_name LIMIT 100",
    "addresses": "SELECT * FROM addresses WHERE client_id = :client LIMIT 100",
    "invoices": "SELECT * FROM invoices WHERE client_id = :client "
    "ORDER BY issued_on DESC LIMIT 100",
    "invoice_lines": "SELECT l.* FROM invoice_lines l JOIN invoices i "
    "ON i.id = l.invoice_id WHERE i.client_id = :client",
    "payments": "SELECT * FROM payments WHERE client_id = :client "
    "ORDER BY received_at DESC LIMIT 100",
    "credits": "SELECT * FROM credits WHERE client_id = :client LIMIT 100",
    "refunds": "SELECT * FROM refunds WHERE client_id = :client LIMIT 100",
    "charges": "SELECT * FROM charges WHERE client_id = :client "
    "AND invoice_id IS NULL LIMIT 100",
    "recurring": "SELECT * FROM recurring_invoices WHERE client_id = :client",
    "payment_requests": "SELECT * FROM payment_requests WHERE client_id = :client "
    "ORDER BY sent_at DESC LIMIT 100",
    "payment_methods": "SELECT * FROM payment_methods WHERE client_id = :client "
    "AND removed_at IS NULL",
    "estimates": "SELECT * FROM estimates WHERE client_id = :client "
    "ORDER BY created_at DESC LIMIT 100",
    "estimate_lines": "SELECT l.* FROM estimate_lines l JOIN estimates e "
    "ON e.id = l.estimate_id WHERE e.client_id = :client",
    "estimate_events": "SELECT v.* FROM estimate_events v JOIN estimates e "
    "ON e.id = v.estimate_id WHERE e.client_id = :client",
    "jobs": "SELECT * FROM jobs WHERE client_id = :client LIMIT 100",
    "tasks": "SELECT * FROM tasks WHERE client_id = :client "
    "ORDER BY scheduled_on DESC LIMIT 200",
    "weight_tickets": "SELECT w.* FROM weight_tickets w JOIN tasks t "
    "ON t.id = w.task_id WHERE t.client_id = :client",
    "service_requests": "SELECT * FROM service_requests WHERE client_id = :client",
    "documents": "SELECT * FROM documents WHERE client_id = :client LIMIT 100",
    "messages": "SELECT * FROM messages WHERE client_id = :client "
    "ORDER BY created_at DESC LIMIT 100",
    "notes": "SELECT * FROM notes WHERE client_id = :client LIMIT 100",
    "attachments": "SELECT * FROM attachments WHERE client_id = :client LIMIT 100",
    "special_prices": "SELECT * FROM special_prices WHERE client_id = :client",
    "notification_log": "SELECT * FROM notification_log WHERE client_id = :client "
    "ORDER BY created_at DESC LIMIT 100",
    "overrides": "SELECT * FROM notification_preference_overrides "
    "WHERE client_id = :client",
    "settings": "SELECT * FROM client_setting_overrides WHERE client_id = :client",
    "staff": "SELECT id, name FROM staff_users WHERE account_id = :account",
}


# Search: the ids of matching clients from each source, then one page of them.
# (The surname has no space, so first and last name are searched apart.)
SEARCH_HITS = """
WITH hits AS (
  SELECT id AS client_id FROM clients WHERE account_id = :account AND (
    lower(display_name) LIKE :pattern OR lower(company_name) LIKE :pattern
    OR lower(account_number) LIKE :pattern)
  UNION
  SELECT client_id FROM contacts WHERE account_id = :account AND (
    lower(first_name) LIKE :pattern OR lower(last_name) LIKE :pattern
    OR lower(email) LIKE :pattern OR lower(phone) LIKE :pattern)
  UNION
  SELECT client_id FROM addresses WHERE account_id = :account AND (
    lower(line1) LIKE :pattern OR lower(city) LIKE :pattern
    OR lower(postal_code) LIKE :pattern)
)
"""
SEARCH_FLOOR = {
    "count": SEARCH_HITS + "SELECT count(*) FROM clients c JOIN hits h "
    "ON h.client_id = c.id WHERE c.archived_at IS NULL",
    "clients": SEARCH_HITS + "SELECT c.* FROM clients c JOIN hits h "
    "ON h.client_id = c.id WHERE c.archived_at IS NULL "
    "ORDER BY c.display_name, c.public_id LIMIT 25",
    "contacts": "SELECT * FROM contacts WHERE client_id IN :page AND is_primary",
    "addresses": "SELECT * FROM addresses WHERE client_id IN :page",
}

UNPAID = "('open', 'overdue', 'partially_paid')"
BILLED = "('open', 'overdue', 'partially_paid', 'paid')"
WAITING = "('no_response', 'read', 'reviewed')"
# The rows of the dashboard's Overview operation: the account (its day and
# currency), the client, its balance and hold, the first unpaid invoices, the
# estimates waiting for an answer, and the next scheduled service.
OVERVIEW_FLOOR = {
    "account": "SELECT * FROM accounts WHERE id = :account",
    "client": "SELECT * FROM clients WHERE id = :client",
    "invoiced": "SELECT status, due_on, total FROM invoices "
    f"WHERE client_id = :client AND status IN {BILLED}",
    "paid": "SELECT sum(amount) FROM payments WHERE client_id = :client "
    "AND status = 'succeeded'",
    "applied": "SELECT a.invoice_id, sum(a.amount) FROM payment_applications a "
    "JOIN invoices i ON i.id = a.invoice_id WHERE i.client_id = :client "
    f"AND i.status IN {UNPAID} GROUP BY a.invoice_id",
    "credited": "SELECT sum(amount) FROM credits WHERE client_id = :client",
    "refunded": "SELECT sum(amount) FROM refunds WHERE client_id = :client",
    "hold": "SELECT * FROM holds WHERE client_id = :client AND released_at IS NULL",
    "invoices": "SELECT * FROM invoices WHERE client_id = :client "
    f"AND status IN {UNPAID} ORDER BY issued_on DESC, id DESC LIMIT 5",
    "invoice_count": "SELECT count(*) FROM invoices WHERE client_id = :client "
    f"AND status IN {UNPAID}",
    "estimates": "SELECT * FROM estimates WHERE client_id = :client "
    f"AND status IN {WAITING} AND valid_until >= :today "
    "ORDER BY created_at DESC, id DESC LIMIT 5",
    "estimate_count": "SELECT count(*) FROM estimates WHERE client_id = :client "
    f"AND status IN {WAITING} AND valid_until >= :today",
    "tasks": "SELECT t.*, a.line1, a.line2, a.city, a.region, a.postal_code "
    "FROM tasks t JOIN addresses a ON a.id = t.service_address_id "
    "WHERE t.client_id = :client AND t.status IN ('scheduled', 'in_progress') "
    "AND t.scheduled_on >= :today ORDER BY t.scheduled_on, t.id LIMIT 1",
}

PARTNER_PAGE = (
    "SELECT * FROM clients WHERE account_id = :account AND archived_at IS NULL "
    "AND (display_name > :name OR (display_name = :name AND public_id > :public)) "
    "ORDER BY display_name, public_id LIMIT 100"
)
PARTNER_DETAILS = {
    "contacts": "SELECT * FROM contacts WHERE client_id IN :page AND is_primary",
    "invoiced": "SELECT client_id, sum(total) FROM invoices WHERE client_id IN :page "
    f"AND status IN {BILLED} GROUP BY client_id",
    "paid": "SELECT client_id, sum(amount) FROM payments WHERE client_id IN :page "
    "AND status = 'succeeded' GROUP BY client_id",
    "credited": "SELECT client_id, sum(amount) FROM credits WHERE client_id IN :page "
    "GROUP BY client_id",
    "refunded": "SELECT client_id, sum(amount) FROM refunds WHERE client_id IN :page "
    "GROUP BY client_id",
}

LIST_DETAILS = {
    **PARTNER_DETAILS,
    "contacts": "SELECT * FROM contacts WHERE client_id IN :page",
    "addresses": "SELECT * FROM addresses WHERE client_id IN :page",
    "tags": "SELECT * FROM client_tags WHERE client_id IN :page",
    "overdue": "SELECT DISTINCT client_id FROM invoices WHERE client_id IN :page "
    f"AND status IN {UNPAID} AND due_on < :today",
    "holds": "SELECT * FROM holds WHERE client_id IN :page AND released_at IS NULL",
}
LIST_PAGE = {
    "count": "SELECT count(*) FROM clients WHERE account_id = :account "
    "AND archived_at IS NULL",
    "clients": "SELECT * FROM clients WHERE account_id = :account "
    "AND archived_at IS NULL ORDER BY display_name, public_id LIMIT 100",
}


def expanding(sql: str) -> Any:
    """A statement whose ``:page`` takes a list of ids."""
    from sqlalchemy import bindparam

    statement = text(sql)
    if ":page" in sql:
        statement = statement.bindparams(bindparam("page", expanding=True))
    return statement


async def fetch(
    connection: AsyncConnection,
    statements: Mapping[str, str],
    parameters: Mapping[str, Any],
    document: dict[str, Any],
) -> None:
    for name, sql in statements.items():
        result = await connection.execute(expanding(sql), dict(parameters))
        document[name] = [dict(row._mapping) for row in result]


def dumps(document: dict[str, Any]) -> bytes:
    return orjson.dumps(document, default=str)


async def profile_floor(
    connection: AsyncConnection, parameters: Mapping[str, Any]
) -> bytes:
    document: dict[str, Any] = {}
    await fetch(connection, PROFILE_FLOOR, parameters, document)
    return dumps(document)


async def page_floor(
    connection: AsyncConnection,
    page: Mapping[str, str],
    details: Mapping[str, str],
    parameters: Mapping[str, Any],
) -> dict[str, Any]:
    """One page of clients and what is shown of each."""
    document: dict[str, Any] = {}
    await fetch(connection, page, parameters, document)
    ids = [row["id"] for row in document["clients"]] or [0]
    await fetch(connection, details, {**parameters, "page": ids}, document)
    return document


async def list_floor(
    connection: AsyncConnection, parameters: Mapping[str, Any]
) -> bytes:
    return dumps(await page_floor(connection, LIST_PAGE, LIST_DETAILS, parameters))


async def search_floor(
    connection: AsyncConnection, parameters: Mapping[str, Any]
) -> bytes:
    statements = SEARCH_FLOOR
    if connection.dialect.name == "postgresql":
        # What one would write there: ILIKE, which trigram indexes serve.
        statements = {
            name: re.sub(r"lower\(([^()]+)\) LIKE", r"(\1) ILIKE", sql)
            for name, sql in SEARCH_FLOOR.items()
        }
    page = {name: statements[name] for name in ("count", "clients")}
    details = {name: statements[name] for name in ("contacts", "addresses")}
    return dumps(await page_floor(connection, page, details, parameters))


async def overview_floor(
    connection: AsyncConnection, parameters: Mapping[str, Any]
) -> bytes:
    document: dict[str, Any] = {}
    await fetch(connection, OVERVIEW_FLOOR, parameters, document)
    return dumps(document)


async def partner_page_floor(
    connection: AsyncConnection, parameters: Mapping[str, Any]
) -> tuple[bytes, dict[str, Any] | None]:
    """One page after the cursor in ``parameters``; and the next cursor."""
    page = {"clients": PARTNER_PAGE}
    document = await page_floor(connection, page, PARTNER_DETAILS, parameters)
    rows = document["clients"]
    following = None
    if len(rows) == 100:
        following = {"name": rows[-1]["display_name"], "public": rows[-1]["public_id"]}
    return dumps(document), following
