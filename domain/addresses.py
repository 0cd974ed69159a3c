"""A client's service and billing addresses, and the default of each kind.

While a client has addresses of a kind, exactly one of them is the default:
the first one added becomes it, and removing the default hands the role on
like the primary contact does (to the only other one, or to the one named).
An address that history points at (a task, an invoice, an estimate…) is
archived instead of deleted, so that history still says where work was done.
"""

import dataclasses
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.identity.viewer import Viewer
from domain.people import (
    AddressDetails,
    Checker,
    ClientProblem,
    addresses_of,
    checked_address,
    find_client,
    find_in_account,
)
from domain.problems import refuse, refuse_all
from persistence.models import Address, Base, Client


async def find_address(
    session: AsyncSession,
    viewer: Viewer,
    public_id: uuid.UUID | None,
    field: str = "addressId",
) -> tuple[Address, Client]:
    """The viewer's address (not archived) and its client (not merged away)."""
    address = await find_in_account(
        session, viewer, Address, public_id, ClientProblem.ADDRESS_NOT_FOUND, field
    )
    client = await session.get_one(Client, address.client_id)
    if client.merged_into_id is not None:
        refuse(ClientProblem.CLIENT_MERGED, field, "The address's client was merged.")
    if address.archived_at is not None:
        refuse(
            ClientProblem.ADDRESS_ARCHIVED,
            field,
            "This address was archived; add it again to use it.",
        )
    return address, client


def address_row(client: Client, values: dict[str, Any], *, is_default: bool) -> Address:
    return Address(
        account_id=client.account_id,
        client_id=client.id,
        is_default=is_default,
        **values,
    )


async def clear_default(session: AsyncSession, client_id: int, kind: str) -> None:
    """No default of ``kind`` for a moment: the unique index allows one."""
    for address in await addresses_of(session, client_id, kind):
        address.is_default = False
    await session.flush()


async def add_address(
    session: AsyncSession,
    viewer: Viewer,
    client_id: uuid.UUID | None,
    details: AddressDetails,
    *,
    make_default: bool = False,
) -> Address:
    """A new address; the default of its kind when asked or when it is the
    client's first of that kind."""
    client = await find_client(session, viewer, client_id)
    check = Checker("", [])
    values = checked_address(details, check)
    refuse_all(check.problems)

    existing = await addresses_of(session, client.id, details.kind)
    is_default = make_default or not existing
    if is_default:
        await clear_default(session, client.id, details.kind)
    address = address_row(client, values, is_default=is_default)
    session.add(address)
    await record_activity(
        session, viewer, "address.added", client_id=client.id, subject=address
    )
    return address


def details_of(address: Address) -> AddressDetails:
    return AddressDetails(
        kind=address.kind,  # type: ignore[arg-type]
        line1=address.line1,
        city=address.city,
        region=address.region,
        postal_code=address.postal_code,
        country=address.country,
        label=address.label,
        line2=address.line2,
        pricing_zone=address.pricing_zone,
        access_notes=address.access_notes,
    )


async def update_address(
    session: AsyncSession,
    viewer: Viewer,
    address_id: uuid.UUID | None,
    changes: Mapping[str, Any],
) -> Address:
    """Change the given fields (``AddressDetails`` names); the kind stays."""
    address, client = await find_address(session, viewer, address_id)
    details = dataclasses.replace(details_of(address), **changes)
    check = Checker("", [])
    values = checked_address(details, check)
    refuse_all(check.problems)

    for name, value in values.items():
        setattr(address, name, value)
    await record_activity(
        session,
        viewer,
        "address.updated",
        client_id=client.id,
        subject=address,
        fields=sorted(changes),
    )
    return address


async def set_default_address(
    session: AsyncSession, viewer: Viewer, address_id: uuid.UUID | None
) -> Address:
    address, client = await find_address(session, viewer, address_id)
    if address.is_default:
        return address
    await clear_default(session, client.id, address.kind)
    address.is_default = True
    await record_activity(
        session, viewer, "address.made_default", client_id=client.id, subject=address
    )
    return address


def columns_pointing_at_addresses() -> list[Any]:
    """Every column of the model that refers to an address: a new table that
    refers to one is counted the moment it exists."""
    return [
        foreign_key.parent
        for table in Base.metadata.sorted_tables
        for foreign_key in table.foreign_keys
        if foreign_key.column.table.name == "addresses"
    ]


async def is_referenced(session: AsyncSession, address_id: int) -> bool:
    for column in columns_pointing_at_addresses():
        if await session.scalar(select(exists().where(column == address_id))):
            return True
    return False


async def successor_of(
    session: AsyncSession, address: Address, named: uuid.UUID | None
) -> Address | None:
    """Which address becomes the default of its kind when ``address`` goes."""
    if not address.is_default:
        return None
    others = [
        other
        for other in await addresses_of(session, address.client_id, address.kind)
        if other.id != address.id
    ]
    if named is not None:
        for other in others:
            if other.public_id == named:
                return other
        refuse(
            ClientProblem.ADDRESS_NOT_FOUND,
            "newDefaultAddressId",
            "Name another address of the same client and kind as the new default.",
        )
    if len(others) > 1:
        refuse(
            ClientProblem.SUCCESSOR_REQUIRED,
            "newDefaultAddressId",
            "This is the default address: say which address takes its place.",
        )
    return others[0] if others else None


async def remove_address(
    session: AsyncSession,
    viewer: Viewer,
    address_id: uuid.UUID | None,
    now: datetime,
    new_default_id: uuid.UUID | None = None,
) -> tuple[Address, bool]:
    """Delete the address, or archive it when history refers to it; says
    which (True: archived)."""
    address, client = await find_address(session, viewer, address_id)
    successor = await successor_of(session, address, new_default_id)
    is_archived = await is_referenced(session, address.id)

    await record_activity(
        session,
        viewer,
        "address.archived" if is_archived else "address.removed",
        client_id=client.id,
        subject=address,
        line1=address.line1,
    )
    if is_archived:
        address.archived_at = now
        address.is_default = False
    else:
        await session.delete(address)
    await session.flush()
    if successor is not None:
        successor.is_default = True
    return address, is_archived
