"""addAddress, updateAddress, removeAddress, setDefaultAddress."""

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.identity.viewer import Viewer
from domain.permissions import ALL, Permission
from graph.ids import encode_global_id
from persistence.enums import AddressKind
from persistence.models import Account, ActivityRecord, Address, Client
from tests.factories import add_address, add_client
from tests.graph.conftest import GraphClient
from tests.graph.people_helpers import client_with_permissions
from tests.work_factories import add_task

ADD = """
mutation($input: AddAddressInput!) {
  addAddress(input: $input) {
    address { kind line1 country isDefault } userErrors { field code }
  }
}
"""
UPDATE = """
mutation($input: UpdateAddressInput!) {
  updateAddress(input: $input) {
    address { line1 city accessNotes } userErrors { field code }
  }
}
"""
REMOVE = """
mutation($input: RemoveAddressInput!) {
  removeAddress(input: $input) {
    removedAddressId isArchived userErrors { field code }
  }
}
"""
DEFAULT = """
mutation($id: ID!) {
  setDefaultAddress(input: {addressId: $id}) {
    address { line1 isDefault } userErrors { field code }
  }
}
"""
ADDRESSES = """
query($id: ID!) { client(id: $id) { addresses(first: 10) { nodes { line1 } } } }
"""
NEW = {
    "kind": "SERVICE",
    "line1": "7 Elm St",
    "city": "Golden",
    "region": "CO",
    "postalCode": "80401",
    "country": "us",
}


def gid(row: Client | Address) -> str:
    return encode_global_id(type(row).__name__, row.public_id)


async def defaults(session: AsyncSession, client: Client) -> set[tuple[str, str]]:
    await session.commit()
    rows = await session.execute(
        select(Address.kind, Address.line1).where(
            Address.client_id == client.id, Address.is_default
        )
    )
    return {(kind, line1) for kind, line1 in rows}


async def actions(session: AsyncSession) -> list[str]:
    await session.commit()
    rows = await session.scalars(
        select(ActivityRecord.action).order_by(ActivityRecord.id)
    )
    return list(rows)


@pytest.fixture
async def client(session: AsyncSession, account: Account) -> Client:
    client = await add_client(session, account)
    await session.commit()
    return client


async def test_the_first_address_of_a_kind_is_its_default(
    graph: GraphClient, session: AsyncSession, client: Client
) -> None:
    first = await graph.data(ADD, input={"clientId": gid(client), "address": NEW})
    second = await graph.data(
        ADD, input={"clientId": gid(client), "address": NEW | {"line1": "8 Elm"}}
    )
    chosen = await graph.data(
        ADD,
        input={
            "clientId": gid(client),
            "address": NEW | {"line1": "9 Elm"},
            "makeDefault": True,
        },
    )

    assert first["addAddress"]["address"] == {
        "kind": "SERVICE",
        "line1": "7 Elm St",
        "country": "US",
        "isDefault": True,
    }
    assert second["addAddress"]["address"]["isDefault"] is False
    assert chosen["addAddress"]["address"]["isDefault"] is True
    assert await defaults(session, client) == {(AddressKind.SERVICE, "9 Elm")}
    assert await actions(session) == ["address.added"] * 3


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"line1": ""}, "line1", "REQUIRED"),
        ({"postalCode": "1" * 21}, "postalCode", "TOO_LONG"),
        ({"country": "USA"}, "country", "INVALID_COUNTRY"),
    ],
)
async def test_a_refused_address_is_not_added(
    graph: GraphClient,
    session: AsyncSession,
    client: Client,
    changes: dict[str, str],
    field: str,
    code: str,
) -> None:
    data = await graph.data(
        ADD, input={"clientId": gid(client), "address": NEW | changes}
    )

    assert data["addAddress"] == {
        "address": None,
        "userErrors": [{"field": ["input", field], "code": code}],
    }
    assert await defaults(session, client) == set()
    assert await actions(session) == []


async def test_an_address_changes_only_what_is_sent(
    graph: GraphClient, session: AsyncSession, client: Client
) -> None:
    address = await add_address(session, client, line1="1 Main St")
    await session.commit()

    changed = await graph.data(
        UPDATE, input={"addressId": gid(address), "accessNotes": "Gate 4411"}
    )
    refused = await graph.data(UPDATE, input={"addressId": gid(address), "city": ""})

    assert changed["updateAddress"]["address"] == {
        "line1": "1 Main St",
        "city": "Boulder",
        "accessNotes": "Gate 4411",
    }
    assert refused["updateAddress"]["userErrors"] == [
        {"field": ["input", "city"], "code": "REQUIRED"}
    ]
    assert await actions(session) == ["address.updated"]


async def test_setting_a_default_leaves_one_per_kind(
    graph: GraphClient, session: AsyncSession, client: Client
) -> None:
    await add_address(session, client, line1="Old yard", is_default=True)
    await add_address(
        session, client, kind=AddressKind.BILLING, line1="Office", is_default=True
    )
    new = await add_address(session, client, line1="New yard")
    await session.commit()

    data = await graph.data(DEFAULT, id=gid(new))

    assert data["setDefaultAddress"]["address"] == {
        "line1": "New yard",
        "isDefault": True,
    }
    assert await defaults(session, client) == {
        (AddressKind.SERVICE, "New yard"),
        (AddressKind.BILLING, "Office"),
    }
    assert await actions(session) == ["address.made_default"]


async def test_an_address_with_tasks_is_archived_not_deleted(
    graph: GraphClient, session: AsyncSession, client: Client
) -> None:
    used = await add_address(session, client, line1="Used", is_default=True)
    await add_task(session, client, used)
    spare = await add_address(session, client, line1="Spare")
    await session.commit()

    archived = await graph.data(REMOVE, input={"addressId": gid(used)})
    again = await graph.data(DEFAULT, id=gid(used))
    removed = await graph.data(REMOVE, input={"addressId": gid(spare)})
    listed = await graph.data(ADDRESSES, id=gid(client))

    assert archived["removeAddress"] == {
        "removedAddressId": gid(used),
        "isArchived": True,
        "userErrors": [],
    }
    assert again["setDefaultAddress"]["userErrors"] == [
        {"field": ["input", "addressId"], "code": "ADDRESS_ARCHIVED"}
    ]
    assert removed["removeAddress"]["isArchived"] is False
    assert listed["client"]["addresses"]["nodes"] == []
    await session.commit()
    kept = await session.scalars(
        select(Address.line1).where(Address.client_id == client.id)
    )
    assert list(kept) == ["Used"]
    assert await actions(session) == ["address.archived", "address.removed"]


async def test_removing_a_default_passes_it_on(
    graph: GraphClient, session: AsyncSession, client: Client
) -> None:
    old = await add_address(session, client, line1="Old", is_default=True)
    await add_address(session, client, line1="A")
    other = await add_address(session, client, line1="B")
    await session.commit()

    unnamed = await graph.data(REMOVE, input={"addressId": gid(old)})
    named = await graph.data(
        REMOVE, input={"addressId": gid(old), "newDefaultAddressId": gid(other)}
    )

    assert unnamed["removeAddress"]["userErrors"] == [
        {"field": ["input", "newDefaultAddressId"], "code": "SUCCESSOR_REQUIRED"}
    ]
    assert named["removeAddress"]["userErrors"] == []
    assert await defaults(session, client) == {(AddressKind.SERVICE, "B")}


async def test_an_unknown_address_is_not_found(graph: GraphClient) -> None:
    # A contact's ID does not name an address.
    data = await graph.data(DEFAULT, id=encode_global_id("Contact", uuid.uuid4()))

    assert data["setDefaultAddress"]["userErrors"] == [
        {"field": ["input", "addressId"], "code": "ADDRESS_NOT_FOUND"}
    ]


@pytest.mark.parametrize(
    ("mutation", "variables"),
    [
        (ADD, lambda c, a: {"input": {"clientId": c, "address": NEW}}),
        (UPDATE, lambda c, a: {"input": {"addressId": a, "line1": "X"}}),
        (REMOVE, lambda c, a: {"input": {"addressId": a}}),
        (DEFAULT, lambda c, a: {"id": a}),
    ],
)
async def test_changing_addresses_needs_clients_write(
    engine: AsyncEngine,
    session: AsyncSession,
    account: Account,
    client: Client,
    mutation: str,
    variables: object,
) -> None:
    address = await add_address(session, client)
    await session.commit()
    viewer = Viewer(account_id=account.id, permissions=ALL - {Permission.CLIENTS_WRITE})

    async with client_with_permissions(engine, viewer) as graph:
        body = await graph.execute(mutation, **variables(gid(client), gid(address)))  # type: ignore[operator]

    assert list(body["data"].values()) == [None]
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
