"""Pricing for staff: the price list, fees, a client's special prices, and
``quotePrice`` to preview what the resolver of ``domain.pricing`` answers."""

from datetime import date
from typing import Annotated

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import price_list
from domain.permissions import Permission
from domain.pricing import container_rate, fee_price, quote_client
from domain.problems import Refused, refuse_all
from graph.context import Info
from graph.fields import STAFF_AND_PARTNER, STAFF_ONLY, field
from graph.ids import public_id_of
from graph.mutations import user_errors
from graph.resolvers.price_list import (
    RemoveFeePayload,
    RemovePriceListItemPayload,
    SetFeePayload,
    SetPriceListItemPayload,
    remove_fee,
    remove_price_list_item,
    set_fee,
    set_price_list_item,
)
from graph.resolvers.pricing_errors import PricingError
from graph.resolvers.special_prices import (
    SpecialPricePayload,
    add_special_price,
    remove_special_price,
    update_special_price,
)
from graph.types.pricing import Fee, PriceListItem, PriceQuote
from graph.types.settings import account_today
from persistence.models import Fee as FeeRow
from persistence.models import PriceListItem as PriceListItemRow


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
