"""Task mutations: book, reschedule, assign, complete, fail and cancel a
dumpster task. The rules are ``domain.work``'s; this maps the graph to them.
"""

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.work import completion, tasks
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.ids import public_id_of
from graph.mutations import MutationInput
from graph.resolvers.work_errors import WorkError, now, work_change
from graph.types.billing.recurring import Charge
from graph.types.tasks import Material, Task, TaskKind


@strawberry.type(description="The task after the change.")
class TaskPayload:
    task: Task | None = field(
        description="The task; null on failure.", audiences=STAFF_ONLY
    )
    user_errors: list[WorkError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The task after the change, and what it charged.")
class TaskChargesPayload:
    task: Task | None = field(
        description="The task; null on failure.", audiences=STAFF_ONLY
    )
    charges: list[Charge] = field(
        description="The uninvoiced charges the change created, in order.",
        audiences=STAFF_ONLY,
    )
    user_errors: list[WorkError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


async def task_change(
    info: Info, change: Callable[[AsyncSession], Awaitable[Any]]
) -> TaskPayload:
    async def built(session: AsyncSession) -> Task:
        return Task.from_row(await change(session))

    task, errors = await work_change(info, built)
    return TaskPayload(task=task, user_errors=errors)


async def charging_task_change(
    info: Info, change: Callable[[AsyncSession], Awaitable[Any]]
) -> TaskChargesPayload:
    async def built(session: AsyncSession) -> tuple[Task, list[Charge]]:
        row, charges = await change(session)
        return Task.from_row(row), [Charge.from_row(charge) for charge in charges]

    result, errors = await work_change(info, built)
    task, charges = result or (None, [])
    return TaskChargesPayload(task=task, charges=charges, user_errors=errors)


@strawberry.input(
    description="A new dumpster task. Delivery, exchange and live load bring a "
    "container (size and material; a delivery its rental length too); pickup, "
    "exchange, dump and return and relocation name the delivery they work on."
)
class CreateTaskInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    service_address_id: strawberry.ID = strawberry.field(
        description="One of the client's service addresses."
    )
    kind: TaskKind = strawberry.field(description="What the task does.")
    container_size: int | None = strawberry.field(
        default=None,
        description="Container size in cubic yards (10, 15, 20, 30, 40); defaults "
        "to the delivered container's.",
    )
    material: Material | None = strawberry.field(
        default=None,
        description="What goes in it; defaults to the delivered container's.",
    )
    scheduled_on: date | None = strawberry.field(
        default=None, description="The day; null leaves the task unscheduled."
    )
    rental_days: int | None = strawberry.field(
        default=None,
        description="Rental length in days: required for a delivery; for an "
        "exchange, defaults to the delivery's.",
    )
    delivery_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The delivery (or exchange) whose container the task works on.",
    )
    instructions: str | None = strawberry.field(
        default=None, description="Placement and access notes for the driver."
    )
    job_id: strawberry.ID | None = strawberry.field(
        default=None, description="The client's job the task is part of."
    )


async def create_task(info: Info, input: MutationInput[CreateTaskInput]) -> TaskPayload:
    viewer = info.context.signed_in_viewer
    booking = tasks.TaskBooking(
        client_id=public_id_of(input.client_id, "Client"),
        service_address_id=public_id_of(input.service_address_id, "Address"),
        kind=input.kind,
        container_size=input.container_size,
        material=input.material,
        scheduled_on=input.scheduled_on,
        rental_days=input.rental_days,
        delivery_id=public_id_of(input.delivery_id, "Task"),
        instructions=input.instructions,
        job_id=public_id_of(input.job_id, "Job"),
    )

    async def create(session: AsyncSession) -> Any:
        return await tasks.create_task(session, viewer, booking, now(info))

    return await task_change(info, create)


@strawberry.input(description="A task's new day.")
class RescheduleTaskInput:
    task_id: strawberry.ID = strawberry.field(description="The task's ID.")
    scheduled_on: date | None = strawberry.field(
        description="The new day; null makes the task unscheduled again."
    )


async def reschedule_task(
    info: Info, input: MutationInput[RescheduleTaskInput]
) -> TaskPayload:
    viewer = info.context.signed_in_viewer
    task_id = public_id_of(input.task_id, "Task")

    async def reschedule(session: AsyncSession) -> Any:
        return await tasks.reschedule_task(
            session, viewer, task_id, input.scheduled_on, now(info)
        )

    return await task_change(info, reschedule)


@strawberry.input(description="Who drives a task.")
class AssignDriverInput:
    task_id: strawberry.ID = strawberry.field(description="The task's ID.")
    driver_id: strawberry.ID | None = strawberry.field(
        description="An active staff member's ID; null takes the driver off."
    )


async def assign_driver(
    info: Info, input: MutationInput[AssignDriverInput]
) -> TaskPayload:
    viewer = info.context.signed_in_viewer
    task_id = public_id_of(input.task_id, "Task")
    driver_id = public_id_of(input.driver_id, "StaffMember")

    async def assign(session: AsyncSession) -> Any:
        return await tasks.assign_driver(session, viewer, task_id, driver_id)

    return await task_change(info, assign)


@strawberry.input(description="A scale ticket from the disposal facility.")
class WeightTicketInput:
    ticket_number: str = strawberry.field(description="The facility's number.")
    facility: str = strawberry.field(description="The facility that weighed it.")
    net_tons: Decimal = strawberry.field(description='Net tons, e.g. "2.35".')
    weighed_at: datetime | None = strawberry.field(
        default=None, description="When it was weighed; null: now."
    )


@strawberry.input(description="A task done, with the tickets of its loads.")
class CompleteTaskInput:
    task_id: strawberry.ID = strawberry.field(description="The task's ID.")
    weight_tickets: list[WeightTicketInput] = strawberry.field(
        default_factory=list,
        description="Scale tickets of the loads it hauled (pickups, exchanges, "
        "dump and returns, live loads).",
    )


async def complete_task(
    info: Info, input: MutationInput[CompleteTaskInput]
) -> TaskChargesPayload:
    viewer = info.context.signed_in_viewer
    task_id = public_id_of(input.task_id, "Task")
    tickets = [
        completion.TicketInput(
            ticket.ticket_number, ticket.facility, ticket.net_tons, ticket.weighed_at
        )
        for ticket in input.weight_tickets
    ]

    async def complete(session: AsyncSession) -> Any:
        return await completion.complete_task(
            session, viewer, task_id, tickets, now(info)
        )

    return await charging_task_change(info, complete)


@strawberry.input(description="An attempt that could not be done.")
class FailTaskInput:
    task_id: strawberry.ID = strawberry.field(description="The task's ID.")
    reason: str = strawberry.field(description="Why, e.g. a blocked container.")
    charge_trip_fee: bool = strawberry.field(
        default=False,
        description="Charge the price list's trip_charge fee (the client's side "
        "made the attempt fail).",
    )


async def fail_task(
    info: Info, input: MutationInput[FailTaskInput]
) -> TaskChargesPayload:
    viewer = info.context.signed_in_viewer
    task_id = public_id_of(input.task_id, "Task")

    async def fail(session: AsyncSession) -> Any:
        return await tasks.fail_task(
            session, viewer, task_id, input.reason, input.charge_trip_fee, now(info)
        )

    return await charging_task_change(info, fail)


@strawberry.input(description="A task called off.")
class CancelTaskInput:
    task_id: strawberry.ID = strawberry.field(description="The task's ID.")
    reason: str | None = strawberry.field(
        default=None, description="Why, for the activity record."
    )


async def cancel_task(info: Info, input: MutationInput[CancelTaskInput]) -> TaskPayload:
    viewer = info.context.signed_in_viewer
    task_id = public_id_of(input.task_id, "Task")

    async def cancel(session: AsyncSession) -> Any:
        return await tasks.cancel_task(
            session, viewer, task_id, input.reason, now(info)
        )

    return await task_change(info, cancel)
