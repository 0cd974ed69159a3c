"""Job mutations: create, update, schedule, complete and cancel project work."""

from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.work import jobs
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.ids import public_id_of
from graph.mutations import MutationInput
from graph.resolvers.work_errors import WorkError, now, work_change
from graph.types.billing.recurring import Charge
from graph.types.estimates import Job, JobKind


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
