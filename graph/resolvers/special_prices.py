"""A client's special prices: add, update and remove them."""

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain import special_prices
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.ids import public_id_of
from graph.mutations import MutationInput
from graph.resolvers.pricing_errors import PricingError, pricing_change
from graph.types.settings import SpecialPrice, account_today

PRICE_FIELDS = (
    "base_price",
    "included_days",
    "included_tons",
    "overage_per_ton",
    "per_extra_day",
    "fee_amount",
)


@strawberry.input(
    description="A negotiated price for one client: a container size (and "
    "optionally a rental length) or a fee code, and the price fields it "
    "replaces; fields left out keep the standard price."
)
class AddSpecialPriceInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    container_size: int | None = strawberry.field(
        default=None, description="The container size it prices; or give feeCode."
    )
    rental_days: int | None = strawberry.field(
        default=None, description="Only for this rental length; null: any length."
    )
    fee_code: str | None = strawberry.field(
        default=None, description="The fee it prices; or give containerSize."
    )
    base_price: int | None = strawberry.field(
        default=None, description="Rental price, minor units."
    )
    included_days: int | None = strawberry.field(
        default=None, description="Days the rental price includes."
    )
    included_tons: Decimal | None = strawberry.field(
        default=None, description="Tons the rental price includes."
    )
    overage_per_ton: int | None = strawberry.field(
        default=None, description="Charge per ton over the allowance, minor units."
    )
    per_extra_day: int | None = strawberry.field(
        default=None, description="Charge per extra rental day, minor units."
    )
    fee_amount: int | None = strawberry.field(
        default=None, description="The fee's amount, minor units (fees only)."
    )
    starts_on: date | None = strawberry.field(
        default=None, description="First day it applies; null: from now on."
    )
    ends_on: date | None = strawberry.field(
        default=None, description="Last day it applies; null: until changed."
    )
    note: str | None = strawberry.field(default=None, description="Why it was agreed.")


@strawberry.input(
    description="Changes to a special price: a field left out stays as it is, "
    "a field set to null goes back to the standard price (or no date)."
)
class UpdateSpecialPriceInput:
    special_price_id: strawberry.ID = strawberry.field(
        description="The special price's ID."
    )
    rental_days: int | None = strawberry.field(
        default=strawberry.UNSET, description="Only for this rental length."
    )
    base_price: int | None = strawberry.field(
        default=strawberry.UNSET, description="Rental price, minor units."
    )
    included_days: int | None = strawberry.field(
        default=strawberry.UNSET, description="Days the rental price includes."
    )
    included_tons: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Tons the rental price includes."
    )
    overage_per_ton: int | None = strawberry.field(
        default=strawberry.UNSET, description="Charge per ton over, minor units."
    )
    per_extra_day: int | None = strawberry.field(
        default=strawberry.UNSET, description="Charge per extra day, minor units."
    )
    fee_amount: int | None = strawberry.field(
        default=strawberry.UNSET, description="The fee's amount, minor units."
    )
    starts_on: date | None = strawberry.field(
        default=strawberry.UNSET, description="First day it applies."
    )
    ends_on: date | None = strawberry.field(
        default=strawberry.UNSET, description="Last day it applies."
    )
    note: str | None = strawberry.field(
        default=strawberry.UNSET, description="Why it was agreed."
    )


@strawberry.input(description="Which special price to remove.")
class RemoveSpecialPriceInput:
    special_price_id: strawberry.ID = strawberry.field(
        description="The special price's ID."
    )


@strawberry.type(description="The special price after the change.")
class SpecialPricePayload:
    special_price: SpecialPrice | None = field(
        description="The special price (as it was, when removed); null on failure.",
        audiences=STAFF_ONLY,
    )
    user_errors: list[PricingError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


async def special_price_change(
    info: Info,
    operation: Callable[[AsyncSession], Awaitable[Any]],
) -> SpecialPricePayload:
    today = await account_today(info)

    async def change(session: AsyncSession) -> SpecialPrice:
        return SpecialPrice.from_row(await operation(session), today)

    special, errors = await pricing_change(info, change)
    return SpecialPricePayload(special_price=special, user_errors=errors)


async def add_special_price(
    info: Info, input: MutationInput[AddSpecialPriceInput]
) -> SpecialPricePayload:
    viewer = info.context.signed_in_viewer
    target = special_prices.SpecialTarget(
        input.container_size, input.rental_days, input.fee_code
    )
    prices = {name: getattr(input, name) for name in PRICE_FIELDS}

    async def add(session: AsyncSession) -> Any:
        return await special_prices.add_special_price(
            session, viewer, public_id_of(input.client_id, "Client"), target,
            prices, input.starts_on, input.ends_on, input.note,
        )  # fmt: skip

    return await special_price_change(info, add)


async def update_special_price(
    info: Info, input: MutationInput[UpdateSpecialPriceInput]
) -> SpecialPricePayload:
    viewer = info.context.signed_in_viewer
    names = (*PRICE_FIELDS, "rental_days", "starts_on", "ends_on", "note")
    changes = {
        name: getattr(input, name)
        for name in names
        if getattr(input, name) is not strawberry.UNSET
    }
    special_price_id = public_id_of(input.special_price_id, "SpecialPrice")

    async def update(session: AsyncSession) -> Any:
        return await special_prices.update_special_price(
            session, viewer, special_price_id, changes
        )

    return await special_price_change(info, update)


async def remove_special_price(
    info: Info, input: MutationInput[RemoveSpecialPriceInput]
) -> SpecialPricePayload:
    viewer = info.context.signed_in_viewer
    special_price_id = public_id_of(input.special_price_id, "SpecialPrice")

    async def remove(session: AsyncSession) -> Any:
        return await special_prices.remove_special_price(
            session, viewer, special_price_id
        )

    return await special_price_change(info, remove)
