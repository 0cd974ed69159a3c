"""The shop: what a client may order from its dashboard, and at what price.

The shop is open to a client when the account has the shop add-on and the
client's effective setting ``shop_ordering`` is on, and the client is not on
hold. It offers the container sizes and rental lengths of the account's price
list. A rental is delivered from the next business day on; its length is
the days from delivery to pickup, priced at the shortest rental length the
price list has for that size that covers them (the longest, when none does:
the days beyond its included days are charged per extra day at pickup).
Prices come from the one price resolver (``domain.pricing``), so the
client's special pricing, its type and the address's pricing zone apply.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.client_settings import client_setting
from domain.dashboard.access import hold_reason
from domain.documents import render, render_context
from domain.lookups import service_address_of
from domain.pricing import ContainerRate, container_rate
from domain.problems import Problem, Refused, refuse, refuse_all
from persistence.enums import AddressKind, DocumentKind, PriceRule
from persistence.models import Account, Address, Client, DocumentTemplate, PriceListItem

# Orders are for tomorrow or later: today's routes are planned already.
LEAD_DAYS = 1
# How the rule that priced a rental reads to the client.
PRICED_BY = {
    PriceRule.CLIENT_SPECIAL_PRICING: "Your negotiated price",
    PriceRule.SERVICE_ADDRESS_PRICING: "The price for your area",
    PriceRule.CLIENT_TYPE_PRICING: "The price for your type of account",
    PriceRule.ACCOUNT_STANDARD: "Standard price",
}


class RentalProblem(StrEnum):
    SHOP_UNAVAILABLE = "shop_unavailable"
    TERMS_NOT_ACCEPTED = "terms_not_accepted"
    DATE_IN_PAST = "date_in_past"
    DATES_OUT_OF_ORDER = "dates_out_of_order"
    ADDRESS_NOT_FOUND = "address_not_found"
    SIZE_NOT_OFFERED = "size_not_offered"
    NOTES_TOO_LONG = "notes_too_long"


@dataclass(frozen=True, slots=True)
class Terms:
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class RentalOptions:
    unavailable_reason: str | None
    sizes: list[int]
    rental_days: list[int]
    earliest_delivery_on: date
    terms: Terms | None


@dataclass(frozen=True, slots=True)
class RentalWanted:
    container_size: int
    delivery_on: date
    pickup_on: date
    address: UUID | None


@dataclass(frozen=True, slots=True)
class RentalQuote:
    rate: ContainerRate
    address: Address
    days_on_site: int

    @property
    def priced_by(self) -> str:
        return PRICED_BY.get(PriceRule(self.rate.rule), "Standard price")


async def unavailable_reason(session: AsyncSession, client: Client) -> str | None:
    """Why the client cannot order from the shop; None when it can."""
    account = await session.get_one(Account, client.account_id)
    if not account.has_shop_addon:
        return "This business does not take rental orders online; call us to order."
    if not await client_setting(session, client, "shop_ordering"):
        return "Online ordering is turned off for your account; call us to order."
    if client.archived_at is not None or client.merged_into_id is not None:
        return "Your account is closed; call us to order."
    if await hold_reason(session, client) is not None:
        return "Your account is on hold; pay what is due, then order again."
    return None


async def refuse_unless_open(session: AsyncSession, client: Client) -> None:
    reason = await unavailable_reason(session, client)
    if reason is not None:
        refuse(RentalProblem.SHOP_UNAVAILABLE, "", reason)


def priced_for(client: Client, zones: Collection[str | None]) -> ColumnElement[bool]:
    """Price-list items that can price ``client`` at an address in one of
    ``zones``: the account's standard ones, its client type's, and those of
    the zones; never another type's or zone's."""
    return and_(
        PriceListItem.account_id == client.account_id,
        or_(
            PriceListItem.client_type.is_(None),
            PriceListItem.client_type == client.client_type,
        ),
        or_(
            PriceListItem.pricing_zone.is_(None),
            PriceListItem.pricing_zone.in_([zone for zone in zones if zone]),
        ),
    )


async def offered_lengths(
    session: AsyncSession,
    client: Client,
    zones: Collection[str | None],
    container_size: int | None = None,
) -> list[int]:
    statement = select(PriceListItem.rental_days).where(priced_for(client, zones))
    if container_size is not None:
        statement = statement.where(PriceListItem.container_size == container_size)
    return sorted(set(await session.scalars(statement)))


async def offered_sizes(
    session: AsyncSession, client: Client, zones: Collection[str | None]
) -> list[int]:
    statement = select(PriceListItem.container_size).where(priced_for(client, zones))
    return sorted(set(await session.scalars(statement)))


async def service_zones(session: AsyncSession, client: Client) -> list[str | None]:
    """The pricing zones of the client's service addresses in use."""
    zones = await session.scalars(
        select(Address.pricing_zone).where(
            Address.client_id == client.id,
            Address.kind == AddressKind.SERVICE,
            Address.archived_at.is_(None),
        )
    )
    return list(zones)


async def rental_terms(
    session: AsyncSession, client: Client, today: date
) -> Terms | None:
    """The account's terms and conditions for the client's type (else for any
    type), rendered for the client; None when the account has none."""
    template = await session.scalar(
        select(DocumentTemplate)
        .where(
            DocumentTemplate.account_id == client.account_id,
            DocumentTemplate.kind == DocumentKind.TERMS_AND_CONDITIONS,
            or_(
                DocumentTemplate.client_type == client.client_type,
                DocumentTemplate.client_type.is_(None),
            ),
        )
        .order_by(DocumentTemplate.client_type.is_(None), DocumentTemplate.id.desc())
        .limit(1)
    )
    if template is None:
        return None
    try:
        text = render(template.body, await render_context(session, client, today))
    except Refused:
        refuse(
            RentalProblem.SHOP_UNAVAILABLE,
            "",
            "Online ordering is not available right now; call us to order.",
        )
    return Terms(template.name, text)


async def rental_options(
    session: AsyncSession, client: Client, today: date
) -> RentalOptions:
    reason = await unavailable_reason(session, client)
    zones = await service_zones(session, client)
    try:
        terms = await rental_terms(session, client, today)
    except Refused as refused:
        terms, reason = None, reason or refused.problems[0].message
    return RentalOptions(
        unavailable_reason=reason,
        sizes=await offered_sizes(session, client, zones),
        rental_days=await offered_lengths(session, client, zones),
        earliest_delivery_on=today + timedelta(days=LEAD_DAYS),
        terms=terms,
    )


def date_problems(wanted: RentalWanted, today: date) -> list[Problem]:
    problems = []
    earliest = today + timedelta(days=LEAD_DAYS)
    if wanted.delivery_on < earliest:
        message = f"The earliest delivery day is {earliest.isoformat()}."
        problems.append(Problem(RentalProblem.DATE_IN_PAST, "deliveryOn", message))
    if wanted.pickup_on <= wanted.delivery_on:
        message = "Choose a pickup day after the delivery day."
        problems.append(Problem(RentalProblem.DATES_OUT_OF_ORDER, "pickupOn", message))
    return problems


def length_for(lengths: list[int], days: int) -> int:
    """The shortest offered length covering ``days``, else the longest."""
    covering = [length for length in lengths if length >= days]
    return covering[0] if covering else lengths[-1]


async def quote_rental(
    session: AsyncSession, client: Client, wanted: RentalWanted, today: date
) -> RentalQuote:
    refuse_all(date_problems(wanted, today))
    address = await service_address_of(session, client, wanted.address)
    if address is None:
        refuse(
            RentalProblem.ADDRESS_NOT_FOUND,
            "addressId",
            "Choose one of your service addresses.",
        )
    lengths = await offered_lengths(
        session, client, [address.pricing_zone], wanted.container_size
    )
    if not lengths:
        refuse(
            RentalProblem.SIZE_NOT_OFFERED,
            "containerSize",
            f"We do not offer {wanted.container_size} yd containers.",
        )

    days_on_site = (wanted.pickup_on - wanted.delivery_on).days
    try:
        rate = await container_rate(
            session,
            client,
            wanted.container_size,
            length_for(lengths, days_on_site),
            wanted.delivery_on,
            address.pricing_zone,
        )
    except Refused:
        refuse(
            RentalProblem.SIZE_NOT_OFFERED,
            "containerSize",
            f"We have no price for a {wanted.container_size} yd container "
            "for those dates.",
        )
    return RentalQuote(rate, address, days_on_site)
