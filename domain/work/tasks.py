"""Booking a dumpster task and moving it along until it is done.

The rules:

- A task is for one of the client's current service addresses. Delivery,
  exchange and live load name a container size and material; a delivery
  names its rental length too.
- Pickup, exchange, dump and return and relocation work on a container
  already on site: they name that delivery (or the exchange that placed the
  container), of the same client and address, completed and not yet picked
  up or swapped out. Their size and material default to that container's;
  a pickup, dump and return or relocation cannot name another size.
- A task may belong to one of the client's jobs.
- A scheduled day is never before the business's today. A task with a day
  is SCHEDULED (and the client is told), without one UNSCHEDULED.
- Moves between statuses (``ALLOWED_FROM``): reschedule from unscheduled or
  scheduled; assign a driver until the task ends; complete or fail from
  scheduled or in progress; cancel until it ends. Completed, failed and
  cancelled are final: a new attempt after a failure is a new task, so the
  failed attempt keeps its trip charge.
- A failed attempt charges the ``trip_charge`` fee when staff ask for it
  (a blocked container, nobody on site), not when the business failed.
- The hold rule of ``domain.work.common`` applies to booking a task and to
  scheduling an unscheduled one.
"""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import notify
from domain.activity import record_activity
from domain.documents import delivery_needs_signature
from domain.identity.viewer import Viewer
from domain.lookups import by_public_id
from domain.pricing import fee_price
from domain.problems import Problem, refuse, refuse_all
from domain.work.common import (
    WorkProblem,
    business_today,
    day_problems,
    find_client,
    find_service_address,
    hold_clearance,
    pricing_refusals,
    size_problems,
    task_charge,
)
from domain.work.task_pricing import PricingInput, TaskPrice, price_task
from persistence.enums import Material, NotificationEvent, TaskKind, TaskStatus
from persistence.models import Account, Address, Charge, Client, Job, StaffUser, Task

TRIP_CHARGE_FEE = "trip_charge"
# Work on a container already on site names the task that placed it.
ON_A_CONTAINER = frozenset(
    {TaskKind.PICKUP, TaskKind.EXCHANGE, TaskKind.DUMP_AND_RETURN, TaskKind.RELOCATE}
)
PLACING_KINDS = (TaskKind.DELIVERY, TaskKind.EXCHANGE)
REMOVING_KINDS = (TaskKind.PICKUP, TaskKind.EXCHANGE)
# Kinds that bring a container of their own choosing.
CHOOSING_KINDS = frozenset({TaskKind.DELIVERY, TaskKind.EXCHANGE, TaskKind.LIVE_LOAD})


class TaskAction(StrEnum):
    RESCHEDULE = "rescheduled"
    ASSIGN_DRIVER = "assigned a driver"
    COMPLETE = "completed"
    FAIL = "failed"
    CANCEL = "cancelled"


OPEN = frozenset({TaskStatus.UNSCHEDULED, TaskStatus.SCHEDULED, TaskStatus.IN_PROGRESS})
ON_THE_BOARD = frozenset({TaskStatus.SCHEDULED, TaskStatus.IN_PROGRESS})
ALLOWED_FROM: dict[TaskAction, frozenset[TaskStatus]] = {
    TaskAction.RESCHEDULE: frozenset({TaskStatus.UNSCHEDULED, TaskStatus.SCHEDULED}),
    TaskAction.ASSIGN_DRIVER: OPEN,
    TaskAction.COMPLETE: ON_THE_BOARD,
    TaskAction.FAIL: ON_THE_BOARD,
    TaskAction.CANCEL: OPEN,
}


def check_transition(task: Task, action: TaskAction) -> None:
    if task.status not in ALLOWED_FROM[action]:
        refuse(
            WorkProblem.INVALID_TRANSITION,
            "taskId",
            f"A {task.status.replace('_', ' ')} task cannot be {action.value}.",
        )


async def find_task(
    session: AsyncSession, account_id: int, public_id: UUID | None
) -> Task:
    task = await by_public_id(session, Task, account_id, public_id)
    if task is None:
        refuse(WorkProblem.TASK_NOT_FOUND, "taskId", "No task has that ID.")
    return task


@dataclass(frozen=True, slots=True)
class TaskBooking:
    """A new task as staff describe it; ``None`` leaves a value to its default."""

    client_id: UUID | None
    service_address_id: UUID | None
    kind: TaskKind
    container_size: int | None = None
    material: Material | None = None
    scheduled_on: date | None = None
    rental_days: int | None = None
    delivery_id: UUID | None = None
    instructions: str | None = None
    job_id: UUID | None = None
    # The day an unscheduled task is priced for (a client's wanted day);
    # the business's today when neither this nor scheduled_on is given.
    priced_on: date | None = None


def booking_problems(booking: TaskBooking, today: date) -> list[Problem]:
    """What is wrong with the booking on its face, before any lookup."""
    problems = size_problems(booking.container_size)
    problems += day_problems(booking.scheduled_on, today, "scheduledOn")

    if booking.kind in CHOOSING_KINDS:
        for name, value in (
            ("containerSize", booking.container_size),
            ("material", booking.material),
        ):
            if value is None and booking.kind is not TaskKind.EXCHANGE:
                message = f"A {booking.kind.value} needs {name}."
                problems.append(Problem(WorkProblem.REQUIRED, name, message))

    days = booking.rental_days
    if booking.kind is TaskKind.DELIVERY and days is None:
        message = "A delivery needs its rental length (rentalDays)."
        problems.append(Problem(WorkProblem.REQUIRED, "rentalDays", message))
    elif days is not None and booking.kind not in PLACING_KINDS:
        message = f"rentalDays does not apply to a {booking.kind.value}."
        problems.append(Problem(WorkProblem.NOT_APPLICABLE, "rentalDays", message))
    elif days is not None and days < 1:
        message = f"rentalDays must be at least 1, not {days}."
        problems.append(Problem(WorkProblem.INVALID_RENTAL_DAYS, "rentalDays", message))
    return problems


async def is_removed(session: AsyncSession, placement: Task) -> bool:
    """The container was picked up or swapped out already."""
    removal = exists().where(
        Task.related_task_id == placement.id,
        Task.status == TaskStatus.COMPLETED,
        Task.kind.in_(REMOVING_KINDS),
    )
    return bool(await session.scalar(select(removal)))


async def container_on_site(
    session: AsyncSession, client: Client, address: Address, booking: TaskBooking
) -> Task | None:
    """The delivery (or exchange) whose container the new task works on."""
    if booking.kind not in ON_A_CONTAINER:
        if booking.delivery_id is not None:
            message = f"A {booking.kind.value} does not work on a delivered container."
            refuse(WorkProblem.NOT_APPLICABLE, "deliveryId", message)
        return None
    if booking.delivery_id is None:
        message = f"A {booking.kind.value} names the delivery it works on."
        refuse(WorkProblem.DELIVERY_REQUIRED, "deliveryId", message)

    placement = await by_public_id(
        session, Task, client.account_id, booking.delivery_id
    )
    if (
        placement is None
        or placement.client_id != client.id
        or placement.service_address_id != address.id
        or placement.kind not in PLACING_KINDS
    ):
        message = "The client has no delivery at that address with that ID."
        refuse(WorkProblem.DELIVERY_NOT_FOUND, "deliveryId", message)
    await check_on_site(session, placement, "deliveryId")
    return placement


async def check_on_site(session: AsyncSession, placement: Task, field: str) -> None:
    if placement.status != TaskStatus.COMPLETED or await is_removed(session, placement):
        message = "That container is not on site: not delivered, or already removed."
        refuse(WorkProblem.DELIVERY_NOT_ON_SITE, field, message)


def container_of(booking: TaskBooking, placement: Task | None) -> tuple[int, str]:
    """The size and material of the task: its own, or its container's."""
    if placement is None:
        # booking_problems refused these kinds without a size or material.
        assert booking.container_size is not None
        assert booking.material is not None
        return booking.container_size, booking.material
    size = booking.container_size or placement.container_size
    if booking.kind is not TaskKind.EXCHANGE and size != placement.container_size:
        message = (
            f"The container on site is {placement.container_size} yd; a "
            f"{booking.kind.value} cannot change it (book an exchange)."
        )
        refuse(WorkProblem.CONTAINER_SIZE_MISMATCH, "containerSize", message)
    return size, booking.material or placement.material


async def create_task(
    session: AsyncSession, viewer: Viewer, booking: TaskBooking, now: datetime
) -> Task:
    """Book a task, priced now (see ``domain.work.task_pricing``)."""
    client = await find_client(session, viewer.account_id, booking.client_id)
    address = await find_service_address(session, client, booking.service_address_id)
    today = await business_today(session, viewer.account_id, now)
    refuse_all(booking_problems(booking, today))

    # What the task works on, and whether the client may have new work.
    placement = await container_on_site(session, client, address, booking)
    size, material = container_of(booking, placement)
    job = await job_of(session, client, booking.job_id)
    clearance = await hold_clearance(session, viewer, client.id)

    pricing = PricingInput(
        booking.kind,
        size,
        booking.rental_days,
        booking.scheduled_on or booking.priced_on or today,
        address.pricing_zone,
        placement,
    )
    price = await price_task(session, client, pricing)

    task = await add_task(session, viewer, client, address, booking, size, material)
    task.job_id = job.id if job is not None else None
    await set_price(session, task, price, placement)

    await record_activity(
        session, viewer, "task.created", client_id=client.id, subject=task,
        kind=task.kind, scheduled_on=iso(task.scheduled_on), price=task.price,
        price_rule=task.price_rule, **clearance,
    )  # fmt: skip
    if task.scheduled_on is not None:
        await announce(session, viewer, task, NotificationEvent.TASK_SCHEDULED)
    return task


async def job_of(
    session: AsyncSession, client: Client, job_id: UUID | None
) -> Job | None:
    """The client's job the task is part of, if it names one."""
    if job_id is None:
        return None
    job = await by_public_id(session, Job, client.account_id, job_id)
    if job is None or job.client_id != client.id:
        refuse(
            WorkProblem.JOB_NOT_FOUND, "jobId", "The client has no job with that ID."
        )
    return job


async def add_task(
    session: AsyncSession,
    viewer: Viewer,
    client: Client,
    address: Address,
    booking: TaskBooking,
    size: int,
    material: str,
) -> Task:
    is_delivery = booking.kind is TaskKind.DELIVERY
    needs_agreement = is_delivery and await delivery_needs_signature(session, client)
    account = await session.get_one(Account, client.account_id)

    task = Task(
        account_id=client.account_id,
        client_id=client.id,
        kind=booking.kind,
        status=TaskStatus.SCHEDULED if booking.scheduled_on else TaskStatus.UNSCHEDULED,
        service_address_id=address.id,
        container_size=size,
        material=material,
        scheduled_on=booking.scheduled_on,
        currency=account.currency,
        requires_signed_agreement=needs_agreement,
        instructions=booking.instructions,
        created_by_id=viewer.staff_user_id,
    )
    session.add(task)
    return task


async def set_price(
    session: AsyncSession, task: Task, price: TaskPrice, placement: Task | None
) -> None:
    task.price, task.price_rule, task.price_detail = (
        price.amount,
        price.rule,
        price.detail,
    )
    task.rental_days = price.rental_days
    task.related_task_id = placement.id if placement is not None else None
    await session.flush()


def iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


async def announce(
    session: AsyncSession, viewer: Viewer, task: Task, event: NotificationEvent
) -> None:
    await notify.announce(
        session, viewer, event,
        account_id=task.account_id, client_id=task.client_id, task_id=task.id,
    )  # fmt: skip


async def reschedule_task(
    session: AsyncSession,
    viewer: Viewer,
    task_id: UUID | None,
    scheduled_on: date | None,
    now: datetime,
) -> Task:
    """Move the task to another day, or back to unscheduled (``None``)."""
    task = await find_task(session, viewer.account_id, task_id)
    check_transition(task, TaskAction.RESCHEDULE)
    today = await business_today(session, viewer.account_id, now)
    refuse_all(day_problems(scheduled_on, today, "scheduledOn"))
    clearance: dict[str, Any] = {}
    if task.status == TaskStatus.UNSCHEDULED and scheduled_on is not None:
        clearance = await hold_clearance(session, viewer, task.client_id)

    previous = task.scheduled_on
    task.scheduled_on = scheduled_on
    task.status = TaskStatus.SCHEDULED if scheduled_on else TaskStatus.UNSCHEDULED
    await session.flush()

    await record_activity(
        session, viewer, "task.rescheduled", client_id=task.client_id, subject=task,
        scheduled_on=iso(scheduled_on), previously=iso(previous), **clearance,
    )  # fmt: skip
    if scheduled_on is not None:
        await announce(session, viewer, task, NotificationEvent.TASK_SCHEDULED)
    return task


async def assign_driver(
    session: AsyncSession,
    viewer: Viewer,
    task_id: UUID | None,
    driver_id: UUID | None,
) -> Task:
    """Put an active staff user of the account on the task; ``None`` takes
    the driver off it."""
    task = await find_task(session, viewer.account_id, task_id)
    check_transition(task, TaskAction.ASSIGN_DRIVER)
    driver = None
    if driver_id is not None:
        driver = await by_public_id(session, StaffUser, viewer.account_id, driver_id)
        if driver is None or not driver.is_active:
            message = "Your account has no active staff user with that ID."
            refuse(WorkProblem.DRIVER_NOT_FOUND, "driverId", message)

    task.driver_id = driver.id if driver is not None else None
    await session.flush()

    await record_activity(
        session, viewer, "task.driver_assigned", client_id=task.client_id,
        subject=task, driver_id=task.driver_id,
    )  # fmt: skip
    return task


async def cancel_task(
    session: AsyncSession,
    viewer: Viewer,
    task_id: UUID | None,
    reason: str | None,
    now: datetime,
) -> Task:
    task = await find_task(session, viewer.account_id, task_id)
    check_transition(task, TaskAction.CANCEL)
    task.status, task.cancelled_at = TaskStatus.CANCELLED, now
    await session.flush()

    await record_activity(
        session, viewer, "task.cancelled", client_id=task.client_id, subject=task,
        reason=reason,
    )  # fmt: skip
    return task


async def fail_task(
    session: AsyncSession,
    viewer: Viewer,
    task_id: UUID | None,
    reason: str,
    charge_trip_fee: bool,
    now: datetime,
) -> tuple[Task, list[Charge]]:
    """Record an attempt that could not be done, and its trip charge if asked."""
    task = await find_task(session, viewer.account_id, task_id)
    check_transition(task, TaskAction.FAIL)
    if not reason.strip():
        refuse(WorkProblem.REQUIRED, "reason", "Say why the attempt failed.")

    task.status, task.failure_reason = TaskStatus.FAILED, reason.strip()
    task.started_at = task.started_at or now

    charges = []
    if charge_trip_fee:
        charges.append(await trip_charge(session, task, now))
    session.add_all(charges)
    await session.flush()

    await record_activity(
        session, viewer, "task.failed", client_id=task.client_id, subject=task,
        reason=task.failure_reason, charged=sum(charge.amount for charge in charges),
    )  # fmt: skip
    return task, charges


async def trip_charge(session: AsyncSession, task: Task, now: datetime) -> Charge:
    client = await session.get_one(Client, task.client_id)
    day = task.scheduled_on or await business_today(session, task.account_id, now)
    with pricing_refusals(field="chargeTripFee"):
        fee = await fee_price(session, client, TRIP_CHARGE_FEE, day)
    description = f"{fee.name}: {task.kind.replace('_', ' ')} not done"
    return task_charge(task, description, fee.amount, fee.rule, fee.detail)
