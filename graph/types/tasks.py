"""Dumpster tasks as the graph shows them: the work order, its weight tickets,
its price and where that price came from, and a delivery's rental clock."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self

import strawberry
from strawberry.scalars import JSON

from domain import rental
from graph.context import Info
from graph.fields import EVERYONE, field
from graph.ids import encode_global_id
from graph.loaders import Reference, grouped_loader, row_loader
from graph.nodes import Node
from graph.permissions import PRICING_READ, WORK_READ
from graph.types.people import Address
from graph.types.scalars import Money
from graph.types.staff import StaffMember
from persistence import enums
from persistence.models import Account
from persistence.queries import work as work_queries
from persistence.queries.relations import addresses_table

strawberry.enum(
    enums.TaskKind,
    description="What a task does with a container: DELIVERY (drop-off), PICKUP "
    "(final pickup), EXCHANGE (swap), DUMP_AND_RETURN, RELOCATE or LIVE_LOAD.",
)
TaskKind = enums.TaskKind
strawberry.enum(
    enums.TaskStatus,
    description="Where a task stands; FAILED means attempted but not done.",
)
TaskStatus = enums.TaskStatus
strawberry.enum(
    enums.Material, description="What goes in the container; it sets the disposal."
)
Material = enums.Material
strawberry.enum(
    enums.PriceRule,
    description="Which pricing rule produced a price, highest precedence first: "
    "client special pricing, service-address pricing, client-type pricing, the "
    "account's standard price list; MANUAL when staff typed the price.",
)
PriceRule = enums.PriceRule


def decimal_string(value: Decimal) -> str:
    """A quantity or tonnage as the graph prints it: two decimal places."""
    return str(value.quantize(Decimal("0.01")))


async def load_address(info: Info, address_id: int | None) -> Address | None:
    """The address with this row id, batched per request."""
    if address_id is None:
        return None
    row = await row_loader(info.context, addresses_table, "id").load(address_id)
    return Address.from_row(row) if row is not None else None


async def load_account(info: Info) -> Any:
    """The viewer's account row: its currency and time zone."""
    loader = row_loader(info.context, Account.__table__, "id")
    return await loader.load(info.context.account_id)


@strawberry.type(
    description="Where a price came from: the rule that won and the inputs it "
    "used, so an unexpected price is explained. Needs pricing:read."
)
class PriceProvenance:
    rule: PriceRule = field(
        description="The pricing rule that produced the price.",
        permission=PRICING_READ,
    )
    detail: JSON | None = field(
        description="The rule's inputs as JSON (price list item, special price, "
        "included days and tons, ...); null for manual prices without detail.",
        permission=PRICING_READ,
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls.of(row.price_rule, row.price_detail)

    @classmethod
    def of(cls, rule: str, detail: Any) -> Self:
        return cls(rule=PriceRule(rule), detail=detail)


@strawberry.type(description="A scale ticket from the disposal facility for a load.")
class WeightTicket:
    ticket_number: str = field(
        description="The facility's ticket number.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    facility: str = field(
        description="The disposal facility that weighed the load.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    net_tons: str = field(
        description='Net weight in tons, a decimal string ("2.35").',
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    weighed_at: datetime = field(
        description="When the load was weighed.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            ticket_number=row.ticket_number,
            facility=row.facility,
            net_tons=decimal_string(row.net_tons),
            weighed_at=row.weighed_at,
        )


@strawberry.type(
    description="A delivered container's rental clock: days on site against the "
    "included rental days, tons hauled against the weight allowance. The clock "
    "stops at the first completed pickup or exchange of the container."
)
class RentalClock:
    delivered_on: date = field(
        description="The day the container was delivered (or swapped in).",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    picked_up_on: date | None = field(
        description="The day it was picked up or swapped; null while on site.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    days_on_site: int = field(
        description="Days from delivery to pickup (or today): delivered Monday and "
        "picked up Friday is 4.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    included_days: int | None = field(
        description="Rental days the price includes; null when unknown.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    extra_days: int | None = field(
        description="Days on site beyond the included days (billed per extra day); "
        "null when the included days are unknown.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    tons: str = field(
        description="Net tons on the weight tickets of the container's loads so "
        'far, a decimal string ("3.40").',
        permission=WORK_READ,
    )
    included_tons: str | None = field(
        description="Tons the price includes, a decimal string; null when unknown.",
        permission=WORK_READ,
    )
    extra_tons: str | None = field(
        description="Tons beyond the allowance (billed per ton), a decimal string; "
        "null when the allowance is unknown.",
        permission=WORK_READ,
    )

    @classmethod
    def of(cls, clock: rental.RentalClock) -> Self:
        def optional(value: Decimal | None) -> str | None:
            return decimal_string(value) if value is not None else None

        return cls(
            delivered_on=clock.delivered_on,
            picked_up_on=clock.picked_up_on,
            days_on_site=clock.days_on_site,
            included_days=clock.included_days,
            extra_days=clock.extra_days,
            tons=decimal_string(clock.tons),
            included_tons=optional(clock.included_tons),
            extra_tons=optional(clock.extra_tons),
        )


@strawberry.type(description="A dumpster work order at one of the client's addresses.")
class Task(Node):
    row_id: strawberry.Private[int]
    service_address_id: strawberry.Private[int]
    driver_id: strawberry.Private[int | None]
    related_task_id: strawberry.Private[int | None]
    price_detail: strawberry.Private[dict[str, Any] | None]
    id: strawberry.ID = field(
        description="Global ID of the task.", permission=WORK_READ, audiences=EVERYONE
    )
    kind: TaskKind = field(
        description="What the task does.", permission=WORK_READ, audiences=EVERYONE
    )
    status: TaskStatus = field(
        description="Where the task stands.", permission=WORK_READ, audiences=EVERYONE
    )
    container_size: int = field(
        description="Container size in cubic yards (10, 15, 20, 30 or 40).",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    material: Material = field(
        description="What goes in the container.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    scheduled_on: date | None = field(
        description="The day it is scheduled for; null while unscheduled.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    rental_days: int | None = field(
        description="For a delivery: the rental length it was booked for, in days.",
        permission=WORK_READ,
    )
    price: Money = field(
        description="The task's price, fixed when it was booked.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    instructions: str | None = field(
        description="Placement and access instructions for the driver.",
        permission=WORK_READ,
    )
    started_at: datetime | None = field(
        description="When the driver started it.",
        permission=WORK_READ,
    )
    completed_at: datetime | None = field(
        description="When it was completed.", permission=WORK_READ, audiences=EVERYONE
    )
    failure_reason: str | None = field(
        description="Why an attempt failed (FAILED tasks), e.g. a blocked container.",
        permission=WORK_READ,
    )
    cancelled_at: datetime | None = field(
        description="When it was cancelled.", permission=WORK_READ
    )
    created_at: datetime = field(
        description="When it was booked.", permission=WORK_READ
    )
    price_provenance: PriceProvenance | None = field(
        description="Which pricing rule produced the price. Needs pricing:read "
        "(null with a FORBIDDEN error without it).",
        permission=PRICING_READ,
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            row_id=row.id,
            service_address_id=row.service_address_id,
            driver_id=row.driver_id,
            related_task_id=row.related_task_id,
            price_detail=row.price_detail,
            id=strawberry.ID(encode_global_id("Task", row.public_id)),
            kind=TaskKind(row.kind),
            status=TaskStatus(row.status),
            container_size=row.container_size,
            material=Material(row.material),
            scheduled_on=row.scheduled_on,
            rental_days=row.rental_days,
            price=Money.of(row.price, row.currency),
            instructions=row.instructions,
            started_at=row.started_at,
            completed_at=row.completed_at,
            failure_reason=row.failure_reason,
            cancelled_at=row.cancelled_at,
            created_at=row.created_at,
            price_provenance=PriceProvenance.from_row(row),
        )

    @field(
        description="Where the container goes.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    async def service_address(self, info: Info) -> Address | None:
        return await load_address(info, self.service_address_id)

    @field(
        description="The assigned driver; null while unassigned.",
        permission=WORK_READ,
        graphql_type=StaffMember | None,
    )
    def driver(self, info: Info) -> Reference[StaffMember]:
        return StaffMember.load(info, self.driver_id)

    @field(
        description="For work on a delivered container (pickup, exchange, dump and "
        "return, relocation): that delivery; null otherwise.",
        permission=WORK_READ,
    )
    async def related_task(self, info: Info) -> "Task | None":
        if self.related_task_id is None:
            return None
        loader = row_loader(info.context, work_queries.tasks, "id")
        row = await loader.load(self.related_task_id)
        return Task.from_row(row) if row is not None else None

    @field(
        description="Scale tickets of the task's loads, in the order weighed.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    async def weight_tickets(self, info: Info) -> list[WeightTicket]:
        loader = grouped_loader(info.context, work_queries.weight_tickets_of_tasks, [])
        return [WeightTicket.from_row(row) for row in await loader.load(self.row_id)]

    @field(
        description="For a completed delivery or exchange: the rental clock of "
        "the container it brought, running while it is on site; null for every "
        "other task.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    async def rental(self, info: Info) -> RentalClock | None:
        if not rental.has_rental_clock(self.kind, self.status):
            return None
        account = await load_account(info)
        time_zone = account.time_zone if account is not None else "UTC"
        started_on = rental.service_day(self.scheduled_on, self.completed_at, time_zone)
        # An exchange's services point at the delivery it swapped.
        is_exchange = self.kind == TaskKind.EXCHANGE
        delivery_id = self.related_task_id if is_exchange else self.row_id
        # A task marked completed with neither a day nor a time has no clock.
        if started_on is None or delivery_id is None:
            return None

        loader = grouped_loader(info.context, work_queries.hauling_of_deliveries, [])
        hauls = hauls_of(await loader.load(delivery_id), time_zone)
        if is_exchange:
            hauls = rental.hauls_after(hauls, started_on, self.row_id)
        today = rental.local_date(info.context.services.clock(), time_zone)
        allowance = rental.allowance_of(self.price_detail, self.rental_days)
        clock = rental.rental_clock(started_on, hauls, today, allowance)
        return RentalClock.of(clock)


def hauls_of(
    services: list[work_queries.HaulingService], time_zone: str
) -> list[rental.Haul]:
    hauls = []
    for service in services:
        day = rental.service_day(service.scheduled_on, service.completed_at, time_zone)
        if day is not None:
            hauls.append(rental.Haul(service.kind, day, service.tons, service.task_id))
    return hauls
