"""What a task costs, decided once when it is booked and never again.

The rule, by kind (every price comes from ``domain.pricing``, so special
pricing, the address's pricing zone and the client type apply):

- **Delivery**: the container rate of its size and rental length; the
  snapshot keeps the whole rate (included days and tons, overage per ton,
  per extra day), which the pickup side later charges against.
- **Exchange**: a new rental of its size (the size may change) for its
  rental length, or the delivery's when it names none.
- **Live load**: the rental price of its size for the shortest rental length
  the price list has; the truck waits, so there is no rental clock.
- **Pickup**: nothing of its own: it is included in the rental. The snapshot
  is the delivery's, with ``basis`` saying so; its extra days and tons are
  charged when it is completed.
- **Dump and return**: 80% of the rental price of the container's size and
  length, rounded down to a minor unit.
- **Relocate**: the ``relocation`` fee.

Prices are decided for the scheduled day, or the business's today when the
task is not scheduled yet.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.pricing import PriceProblem, container_rate, fee_price
from domain.problems import refuse
from domain.work.common import pricing_refusals
from persistence.enums import PriceRule, TaskKind
from persistence.models import Client, PriceListItem, Task

DUMP_AND_RETURN_PERCENT = 80
RELOCATION_FEE = "relocation"


@dataclass(frozen=True, slots=True)
class TaskPrice:
    amount: int
    rule: str
    detail: dict[str, Any] | None
    rental_days: int | None = None


@dataclass(frozen=True, slots=True)
class PricingInput:
    """What the price of a new task depends on."""

    kind: TaskKind
    container_size: int
    rental_days: int | None
    day: date
    zone: str | None
    delivery: Task | None


async def price_task(
    session: AsyncSession, client: Client, booking: PricingInput
) -> TaskPrice:
    with pricing_refusals():
        match booking.kind:
            case TaskKind.DELIVERY | TaskKind.EXCHANGE:
                return await rental_price(session, client, booking)
            case TaskKind.LIVE_LOAD:
                return await live_load_price(session, client, booking)
            case TaskKind.PICKUP:
                return included_price(booking.delivery)
            case TaskKind.DUMP_AND_RETURN:
                return await dump_and_return_price(session, client, booking)
            case TaskKind.RELOCATE:
                fee = await fee_price(session, client, RELOCATION_FEE, booking.day)
                return TaskPrice(fee.amount, fee.rule, fee.detail)
    raise AssertionError(f"no pricing rule for {booking.kind}")  # pragma: no cover


def booked_days(booking: PricingInput) -> int | None:
    """A rental's length: its own, else (an exchange) its delivery's."""
    if booking.rental_days is not None:
        return booking.rental_days
    return booking.delivery.rental_days if booking.delivery is not None else None


async def rental_price(
    session: AsyncSession, client: Client, booking: PricingInput
) -> TaskPrice:
    days = booked_days(booking)
    if days is None:
        refuse(PriceProblem.NO_PRICE, "rentalDays", "Name the rental length in days.")
    rate = await container_rate(
        session, client, booking.container_size, days, booking.day, booking.zone
    )
    return TaskPrice(rate.base_price, rate.rule, rate.detail, days)


async def live_load_price(
    session: AsyncSession, client: Client, booking: PricingInput
) -> TaskPrice:
    shortest = await session.scalar(
        select(func.min(PriceListItem.rental_days)).where(
            PriceListItem.account_id == client.account_id,
            PriceListItem.container_size == booking.container_size,
        )
    )
    if shortest is None:
        refuse(
            PriceProblem.NO_PRICE,
            "containerSize",
            f"The price list has no {booking.container_size} yd container.",
        )
    rate = await container_rate(
        session, client, booking.container_size, shortest, booking.day, booking.zone
    )
    detail = {**rate.detail, "basis": "live load: the shortest rental's price"}
    return TaskPrice(rate.base_price, rate.rule, detail)


def included_price(delivery: Task | None) -> TaskPrice:
    snapshot = dict(delivery.price_detail or {}) if delivery is not None else {}
    rule = delivery.price_rule if delivery is not None else PriceRule.MANUAL
    return TaskPrice(0, rule, {**snapshot, "basis": "included in the rental"})


async def dump_and_return_price(
    session: AsyncSession, client: Client, booking: PricingInput
) -> TaskPrice:
    rental = await rental_price(session, client, booking)
    amount = rental.amount * DUMP_AND_RETURN_PERCENT // 100
    basis = f"{DUMP_AND_RETURN_PERCENT}% of the rental price"
    return TaskPrice(amount, rental.rule, {**(rental.detail or {}), "basis": basis})
