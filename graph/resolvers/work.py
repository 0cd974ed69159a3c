"""Dumpster tasks and jobs for staff: book, schedule, assign, complete, fail
and cancel them. The rules are ``domain.work``'s; this maps the graph to it."""

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.permissions import Permission
from domain.work import completion, jobs, tasks
from domain.work.common import WorkProblem
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.ids import public_id_of
from graph.mutations import MutationInput, UserError, perform, user_errors
from graph.types.billing.recurring import Charge
from graph.types.estimates import Job, JobKind
from graph.types.tasks import Material, Task, TaskKind

strawberry.enum(
    WorkProblem,
    name="WorkErrorCode",
    description="Why a change to a task or job was refused.",
)
Result = TypeVar("Result")


@strawberry.type(description="A reason a change to a task or job was refused.")
class WorkError(UserError):
    code: WorkProblem = field(description="What went wrong.", audiences=STAFF_ONLY)


async def work_change(
    info: Info, change: Callable[[AsyncSession], Awaitable[Result]]
) -> tuple[Result | None, list[WorkError]]:
    outcome = await perform(info, change)
    return outcome.result, user_errors(WorkError, outcome.problems)


def now(info: Info) -> datetime:
    return info.context.services.clock()


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


@strawberry.type(description="The job after the change.")
class JobPayload:
    job: Job | None = field(
        description="The job; null on failure.", audiences=STAFF_ONLY
    )
    user_errors: list[WorkError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The completed job and the charges of its lines.")
class CompleteJobPayload:
    job: Job | None = field(
        description="The job; null on failure.", audiences=STAFF_ONLY
    )
    charges: list[Charge] = field(
        description="One uninvoiced charge per line, in line order.",
        audiences=STAFF_ONLY,
    )
    user_errors: list[WorkError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


async def job_change(
    info: Info, change: Callable[[AsyncSession], Awaitable[Any]]
) -> JobPayload:
    async def built(session: AsyncSession) -> Job:
        return Job.from_row(await change(session))

    job, errors = await work_change(info, built)
    return JobPayload(job=job, user_errors=errors)


@strawberry.input(
    description="A job line: a manual unitPrice or a price-list feeCode, exactly one."
)
class JobLineInput:
    description: str = strawberry.field(description="What is done or supplied.")
    quantity: Decimal = strawberry.field(
        default=Decimal(1), description='How many, e.g. "2.5"; more than zero.'
    )
    unit_price: int | None = strawberry.field(
        default=None, description="A manual price of one unit, minor units."
    )
    fee_code: str | None = strawberry.field(
        default=None, description="Price one unit as this fee, for this client."
    )


def lines_of(lines: list[JobLineInput]) -> list[jobs.LineInput]:
    return [
        jobs.LineInput(line.description, line.quantity, line.unit_price, line.fee_code)
        for line in lines
    ]


@strawberry.input(description="New project work for a client.")
class CreateJobInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    kind: JobKind = strawberry.field(description="What kind of work.")
    title: str = strawberry.field(description="What the job is.")
    description: str | None = strawberry.field(
        default=None, description="The work in detail."
    )
    service_address_id: strawberry.ID | None = strawberry.field(
        default=None, description="One of the client's service addresses."
    )
    window_start: datetime | None = strawberry.field(
        default=None, description="Start of the window; null leaves it unscheduled."
    )
    window_end: datetime | None = strawberry.field(
        default=None, description="End of the window."
    )
    lines: list[JobLineInput] = strawberry.field(
        default_factory=list, description="The job's lines, in order."
    )


async def create_job(info: Info, input: MutationInput[CreateJobInput]) -> JobPayload:
    viewer = info.context.signed_in_viewer
    draft = jobs.JobDraft(
        client_id=public_id_of(input.client_id, "Client"),
        kind=input.kind,
        title=input.title,
        description=input.description,
        service_address_id=public_id_of(input.service_address_id, "Address"),
        window=jobs.Window(input.window_start, input.window_end),
        lines=lines_of(input.lines),
    )

    async def create(session: AsyncSession) -> Any:
        return await jobs.create_job(session, viewer, draft, now(info))

    return await job_change(info, create)


@strawberry.input(
    description="Changes to a job: fields left out stay; lines, when given, "
    "replace all of its lines and are priced anew."
)
class UpdateJobInput:
    job_id: strawberry.ID = strawberry.field(description="The job's ID.")
    title: str | None = strawberry.field(
        default=strawberry.UNSET, description="What the job is."
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="The work in detail; null clears it."
    )
    service_address_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="A service address; null clears it."
    )
    lines: list[JobLineInput] | None = strawberry.field(
        default=strawberry.UNSET, description="All of the job's lines, in order."
    )


def job_changes(input: UpdateJobInput) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if input.title is not strawberry.UNSET:
        changes["title"] = input.title or ""
    if input.description is not strawberry.UNSET:
        changes["description"] = input.description
    if input.service_address_id is not strawberry.UNSET:
        changes["service_address_id"] = public_id_of(
            input.service_address_id, "Address"
        )
    return changes


async def update_job(info: Info, input: MutationInput[UpdateJobInput]) -> JobPayload:
    viewer = info.context.signed_in_viewer
    job_id = public_id_of(input.job_id, "Job")
    lines = None
    if input.lines is not strawberry.UNSET:
        lines = lines_of(input.lines or [])

    async def update(session: AsyncSession) -> Any:
        return await jobs.update_job(
            session, viewer, job_id, job_changes(input), lines, now(info)
        )

    return await job_change(info, update)


@strawberry.input(description="A job's scheduled window.")
class ScheduleJobInput:
    job_id: strawberry.ID = strawberry.field(description="The job's ID.")
    window_start: datetime = strawberry.field(description="Start of the window.")
    window_end: datetime | None = strawberry.field(
        default=None, description="End of the window."
    )


async def schedule_job(
    info: Info, input: MutationInput[ScheduleJobInput]
) -> JobPayload:
    viewer = info.context.signed_in_viewer
    job_id = public_id_of(input.job_id, "Job")
    window = jobs.Window(input.window_start, input.window_end)

    async def schedule(session: AsyncSession) -> Any:
        return await jobs.schedule_job(session, viewer, job_id, window)

    return await job_change(info, schedule)


@strawberry.input(description="A job done.")
class CompleteJobInput:
    job_id: strawberry.ID = strawberry.field(description="The job's ID.")


async def complete_job(
    info: Info, input: MutationInput[CompleteJobInput]
) -> CompleteJobPayload:
    viewer = info.context.signed_in_viewer
    job_id = public_id_of(input.job_id, "Job")

    async def complete(session: AsyncSession) -> tuple[Job, list[Charge]]:
        job, charges = await jobs.complete_job(session, viewer, job_id, now(info))
        return Job.from_row(job), [Charge.from_row(charge) for charge in charges]

    result, errors = await work_change(info, complete)
    job, charges = result or (None, [])
    return CompleteJobPayload(job=job, charges=charges, user_errors=errors)


@strawberry.input(description="A job called off.")
class CancelJobInput:
    job_id: strawberry.ID = strawberry.field(description="The job's ID.")
    reason: str | None = strawberry.field(
        default=None, description="Why, for the activity record."
    )


async def cancel_job(info: Info, input: MutationInput[CancelJobInput]) -> JobPayload:
    viewer = info.context.signed_in_viewer
    job_id = public_id_of(input.job_id, "Job")

    async def cancel(session: AsyncSession) -> Any:
        return await jobs.cancel_job(session, viewer, job_id, input.reason)

    return await job_change(info, cancel)


def work_mutation(resolver: Any, description: str) -> Any:
    """A staff mutation of tasks or jobs: all need work:write."""
    return field(
        resolver,
        description=f"{description} Needs work:write.",
        audiences=STAFF_ONLY,
        permission=Permission.WORK_WRITE,
    )


@strawberry.type(description="Booking and doing dumpster tasks and jobs.")
class WorkMutations:
    create_task: TaskPayload | None = work_mutation(
        create_task,
        "Book a dumpster task at a client's service address, priced now with "
        "its provenance. A client on hold needs holds:override.",
    )
    reschedule_task: TaskPayload | None = work_mutation(
        reschedule_task,
        "Move an unscheduled or scheduled task to another day (or unschedule it).",
    )
    assign_driver: TaskPayload | None = work_mutation(
        assign_driver, "Put a staff member on a task as its driver, or take them off."
    )
    complete_task: TaskChargesPayload | None = work_mutation(
        complete_task,
        "Complete a task with its weight tickets; creates its uninvoiced charges "
        "(rental, extra days and tons from the pickup side).",
    )
    fail_task: TaskChargesPayload | None = work_mutation(
        fail_task, "Record a failed attempt, with the trip charge if asked."
    )
    cancel_task: TaskPayload | None = work_mutation(
        cancel_task, "Cancel a task that has not ended."
    )
    create_job: JobPayload | None = work_mutation(
        create_job,
        "Create a job with priced lines. A client on hold needs holds:override.",
    )
    update_job: JobPayload | None = work_mutation(
        update_job, "Change a job that has not ended."
    )
    schedule_job: JobPayload | None = work_mutation(
        schedule_job, "Set or move a job's scheduled window."
    )
    complete_job: CompleteJobPayload | None = work_mutation(
        complete_job, "Complete a job; each line becomes an uninvoiced charge."
    )
    cancel_job: JobPayload | None = work_mutation(
        cancel_job, "Cancel a job that has not ended."
    )
