"""The shop: rentalOptions, rentalQuote and scheduleRental on the dashboard."""

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from persistence.enums import (
    ClientType,
    DocumentKind,
    PriceRule,
    TaskKind,
    TaskStatus,
)
from persistence.models import (
    Account,
    Address,
    Client,
    Document,
    DocumentTemplate,
    PriceListItem,
    ServiceRequest,
    Task,
)
from tests.billing_factories import add_hold
from tests.estimate_factories import (
    STANDARD_20_YD,
    add_price_list,
    set_client_setting,
)
from tests.factories import add, add_address, add_client
from tests.graph.dashboard.conftest import RouteClient, codes, gid, staff_granted
from tests.notify_factories import memory_worker
from tests.records_factories import add_special_price

OPTIONS = """
{ viewer { rentalOptions {
  available unavailableReason sizes rentalDays earliestDeliveryOn termsTitle termsText
} } }
"""
QUOTE = """
query($input: RentalQuoteInput!) { viewer { rentalQuote(input: $input) {
  quote {
    amount { amount } includedDays includedTons overagePerTon { amount }
    extraDayPrice { amount } pricedBy
  }
  userErrors { field code message }
} } }
"""
SCHEDULE = """
mutation($input: ScheduleRentalInput!) {
  scheduleRental(input: $input) {
    task { kind status containerSize price { amount } }
    userErrors { field code message }
  }
}
"""
STAFF_TASKS = """
query($id: ID!) { client(id: $id) {
  tasks(first: 10) { nodes { kind status priceProvenance { rule } } }
  serviceRequests(first: 10) { nodes { status preferredOn task { kind } } }
} }
"""
SPECIAL_20_YD = 39_500


@pytest.fixture
async def address(session: AsyncSession, client: Client, account: Account) -> Address:
    await add_price_list(session, account)
    await add(
        session,
        DocumentTemplate(
            account_id=account.id,
            kind=DocumentKind.TERMS_AND_CONDITIONS,
            name="Rental terms",
            body="{{ client.name }} keeps hazardous waste out of the container.",
        ),
    )
    address = await add_address(session, client, line1="12 Quarry Rd")
    await session.commit()
    return address


def rental(address: Address, **values: Any) -> dict[str, Any]:
    return {
        "containerSize": 20,
        "deliveryOn": "2026-06-16",
        "pickupOn": "2026-06-21",
        "addressId": gid("Address", address),
    } | values


def order(address: Address, **values: Any) -> dict[str, Any]:
    return rental(address, acceptTerms=True) | values


async def test_the_shop_offers_the_price_list_and_the_terms(
    dashboard: RouteClient, client: Client, address: Address
) -> None:
    data = await dashboard.data(OPTIONS)

    assert data["viewer"]["rentalOptions"] == {
        "available": True,
        "unavailableReason": None,
        "sizes": [20],
        "rentalDays": [7],
        "earliestDeliveryOn": "2026-06-16",
        "termsTitle": "Rental terms",
        "termsText": f"{client.display_name} keeps hazardous waste out of the "
        "container.",
    }


async def test_a_quote_uses_the_clients_special_pricing(
    dashboard: RouteClient, session: AsyncSession, client: Client, address: Address
) -> None:
    standard = await dashboard.data(QUOTE, input=rental(address))
    await add_special_price(session, client, base_price=SPECIAL_20_YD)
    await session.commit()
    special = await dashboard.data(QUOTE, input=rental(address))

    assert standard["viewer"]["rentalQuote"]["quote"]["amount"] == {"amount": "475.00"}
    assert special["viewer"]["rentalQuote"] == {
        "quote": {
            "amount": {"amount": "395.00"},
            "includedDays": 7,
            "includedTons": "3.00",
            "overagePerTon": {"amount": "95.00"},
            "extraDayPrice": {"amount": "15.00"},
            "pricedBy": "Your negotiated price",
        },
        "userErrors": [],
    }


async def test_scheduling_creates_a_pending_delivery_at_the_special_price(
    dashboard: RouteClient,
    staff: RouteClient,
    session: AsyncSession,
    client: Client,
    address: Address,
) -> None:
    await add_special_price(session, client, base_price=SPECIAL_20_YD)
    await session.commit()

    data = await dashboard.data(SCHEDULE, input=order(address, notes="By the gate"))

    assert data["scheduleRental"] == {
        "task": {
            "kind": "DELIVERY",
            "status": "UNSCHEDULED",
            "containerSize": 20,
            "price": {"amount": "395.00"},
        },
        "userErrors": [],
    }
    task = await session.scalar(select(Task))
    assert task is not None
    assert (task.kind, task.status, task.price) == (
        TaskKind.DELIVERY,
        TaskStatus.UNSCHEDULED,
        SPECIAL_20_YD,
    )
    assert task.price_rule == PriceRule.CLIENT_SPECIAL_PRICING
    assert task.instructions is not None
    assert "2026-06-16" in task.instructions
    assert "By the gate" in task.instructions
    seen = await staff.data(STAFF_TASKS, id=gid("Client", client))
    assert seen["client"]["tasks"]["nodes"] == [
        {
            "kind": "DELIVERY",
            "status": "UNSCHEDULED",
            "priceProvenance": {"rule": "CLIENT_SPECIAL_PRICING"},
        }
    ]
    assert seen["client"]["serviceRequests"]["nodes"] == [
        {"status": "NEW", "preferredOn": "2026-06-16", "task": {"kind": "DELIVERY"}}
    ]


async def test_the_accepted_terms_are_kept_signed_with_the_order(
    dashboard: RouteClient, session: AsyncSession, client: Client, address: Address
) -> None:
    await dashboard.data(SCHEDULE, input=order(address))

    task = await session.scalar(select(Task))
    document = await session.scalar(select(Document))
    assert task is not None
    assert document is not None
    assert document.kind == DocumentKind.TERMS_AND_CONDITIONS
    assert document.task_id == task.id
    assert (document.signer_name, document.signer_ip) == ("Ana Ortiz", "127.0.0.1")
    assert document.signed_at is not None
    assert "$475.00" in document.body
    assert "keeps hazardous waste out" in document.body


async def test_staff_who_book_work_are_emailed_the_order(
    dashboard: RouteClient,
    engine: AsyncEngine,
    session: AsyncSession,
    account: Account,
    client: Client,
    address: Address,
) -> None:
    await staff_granted(session, account, ["work:write"], email="desk@haul.example")
    await session.commit()
    worker, mailer, _ = memory_worker(engine)

    await dashboard.data(SCHEDULE, input=order(address, notes="By the gate"))
    await worker.run_until_idle()

    (email,) = mailer.sent
    assert email.to == "desk@haul.example"
    assert email.subject == (
        f"Service request from {client.display_name}: a dumpster delivery"
    )
    assert "Preferred day: 2026-06-16" in email.text
    assert "By the gate" in email.text
    assert "A pending delivery task was booked with the order." in email.text


@pytest.mark.parametrize(
    ("values", "code", "field"),
    [
        ({"acceptTerms": False}, "TERMS_NOT_ACCEPTED", "acceptTerms"),
        ({"deliveryOn": "2026-06-15"}, "DATE_IN_PAST", "deliveryOn"),
        ({"pickupOn": "2026-06-16"}, "DATES_OUT_OF_ORDER", "pickupOn"),
        ({"containerSize": 40}, "SIZE_NOT_OFFERED", "containerSize"),
        ({"addressId": "bm9wZQ"}, "ADDRESS_NOT_FOUND", "addressId"),
        ({"notes": "x" * 2001}, "NOTES_TOO_LONG", "notes"),
    ],
)
async def test_an_order_refused_for_its_input_books_nothing(
    dashboard: RouteClient,
    session: AsyncSession,
    address: Address,
    values: dict[str, Any],
    code: str,
    field: str,
) -> None:
    data = await dashboard.data(SCHEDULE, input=order(address) | values)

    assert data["scheduleRental"]["task"] is None
    assert [(e["field"], e["code"]) for e in data["scheduleRental"]["userErrors"]] == [
        (["input", field], code)
    ]
    assert list(await session.scalars(select(Task))) == []
    assert list(await session.scalars(select(ServiceRequest))) == []
    assert list(await session.scalars(select(Document))) == []


async def test_another_clients_address_is_not_found(
    dashboard: RouteClient, session: AsyncSession, account: Account, address: Address
) -> None:
    other = await add_client(session, account)
    theirs = await add_address(session, other)
    await session.commit()

    quoted = await dashboard.data(QUOTE, input=rental(theirs))
    ordered = await dashboard.data(SCHEDULE, input=order(theirs))

    assert codes(quoted["viewer"]["rentalQuote"]) == ["ADDRESS_NOT_FOUND"]
    assert codes(ordered["scheduleRental"]) == ["ADDRESS_NOT_FOUND"]


@pytest.mark.parametrize("closed_by", ["addon", "setting"])
async def test_the_shop_is_closed_without_the_addon_or_the_setting(
    dashboard: RouteClient,
    session: AsyncSession,
    account: Account,
    client: Client,
    address: Address,
    closed_by: str,
) -> None:
    if closed_by == "addon":
        account.has_shop_addon = False
    else:
        await set_client_setting(session, client, "shop_ordering", False)
    await session.commit()

    options = await dashboard.data(OPTIONS)
    quoted = await dashboard.data(QUOTE, input=rental(address))
    ordered = await dashboard.data(SCHEDULE, input=order(address))

    assert options["viewer"]["rentalOptions"]["available"] is False
    assert options["viewer"]["rentalOptions"]["unavailableReason"]
    assert codes(quoted["viewer"]["rentalQuote"]) == ["SHOP_UNAVAILABLE"]
    assert codes(ordered["scheduleRental"]) == ["SHOP_UNAVAILABLE"]
    assert list(await session.scalars(select(Task))) == []


async def test_a_preview_or_a_held_client_orders_nothing(
    preview: RouteClient,
    dashboard: RouteClient,
    session: AsyncSession,
    client: Client,
    address: Address,
) -> None:
    from_preview = await preview.data(SCHEDULE, input=order(address))
    preview_options = await preview.data(OPTIONS)
    await add_hold(session, client)
    await session.commit()
    while_held = await dashboard.data(SCHEDULE, input=order(address))
    held_options = await dashboard.data(OPTIONS)

    assert codes(from_preview["scheduleRental"]) == ["READ_ONLY"]
    assert preview_options["viewer"]["rentalOptions"]["available"] is True
    assert codes(while_held["scheduleRental"]) == ["ON_HOLD"]
    assert held_options["viewer"]["rentalOptions"]["available"] is False
    assert list(await session.scalars(select(Task))) == []


async def test_a_longer_stay_is_priced_at_the_longest_length_offered(
    dashboard: RouteClient, address: Address
) -> None:
    data = await dashboard.data(QUOTE, input=rental(address, pickupOn="2026-06-30"))

    quote = data["viewer"]["rentalQuote"]["quote"]
    assert quote["amount"] == {"amount": f"{STANDARD_20_YD / 100:.2f}"}
    assert quote["includedDays"] == 7


async def test_only_prices_that_apply_to_the_client_are_offered_and_quoted(
    dashboard: RouteClient, session: AsyncSession, account: Account, address: Address
) -> None:
    # Beside the standard 7-day item: a standard 14-day one, and a 10-day one
    # for contractors and a 3-day one in the mountain zone, neither of which
    # can price this residential client at this address.
    item = {
        "account_id": account.id,
        "container_size": 20,
        "included_tons": Decimal("3.00"),
        "overage_per_ton": 9_500,
        "per_extra_day": 1_500,
    }
    for days, price, narrowed in (
        (14, 60_000, {}),
        (10, 55_000, {"client_type": ClientType.CONTRACTOR}),
        (3, 30_000, {"pricing_zone": "mountain"}),
    ):
        await add(
            session,
            PriceListItem(
                **item,
                rental_days=days,
                included_days=days,
                base_price=price,
                **narrowed,
            ),
        )
    await session.commit()

    options = await dashboard.data(OPTIONS)
    nine_days = await dashboard.data(
        QUOTE, input=rental(address, pickupOn="2026-06-25")
    )

    assert options["viewer"]["rentalOptions"]["rentalDays"] == [7, 14]
    quote = nine_days["viewer"]["rentalQuote"]
    assert quote["userErrors"] == []
    assert (quote["quote"]["amount"], quote["quote"]["includedDays"]) == (
        {"amount": "600.00"},
        14,
    )
