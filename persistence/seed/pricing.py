"""The seeded price list, and the rule that prices a client's container or fee."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from persistence.enums import ClientType, PriceRule
from persistence.seed.drafts import ClientDraft
from persistence.seed.writer import Row

# size: (7-day price, 14-day price, included tons, per extra day), in dollars.
STANDARD_PRICES = {
    10: (375, 425, "1.00", 15),
    15: (425, 475, "2.00", 15),
    20: (475, 535, "3.00", 15),
    30: (550, 620, "4.00", 20),
    40: (625, 705, "5.00", 20),
}
OVERAGE_PER_TON = 9_500
RENTAL_LENGTHS = (7, 14)

# Contractors get a discount on the big boxes; the mountain zone costs a haul more.
CONTRACTOR_SIZES = (20, 30, 40)
CONTRACTOR_DISCOUNT = 4_000
CONTRACTOR_OVERAGE = 8_500
MOUNTAIN_SIZES = (10, 15, 20, 30)
MOUNTAIN_SURCHARGE = 8_500

# (container size, rental days, client type, pricing zone)
PriceKey = tuple[int, int, str | None, str | None]

FEES = {
    "relocation": ("Relocation (move the container on site)", 9_500),
    "mattress": ("Mattress disposal", 3_500),
    "tires": ("Tire disposal", 2_500),
    "appliance": ("Appliance disposal (refrigerant)", 4_500),
    "trip_charge": ("Trip charge (blocked or dry run)", 12_500),
}


@dataclass(frozen=True)
class Price:
    """An amount with the rule that produced it and how (the price detail)."""

    amount: int
    rule: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class Rate:
    """What one container rental costs a client, and which rule decided it."""

    base_price: int
    included_days: int
    included_tons: Decimal
    overage_per_ton: int
    per_extra_day: int
    rule: str
    detail: dict[str, Any]

    @property
    def price(self) -> Price:
        return Price(self.base_price, self.rule, self.detail)

    def priced(self, amount: int, basis: str) -> Price:
        """Another amount derived from this rate, saying how."""
        return Price(amount, self.rule, {**self.detail, "basis": basis})


@dataclass
class PriceBook:
    items: dict[PriceKey, Row] = field(default_factory=dict)
    fee_amounts: dict[str, int] = field(default_factory=dict)

    def rate(
        self, client: ClientDraft, zone: str | None, size: int, rental_days: int
    ) -> Rate:
        item, rule = self.list_item(client.client_type, zone, size, rental_days)
        values = {
            "base_price": item["base_price"],
            "included_days": item["included_days"],
            "included_tons": item["included_tons"],
            "overage_per_ton": item["overage_per_ton"],
            "per_extra_day": item["per_extra_day"],
        }

        special = client.special_containers.get((size, rental_days))
        if special is not None:
            # A special price replaces only the fields it names.
            values.update({k: special[k] for k in values if special[k] is not None})
            rule = PriceRule.CLIENT_SPECIAL_PRICING

        detail = {
            "container_size": size,
            "rental_days": rental_days,
            **values,
            "included_tons": str(values["included_tons"]),
            "price_list_item_id": item["id"],
            "special_price_id": special["id"] if special else None,
        }
        return Rate(**values, rule=rule.value, detail=detail)

    def list_item(
        self, client_type: str, zone: str | None, size: int, rental_days: int
    ) -> tuple[Row, PriceRule]:
        candidates: list[tuple[PriceKey, PriceRule]] = [
            ((size, rental_days, client_type, None), PriceRule.CLIENT_TYPE_PRICING),
            ((size, rental_days, None, None), PriceRule.ACCOUNT_STANDARD),
        ]
        if zone is not None:
            zone_key = (size, rental_days, None, zone)
            candidates.insert(0, (zone_key, PriceRule.SERVICE_ADDRESS_PRICING))
        for key, rule in candidates:
            if key in self.items:
                return self.items[key], rule
        raise LookupError(f"No price for a {size} yd container for {rental_days} days.")

    def fee(self, client: ClientDraft, code: str) -> Price:
        special = client.special_fees.get(code)
        if special is not None:
            detail = {"fee_code": code, "special_price_id": special["id"]}
            rule = PriceRule.CLIENT_SPECIAL_PRICING.value
            return Price(special["fee_amount"], rule, detail)
        detail = {"fee_code": code, "special_price_id": None}
        return Price(self.fee_amounts[code], PriceRule.ACCOUNT_STANDARD.value, detail)


def price_list_rows() -> list[tuple[PriceKey, dict[str, Any]]]:
    """Standard, contractor and mountain-zone items, by key."""
    rows: list[tuple[PriceKey, dict[str, Any]]] = []
    for size, (week, fortnight, tons, extra_day) in STANDARD_PRICES.items():
        for days, dollars in zip(RENTAL_LENGTHS, (week, fortnight), strict=True):
            values: dict[str, Any] = {
                "base_price": dollars * 100,
                "included_days": days,
                "included_tons": Decimal(tons),
                "overage_per_ton": OVERAGE_PER_TON,
                "per_extra_day": extra_day * 100,
            }
            rows.append(((size, days, None, None), values))
            if size in CONTRACTOR_SIZES:
                contractor = {
                    **values,
                    "base_price": values["base_price"] - CONTRACTOR_DISCOUNT,
                    "overage_per_ton": CONTRACTOR_OVERAGE,
                }
                rows.append(
                    ((size, days, ClientType.CONTRACTOR.value, None), contractor)
                )
            if size in MOUNTAIN_SIZES:
                mountain = {
                    **values,
                    "base_price": values["base_price"] + MOUNTAIN_SURCHARGE,
                    "per_extra_day": values["per_extra_day"] + 500,
                }
                rows.append(((size, days, None, "mountain"), mountain))
    return rows
