"""updateClient, archiveClient and restoreClient."""

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.identity.viewer import Viewer
from domain.permissions import ALL, Permission
from graph.ids import encode_global_id
from persistence.models import Account, ActivityRecord, Client, ClientTag
from tests.factories import add_account, add_client
from tests.graph.conftest import GraphClient
from tests.graph.people_helpers import client_with_permissions

UPDATE = """
mutation($input: UpdateClientInput!) {
  updateClient(input: $input) {
    client { displayName companyName clientType tags }
    userErrors { field code }
  }
}
"""
ARCHIVE = """
mutation($id: ID!) {
  archiveClient(input: {clientId: $id, reason: "Moved away"}) {
    client { archivedAt } userErrors { field code }
  }
}
"""
RESTORE = """
mutation($id: ID!) {
  restoreClient(input: {clientId: $id}) {
    client { archivedAt } userErrors { field code }
  }
}
"""
LIST = "{ clients(first: 10) { nodes { displayName } } }"
ONE = "query($id: ID!) { client(id: $id) { displayName archivedAt } }"


def global_id(client: Client) -> str:
    return encode_global_id("Client", client.public_id)


async def actions(session: AsyncSession) -> list[str]:
    return list(
        await session.scalars(select(ActivityRecord.action).order_by(ActivityRecord.id))
    )


async def test_a_client_changes_only_what_is_sent(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account, company_name="Old Co")
    session.add(ClientTag(account_id=account.id, client_id=client.id, tag="old"))
    await session.commit()

    renamed = await graph.data(
        UPDATE, input={"clientId": global_id(client), "displayName": "New name"}
    )
    retyped = await graph.data(
        UPDATE,
        input={
            "clientId": global_id(client),
            "companyName": None,
            "clientType": "CONTRACTOR",
            "tags": ["b", "a"],
        },
    )

    assert renamed["updateClient"]["client"] == {
        "displayName": "New name",
        "companyName": "Old Co",
        "clientType": "RESIDENTIAL",
        "tags": ["old"],
    }
    assert retyped["updateClient"]["client"] == {
        "displayName": "New name",
        "companyName": None,
        "clientType": "CONTRACTOR",
        "tags": ["a", "b"],
    }
    assert await actions(session) == ["client.updated", "client.updated"]


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"displayName": ""}, "displayName", "REQUIRED"),
        ({"displayName": "x" * 201}, "displayName", "TOO_LONG"),
        ({"clientType": None}, "clientType", "REQUIRED"),
        ({"tags": ["fine", " "]}, "tags.1", "INVALID_TAG"),
    ],
)
async def test_a_refused_update_changes_nothing(
    graph: GraphClient,
    session: AsyncSession,
    account: Account,
    changes: dict[str, object],
    field: str,
    code: str,
) -> None:
    client = await add_client(session, account, display_name="Kept")
    await session.commit()

    data = await graph.data(UPDATE, input={"clientId": global_id(client)} | changes)

    assert data["updateClient"] == {
        "client": None,
        "userErrors": [{"field": ["input", *field.split(".")], "code": code}],
    }
    await session.refresh(client)
    assert client.display_name == "Kept"
    assert await actions(session) == []


async def test_another_accounts_client_is_not_found(
    graph: GraphClient, session: AsyncSession
) -> None:
    other = await add_client(session, await add_account(session))
    await session.commit()

    data = await graph.data(
        UPDATE, input={"clientId": global_id(other), "displayName": "Mine now"}
    )
    garbage = await graph.data(UPDATE, input={"clientId": "nope", "displayName": "x"})

    assert data["updateClient"]["userErrors"] == [
        {"field": ["input", "clientId"], "code": "CLIENT_NOT_FOUND"}
    ]
    assert garbage["updateClient"]["userErrors"][0]["code"] == "CLIENT_NOT_FOUND"


async def test_an_archived_client_leaves_the_list_but_stays_readable(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account, display_name="Gone")
    await session.commit()

    archived = await graph.data(ARCHIVE, id=global_id(client))
    again = await graph.data(ARCHIVE, id=global_id(client))
    listed = await graph.data(LIST)
    read = await graph.data(ONE, id=global_id(client))
    restored = await graph.data(RESTORE, id=global_id(client))
    not_archived = await graph.data(RESTORE, id=global_id(client))
    relisted = await graph.data(LIST)

    assert archived["archiveClient"]["client"]["archivedAt"] is not None
    assert again["archiveClient"]["userErrors"][0]["code"] == "ALREADY_ARCHIVED"
    assert listed["clients"]["nodes"] == []
    assert read["client"]["displayName"] == "Gone"
    assert read["client"]["archivedAt"] is not None
    assert restored["restoreClient"]["client"]["archivedAt"] is None
    assert not_archived["restoreClient"]["userErrors"][0]["code"] == "NOT_ARCHIVED"
    assert relisted["clients"]["nodes"] == [{"displayName": "Gone"}]
    assert await actions(session) == ["client.archived", "client.restored"]


@pytest.mark.parametrize(
    "mutation",
    [
        UPDATE.replace("$input: UpdateClientInput!", "$id: ID!").replace(
            "input: $input", 'input: {clientId: $id, displayName: "x"}'
        ),
        ARCHIVE,
        RESTORE,
    ],
)
async def test_changing_clients_needs_clients_write(
    engine: AsyncEngine, session: AsyncSession, account: Account, mutation: str
) -> None:
    client = await add_client(session, account)
    await session.commit()
    viewer = Viewer(account_id=account.id, permissions=ALL - {Permission.CLIENTS_WRITE})

    async with client_with_permissions(engine, viewer) as graph:
        body = await graph.execute(mutation, id=global_id(client))

    assert list(body["data"].values()) == [None]
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
