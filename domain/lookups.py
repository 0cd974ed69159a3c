"""Finding an account's records by the public IDs callers hold.

Each lookup is confined to one account and answers ``None`` for a record
that is missing or belongs elsewhere: callers refuse with their own code,
and never reveal that another account's record exists.
"""

from enum import StrEnum
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.problems import refuse
from persistence.enums import AddressKind
from persistence.models import Address, Client

Row = TypeVar("Row")


async def by_public_id(
    session: AsyncSession, model: type[Row], account_id: int, public_id: UUID | None
) -> Row | None:
    """The account's ``model`` row with this public UUID."""
    if public_id is None:
        return None
    table: Any = model
    return await session.scalar(
        select(table).where(
            table.account_id == account_id, table.public_id == public_id
        )
    )


async def service_address_of(
    session: AsyncSession, client: Client, public_id: UUID | None
) -> Address | None:
    """One of the client's current service addresses (not archived)."""
    address = await by_public_id(session, Address, client.account_id, public_id)
    if address is None or address.client_id != client.id:
        return None
    if address.kind != AddressKind.SERVICE or address.archived_at is not None:
        return None
    return address


async def open_client(
    session: AsyncSession,
    account_id: int,
    public_id: UUID | None,
    *,
    missing: StrEnum,
    closed: StrEnum,
    purpose: str,
    field: str = "clientId",
) -> Client:
    """The account's client, if it takes new records.

    An archived or merged client keeps its history but gets nothing new:
    ``missing`` and ``closed`` are the caller's codes for the two refusals,
    ``purpose`` what it was about to do ("quoting", "booking work").
    """
    client = await by_public_id(session, Client, account_id, public_id)
    if client is None:
        refuse(missing, field, "Your account has no client with that ID.")
    if client.merged_into_id is not None:
        refuse(
            closed, field, f"This client was merged into another; try {purpose} there."
        )
    if client.archived_at is not None:
        refuse(closed, field, f"This client is archived; restore it before {purpose}.")
    return client
