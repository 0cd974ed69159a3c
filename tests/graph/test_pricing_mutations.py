"""Pricing mutations through the graph, and quotePrice answering with them."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL, Permission
from graph.ids import encode_global_id
from persistence.models import (
    Account,
    ActivityRecord,
    Client,
    Fee,
    PriceListItem,
    SpecialPrice,
)
from tests.factories import add, add_address, add_client
from tests.graph.conftest import GraphClient
from tests.graph.test_billing_section import graph_as

ERRORS = "userErrors { field code }"
SET_ITEM = f"""
mutation Set($input: SetPriceListItemInput!) {{
  setPriceListItem(input: $input) {{
    priceListItem {{ containerSize rentalDays clientType pricingZone
      basePrice {{ minorUnits }} includedTons }}
    {ERRORS}
  }}
}}
"""
REMOVE_ITEM = f"""
mutation Remove($input: RemovePriceListItemInput!) {{
  removePriceListItem(input: $input) {{
    priceListItem {{ basePrice {{ minorUnits }} }} {ERRORS}
  }}
}}
"""
SET_FEE = f"""
mutation SetFee($input: SetFeeInput!) {{
  setFee(input: $input) {{ fee {{ code name amount {{ minorUnits }} }} {ERRORS} }}
}}
"""
REMOVE_FEE = f"""
mutation RemoveFee($input: RemoveFeeInput!) {{
  removeFee(input: $input) {{ fee {{ code }} {ERRORS} }}
}}
"""
SPECIAL = "specialPrice { id kind basePrice { minorUnits } feeAmount { minorUnits } }"
ADD_SPECIAL = f"""
mutation Add($input: AddSpecialPriceInput!) {{
  addSpecialPrice(input: $input) {{ {SPECIAL} {ERRORS} }}
}}
"""
UPDATE_SPECIAL = f"""
mutation Update($input: UpdateSpecialPriceInput!) {{
  updateSpecialPrice(input: $input) {{ {SPECIAL} {ERRORS} }}
}}
"""
REMOVE_SPECIAL = f"""
mutation RemoveSpecial($input: RemoveSpecialPriceInput!) {{
  removeSpecialPrice(input: $input) {{ {SPECIAL} {ERRORS} }}
}}
"""
QUOTE = f"""
query Quote($clientId: ID!, $size: Int, $days: Int, $fee: String,
            $address: ID, $date: Date) {{
  quotePrice(clientId: $clientId, containerSize: $size, rentalDays: $days,
             feeCode: $fee, serviceAddressId: $address, date: $date) {{
    quote {{ day amount {{ minorUnits }} includedDays includedTons
      perExtraDay {{ minorUnits }} feeCode provenance {{ rule detail }} }}
    {ERRORS}
  }}
}}
"""
TERMS = {
    "containerSize": 20,
    "rentalDays": 7,
    "basePrice": 47_500,
    "includedDays": 7,
    "includedTons": "3",
    "overagePerTon": 9_500,
    "perExtraDay": 1_500,
}


def client_id(client: Client) -> str:
    return encode_global_id("Client", client.public_id)


async def quote(graph: GraphClient, client: Client, **values: Any) -> Any:
    variables = {"clientId": client_id(client), "size": 20, "days": 7} | values
    data = await graph.data(QUOTE, **variables)
    return data["quotePrice"]


async def payload(graph: GraphClient, document: str, **input: Any) -> Any:
    data = await graph.data(document, input=input)
    return next(iter(data.values()))


def codes(result: Any) -> list[str]:
    return [error["code"] for error in result["userErrors"]]


@pytest.fixture
async def client(session: AsyncSession, account: Account) -> Client:
    client = await add_client(session, account, client_type="contractor")
    await session.commit()
    return client


async def test_the_price_list_set_through_the_graph_is_what_quotes_answer(
    graph: GraphClient, client: Client
) -> None:
    standard = await payload(graph, SET_ITEM, **TERMS)
    first = await quote(graph, client, date="2026-06-15")
    contractor = TERMS | {"clientType": "CONTRACTOR", "basePrice": 43_500}
    await payload(graph, SET_ITEM, **contractor)
    second = await quote(graph, client, date="2026-06-15")

    assert standard["priceListItem"]["includedTons"] == "3.00"
    assert first["quote"]["amount"]["minorUnits"] == 47_500
    assert first["quote"]["provenance"]["rule"] == "ACCOUNT_STANDARD"
    assert first["quote"]["day"] == "2026-06-15"
    assert second["quote"]["amount"]["minorUnits"] == 43_500
    assert second["quote"]["provenance"]["rule"] == "CLIENT_TYPE_PRICING"


async def test_a_zone_item_wins_for_an_address_in_its_zone(
    graph: GraphClient, session: AsyncSession, client: Client
) -> None:
    address = await add_address(session, client, pricing_zone="mountain")
    await session.commit()
    await payload(graph, SET_ITEM, **TERMS)
    await payload(
        graph, SET_ITEM, **TERMS | {"pricingZone": "mountain", "basePrice": 56_000}
    )

    result = await quote(
        graph, client, address=encode_global_id("Address", address.public_id)
    )

    assert result["quote"]["amount"]["minorUnits"] == 56_000
    assert result["quote"]["provenance"]["rule"] == "SERVICE_ADDRESS_PRICING"


async def test_special_prices_win_until_changed_or_removed(
    graph: GraphClient, client: Client
) -> None:
    await payload(graph, SET_ITEM, **TERMS)
    added = await payload(
        graph, ADD_SPECIAL, clientId=client_id(client), containerSize=20,
        basePrice=39_900, note="Volume deal",
    )  # fmt: skip
    special_id = added["specialPrice"]["id"]
    special = await quote(graph, client)
    await payload(
        graph, UPDATE_SPECIAL, specialPriceId=special_id, perExtraDay=900,
        basePrice=None,
    )  # fmt: skip
    updated = await quote(graph, client)
    removed = await payload(graph, REMOVE_SPECIAL, specialPriceId=special_id)
    standard = await quote(graph, client)

    assert added["specialPrice"]["kind"] == "CONTAINER"
    assert special["quote"]["amount"]["minorUnits"] == 39_900
    assert special["quote"]["provenance"]["rule"] == "CLIENT_SPECIAL_PRICING"
    assert special["quote"]["provenance"]["detail"]["overridden"] == ["base_price"]
    assert updated["quote"]["amount"]["minorUnits"] == 47_500
    assert updated["quote"]["perExtraDay"]["minorUnits"] == 900
    assert updated["quote"]["provenance"]["detail"]["overridden"] == ["per_extra_day"]
    assert removed["specialPrice"]["id"] == special_id
    assert standard["quote"]["provenance"]["rule"] == "ACCOUNT_STANDARD"


async def test_fees_and_their_special_prices_are_quoted(
    graph: GraphClient, client: Client
) -> None:
    fee = await payload(graph, SET_FEE, code="mattress", name="Mattress", amount=3_500)
    standard = await quote(graph, client, size=None, days=None, fee="mattress")
    await payload(
        graph, ADD_SPECIAL, clientId=client_id(client), feeCode="mattress",
        feeAmount=2_000,
    )  # fmt: skip
    special = await quote(graph, client, size=None, days=None, fee="mattress")
    await payload(graph, REMOVE_FEE, code="mattress")
    gone = await quote(graph, client, size=None, days=None, fee="mattress")

    assert fee["fee"] == {
        "code": "mattress",
        "name": "Mattress",
        "amount": {"minorUnits": 3_500},
    }
    assert standard["quote"]["amount"]["minorUnits"] == 3_500
    assert standard["quote"]["provenance"]["rule"] == "ACCOUNT_STANDARD"
    assert special["quote"]["amount"]["minorUnits"] == 2_000
    assert special["quote"]["provenance"]["rule"] == "CLIENT_SPECIAL_PRICING"
    assert (gone["quote"], codes(gone)) == (None, ["UNKNOWN_FEE"])


async def test_the_price_list_and_fees_read_in_order(graph: GraphClient) -> None:
    await payload(graph, SET_ITEM, **TERMS | {"rentalDays": 14})
    await payload(graph, SET_ITEM, **TERMS | {"pricingZone": "mountain"})
    await payload(graph, SET_ITEM, **TERMS)
    await payload(graph, SET_FEE, code="tires", name="Tires", amount=2_500)
    await payload(graph, SET_FEE, code="mattress", name="Mattress", amount=3_500)

    data = await graph.data("{ priceList { rentalDays pricingZone } fees { code } }")

    assert data["priceList"] == [
        {"rentalDays": 7, "pricingZone": None},
        {"rentalDays": 7, "pricingZone": "mountain"},
        {"rentalDays": 14, "pricingZone": None},
    ]
    assert data["fees"] == [{"code": "mattress"}, {"code": "tires"}]


async def test_setting_an_item_again_replaces_it_and_removing_deletes_it(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    await payload(graph, SET_ITEM, **TERMS)
    await payload(graph, SET_ITEM, **TERMS | {"basePrice": 50_000})
    removed = await payload(graph, REMOVE_ITEM, containerSize=20, rentalDays=7)
    again = await payload(graph, REMOVE_ITEM, containerSize=20, rentalDays=7)

    assert removed["priceListItem"]["basePrice"]["minorUnits"] == 50_000
    assert codes(again) == ["PRICE_LIST_ITEM_NOT_FOUND"]
    assert await session.scalar(select(func.count(PriceListItem.id))) == 0
    actions = await session.scalars(
        select(ActivityRecord.action).order_by(ActivityRecord.id)
    )
    assert list(actions) == [
        "price_list.item_set",
        "price_list.item_set",
        "price_list.item_removed",
    ]


@pytest.fixture
async def special_id(graph: GraphClient, session: AsyncSession, client: Client) -> str:
    await add(
        session,
        Fee(account_id=client.account_id, code="mattress", name="M", amount=3_500),
    )
    await session.commit()
    added = await payload(
        graph, ADD_SPECIAL, clientId=client_id(client), containerSize=20,
        basePrice=39_900,
    )  # fmt: skip
    return str(added["specialPrice"]["id"])


CASES: list[tuple[str, str, dict[str, Any], list[str]]] = [
    ("size", SET_ITEM, TERMS | {"containerSize": 25}, ["INVALID_CONTAINER_SIZE"]),
    (
        "amounts",
        SET_ITEM,
        TERMS | {"rentalDays": 0, "includedDays": 0, "includedTons": "-1",
                 "perExtraDay": -1},
        ["INVALID_RENTAL_DAYS", "NEGATIVE_AMOUNT", "NEGATIVE_TONS",
         "INVALID_INCLUDED_DAYS"],
    ),  # fmt: skip
    ("no item", REMOVE_ITEM, {"containerSize": 30, "rentalDays": 7},
     ["PRICE_LIST_ITEM_NOT_FOUND"]),  # fmt: skip
    ("fee code", SET_FEE, {"code": "Big Fee", "name": "x", "amount": 1},
     ["INVALID_FEE_CODE"]),  # fmt: skip
    ("fee name", SET_FEE, {"code": "x", "name": " ", "amount": 1}, ["BLANK"]),
    ("fee amount", SET_FEE, {"code": "x", "name": "x", "amount": -5},
     ["NEGATIVE_AMOUNT"]),  # fmt: skip
    ("no fee", REMOVE_FEE, {"code": "piano"}, ["UNKNOWN_FEE"]),
    ("no special", REMOVE_SPECIAL, {"specialPriceId": "bm9wZQ"},
     ["SPECIAL_PRICE_NOT_FOUND"]),  # fmt: skip
    ("client", ADD_SPECIAL, {"clientId": "bm9wZQ", "containerSize": 20,
     "basePrice": 1}, ["CLIENT_NOT_FOUND"]),  # fmt: skip
    ("target", ADD_SPECIAL, {"basePrice": 1}, ["TARGET_REQUIRED"]),
    ("both", ADD_SPECIAL, {"containerSize": 20, "feeCode": "mattress",
     "basePrice": 1}, ["TARGET_REQUIRED"]),  # fmt: skip
    ("unknown fee", ADD_SPECIAL, {"feeCode": "piano", "feeAmount": 1},
     ["UNKNOWN_FEE"]),  # fmt: skip
    ("no field", ADD_SPECIAL, {"containerSize": 20, "note": "x"},
     ["NO_PRICE_FIELD"]),  # fmt: skip
    ("fee field on container", ADD_SPECIAL,
     {"containerSize": 20, "basePrice": 1, "feeAmount": 5}, ["NOT_APPLICABLE"]),
    ("dates", ADD_SPECIAL, {"containerSize": 20, "basePrice": 1,
     "startsOn": "2026-07-01", "endsOn": "2026-06-01"}, ["DATES_OUT_OF_ORDER"]),
    ("special size", ADD_SPECIAL, {"containerSize": 12, "basePrice": 1},
     ["INVALID_CONTAINER_SIZE"]),  # fmt: skip
    ("special money", ADD_SPECIAL, {"containerSize": 20, "basePrice": -1},
     ["NEGATIVE_AMOUNT"]),  # fmt: skip
]  # fmt: skip


@pytest.mark.parametrize(
    ("document", "input", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
async def test_each_refusal_has_its_code_and_changes_nothing(
    graph: GraphClient,
    session: AsyncSession,
    client: Client,
    document: str,
    input: dict[str, Any],
    expected: list[str],
) -> None:
    if document is ADD_SPECIAL:
        input = {"clientId": client_id(client)} | input
    before = await counts(session)

    result = await payload(graph, document, **input)

    assert sorted(codes(result)) == sorted(expected)
    assert all(error["field"] is None or error["field"][0] == "input"
               for error in result["userErrors"])  # fmt: skip
    assert await counts(session) == before


async def counts(session: AsyncSession) -> tuple[int, ...]:
    tables = (PriceListItem, Fee, SpecialPrice, ActivityRecord)
    return tuple(
        [await session.scalar(select(func.count(table.id))) or 0 for table in tables]
    )


@pytest.mark.parametrize(
    ("input", "expected"),
    [
        ({"basePrice": None}, ["NO_PRICE_FIELD"]),
        ({"feeAmount": 100}, ["NOT_APPLICABLE"]),
        ({"startsOn": "2026-07-01", "endsOn": "2026-06-01"}, ["DATES_OUT_OF_ORDER"]),
        ({"specialPriceId": "bm9wZQ"}, ["SPECIAL_PRICE_NOT_FOUND"]),
    ],
)
async def test_a_refused_update_leaves_the_special_price_as_it_was(
    graph: GraphClient,
    session: AsyncSession,
    special_id: str,
    input: dict[str, Any],
    expected: list[str],
) -> None:
    result = await payload(
        graph, UPDATE_SPECIAL, **{"specialPriceId": special_id} | input
    )

    assert codes(result) == expected
    row = await session.scalar(select(SpecialPrice))
    assert row is not None
    await session.refresh(row)
    assert (row.base_price, row.fee_amount, row.ends_on) == (39_900, None, None)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, ["NO_PRICE"]),
        ({"size": 25}, ["INVALID_CONTAINER_SIZE"]),
        ({"days": None}, ["INVALID_RENTAL_DAYS"]),
        ({"size": None, "days": None}, ["TARGET_REQUIRED"]),
        ({"address": "bm9wZQ"}, ["ADDRESS_NOT_FOUND"]),
        ({"clientId": "bm9wZQ"}, ["CLIENT_NOT_FOUND"]),
    ],
)
async def test_quotes_that_cannot_be_given_say_why(
    graph: GraphClient, client: Client, values: dict[str, Any], expected: list[str]
) -> None:
    result = await quote(graph, client, **values)

    assert (result["quote"], codes(result)) == (None, expected)


@pytest.fixture
async def without_pricing(
    engine: AsyncEngine, account: Account
) -> AsyncIterator[GraphClient]:
    permissions = ALL - {Permission.PRICING_READ, Permission.PRICING_WRITE}
    viewer = Viewer(
        account_id=account.id, kind=ViewerKind.STAFF, permissions=permissions
    )
    async with graph_as(engine, viewer) as graph:
        yield graph


@pytest.mark.parametrize(
    ("document", "input"),
    [
        (SET_ITEM, TERMS),
        (REMOVE_ITEM, {"containerSize": 20, "rentalDays": 7}),
        (SET_FEE, {"code": "x", "name": "x", "amount": 1}),
        (REMOVE_FEE, {"code": "x"}),
        (ADD_SPECIAL, {"clientId": "x", "containerSize": 20, "basePrice": 1}),
        (UPDATE_SPECIAL, {"specialPriceId": "x"}),
        (REMOVE_SPECIAL, {"specialPriceId": "x"}),
    ],
)
async def test_pricing_changes_need_pricing_write(
    without_pricing: GraphClient, session: AsyncSession, document: str, input: Any
) -> None:
    body = await without_pricing.execute(document, input=input)

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["errors"][0]["extensions"]["permission"] == "pricing:write"
    assert await counts(session) == (0, 0, 0, 0)


async def test_reading_prices_needs_pricing_read(
    without_pricing: GraphClient, client: Client
) -> None:
    body = await without_pricing.execute(
        QUOTE, clientId=client_id(client), size=20, days=7
    )
    lists = await without_pricing.execute("{ priceList { rentalDays } fees { code } }")

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert {error["path"][0] for error in lists["errors"]} == {"priceList", "fees"}
