"""The price a client pays and why: the precedence of domain.pricing."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domain.pricing import container_rate, fee_price
from domain.problems import Refused
from persistence.enums import ClientType, PriceRule, SpecialPriceKind
from persistence.models import Account, Client, Fee, PriceListItem, SpecialPrice
from tests.factories import add, add_account, add_client

DAY = date(2026, 6, 15)
STANDARD = 47_500
ZONE = 55_000
ZONE_AND_TYPE = 52_000
CONTRACTOR = 43_500
SPECIAL = 39_900


async def add_item(
    session: AsyncSession, account: Account, base_price: int, **values: Any
) -> PriceListItem:
    defaults: dict[str, Any] = {
        "account_id": account.id,
        "container_size": 20,
        "rental_days": 7,
        "base_price": base_price,
        "included_days": 7,
        "included_tons": Decimal("3.00"),
        "overage_per_ton": 9_500,
        "per_extra_day": 1_500,
    }
    return await add(session, PriceListItem(**(defaults | values)))


async def add_special(
    session: AsyncSession, client: Client, **values: Any
) -> SpecialPrice:
    defaults: dict[str, Any] = {
        "account_id": client.account_id,
        "client_id": client.id,
        "kind": SpecialPriceKind.CONTAINER,
        "container_size": 20,
    }
    return await add(session, SpecialPrice(**(defaults | values)))


@pytest.fixture
async def account(session: AsyncSession) -> Account:
    account = await add_account(session)
    await add_item(session, account, STANDARD)
    await add_item(session, account, ZONE, pricing_zone="mountain")
    await add_item(
        session,
        account,
        ZONE_AND_TYPE,
        pricing_zone="mountain",
        client_type=ClientType.CONTRACTOR,
    )
    await add_item(session, account, CONTRACTOR, client_type=ClientType.CONTRACTOR)
    await add(
        session,
        Fee(account_id=account.id, code="mattress", name="Mattress", amount=3_500),
    )
    return account


@pytest.mark.parametrize(
    ("client_type", "zone", "base_price", "rule"),
    [
        (ClientType.RESIDENTIAL, None, STANDARD, PriceRule.ACCOUNT_STANDARD),
        (ClientType.RESIDENTIAL, "valley", STANDARD, PriceRule.ACCOUNT_STANDARD),
        (ClientType.CONTRACTOR, None, CONTRACTOR, PriceRule.CLIENT_TYPE_PRICING),
        (ClientType.RESIDENTIAL, "mountain", ZONE, PriceRule.SERVICE_ADDRESS_PRICING),
        (
            ClientType.CONTRACTOR,
            "mountain",
            ZONE_AND_TYPE,
            PriceRule.SERVICE_ADDRESS_PRICING,
        ),
    ],
)
async def test_the_most_specific_price_list_item_wins(
    session: AsyncSession,
    account: Account,
    client_type: ClientType,
    zone: str | None,
    base_price: int,
    rule: PriceRule,
) -> None:
    client = await add_client(session, account, client_type=client_type)

    rate = await container_rate(session, client, 20, 7, DAY, zone)

    assert (rate.base_price, rate.rule) == (base_price, rule)
    assert rate.special_price_id is None


async def test_special_pricing_beats_every_list_item_and_replaces_only_its_fields(
    session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account, client_type=ClientType.CONTRACTOR)
    special = await add_special(session, client, base_price=SPECIAL)

    rate = await container_rate(session, client, 20, 7, DAY, "mountain")

    assert rate.rule is PriceRule.CLIENT_SPECIAL_PRICING
    assert (rate.base_price, rate.overage_per_ton) == (SPECIAL, 9_500)
    assert rate.overridden == ("base_price",)
    assert rate.detail["special_price_id"] == special.id


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "applies"),
    [
        (None, None, True),
        (DAY, DAY, True),
        (date(2026, 6, 16), None, False),
        (None, date(2026, 6, 14), False),
    ],
)
async def test_special_pricing_applies_within_its_dates(
    session: AsyncSession,
    account: Account,
    starts_on: date | None,
    ends_on: date | None,
    applies: bool,
) -> None:
    client = await add_client(session, account)
    await add_special(
        session, client, base_price=SPECIAL, starts_on=starts_on, ends_on=ends_on
    )

    rate = await container_rate(session, client, 20, 7, DAY)

    assert (rate.base_price == SPECIAL) is applies


async def test_an_exact_rental_length_beats_a_special_for_any_length(
    session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    await add_special(session, client, base_price=30_000)
    exact = await add_special(session, client, base_price=SPECIAL, rental_days=7)

    rate = await container_rate(session, client, 20, 7, DAY)

    assert (rate.base_price, rate.special_price_id) == (SPECIAL, exact.id)


async def test_another_clients_special_price_does_not_apply(
    session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    other = await add_client(session, account)
    await add_special(session, other, base_price=SPECIAL)

    rate = await container_rate(session, client, 20, 7, DAY)

    assert rate.rule is PriceRule.ACCOUNT_STANDARD


async def test_a_size_without_a_list_item_is_refused(
    session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)

    with pytest.raises(Refused) as refused:
        await container_rate(session, client, 40, 7, DAY)

    assert [problem.code for problem in refused.value.problems] == ["no_price"]


async def test_fees_take_the_clients_special_amount_else_the_accounts(
    session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    other = await add_client(session, account)
    await add_special(
        session,
        client,
        kind=SpecialPriceKind.FEE,
        container_size=None,
        fee_code="mattress",
        fee_amount=2_000,
    )

    special = await fee_price(session, client, "mattress", DAY)
    standard = await fee_price(session, other, "mattress", DAY)

    assert (special.amount, special.rule) == (2_000, PriceRule.CLIENT_SPECIAL_PRICING)
    assert (standard.amount, standard.rule) == (3_500, PriceRule.ACCOUNT_STANDARD)
    with pytest.raises(Refused):
        await fee_price(session, client, "piano", DAY)
