"""Dumpster tasks and what they leave behind: weight tickets and charges."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from persistence.enums import NotificationEvent, TaskKind, TaskStatus
from persistence.seed.clients import record
from persistence.seed.context import SeedContext, line_amount
from persistence.seed.drafts import (
    ChargeDraft,
    ClientDraft,
    Notice,
    RentalPlan,
    TaskDraft,
)
from persistence.seed.pricing import Price, Rate
from persistence.seed.records import add_attachment
from persistence.seed.vocabulary import FACILITIES, MATERIAL_DENSITY, TASK_FAILURES

# A driver is assigned to every task that is, was or will be on a truck.
WITH_DRIVER = (
    TaskStatus.SCHEDULED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.COMPLETED,
    TaskStatus.FAILED,
)


@dataclass(frozen=True)
class TaskTimes:
    started_at: datetime | None = None
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None


def booking_time(
    ctx: SeedContext, client: ClientDraft, first_day: date, last_day: date
) -> datetime:
    """When a task was booked: between the two days, after the client existed."""
    last_day = min(last_day, ctx.yesterday)
    first_day = min(max(first_day, client.created_on), last_day)
    return max(ctx.moment(ctx.day_between(first_day, last_day)), client.created_at)


def task_times(
    ctx: SeedContext, status: TaskStatus, day: date | None, booked_at: datetime
) -> TaskTimes:
    if status is TaskStatus.IN_PROGRESS:
        return TaskTimes(
            started_at=ctx.now - timedelta(minutes=ctx.rng.randint(20, 120))
        )
    if status is TaskStatus.CANCELLED:
        last_day = min(day or ctx.yesterday, ctx.yesterday)
        cancelled_day = ctx.day_between(booked_at.date(), last_day)
        return TaskTimes(cancelled_at=max(ctx.moment(cancelled_day), booked_at))
    if status in (TaskStatus.COMPLETED, TaskStatus.FAILED) and day is not None:
        started_at = max(ctx.moment(day), booked_at)
        if status is TaskStatus.FAILED:
            return TaskTimes(started_at=started_at)
        return TaskTimes(started_at, ctx.later(started_at, 20, 90))
    return TaskTimes()


def add_task(
    ctx: SeedContext,
    client: ClientDraft,
    plan: RentalPlan,
    kind: TaskKind,
    status: TaskStatus,
    day: date | None,
    booked_at: datetime,
    price: Price,
    *,
    related_id: int | None = None,
) -> TaskDraft:
    times = task_times(ctx, status, day, booked_at)
    task = TaskDraft(
        id=ctx.new_id("tasks"),
        kind=kind.value,
        status=status.value,
        day=day,
        size=plan.size,
        address_id=plan.address.id,
        created_at=booked_at,
        completed_at=times.completed_at,
    )
    client.tasks.append(task)
    driver_id = ctx.choice(ctx.staff.drivers) if status in WITH_DRIVER else None
    needs_agreement = kind is TaskKind.DELIVERY and bool(
        client.settings["agreement_before_delivery"]
    )

    ctx.add(
        "tasks",
        {
            "id": task.id,
            "public_id": ctx.uuid(),
            "account_id": ctx.account_id,
            "created_at": booked_at,
            "price_rule": price.rule,
            "price_detail": price.detail,
            "client_id": client.id,
            "job_id": plan.job_id,
            "kind": kind.value,
            "status": status.value,
            "service_address_id": plan.address.id,
            "container_size": plan.size,
            "material": plan.material,
            "scheduled_on": day,
            "rental_days": plan.rental_days if kind is TaskKind.DELIVERY else None,
            "driver_id": driver_id,
            "related_task_id": related_id,
            "currency": "USD",
            "price": price.amount,
            "requires_signed_agreement": needs_agreement,
            "instructions": "Call on arrival." if ctx.chance(0.2) else None,
            "started_at": times.started_at,
            "completed_at": times.completed_at,
            "failure_reason": (
                ctx.choice(TASK_FAILURES) if status is TaskStatus.FAILED else None
            ),
            "cancelled_at": times.cancelled_at,
            "created_by_id": ctx.choice(ctx.staff.desk),
        },
    )

    record_task(ctx, client, task, times, driver_id)
    notify_task(ctx, client, task)
    return task


def record_task(
    ctx: SeedContext,
    client: ClientDraft,
    task: TaskDraft,
    times: TaskTimes,
    driver_id: int | None,
) -> None:
    scheduled_on = task.day.isoformat() if task.day else None
    detail = {"kind": task.kind, "scheduled_on": scheduled_on}
    record(ctx, client, "task.created", task.created_at, "task", task.id, detail=detail)
    by = driver_id or "system"
    if times.completed_at is not None:
        record(
            ctx, client, "task.completed", times.completed_at, "task", task.id, by=by
        )
    elif task.status == TaskStatus.FAILED and times.started_at is not None:
        record(ctx, client, "task.failed", times.started_at, "task", task.id, by=by)
    elif times.cancelled_at is not None:
        record(ctx, client, "task.cancelled", times.cancelled_at, "task", task.id)


def notify_task(ctx: SeedContext, client: ClientDraft, task: TaskDraft) -> None:
    """Deliveries are announced and reminded of; pickups are reported done."""
    refs: dict[str, int | None] = {"task_id": task.id}
    if task.kind == TaskKind.PICKUP and task.completed_at is not None:
        event, subject = NotificationEvent.TASK_COMPLETED, "Your dumpster was picked up"
        client.notices.append(Notice(event, task.completed_at, subject, refs=refs))
    if task.kind != TaskKind.DELIVERY or task.day is None:
        return
    event, subject = NotificationEvent.TASK_SCHEDULED, "Your delivery is scheduled"
    client.notices.append(Notice(event, task.created_at, subject, refs=refs))

    event, subject = NotificationEvent.TASK_REMINDER, "Your dumpster arrives tomorrow"
    reminder_day = task.day - timedelta(days=1)
    # The day a reminder is for, as the daily round records it.
    context = {"scheduled_on": task.day.isoformat()}
    if reminder_day == ctx.today and task.status == TaskStatus.SCHEDULED:
        # Today's reminders wait in the outbox for the worker.
        at = ctx.now - timedelta(minutes=ctx.rng.randint(1, 30))
        notice = Notice(event, at, subject, refs=refs, context=context, is_queued=True)
        client.notices.append(notice)
    elif reminder_day < ctx.today and task.status != TaskStatus.CANCELLED:
        at = max(ctx.moment(reminder_day), task.created_at)
        client.notices.append(Notice(event, at, subject, refs=refs, context=context))


def add_charge(
    client: ClientDraft,
    plan: RentalPlan,
    task: TaskDraft,
    description: str,
    price: Price,
    quantity: Decimal = Decimal(1),
) -> None:
    """A billable amount for the task's work, invoiced once the work is done."""
    amount = line_amount(quantity, price.amount)
    if amount <= 0 or task.day is None:
        return
    client.charges.append(
        ChargeDraft(
            day=task.day,
            group=plan.group,
            description=description,
            quantity=quantity,
            unit_price=price.amount,
            amount=amount,
            rule=price.rule,
            detail=price.detail,
            address_id=plan.address.id,
            task_id=task.id,
            job_id=plan.job_id,
        )
    )


def weigh_load(
    ctx: SeedContext, client: ClientDraft, plan: RentalPlan, rate: Rate, task: TaskDraft
) -> None:
    """The disposal facility's scale ticket, and the overage it causes."""
    if task.completed_at is None:
        return
    expected = plan.size * MATERIAL_DENSITY[plan.material]
    net_tons = ctx.hundredths(expected * 0.5, expected * 1.3)
    weighed_at = ctx.later(task.completed_at, 30, 90)
    image_id = None
    if ctx.chance(0.4):
        image_id = add_attachment(
            ctx,
            client,
            f"ticket-{task.id}.jpg",
            "image/jpeg",
            weighed_at,
            uploaded_by_id=None,
            task_id=task.id,
        )

    ctx.add(
        "weight_tickets",
        {
            "id": ctx.new_id("weight_tickets"),
            "account_id": ctx.account_id,
            "created_at": weighed_at,
            "task_id": task.id,
            "ticket_number": f"{ctx.rng.randint(1, 9)}-{ctx.digits(6)}",
            "facility": ctx.choice(FACILITIES),
            "net_tons": net_tons,
            "weighed_at": weighed_at,
            "image_attachment_id": image_id,
        },
    )

    overage = net_tons - rate.included_tons
    if overage > 0:
        line = f"Overage: {overage} tons over {rate.included_tons} included"
        overage_price = Price(rate.overage_per_ton, rate.rule, rate.detail)
        add_charge(client, plan, task, line, overage_price, overage)
