"""Pricing for staff: the price list, fees, a client's special prices, and
``quotePrice`` to preview what the resolver of ``domain.pricing`` answers."""

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, TypeVar

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import price_list
from domain.permissions import Permission
from domain.pricing import PriceProblem, container_rate, fee_price, quote_client
from domain.problems import Refused, refuse_all
from graph.context import Info
from graph.fields import STAFF_AND_PARTNER, STAFF_ONLY, field
from graph.ids import public_id_of
from graph.mutations import MutationInput, UserError, perform, user_errors
from graph.types.pricing import Fee, PriceListItem, PriceQuote
from graph.types.scalars import ClientType
from graph.types.settings import SpecialPrice, account_today
from persistence.models import Fee as FeeRow
from persistence.models import PriceListItem as PriceListItemRow

strawberry.enum(
    PriceProblem,
    name="PricingErrorCode",
    description="Why a price could not be quoted or a pricing change was refused.",
)
Result = TypeVar("Result")


@strawberry.type(description="A reason a price could not be quoted or changed.")
class PricingError(UserError):
    code: PriceProblem = field(
        description="What went wrong.", audiences=STAFF_AND_PARTNER
    )


async def pricing_change(
    info: Info, change: Callable[[AsyncSession], Awaitable[Result]]
) -> tuple[Result | None, list[PricingError]]:
    outcome = await perform(info, change)
    return outcome.result, user_errors(PricingError, outcome.problems)


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
    target = price_list.SpecialTarget(
        input.container_size, input.rental_days, input.fee_code
    )
    prices = {name: getattr(input, name) for name in PRICE_FIELDS}

    async def add(session: AsyncSession) -> Any:
        return await price_list.add_special_price(
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
        return await price_list.update_special_price(
            session, viewer, special_price_id, changes
        )

    return await special_price_change(info, update)


async def remove_special_price(
    info: Info, input: MutationInput[RemoveSpecialPriceInput]
) -> SpecialPricePayload:
    viewer = info.context.signed_in_viewer
    special_price_id = public_id_of(input.special_price_id, "SpecialPrice")

    async def remove(session: AsyncSession) -> Any:
        return await price_list.remove_special_price(session, viewer, special_price_id)

    return await special_price_change(info, remove)


@strawberry.type(description="Changing the price list, fees and special prices.")
class PricingMutations:
    set_price_list_item: SetPriceListItemPayload | None = field(
        set_price_list_item,
        description="Create a price list item, or replace the terms of the one "
        "with the same size, rental length, client type and zone. Needs "
        "pricing:write.",
        audiences=STAFF_ONLY,
        permission=Permission.PRICING_WRITE,
    )
    remove_price_list_item: RemovePriceListItemPayload | None = field(
        remove_price_list_item,
        description="Remove a price list item; prices already booked keep their "
        "snapshot. Needs pricing:write.",
        audiences=STAFF_ONLY,
        permission=Permission.PRICING_WRITE,
    )
    set_fee: SetFeePayload | None = field(
        set_fee,
        description="Create a named fee, or change the one with that code. Needs "
        "pricing:write.",
        audiences=STAFF_ONLY,
        permission=Permission.PRICING_WRITE,
    )
    remove_fee: RemoveFeePayload | None = field(
        remove_fee,
        description="Remove a fee; special prices of its code stop applying. "
        "Needs pricing:write.",
        audiences=STAFF_ONLY,
        permission=Permission.PRICING_WRITE,
    )
    add_special_price: SpecialPricePayload | None = field(
        add_special_price,
        description="Give a client a negotiated container or fee price, "
        "optionally between two dates. Needs pricing:write.",
        audiences=STAFF_ONLY,
        permission=Permission.PRICING_WRITE,
    )
    update_special_price: SpecialPricePayload | None = field(
        update_special_price,
        description="Change a client's special price. Needs pricing:write.",
        audiences=STAFF_ONLY,
        permission=Permission.PRICING_WRITE,
    )
    remove_special_price: SpecialPricePayload | None = field(
        remove_special_price,
        description="Remove a client's special price. Needs pricing:write.",
        audiences=STAFF_ONLY,
        permission=Permission.PRICING_WRITE,
    )


@strawberry.type(description="A quoted price, or why it could not be quoted.")
class PriceQuotePayload:
    quote: PriceQuote | None = field(
        description="The price and its provenance; null when it cannot be quoted.",
        permission=Permission.PRICING_READ,
    )
    user_errors: list[PricingError] = field(
        description="Why the price cannot be quoted; empty when it can.",
        permission=Permission.PRICING_READ,
    )


async def quote_price(
    info: Info,
    client_id: Annotated[
        strawberry.ID, strawberry.argument(description="The client to price for.")
    ],
    container_size: Annotated[
        int | None,
        strawberry.argument(description="A container size; or give feeCode."),
    ] = None,
    rental_days: Annotated[
        int | None,
        strawberry.argument(description="The rental length, with containerSize."),
    ] = None,
    fee_code: Annotated[
        str | None,
        strawberry.argument(description="A fee's code; or give containerSize."),
    ] = None,
    service_address_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(
            description="The service address, whose pricing zone may apply."
        ),
    ] = None,
    day: Annotated[
        date | None,
        strawberry.argument(
            name="date", description="The service day; null: the business's today."
        ),
    ] = None,
) -> PriceQuotePayload:
    account_id = info.context.account_id
    on = day or await account_today(info)
    client_public_id = public_id_of(client_id, "Client")
    address_public_id = public_id_of(service_address_id, "Address")

    async def quote(session: AsyncSession) -> PriceQuote:
        client, zone = await quote_client(
            session, account_id, client_public_id, address_public_id
        )
        refuse_all(price_list.quote_problems(container_size, rental_days, fee_code))
        if fee_code is not None:
            return PriceQuote.of_fee(await fee_price(session, client, fee_code, on), on)
        rate = await container_rate(
            session, client, container_size or 0, rental_days or 0, on, zone
        )
        return PriceQuote.of_rate(rate, on)

    try:
        found = await info.context.db.run(quote)
    except Refused as refused:
        errors = user_errors(PricingError, refused.problems)
        return PriceQuotePayload(quote=None, user_errors=errors)
    return PriceQuotePayload(quote=found, user_errors=[])


async def list_price_list(info: Info) -> list[PriceListItem]:
    account_id = info.context.account_id

    async def fetch(session: AsyncSession) -> list[PriceListItem]:
        rows = await session.scalars(
            select(PriceListItemRow)
            .where(PriceListItemRow.account_id == account_id)
            .order_by(
                PriceListItemRow.container_size,
                PriceListItemRow.rental_days,
                PriceListItemRow.client_type.is_not(None),
                PriceListItemRow.client_type,
                PriceListItemRow.pricing_zone.is_not(None),
                PriceListItemRow.pricing_zone,
            )
        )
        return [PriceListItem.from_row(row) for row in rows]

    return await info.context.db.run(fetch)


async def list_fees(info: Info) -> list[Fee]:
    account_id = info.context.account_id

    async def fetch(session: AsyncSession) -> list[Fee]:
        rows = await session.scalars(
            select(FeeRow).where(FeeRow.account_id == account_id).order_by(FeeRow.code)
        )
        return [Fee.from_row(row) for row in rows]

    return await info.context.db.run(fetch)


@strawberry.type(description="Reading the price list and quoting prices.")
class PricingQueries:
    price_list: list[PriceListItem] | None = field(
        list_price_list,
        description="Your account's standard price list: by size, rental length, "
        "then the general item before client-type and zone items. Needs "
        "pricing:read.",
        audiences=STAFF_AND_PARTNER,
        permission=Permission.PRICING_READ,
    )
    fees: list[Fee] | None = field(
        list_fees,
        description="Your account's named fees, by code. Needs pricing:read.",
        audiences=STAFF_AND_PARTNER,
        permission=Permission.PRICING_READ,
    )
    quote_price: PriceQuotePayload | None = field(
        quote_price,
        description="Preview what a client would pay for a container rental "
        "(containerSize and rentalDays) or a fee (feeCode) on a day, and which "
        "pricing rule decides it. Needs pricing:read.",
        audiences=STAFF_AND_PARTNER,
        permission=Permission.PRICING_READ,
    )
