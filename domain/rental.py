"""The rental clock of a delivered container: days on site and tons hauled,
each against what the rental's price includes.

The rule:

- A completed delivery has a clock; it starts on the day the container was
  delivered. A completed exchange brings a new container, so it has a clock
  of its own from its day, run by the services of the same delivery that
  follow it (a later exchange or the pickup stops it).
- The clock stops on the day of the first completed pickup or exchange that
  points to the delivery (an exchange takes that container away and starts a
  new rental period at its own price); while there is none, it runs to today
  in the account's time zone.
- Days on site = stop day − delivery day, counting nights as rental days are
  billed: delivered Monday and picked up Friday is 4 days; same day is 0.
- Tons = the net tons on the weight tickets of the completed pickups,
  exchanges and dump-and-returns of the delivery, up to the stop day.
- Included days and tons come from the delivery's price snapshot
  (``included_days``, ``included_tons`` of its price detail); without them,
  included days fall back to the delivery's rental days and included tons
  are unknown. Extra days and tons are what exceeds the allowance (never
  negative), and unknown when the allowance is.
- A service's day is the local date it was completed, or its scheduled day
  when no completion time was recorded.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.calendar import local_date
from persistence.enums import TaskKind, TaskStatus

# The services after which the delivered container is no longer on site.
CLOCK_STOPPING_KINDS = (TaskKind.PICKUP, TaskKind.EXCHANGE)


@dataclass(frozen=True, slots=True)
class Haul:
    """A completed service that took a delivered container's load away."""

    kind: str
    day: date
    tons: Decimal
    task_id: int = 0


@dataclass(frozen=True, slots=True)
class Allowance:
    """What a rental's price includes; ``None`` where the price does not say."""

    included_days: int | None
    included_tons: Decimal | None


@dataclass(frozen=True, slots=True)
class RentalClock:
    delivered_on: date
    picked_up_on: date | None
    days_on_site: int
    included_days: int | None
    tons: Decimal
    included_tons: Decimal | None

    @property
    def extra_days(self) -> int | None:
        if self.included_days is None:
            return None
        return max(0, self.days_on_site - self.included_days)

    @property
    def extra_tons(self) -> Decimal | None:
        if self.included_tons is None:
            return None
        return max(Decimal(0), self.tons - self.included_tons)


def has_rental_clock(kind: str, status: str) -> bool:
    """A completed delivery or exchange: each put a container on site."""
    return (
        kind in (TaskKind.DELIVERY, TaskKind.EXCHANGE)
        and status == TaskStatus.COMPLETED
    )


def hauls_after(hauls: Sequence[Haul], day: date, task_id: int) -> list[Haul]:
    """The services that came after the exchange ``task_id`` of ``day``; on
    one day, the order they were booked in decides."""
    return [haul for haul in hauls if (haul.day, haul.task_id) > (day, task_id)]


def service_day(
    scheduled_on: date | None, completed_at: datetime | None, time_zone: str
) -> date | None:
    if completed_at is not None:
        return local_date(completed_at, time_zone)
    return scheduled_on


def allowance_of(
    price_detail: Mapping[str, Any] | None, rental_days: int | None
) -> Allowance:
    detail = price_detail or {}
    included_days = detail.get("included_days")
    if isinstance(included_days, bool) or not isinstance(included_days, int):
        included_days = rental_days
    return Allowance(included_days, tons_of(detail.get("included_tons")))


def tons_of(value: Any) -> Decimal | None:
    """A tonnage from a price snapshot, which stores it as a decimal string."""
    if value is None or isinstance(value, bool):
        return None
    try:
        tons = Decimal(str(value))
    except InvalidOperation:
        return None
    return tons if tons.is_finite() else None


def rental_clock(
    delivered_on: date, hauls: Sequence[Haul], today: date, allowance: Allowance
) -> RentalClock:
    stops = [haul.day for haul in hauls if haul.kind in CLOCK_STOPPING_KINDS]
    picked_up_on = min(stops) if stops else None
    last_day = picked_up_on or today
    tons = sum((haul.tons for haul in hauls if haul.day <= last_day), start=Decimal(0))
    return RentalClock(
        delivered_on=delivered_on,
        picked_up_on=picked_up_on,
        days_on_site=max(0, (last_day - delivered_on).days),
        included_days=allowance.included_days,
        tons=tons,
        included_tons=allowance.included_tons,
    )
