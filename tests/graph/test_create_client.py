"""createClient: the whole profile at once, or nothing."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.viewer import Viewer
from domain.permissions import ALL, Permission
from persistence.models import (
    Account,
    ActivityRecord,
    Address,
    Client,
    ClientDashboard,
    Contact,
)
from tests.factories import add_client
from tests.graph.conftest import GraphClient
from tests.graph.people_helpers import client_with_permissions

CREATE = """
mutation($input: CreateClientInput!) {
  createClient(input: $input) {
    client {
      id displayName companyName clientType accountNumber archivedAt tags
      primaryContact { firstName email phone isPrimary textConsentAt }
      addresses(first: 10) { nodes { kind line1 isDefault } }
      settings { key value source }
    }
    userErrors { field code message }
  }
}
"""


def new_client(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "displayName": "Ortiz Roofing",
        "clientType": "COMMERCIAL",
        "companyName": "Ortiz Roofing LLC",
        "tags": ["roofing", " vip ", "roofing"],
        "primaryContact": {
            "firstName": "Ana",
            "lastName": "Ortiz",
            "email": " Ana@Example.COM ",
            "phone": "(303) 555-0123",
            "textConsentSource": "verbal, on the phone",
        },
        "addresses": [
            {
                "kind": "SERVICE",
                "line1": "12 Pine St",
                "city": "Boulder",
                "region": "CO",
                "postalCode": "80302",
            },
            {
                "kind": "SERVICE",
                "line1": "40 Oak Ave",
                "city": "Boulder",
                "region": "CO",
                "postalCode": "80304",
            },
            {
                "kind": "BILLING",
                "line1": "PO Box 9",
                "city": "Denver",
                "region": "CO",
                "postalCode": "80202",
            },
        ],
    }
    return values | changes


async def count(session: AsyncSession, table: type) -> int:
    return await session.scalar(select(func.count()).select_from(table)) or 0


async def test_a_new_client_has_its_whole_profile_at_once(
    graph: GraphClient, session: AsyncSession
) -> None:
    data = await graph.data(CREATE, input=new_client())

    created = data["createClient"]
    client = created["client"]
    dashboards = await count(session, ClientDashboard)
    actions = list(await session.scalars(select(ActivityRecord.action)))
    assert created["userErrors"] == []
    assert client["displayName"] == "Ortiz Roofing"
    assert client["clientType"] == "COMMERCIAL"
    assert client["accountNumber"] == "C10001"
    assert client["archivedAt"] is None
    assert client["tags"] == ["roofing", "vip"]
    assert client["primaryContact"]["email"] == "ana@example.com"
    assert client["primaryContact"]["phone"] == "+13035550123"
    assert client["primaryContact"]["isPrimary"] is True
    assert client["primaryContact"]["textConsentAt"] is not None
    assert [
        (node["kind"], node["line1"], node["isDefault"])
        for node in client["addresses"]["nodes"]
    ] == [
        ("SERVICE", "12 Pine St", True),
        ("SERVICE", "40 Oak Ave", False),
        ("BILLING", "PO Box 9", True),
    ]
    assert {setting["key"] for setting in client["settings"]} >= {"dashboard_access"}
    assert {setting["source"] for setting in client["settings"]} == {"ACCOUNT_DEFAULT"}
    assert dashboards == 1
    assert actions == ["client.created"]


async def test_account_numbers_follow_the_highest_in_the_account(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    await add_client(session, account, account_number="C10041")
    await add_client(session, account, account_number="C9999")
    await add_client(session, account, account_number="CUSTOM-7")
    await session.commit()

    first = await graph.data(CREATE, input=new_client())
    second = await graph.data(CREATE, input=new_client(displayName="Second"))

    assert first["createClient"]["client"]["accountNumber"] == "C10042"
    assert second["createClient"]["client"]["accountNumber"] == "C10043"


async def test_every_fault_of_a_new_client_is_reported_and_nothing_is_kept(
    graph: GraphClient, session: AsyncSession
) -> None:
    faulty = new_client(
        displayName=" ",
        tags=["ok", "a,b"],
        primaryContact={
            "firstName": "",
            "email": "ana@",
            "phone": "555",
            "textConsentSource": "verbal",
        },
        addresses=[
            {
                "kind": "SERVICE",
                "line1": "",
                "city": "Boulder",
                "region": "CO",
                "postalCode": "80302",
                "country": "USA",
            }
        ],
    )

    data = await graph.data(CREATE, input=faulty)

    errors = data["createClient"]["userErrors"]
    assert data["createClient"]["client"] is None
    assert [(error["field"], error["code"]) for error in errors] == [
        (["input", "displayName"], "REQUIRED"),
        (["input", "tags", "1"], "INVALID_TAG"),
        (["input", "primaryContact", "firstName"], "REQUIRED"),
        (["input", "primaryContact", "email"], "INVALID_EMAIL"),
        (["input", "primaryContact", "phone"], "INVALID_PHONE"),
        (["input", "addresses", "0", "line1"], "REQUIRED"),
        (["input", "addresses", "0", "country"], "INVALID_COUNTRY"),
    ]
    for table in (Client, Contact, Address, ClientDashboard, ActivityRecord):
        assert await count(session, table) == 0


async def test_consent_to_texts_needs_a_phone(graph: GraphClient) -> None:
    contact = {"firstName": "Ana", "textConsentSource": "verbal"}

    data = await graph.data(CREATE, input=new_client(primaryContact=contact))

    assert [error["code"] for error in data["createClient"]["userErrors"]] == [
        "CONSENT_NEEDS_PHONE"
    ]


async def test_creating_a_client_needs_clients_write(
    engine: object, account: Account
) -> None:
    viewer = Viewer(account_id=account.id, permissions=ALL - {Permission.CLIENTS_WRITE})

    async with client_with_permissions(engine, viewer) as graph:
        body = await graph.execute(CREATE, input=new_client())

    assert body["data"]["createClient"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
