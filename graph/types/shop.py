"""The shop on the dashboard: what a client may order and what it costs."""

from datetime import date

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.dashboard import rentals
from domain.dashboard.rentals import RentalQuote as Quote
from domain.dashboard.rentals import RentalWanted
from domain.work.common import business_today
from graph.context import Info
from graph.fields import DASHBOARD_ONLY, field
from graph.mutations import perform
from graph.resolvers.dashboard.errors import (
    ERRORS_DESCRIPTION,
    DashboardError,
    dashboard_errors,
)
from graph.resolvers.invoice_inputs import public_id_of
from graph.types.scalars import Money
from persistence.models import Client as ClientRow


@strawberry.type(description="What you can order from the shop, and on what terms.")
class RentalOptions:
    available: bool = field(
        description="You can schedule a rental now.", audiences=DASHBOARD_ONLY
    )
    unavailable_reason: str | None = field(
        description="Why you cannot, in words to show; null when you can.",
        audiences=DASHBOARD_ONLY,
    )
    sizes: list[int] = field(
        description="Container sizes offered, in cubic yards.",
        audiences=DASHBOARD_ONLY,
    )
    rental_days: list[int] = field(
        description="Rental lengths offered, in days; a longer stay is priced "
        "at the longest one, and extra days are charged at pickup.",
        audiences=DASHBOARD_ONLY,
    )
    earliest_delivery_on: date = field(
        description="The first day a container can be delivered.",
        audiences=DASHBOARD_ONLY,
    )
    terms_title: str | None = field(
        description="The title of the terms you accept with an order; null when "
        "the business has none beyond the order itself.",
        audiences=DASHBOARD_ONLY,
    )
    terms_text: str | None = field(
        description="The terms and conditions, rendered for you with their values "
        "HTML-escaped (read them as HTML).",
        audiences=DASHBOARD_ONLY,
    )


@strawberry.type(description="The price of a rental for you.")
class RentalQuote:
    amount: Money = field(
        description="The rental's price, delivery and pickup included.",
        audiences=DASHBOARD_ONLY,
    )
    included_days: int = field(
        description="Days on site the price includes.", audiences=DASHBOARD_ONLY
    )
    included_tons: str = field(
        description='Tons of material the price includes, a decimal ("3.00").',
        audiences=DASHBOARD_ONLY,
    )
    overage_per_ton: Money = field(
        description="The charge per ton over the included weight.",
        audiences=DASHBOARD_ONLY,
    )
    extra_day_price: Money = field(
        description="The charge per day beyond the included days.",
        audiences=DASHBOARD_ONLY,
    )
    priced_by: str = field(
        description='Which price applies, in words ("Your negotiated price", '
        '"Standard price").',
        audiences=DASHBOARD_ONLY,
    )

    @classmethod
    def of(cls, quote: Quote) -> "RentalQuote":
        rate = quote.rate
        return cls(
            amount=Money.of(rate.base_price, rate.currency),
            included_days=rate.included_days,
            included_tons=str(rate.included_tons),
            overage_per_ton=Money.of(rate.overage_per_ton, rate.currency),
            extra_day_price=Money.of(rate.per_extra_day, rate.currency),
            priced_by=quote.priced_by,
        )


@strawberry.type(description="A quote, or why there is none.")
class RentalQuoteResult:
    quote: RentalQuote | None = field(
        description="The price; null when the request cannot be quoted.",
        audiences=DASHBOARD_ONLY,
    )
    user_errors: list[DashboardError] = field(
        description=ERRORS_DESCRIPTION, audiences=DASHBOARD_ONLY
    )


@strawberry.input(description="The rental you are pricing.")
class RentalQuoteInput:
    container_size: int = strawberry.field(description="Size in cubic yards.")
    delivery_on: date = strawberry.field(description="The day to deliver it.")
    pickup_on: date = strawberry.field(description="The day to pick it up.")
    address_id: strawberry.ID = strawberry.field(
        description="One of your service addresses."
    )


def wanted_of(input: RentalQuoteInput) -> RentalWanted:
    return RentalWanted(
        container_size=input.container_size,
        delivery_on=input.delivery_on,
        pickup_on=input.pickup_on,
        address=public_id_of(input.address_id, "Address"),
    )


async def load_rental_options(info: Info, client_id: int) -> RentalOptions:
    now = info.context.services.clock()

    async def fetch(session: AsyncSession) -> RentalOptions:
        client = await session.get_one(ClientRow, client_id)
        today = await business_today(session, client.account_id, now)
        options = await rentals.rental_options(session, client, today)
        return RentalOptions(
            available=options.unavailable_reason is None,
            unavailable_reason=options.unavailable_reason,
            sizes=options.sizes,
            rental_days=options.rental_days,
            earliest_delivery_on=options.earliest_delivery_on,
            terms_title=options.terms.title if options.terms else None,
            terms_text=options.terms.text if options.terms else None,
        )

    return await info.context.db.run(fetch)


async def load_rental_quote(
    info: Info, client_id: int, input: RentalQuoteInput
) -> RentalQuoteResult:
    """A quote reads and changes nothing; ``perform`` only types the refusals
    (its transaction commits nothing, as nothing was written)."""
    now, wanted = info.context.services.clock(), wanted_of(input)

    async def quote(session: AsyncSession) -> RentalQuote:
        client = await session.get_one(ClientRow, client_id)
        await rentals.refuse_unless_open(session, client)
        today = await business_today(session, client.account_id, now)
        return RentalQuote.of(
            await rentals.quote_rental(session, client, wanted, today)
        )

    outcome = await perform(info, quote)
    return RentalQuoteResult(
        quote=outcome.result, user_errors=dashboard_errors(outcome.problems)
    )
