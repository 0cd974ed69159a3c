"""The account's price list and fees, and a quoted price with its provenance."""

from datetime import date
from typing import Any, Self

import strawberry

from domain.pricing import ContainerRate, FeePrice
from graph.fields import field
from graph.permissions import PRICING_READ
from graph.types.scalars import ClientType, Money
from graph.types.settings import tons
from graph.types.tasks import PriceProvenance


@strawberry.type(
    description="A standard price for one container size and rental length; a "
    "client type or pricing zone narrows it. Needs pricing:read."
)
class PriceListItem:
    container_size: int = field(
        description="Container size in cubic yards.", permission=PRICING_READ
    )
    rental_days: int = field(
        description="The rental length the price is for.", permission=PRICING_READ
    )
    client_type: ClientType | None = field(
        description="Only for clients of this type; null: any type.",
        permission=PRICING_READ,
    )
    pricing_zone: str | None = field(
        description="Only for service addresses in this zone; null: any zone.",
        permission=PRICING_READ,
    )
    base_price: Money = field(
        description="Price of the rental.", permission=PRICING_READ
    )
    included_days: int = field(
        description="Rental days included in the base price.", permission=PRICING_READ
    )
    included_tons: str = field(
        description='Tons included in the base price, a decimal string ("3.00").',
        permission=PRICING_READ,
    )
    overage_per_ton: Money = field(
        description="Charge per ton above the included tons.", permission=PRICING_READ
    )
    per_extra_day: Money = field(
        description="Charge per day beyond the included days.",
        permission=PRICING_READ,
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        currency = row.currency
        return cls(
            container_size=row.container_size,
            rental_days=row.rental_days,
            client_type=ClientType(row.client_type) if row.client_type else None,
            pricing_zone=row.pricing_zone,
            base_price=Money.of(row.base_price, currency),
            included_days=row.included_days,
            included_tons=tons(row.included_tons) or "0.00",
            overage_per_ton=Money.of(row.overage_per_ton, currency),
            per_extra_day=Money.of(row.per_extra_day, currency),
        )


@strawberry.type(description="A named fee on the price list. Needs pricing:read.")
class Fee:
    code: str = field(
        description='The fee\'s code, e.g. "relocation".', permission=PRICING_READ
    )
    name: str = field(description="What the fee is for.", permission=PRICING_READ)
    amount: Money = field(description="The standard amount.", permission=PRICING_READ)

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            code=row.code, name=row.name, amount=Money.of(row.amount, row.currency)
        )


@strawberry.type(
    description="What a container rental or a fee costs one client on one day, "
    "and which pricing rule decided it. Needs pricing:read."
)
class PriceQuote:
    day: date = field(
        description="The service day the price is for.", permission=PRICING_READ
    )
    amount: Money = field(
        description="The rental's base price, or the fee's amount.",
        permission=PRICING_READ,
    )
    container_size: int | None = field(
        description="The container size quoted; null for a fee.",
        permission=PRICING_READ,
    )
    rental_days: int | None = field(
        description="The rental length quoted; null for a fee.",
        permission=PRICING_READ,
    )
    fee_code: str | None = field(
        description="The fee quoted; null for a container.", permission=PRICING_READ
    )
    included_days: int | None = field(
        description="Rental days included; null for a fee.", permission=PRICING_READ
    )
    included_tons: str | None = field(
        description="Tons included, a decimal string; null for a fee.",
        permission=PRICING_READ,
    )
    overage_per_ton: Money | None = field(
        description="Charge per ton above the included tons; null for a fee.",
        permission=PRICING_READ,
    )
    per_extra_day: Money | None = field(
        description="Charge per extra rental day; null for a fee.",
        permission=PRICING_READ,
    )
    provenance: PriceProvenance = field(
        description="The rule that won and the inputs it used.",
        permission=PRICING_READ,
    )

    @classmethod
    def of_rate(cls, rate: ContainerRate, day: date) -> Self:
        currency = rate.currency
        return cls(
            day=day,
            amount=Money.of(rate.base_price, currency),
            container_size=rate.container_size,
            rental_days=rate.rental_days,
            fee_code=None,
            included_days=rate.included_days,
            included_tons=tons(rate.included_tons),
            overage_per_ton=Money.of(rate.overage_per_ton, currency),
            per_extra_day=Money.of(rate.per_extra_day, currency),
            provenance=PriceProvenance.of(rate.rule, rate.detail),
        )

    @classmethod
    def of_fee(cls, fee: FeePrice, day: date) -> Self:
        return cls(
            day=day,
            amount=Money.of(fee.amount, fee.currency),
            container_size=None,
            rental_days=None,
            fee_code=fee.code,
            included_days=None,
            included_tons=None,
            overage_per_ton=None,
            per_extra_day=None,
            provenance=PriceProvenance.of(fee.rule, fee.detail),
        )
