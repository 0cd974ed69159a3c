"""The account's price list and fees: set and remove items and fees."""

from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain import price_list
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.mutations import MutationInput
from graph.resolvers.pricing_errors import PricingError, pricing_change
from graph.types.pricing import Fee, PriceListItem
from graph.types.scalars import ClientType


@strawberry.input(description="A price list item's key and its terms.")
class SetPriceListItemInput:
    container_size: int = strawberry.field(
        description="Container size in cubic yards: 10, 15, 20, 30 or 40."
    )
    rental_days: int = strawberry.field(description="The rental length in days.")
    client_type: ClientType | None = strawberry.field(
        default=None, description="Only for clients of this type; null: any type."
    )
    pricing_zone: str | None = strawberry.field(
        default=None, description="Only for addresses in this zone; null: any zone."
    )
    base_price: int = strawberry.field(description="Rental price, minor units.")
    included_days: int = strawberry.field(description="Days the price includes.")
    included_tons: Decimal = strawberry.field(description="Tons the price includes.")
    overage_per_ton: int = strawberry.field(
        description="Charge per ton over the included tons, minor units."
    )
    per_extra_day: int = strawberry.field(
        description="Charge per day beyond the included days, minor units."
    )


@strawberry.input(description="Which price list item to remove.")
class RemovePriceListItemInput:
    container_size: int = strawberry.field(description="Container size in yards.")
    rental_days: int = strawberry.field(description="The rental length in days.")
    client_type: ClientType | None = strawberry.field(
        default=None, description="The item's client type; null: the general item."
    )
    pricing_zone: str | None = strawberry.field(
        default=None, description="The item's zone; null: the general item."
    )


def key_of(input: SetPriceListItemInput | RemovePriceListItemInput) -> Any:
    client_type = input.client_type.value if input.client_type else None
    return price_list.PriceListKey(
        input.container_size, input.rental_days, client_type, input.pricing_zone
    )


@strawberry.type(description="The price list item after the change.")
class SetPriceListItemPayload:
    price_list_item: PriceListItem | None = field(
        description="The item; null on failure.", audiences=STAFF_ONLY
    )
    user_errors: list[PricingError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The price list item that was removed.")
class RemovePriceListItemPayload:
    price_list_item: PriceListItem | None = field(
        description="The item as it was; null on failure.", audiences=STAFF_ONLY
    )
    user_errors: list[PricingError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


async def set_price_list_item(
    info: Info, input: MutationInput[SetPriceListItemInput]
) -> SetPriceListItemPayload:
    viewer = info.context.signed_in_viewer
    terms = price_list.RateTerms(
        input.base_price,
        input.included_days,
        input.included_tons,
        input.overage_per_ton,
        input.per_extra_day,
    )

    async def change(session: AsyncSession) -> PriceListItem:
        item = await price_list.set_price_list_item(
            session, viewer, key_of(input), terms
        )
        return PriceListItem.from_row(item)

    item, errors = await pricing_change(info, change)
    return SetPriceListItemPayload(price_list_item=item, user_errors=errors)


async def remove_price_list_item(
    info: Info, input: MutationInput[RemovePriceListItemInput]
) -> RemovePriceListItemPayload:
    viewer = info.context.signed_in_viewer

    async def change(session: AsyncSession) -> PriceListItem:
        item = await price_list.remove_price_list_item(session, viewer, key_of(input))
        return PriceListItem.from_row(item)

    item, errors = await pricing_change(info, change)
    return RemovePriceListItemPayload(price_list_item=item, user_errors=errors)


@strawberry.input(description="A fee: created, or changed when its code exists.")
class SetFeeInput:
    code: str = strawberry.field(
        description='The fee\'s code: lower-case letters, digits, "_" and "-".'
    )
    name: str = strawberry.field(description="What the fee is for.")
    amount: int = strawberry.field(description="The amount, minor units.")


@strawberry.input(description="Which fee to remove.")
class RemoveFeeInput:
    code: str = strawberry.field(description="The fee's code.")


@strawberry.type(description="The fee after the change.")
class SetFeePayload:
    fee: Fee | None = field(
        description="The fee; null on failure.", audiences=STAFF_ONLY
    )
    user_errors: list[PricingError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The fee that was removed.")
class RemoveFeePayload:
    fee: Fee | None = field(
        description="The fee as it was; null on failure.", audiences=STAFF_ONLY
    )
    user_errors: list[PricingError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


async def set_fee(info: Info, input: MutationInput[SetFeeInput]) -> SetFeePayload:
    viewer = info.context.signed_in_viewer

    async def change(session: AsyncSession) -> Fee:
        fee = await price_list.set_fee(
            session, viewer, input.code, input.name, input.amount
        )
        return Fee.from_row(fee)

    fee, errors = await pricing_change(info, change)
    return SetFeePayload(fee=fee, user_errors=errors)


async def remove_fee(
    info: Info, input: MutationInput[RemoveFeeInput]
) -> RemoveFeePayload:
    viewer = info.context.signed_in_viewer

    async def change(session: AsyncSession) -> Fee:
        return Fee.from_row(await price_list.remove_fee(session, viewer, input.code))

    fee, errors = await pricing_change(info, change)
    return RemoveFeePayload(fee=fee, user_errors=errors)
