"""requestService on the dashboard route, seen by staff on the profile."""

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.enums import AddressKind
from persistence.models import (
    Account,
    ActivityRecord,
    Address,
    Client,
    Contact,
    ServiceRequest,
)
from tests.billing_factories import add_hold
from tests.factories import add_address, add_client
from tests.graph.dashboard.conftest import RouteClient, codes, gid

REQUEST = """
mutation($input: RequestServiceInput!) {
  requestService(input: $input) {
    serviceRequest { kind status preferredOn notes serviceAddress { line1 } }
    userErrors { field code message }
  }
}
"""
STAFF_PROFILE = """
query($id: ID!) { client(id: $id) {
  serviceRequests(first: 10) { nodes { kind status contact { firstName } } }
} }
"""
ADDRESSES = (
    "{ viewer { client { addresses(first: 10, kind: SERVICE) { nodes { id } } } } }"
)


@pytest.fixture
async def address(session: AsyncSession, client: Client) -> Address:
    address = await add_address(session, client, line1="12 Quarry Rd")
    await session.commit()
    return address


def wanted(address: Address, **values: Any) -> dict[str, Any]:
    return {"kind": "DELIVERY", "addressId": gid("Address", address)} | values


async def test_a_request_reaches_the_staff_profile_and_the_activity_record(
    dashboard: RouteClient,
    staff: RouteClient,
    session: AsyncSession,
    client: Client,
    contact: Contact,
    address: Address,
) -> None:
    listed = await dashboard.data(ADDRESSES)

    data = await dashboard.data(
        REQUEST,
        input=wanted(address, preferredOn="2026-06-20", notes="Behind the barn"),
    )

    assert listed["viewer"]["client"]["addresses"]["nodes"] == [
        {"id": gid("Address", address)}
    ]
    assert data["requestService"] == {
        "serviceRequest": {
            "kind": "DELIVERY",
            "status": "NEW",
            "preferredOn": "2026-06-20",
            "notes": "Behind the barn",
            "serviceAddress": {"line1": "12 Quarry Rd"},
        },
        "userErrors": [],
    }
    profile = await staff.data(STAFF_PROFILE, id=gid("Client", client))
    assert profile["client"]["serviceRequests"]["nodes"] == [
        {"kind": "DELIVERY", "status": "NEW", "contact": {"firstName": "Ana"}}
    ]
    action = await session.scalar(select(ActivityRecord.action))
    assert action == "service_request.created"


async def test_a_request_refused_for_its_input_is_not_kept(
    dashboard: RouteClient,
    session: AsyncSession,
    account: Account,
    client: Client,
    address: Address,
) -> None:
    other = await add_client(session, account)
    theirs = await add_address(session, other)
    billing = await add_address(session, client, kind=AddressKind.BILLING)
    await session.commit()

    cases = {
        "ADDRESS_NOT_FOUND": wanted(theirs),
        "DATE_IN_PAST": wanted(address, preferredOn="2026-06-14"),
        "NOTES_TOO_LONG": wanted(address, notes="x" * 2001),
    }
    not_a_service_address = await dashboard.data(REQUEST, input=wanted(billing))
    for code, values in cases.items():
        data = await dashboard.data(REQUEST, input=values)

        assert codes(data["requestService"]) == [code]
    assert codes(not_a_service_address["requestService"]) == ["ADDRESS_NOT_FOUND"]
    assert list(await session.scalars(select(ServiceRequest))) == []


async def test_a_preview_or_a_held_client_requests_nothing(
    preview: RouteClient,
    dashboard: RouteClient,
    session: AsyncSession,
    client: Client,
    address: Address,
) -> None:
    from_preview = await preview.data(REQUEST, input=wanted(address))
    await add_hold(session, client)
    await session.commit()
    while_held = await dashboard.data(REQUEST, input=wanted(address))

    assert codes(from_preview["requestService"]) == ["READ_ONLY"]
    assert codes(while_held["requestService"]) == ["ON_HOLD"]
    assert list(await session.scalars(select(ServiceRequest))) == []
