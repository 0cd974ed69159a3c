"""Completing a task: its weight tickets, and the charges it leaves to be
invoiced (``Charge`` rows with no invoice yet).

The rule, by kind:

- **Delivery**: the rental at its snapshot price.
- **Pickup** (the pickup side): the container's rental clock stops today;
  days on site beyond the included days are charged per extra day, and the
  tons of every load of the container (this pickup's tickets and any dump
  and return's) beyond the included tons per ton, both at the prices of
  the delivery's snapshot (``domain.rental``). A pickup with a price of
  its own charges it too.
- **Exchange**: the pickup side as above for the container it takes away
  (its tickets weigh that container's load), then the new rental at the
  exchange's own snapshot price.
- **Dump and return** and **relocation**: their own price. A dump and
  return's tons count toward the container's allowance at pickup.
- **Live load**: its own price, and its own tickets' tons beyond the
  included tons of its snapshot, per ton.

Where a snapshot lacks a rate (a manually priced delivery), the extra days
or tons it cannot price are not charged. The client is told the task is
done.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from domain import rental
from domain.activity import record_activity
from domain.identity.viewer import Viewer
from domain.problems import Problem, refuse_all
from domain.work.common import WorkProblem, task_charge
from domain.work.tasks import (
    TaskAction,
    announce,
    check_on_site,
    check_transition,
    find_task,
)
from persistence.enums import NotificationEvent, TaskKind, TaskStatus
from persistence.models import Account, Charge, Task, WeightTicket
from persistence.queries.work import hauling_of_deliveries

WEIGHED_KINDS = frozenset(
    {TaskKind.PICKUP, TaskKind.EXCHANGE, TaskKind.DUMP_AND_RETURN, TaskKind.LIVE_LOAD}
)
# No roll-off load weighs more; a larger number is a typing slip.
MOST_TONS = Decimal(100)
HUNDREDTHS = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class TicketInput:
    ticket_number: str
    facility: str
    net_tons: Decimal
    weighed_at: datetime | None = None


def ticket_problems(task: Task, tickets: list[TicketInput]) -> list[Problem]:
    if tickets and task.kind not in WEIGHED_KINDS:
        message = f"A {task.kind} hauls no load to weigh."
        return [Problem(WorkProblem.NOT_APPLICABLE, "weightTickets", message)]

    problems = []
    for index, ticket in enumerate(tickets):
        at = f"weightTickets.{index}."
        if not ticket.ticket_number.strip():
            message = "Give the ticket's number."
            problems.append(Problem(WorkProblem.REQUIRED, at + "ticketNumber", message))
        if not ticket.facility.strip():
            message = "Name the facility that weighed the load."
            problems.append(Problem(WorkProblem.REQUIRED, at + "facility", message))
        if not Decimal(0) <= ticket.net_tons <= MOST_TONS:
            message = f"Net tons must be between 0 and {MOST_TONS}."
            problems.append(Problem(WorkProblem.INVALID_TONS, at + "netTons", message))
    return problems


async def complete_task(
    session: AsyncSession,
    viewer: Viewer,
    task_id: UUID | None,
    tickets: list[TicketInput],
    now: datetime,
) -> tuple[Task, list[Charge]]:
    """Complete the task with its tickets and charge what it is owed."""
    task = await find_task(session, viewer.account_id, task_id)
    check_transition(task, TaskAction.COMPLETE)
    refuse_all(ticket_problems(task, tickets))
    placement = None
    if task.kind in (TaskKind.PICKUP, TaskKind.EXCHANGE):
        placement = await session.get_one(Task, task.related_task_id)
        await check_on_site(session, placement, "taskId")

    task.status, task.completed_at = TaskStatus.COMPLETED, now
    task.started_at = task.started_at or now
    weighed = [weight_ticket(task, ticket, now) for ticket in tickets]
    session.add_all(weighed)
    await session.flush()
    account = await session.get_one(Account, task.account_id)
    charges = await charges_for(session, task, placement, weighed, account.time_zone)
    session.add_all(charges)
    await session.flush()

    await record_activity(
        session, viewer, "task.completed", client_id=task.client_id, subject=task,
        weight_tickets=len(tickets), charges=len(charges),
        charged=sum(charge.amount for charge in charges),
    )  # fmt: skip
    await announce(session, viewer, task, NotificationEvent.TASK_COMPLETED)
    return task, charges


def weight_ticket(task: Task, ticket: TicketInput, now: datetime) -> WeightTicket:
    return WeightTicket(
        account_id=task.account_id,
        task_id=task.id,
        ticket_number=ticket.ticket_number.strip(),
        facility=ticket.facility.strip(),
        net_tons=ticket.net_tons.quantize(HUNDREDTHS),
        weighed_at=ticket.weighed_at or now,
    )


async def charges_for(
    session: AsyncSession,
    task: Task,
    placement: Task | None,
    tickets: list[WeightTicket],
    time_zone: str,
) -> list[Charge]:
    charges = []
    if placement is not None:
        charges += await pickup_side(session, task, placement, time_zone)
    if task.kind == TaskKind.LIVE_LOAD:
        charges += live_load_overage(task, tickets)
    if task.price > 0 or task.kind in (TaskKind.DELIVERY, TaskKind.EXCHANGE):
        charges.insert(0, own_charge(task))
    return charges


def own_charge(task: Task) -> Charge:
    material = task.material.replace("_", " ")
    what = {
        TaskKind.DELIVERY: f"dumpster rental, {task.rental_days} days",
        TaskKind.EXCHANGE: f"swap, new rental of {task.rental_days} days",
        TaskKind.LIVE_LOAD: "live load",
        TaskKind.DUMP_AND_RETURN: "dump and return",
        TaskKind.RELOCATE: "relocation on site",
        TaskKind.PICKUP: "pickup",
    }[TaskKind(task.kind)]
    description = f"{task.container_size} yd {what} ({material})"
    return task_charge(
        task, description, task.price, task.price_rule, task.price_detail
    )


async def pickup_side(
    session: AsyncSession, task: Task, placement: Task, time_zone: str
) -> list[Charge]:
    """Extra days and tons of the container ``task`` takes away."""
    delivered_on = rental.service_day(
        placement.scheduled_on, placement.completed_at, time_zone
    )
    stopped_on = rental.service_day(task.scheduled_on, task.completed_at, time_zone)
    if delivered_on is None or stopped_on is None:
        return []

    found = await hauling_of_deliveries(session, task.account_id, [placement.id])
    hauls = [
        rental.Haul(service.kind, day, service.tons)
        for service in found.get(placement.id, [])
        if (
            day := rental.service_day(
                service.scheduled_on, service.completed_at, time_zone
            )
        )
    ]

    allowance = rental.allowance_of(placement.price_detail, placement.rental_days)
    clock = rental.rental_clock(delivered_on, hauls, stopped_on, allowance)
    return extra_charges(task, placement, clock)


def extra_charges(
    task: Task, placement: Task, clock: rental.RentalClock
) -> list[Charge]:
    detail = placement.price_detail or {}
    per_extra_day = rate_of(detail, "per_extra_day")
    per_ton = rate_of(detail, "overage_per_ton")

    charges = []
    if clock.extra_days and per_extra_day is not None:
        description = (
            f"Extra rental days ({clock.extra_days} beyond {clock.included_days})"
        )
        basis = {"basis": "extra days", "days_on_site": clock.days_on_site}
        charges.append(
            task_charge(
                task, description, per_extra_day, placement.price_rule,
                {**detail, **basis}, Decimal(clock.extra_days),
            )
        )  # fmt: skip

    if clock.extra_tons and per_ton is not None:
        charges.append(overage(task, placement, clock.tons, clock.extra_tons, per_ton))
    return charges


def overage(
    task: Task, priced_by: Task, tons: Decimal, extra: Decimal, per_ton: int
) -> Charge:
    extra = extra.quantize(HUNDREDTHS)
    included = tons - extra
    description = f"Overage: {extra} tons over {included:.2f} included"
    basis = {"basis": "tons over the allowance", "tons": str(tons)}
    detail = {**(priced_by.price_detail or {}), **basis}
    return task_charge(task, description, per_ton, priced_by.price_rule, detail, extra)


def live_load_overage(task: Task, tickets: list[WeightTicket]) -> list[Charge]:
    """A live load's own tickets against its own allowance."""
    detail = task.price_detail or {}
    included = rental.tons_of(detail.get("included_tons"))
    per_ton = rate_of(detail, "overage_per_ton")
    tons = sum((ticket.net_tons for ticket in tickets), start=Decimal(0))
    if included is None or per_ton is None or tons <= included:
        return []
    return [overage(task, task, tons, tons - included, per_ton)]


def rate_of(detail: dict[str, Any], name: str) -> int | None:
    value = detail.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value
