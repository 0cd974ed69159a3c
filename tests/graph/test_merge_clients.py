"""mergeClients over the graph: the survivor answers, refusals keep both."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.identity.viewer import Viewer
from domain.permissions import ALL, Permission
from graph.ids import encode_global_id
from persistence.models import Account, ActivityRecord, Client, Contact
from tests.factories import add_account, add_client, add_contact, add_invoice
from tests.graph.conftest import GraphClient
from tests.graph.people_helpers import client_with_permissions

MERGE = """
mutation($survivor: ID!, $duplicate: ID!) {
  mergeClients(input: {survivorId: $survivor, duplicateId: $duplicate}) {
    client {
      displayName
      contacts(first: 10) { nodes { firstName isPrimary } }
      billing { invoices(first: 10) { totalCount } }
    }
    userErrors { field code }
  }
}
"""
LIST = "{ clients(first: 10) { nodes { displayName } } }"
MERGED_INTO = """
query($id: ID!) { client(id: $id) { displayName mergedInto { displayName } } }
"""


def gid(client: Client) -> str:
    return encode_global_id("Client", client.public_id)


async def pair(session: AsyncSession, account: Account) -> tuple[Client, Client]:
    survivor = await add_client(session, account, display_name="Survivor")
    duplicate = await add_client(session, account, display_name="Duplicate")
    await add_contact(session, survivor, first_name="Keep", is_primary=True)
    await add_contact(session, duplicate, first_name="Moved", is_primary=True)
    await add_invoice(session, duplicate)
    await session.commit()
    return survivor, duplicate


async def test_the_survivor_has_everything_and_the_duplicate_is_gone_from_lists(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    survivor, duplicate = await pair(session, account)

    data = await graph.data(MERGE, survivor=gid(survivor), duplicate=gid(duplicate))
    listed = await graph.data(LIST)
    gone = await graph.data(MERGED_INTO, id=gid(duplicate))
    kept = await graph.data(MERGED_INTO, id=gid(survivor))

    merged = data["mergeClients"]
    assert merged["userErrors"] == []
    assert merged["client"]["contacts"]["nodes"] == [
        {"firstName": "Keep", "isPrimary": True},
        {"firstName": "Moved", "isPrimary": False},
    ]
    assert merged["client"]["billing"]["invoices"]["totalCount"] == 1
    assert listed["clients"]["nodes"] == [{"displayName": "Survivor"}]
    assert gone["client"]["mergedInto"] == {"displayName": "Survivor"}
    assert kept["client"]["mergedInto"] is None


@pytest.mark.parametrize(
    ("case", "field", "code"),
    [
        ("same", "duplicateId", "SAME_CLIENT"),
        ("other_account", "duplicateId", "CLIENT_NOT_FOUND"),
        ("archived_survivor", "survivorId", "CLIENT_ARCHIVED"),
        ("merged_again", "duplicateId", "CLIENT_MERGED"),
    ],
)
async def test_a_refused_merge_moves_nothing(
    graph: GraphClient,
    session: AsyncSession,
    account: Account,
    case: str,
    field: str,
    code: str,
) -> None:
    survivor, duplicate = await pair(session, account)
    if case == "same":
        duplicate = survivor
    elif case == "other_account":
        duplicate = await add_client(session, await add_account(session))
    elif case == "archived_survivor":
        await graph.data(
            "mutation($id: ID!) { archiveClient(input: {clientId: $id}) "
            "{ userErrors { code } } }",
            id=gid(survivor),
        )
    else:
        third = await add_client(session, account)
        await session.commit()
        await graph.data(MERGE, survivor=gid(third), duplicate=gid(duplicate))
    await session.commit()
    records_before = await session.scalar(select(func.count(ActivityRecord.id)))

    data = await graph.data(MERGE, survivor=gid(survivor), duplicate=gid(duplicate))

    contacts = await session.scalar(
        select(func.count()).where(Contact.client_id == survivor.id)
    )
    records_after = await session.scalar(select(func.count(ActivityRecord.id)))
    assert data["mergeClients"] == {
        "client": None,
        "userErrors": [{"field": ["input", field], "code": code}],
    }
    assert contacts == 1
    assert records_after == records_before


async def test_merging_needs_clients_write(
    engine: AsyncEngine, session: AsyncSession, account: Account
) -> None:
    survivor, duplicate = await pair(session, account)
    viewer = Viewer(account_id=account.id, permissions=ALL - {Permission.CLIENTS_WRITE})

    async with client_with_permissions(engine, viewer) as graph:
        body = await graph.execute(
            MERGE, survivor=gid(survivor), duplicate=gid(duplicate)
        )

    assert body["data"]["mergeClients"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
