"""Finding an account's records by the public IDs callers hold.

Each lookup is confined to one account and answers ``None`` for a record
that is missing or belongs elsewhere: callers refuse with their own code,
and never reveal that another account's record exists.
"""

from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

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
