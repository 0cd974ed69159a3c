"""What a container rental or a fee costs one client, and why.

The precedence, highest first, decided field by field:

1. **Client special pricing** — a special price of the client for that
   container size (and rental length, or any length when it names none) or
   fee, active on the service date (start and end dates inclusive, open when
   absent). It replaces only the price fields it names; the others keep the
   value of the price list item below. An exact rental length beats "any
   length"; among equals the latest start date wins, then the latest added.
2. **Service-address pricing** — a price list item for the pricing zone of
   the task's service address (one also naming the client's type is more
   specific and wins).
3. **Client type pricing** — an item for the client's type (contractor,
   residential, ...).
4. **Account standard** — the item naming neither zone nor client type.

Fees have no zone or type items: a client's special fee price, else the
account's fee. The result carries its provenance — the rule that won and a
JSON snapshot of its inputs — which tasks, estimate and invoice lines store
so that a price never changes after the fact and can always be explained.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.lookups import by_public_id, service_address_of
from domain.problems import refuse
from persistence.enums import PriceRule, SpecialPriceKind
from persistence.models import Client, Fee, PriceListItem, SpecialPrice

RATE_FIELDS = (
    "base_price",
    "included_days",
    "included_tons",
    "overage_per_ton",
    "per_extra_day",
)


class PriceProblem(StrEnum):
    """Why a price could not be resolved, or a price-list change was refused."""

    NO_PRICE = "no_price"
    UNKNOWN_FEE = "unknown_fee"
    INVALID_CONTAINER_SIZE = "invalid_container_size"
    INVALID_RENTAL_DAYS = "invalid_rental_days"
    INVALID_INCLUDED_DAYS = "invalid_included_days"
    NEGATIVE_AMOUNT = "negative_amount"
    NEGATIVE_TONS = "negative_tons"
    BLANK = "blank"
    INVALID_FEE_CODE = "invalid_fee_code"
    PRICE_LIST_ITEM_NOT_FOUND = "price_list_item_not_found"
    CLIENT_NOT_FOUND = "client_not_found"
    ADDRESS_NOT_FOUND = "address_not_found"
    SPECIAL_PRICE_NOT_FOUND = "special_price_not_found"
    TARGET_REQUIRED = "target_required"
    NO_PRICE_FIELD = "no_price_field"
    NOT_APPLICABLE = "not_applicable"
    DATES_OUT_OF_ORDER = "dates_out_of_order"


@dataclass(frozen=True, slots=True)
class ContainerRate:
    """One rental's price terms for a client, with the rule that decided them."""

    container_size: int
    rental_days: int
    currency: str
    base_price: int
    included_days: int
    included_tons: Decimal
    overage_per_ton: int
    per_extra_day: int
    rule: PriceRule
    price_list_item_id: int
    special_price_id: int | None
    overridden: tuple[str, ...]
    """The fields the special price replaced; empty without one."""

    @property
    def detail(self) -> dict[str, Any]:
        """The snapshot stored with a priced line (JSON-safe)."""
        return {
            "container_size": self.container_size,
            "rental_days": self.rental_days,
            "base_price": self.base_price,
            "included_days": self.included_days,
            "included_tons": str(self.included_tons),
            "overage_per_ton": self.overage_per_ton,
            "per_extra_day": self.per_extra_day,
            "price_list_item_id": self.price_list_item_id,
            "special_price_id": self.special_price_id,
            "overridden": list(self.overridden),
        }


@dataclass(frozen=True, slots=True)
class FeePrice:
    code: str
    name: str
    currency: str
    amount: int
    rule: PriceRule
    special_price_id: int | None

    @property
    def detail(self) -> dict[str, Any]:
        return {"fee_code": self.code, "special_price_id": self.special_price_id}


def is_active_on(starts_on: date | None, ends_on: date | None, day: date) -> bool:
    """Open-ended on either side; both dates are inclusive."""
    return (starts_on is None or starts_on <= day) and (
        ends_on is None or day <= ends_on
    )


def list_item_for(
    items: Iterable[PriceListItem], client_type: str, zone: str | None
) -> tuple[PriceListItem, PriceRule] | None:
    """The most specific item of one size and length (precedence 2 to 4)."""
    candidates: list[tuple[tuple[str | None, str | None], PriceRule]] = [
        ((client_type, None), PriceRule.CLIENT_TYPE_PRICING),
        ((None, None), PriceRule.ACCOUNT_STANDARD),
    ]
    if zone is not None:
        candidates[:0] = [
            ((client_type, zone), PriceRule.SERVICE_ADDRESS_PRICING),
            ((None, zone), PriceRule.SERVICE_ADDRESS_PRICING),
        ]
    by_key = {(item.client_type, item.pricing_zone): item for item in items}
    for key, rule in candidates:
        if key in by_key:
            return by_key[key], rule
    return None


def special_for(
    specials: Iterable[SpecialPrice], rental_days: int | None, day: date
) -> SpecialPrice | None:
    """The client's special price that applies on ``day`` (precedence 1)."""
    active = [
        special
        for special in specials
        if is_active_on(special.starts_on, special.ends_on, day)
        and special.rental_days in (rental_days, None)
    ]
    if not active:
        return None
    return max(
        active,
        key=lambda special: (
            special.rental_days is not None,
            special.starts_on or date.min,
            special.id,
        ),
    )


def combine(
    item: PriceListItem, rule: PriceRule, special: SpecialPrice | None
) -> ContainerRate:
    """The item's terms with the special price's named fields laid over them."""
    values = {name: getattr(item, name) for name in RATE_FIELDS}
    overridden: tuple[str, ...] = ()
    if special is not None:
        overridden = tuple(
            name for name in RATE_FIELDS if getattr(special, name) is not None
        )
        values.update({name: getattr(special, name) for name in overridden})
    if overridden:
        rule = PriceRule.CLIENT_SPECIAL_PRICING
    return ContainerRate(
        container_size=item.container_size,
        rental_days=item.rental_days,
        currency=item.currency,
        rule=rule,
        price_list_item_id=item.id,
        special_price_id=special.id if overridden and special else None,
        overridden=overridden,
        **values,
    )


async def container_rate(
    session: AsyncSession,
    client: Client,
    container_size: int,
    rental_days: int,
    day: date,
    zone: str | None = None,
) -> ContainerRate:
    """The rate for ``client`` renting a container on ``day``; ``zone`` is the
    service address's pricing zone. Refuses with ``NO_PRICE`` when the price
    list has no item of that size and length."""
    items = await session.scalars(
        select(PriceListItem).where(
            PriceListItem.account_id == client.account_id,
            PriceListItem.container_size == container_size,
            PriceListItem.rental_days == rental_days,
        )
    )
    chosen = list_item_for(items, client.client_type, zone)
    if chosen is None:
        refuse(
            PriceProblem.NO_PRICE,
            "containerSize",
            f"The price list has no {container_size} yd container for "
            f"{rental_days} days.",
        )
    specials = await client_specials(
        session,
        client,
        SpecialPriceKind.CONTAINER,
        SpecialPrice.container_size == container_size,
    )
    return combine(*chosen, special_for(specials, rental_days, day))


async def fee_price(
    session: AsyncSession, client: Client, code: str, day: date
) -> FeePrice:
    """The fee ``code`` for ``client`` on ``day``; refuses an unknown code."""
    fee = await session.scalar(
        select(Fee).where(Fee.account_id == client.account_id, Fee.code == code)
    )
    if fee is None:
        refuse(PriceProblem.UNKNOWN_FEE, "feeCode", f"No fee has the code {code!r}.")
    specials = await client_specials(
        session, client, SpecialPriceKind.FEE, SpecialPrice.fee_code == code
    )
    special = special_for(specials, None, day)
    if special is not None and special.fee_amount is not None:
        return FeePrice(
            code, fee.name, fee.currency, special.fee_amount,
            PriceRule.CLIENT_SPECIAL_PRICING, special.id,
        )  # fmt: skip
    return FeePrice(
        code, fee.name, fee.currency, fee.amount, PriceRule.ACCOUNT_STANDARD, None
    )


async def client_specials(
    session: AsyncSession, client: Client, kind: SpecialPriceKind, target: Any
) -> Sequence[SpecialPrice]:
    rows = await session.scalars(
        select(SpecialPrice).where(
            SpecialPrice.account_id == client.account_id,
            SpecialPrice.client_id == client.id,
            SpecialPrice.kind == kind,
            target,
        )
    )
    return rows.all()


async def quote_client(
    session: AsyncSession,
    account_id: int,
    client_id: UUID | None,
    address_id: UUID | None,
) -> tuple[Client, str | None]:
    """The client to price for and the pricing zone of its service address
    (none when no address is named)."""
    client = await by_public_id(session, Client, account_id, client_id)
    if client is None:
        refuse(PriceProblem.CLIENT_NOT_FOUND, "clientId", "No client has that ID.")
    if address_id is None:
        return client, None
    address = await service_address_of(session, client, address_id)
    if address is None:
        refuse(
            PriceProblem.ADDRESS_NOT_FOUND,
            "serviceAddressId",
            "The client has no current service address with that ID.",
        )
    return client, address.pricing_zone
