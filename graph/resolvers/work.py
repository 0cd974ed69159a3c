"""Dumpster tasks and jobs for staff: book, schedule, assign, complete, fail
and cancel them. The rules are ``domain.work``'s; this maps the graph to it."""

from typing import Any

import strawberry

from domain.permissions import Permission
from graph.fields import STAFF_ONLY, field
from graph.resolvers.jobs import (
    CompleteJobPayload,
    JobPayload,
    cancel_job,
    complete_job,
    create_job,
    schedule_job,
    update_job,
)
from graph.resolvers.tasks import (
    TaskChargesPayload,
    TaskPayload,
    assign_driver,
    cancel_task,
    complete_task,
    create_task,
    fail_task,
    reschedule_task,
)


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
