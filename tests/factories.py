"""Small builders of rows for tests; each flushes so ids are assigned."""

from datetime import date, timedelta
from itertools import count
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from persistence.enums import AddressKind, ClientType, InvoiceStatus
from persistence.models import (
    Account,
    Address,
    Client,
    Contact,
    Invoice,
    StaffRole,
    StaffUser,
)
from persistence.models.base import Base

sequence = count(1)


async def add(session: AsyncSession, row: Base) -> Any:
    session.add(row)
    await session.flush()
    return row


async def add_account(session: AsyncSession, **values: Any) -> Account:
    number = next(sequence)
    defaults: dict[str, Any] = {"name": f"Account {number}", "slug": f"acct-{number}"}
    return await add(session, Account(**(defaults | values)))


async def add_client(session: AsyncSession, account: Account, **values: Any) -> Client:
    defaults: dict[str, Any] = {
        "account_id": account.id,
        "display_name": f"Client {next(sequence)}",
        "client_type": ClientType.RESIDENTIAL,
    }
    return await add(session, Client(**(defaults | values)))


async def add_contact(session: AsyncSession, client: Client, **values: Any) -> Contact:
    defaults: dict[str, Any] = {
        "account_id": client.account_id,
        "client_id": client.id,
        "first_name": f"Contact {next(sequence)}",
    }
    return await add(session, Contact(**(defaults | values)))


async def add_address(session: AsyncSession, client: Client, **values: Any) -> Address:
    defaults: dict[str, Any] = {
        "account_id": client.account_id,
        "client_id": client.id,
        "kind": AddressKind.SERVICE,
        "line1": "1 Main St",
        "city": "Boulder",
        "region": "CO",
        "postal_code": "80302",
    }
    return await add(session, Address(**(defaults | values)))


async def add_invoice(session: AsyncSession, client: Client, **values: Any) -> Invoice:
    issued_on = date(2026, 1, 5)
    defaults: dict[str, Any] = {
        "account_id": client.account_id,
        "client_id": client.id,
        "number": next(sequence),
        "status": InvoiceStatus.OPEN,
        "issued_on": issued_on,
        "due_on": issued_on + timedelta(days=30),
        "subtotal": 10_000,
        "tax": 825,
        "total": 10_825,
    }
    return await add(session, Invoice(**(defaults | values)))


def owned_by(client: Client) -> dict[str, Any]:
    """The columns that tie a row to its client and account."""
    return {"account_id": client.account_id, "client_id": client.id}


async def add_staff_user(
    session: AsyncSession, account: Account, **values: Any
) -> StaffUser:
    number = next(sequence)
    role = await add(session, StaffRole(account_id=account.id, name=f"Role {number}"))
    defaults: dict[str, Any] = {
        "account_id": account.id,
        "role_id": role.id,
        "email": f"staff-{number}-{account.id}@example.com",
        "name": f"Staff {number}",
    }
    return await add(session, StaffUser(**(defaults | values)))
