"""Query.client, Query.clients and their pagination."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from graph.ids import encode_global_id
from persistence.enums import AddressKind, ClientType
from persistence.models import Account, ClientTag, Hold
from tests import billing_factories as billing
from tests.factories import (
    add_account,
    add_address,
    add_client,
    add_contact,
    add_invoice,
)
from tests.graph.conftest import GraphClient

PROFILE = """
query Profile($id: ID!) {
  client(id: $id) {
    id displayName clientType tags
    primaryContact { firstName isPrimary }
    contacts(first: 10) { totalCount nodes { firstName isPrimary } }
    addresses(first: 10, kind: SERVICE) { totalCount nodes { line1 kind isDefault } }
    billing { balance { amount currency minorUnits } outstanding { amount } }
  }
}
"""

LIST = """
query List($first: Int, $after: String, $last: Int, $before: String,
           $filter: ClientFilter, $orderBy: ClientOrder) {
  clients(first: $first, after: $after, last: $last, before: $before,
          filter: $filter, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id displayName } }
  }
}
"""


async def test_client_profile_shows_people_places_and_balance(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account, display_name="Ridgeline Builders")
    await add_contact(session, client, first_name="Ana", is_primary=True)
    await add_contact(session, client, first_name="Bo")
    await add_address(session, client, kind=AddressKind.SERVICE, is_default=True)
    await add_address(session, client, kind=AddressKind.BILLING)
    await add_invoice(session, client, subtotal=10_000, tax=825, total=10_825)
    await session.commit()
    client_id = (await graph.data(LIST, first=1))["clients"]["edges"][0]["node"]["id"]

    profile = (await graph.data(PROFILE, id=client_id))["client"]

    assert profile["displayName"] == "Ridgeline Builders"
    assert profile["primaryContact"] == {"firstName": "Ana", "isPrimary": True}
    assert [c["firstName"] for c in profile["contacts"]["nodes"]] == ["Ana", "Bo"]
    assert profile["addresses"]["totalCount"] == 1
    assert profile["billing"]["balance"] == {
        "amount": "108.25",
        "currency": "USD",
        "minorUnits": 10825,
    }


@pytest.mark.parametrize("field", ["client", "node"])
async def test_another_accounts_client_is_not_found_like_a_missing_one(
    graph: GraphClient, session: AsyncSession, field: str
) -> None:
    other = await add_client(session, await add_account(session))
    await session.commit()
    query = f"query($id: ID!) {{ {field}(id: $id) {{ id }} }}"

    foreign = await graph.execute(query, id=encode_global_id("Client", other.public_id))
    missing = await graph.execute(query, id=encode_global_id("Client", uuid.uuid4()))
    garbage = await graph.execute(query, id="not-an-id")

    for body in (foreign, missing, garbage):
        assert body["data"] == {field: None}
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert foreign["errors"][0]["message"] == missing["errors"][0]["message"]


async def test_node_finds_a_client_by_its_global_id(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account, display_name="Alder")
    await session.commit()

    data = await graph.data(
        "query($id: ID!) "
        "{ node(id: $id) { __typename ... on Client { displayName } } }",
        id=encode_global_id("Client", client.public_id),
    )

    assert data["node"] == {"__typename": "Client", "displayName": "Alder"}


async def test_client_list_pages_forward_and_backward(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    for name in ["Alder", "Birch", "Cedar", "Douglas", "Elm"]:
        await add_client(session, account, display_name=name)
    await session.commit()

    first = (await graph.data(LIST, first=2))["clients"]
    second = (await graph.data(LIST, first=2, after=first["pageInfo"]["endCursor"]))[
        "clients"
    ]
    back = (await graph.data(LIST, last=2, before=second["pageInfo"]["startCursor"]))[
        "clients"
    ]

    names = lambda page: [edge["node"]["displayName"] for edge in page["edges"]]  # noqa: E731
    assert names(first) == ["Alder", "Birch"]
    assert names(second) == ["Cedar", "Douglas"]
    assert names(back) == ["Alder", "Birch"]
    assert first["totalCount"] == 5
    assert first["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"]["hasPreviousPage"] is True


async def test_pages_stay_stable_when_clients_are_added_between_them(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    for name in ["Alder", "Birch", "Cedar", "Douglas"]:
        await add_client(session, account, display_name=name)
    await session.commit()
    first = (await graph.data(LIST, first=2))["clients"]

    await add_client(session, account, display_name="Aspen")
    await session.commit()
    second = (await graph.data(LIST, first=2, after=first["pageInfo"]["endCursor"]))[
        "clients"
    ]

    assert [edge["node"]["displayName"] for edge in second["edges"]] == [
        "Cedar",
        "Douglas",
    ]


async def test_first_is_required_and_capped(graph: GraphClient) -> None:
    missing = await graph.execute(LIST)
    too_many = await graph.execute(LIST, first=101)

    assert missing["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "first" in missing["errors"][0]["message"]
    assert too_many["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "101" in too_many["errors"][0]["message"]


async def test_client_list_filters(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    owing = await add_client(
        session, account, display_name="Owing", client_type=ClientType.CONTRACTOR
    )
    await add_invoice(session, owing)
    settled = await add_client(session, account, display_name="Settled")
    await add_contact(session, settled, first_name="Priya", email="priya@example.com")
    await session.commit()

    async def names(**filter: object) -> list[str]:
        page = (await graph.data(LIST, first=10, filter=filter))["clients"]
        return [edge["node"]["displayName"] for edge in page["edges"]]

    assert await names(hasBalance=True) == ["Owing"]
    assert await names(hasBalance=False) == ["Settled"]
    assert await names(clientTypes=["CONTRACTOR"]) == ["Owing"]
    assert await names(search="PRIYA@example") == ["Settled"]
    assert await names(isOnHold=True) == []


async def test_a_page_past_the_end_is_empty_and_keeps_the_total(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    for name in ["Ana", "Bo"]:
        await add_contact(session, client, first_name=name, last_name=name)
    await session.commit()
    query = """
    query($id: ID!, $after: String) {
      client(id: $id) {
        contacts(first: 2, after: $after) {
          totalCount pageInfo { hasNextPage endCursor } nodes { firstName }
        }
      }
    }
    """
    client_id = encode_global_id("Client", client.public_id)
    first = (await graph.data(query, id=client_id))["client"]["contacts"]

    past = await graph.data(query, id=client_id, after=first["pageInfo"]["endCursor"])

    assert first["pageInfo"]["hasNextPage"] is False
    assert past["client"]["contacts"] == {
        "totalCount": 2,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "nodes": [],
    }


async def test_client_list_filters_by_tags_holds_overdue_and_archive(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    tagged = await add_client(session, account, display_name="Tagged")
    session.add(ClientTag(account_id=account.id, client_id=tagged.id, tag="vip"))
    held = await add_client(session, account, display_name="Held")
    session.add(Hold(account_id=account.id, client_id=held.id, reason="Unpaid"))
    late = await add_client(session, account, display_name="Late")
    await add_invoice(
        session, late, issued_on=date(2025, 1, 1), due_on=date(2025, 1, 31)
    )
    await add_client(
        session, account, display_name="Gone", archived_at=datetime.now(UTC)
    )
    await session.commit()

    async def names(**filter: object) -> list[str]:
        page = (await graph.data(LIST, first=10, filter=filter))["clients"]
        return [edge["node"]["displayName"] for edge in page["edges"]]

    assert await names(tags=["vip"]) == ["Tagged"]
    assert await names(isOnHold=True) == ["Held"]
    assert await names(hasOverdueInvoices=True) == ["Late"]
    assert "Gone" not in await names()
    assert "Gone" in await names(includeArchived=True)


async def test_client_search_never_finds_another_accounts_clients(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    other = await add_client(
        session, await add_account(session), display_name="Ridgeline Elsewhere"
    )
    await add_contact(session, other, first_name="Site", last_name="Boss")
    await add_address(session, other, city="Golden")
    await add_client(session, account, display_name="Ridgeline Here")
    await session.commit()

    async def names(search: str) -> list[str]:
        page = await graph.data(LIST, first=10, filter={"search": search})
        return [edge["node"]["displayName"] for edge in page["clients"]["edges"]]

    assert await names("ridgeline") == ["Ridgeline Here"]
    assert await names("site boss") == []
    assert await names("golden") == []


@pytest.mark.parametrize(
    "search",
    ["ridgeline", "555-0142", "Golden", "80401", "#4242", "4242", "site boss"],
)
async def test_client_search_looks_through_people_places_and_numbers(
    graph: GraphClient, session: AsyncSession, account: Account, search: str
) -> None:
    found = await add_client(
        session, account, display_name="Pat Doe", company_name="Ridgeline Builders"
    )
    await add_contact(
        session, found, first_name="Site", last_name="Boss", phone="303-555-0142"
    )
    await add_address(session, found, city="Golden", postal_code="80401")
    await add_invoice(session, found, number=4242)
    await add_client(session, account, display_name="Someone Else")
    await session.commit()

    page = (await graph.data(LIST, first=10, filter={"search": search}))["clients"]

    assert [edge["node"]["displayName"] for edge in page["edges"]] == ["Pat Doe"]


@pytest.mark.parametrize(
    ("field", "direction", "expected"),
    [
        ("NAME", "ASC", ["Alder", "Birch", "Cedar"]),
        ("NAME", "DESC", ["Cedar", "Birch", "Alder"]),
        ("BALANCE", "DESC", ["Birch", "Cedar", "Alder"]),
        ("CREATED_AT", "ASC", ["Cedar", "Alder", "Birch"]),
        ("LAST_ACTIVITY_AT", "DESC", ["Alder", "Cedar", "Birch"]),
    ],
)
async def test_client_list_orders(
    graph: GraphClient,
    session: AsyncSession,
    account: Account,
    field: str,
    direction: str,
    expected: list[str],
) -> None:
    day = datetime(2026, 1, 1, tzinfo=UTC)
    rows = {
        "Alder": (2, 9, 0),
        "Birch": (3, 1, 50_000),
        "Cedar": (1, 5, 20_000),
    }
    for name, (created, active, owed) in rows.items():
        client = await add_client(
            session,
            account,
            display_name=name,
            created_at=day + timedelta(days=created),
            last_activity_at=day + timedelta(days=active),
        )
        if owed:
            await add_invoice(session, client, subtotal=owed, tax=0, total=owed)
    await session.commit()

    page = await graph.data(
        LIST, first=3, orderBy={"field": field, "direction": direction}
    )

    assert [
        edge["node"]["displayName"] for edge in page["clients"]["edges"]
    ] == expected


async def test_ordered_pages_continue_where_the_cursor_left_off(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    for index, owed in enumerate([30_000, 10_000, 20_000, 40_000]):
        client = await add_client(session, account, display_name=f"C{index}")
        await add_invoice(session, client, subtotal=owed, tax=0, total=owed)
    await session.commit()
    order = {"field": "BALANCE", "direction": "DESC"}

    first = (await graph.data(LIST, first=2, orderBy=order))["clients"]
    rest = (
        await graph.data(
            LIST, first=2, after=first["pageInfo"]["endCursor"], orderBy=order
        )
    )["clients"]

    names = [edge["node"]["displayName"] for edge in first["edges"] + rest["edges"]]
    assert names == ["C3", "C0", "C2", "C1"]


@pytest.mark.parametrize("search", ["#²", "²³", "%", "_", "\\"])
async def test_odd_search_text_finds_nothing_without_failing(
    graph: GraphClient, session: AsyncSession, account: Account, search: str
) -> None:
    await add_client(session, account, display_name="Alder")
    await session.commit()

    page = (await graph.data(LIST, first=10, filter={"search": search}))["clients"]

    assert page["totalCount"] == 0


async def test_a_card_taken_off_file_is_not_found_by_node(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    card = await billing.add_payment_method(
        session, client, removed_at=datetime.now(UTC)
    )
    await session.commit()

    body = await graph.execute(
        "query($id: ID!) { node(id: $id) { ... on PaymentMethod { lastFour } } }",
        id=encode_global_id("PaymentMethod", card.public_id),
    )

    assert body["data"] == {"node": None}
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_an_over_credited_invoice_does_not_hide_what_others_owe(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    credited = await add_invoice(session, client, subtotal=10_000, tax=0, total=10_000)
    await billing.add_credit(session, client, invoice_id=credited.id, amount=11_000)
    await add_invoice(session, client, subtotal=5_000, tax=0, total=5_000)
    await session.commit()

    data = await graph.data(
        "query($id: ID!) "
        "{ client(id: $id) { billing { outstanding { minorUnits } } } }",
        id=encode_global_id("Client", client.public_id),
    )

    assert data["client"]["billing"]["outstanding"]["minorUnits"] == 5_000
