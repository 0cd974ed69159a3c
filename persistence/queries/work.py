"""The work lists of a client (estimates, jobs, tasks, service requests) and
the small lists fetched whole for many parents at once (lines, events, tickets).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Date,
    FromClause,
    Table,
    and_,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.enums import EstimateStatus, TaskKind, TaskStatus
from persistence.models import (
    Estimate,
    EstimateEvent,
    EstimateLine,
    Job,
    JobLine,
    ServiceRequest,
    Task,
    WeightTicket,
)
from persistence.queries.batched import (
    ACCOUNT_ID,
    IDS,
    bound,
    children_of,
    rows_by_parent,
)
from persistence.queries.pages import SortKey
from persistence.queries.relations import (
    FilterBuilder,
    Filters,
    Relation,
    newest_first,
)

# Typed as tables (SQLAlchemy types ``__table__`` as any FromClause).
estimates = cast(Table, Estimate.__table__)
estimate_lines = cast(Table, EstimateLine.__table__)
estimate_events = cast(Table, EstimateEvent.__table__)
jobs = cast(Table, Job.__table__)
job_lines = cast(Table, JobLine.__table__)
tasks = cast(Table, Task.__table__)
weight_tickets = cast(Table, WeightTicket.__table__)
service_requests = cast(Table, ServiceRequest.__table__)

# Sent and unanswered: these expire once their validity date has passed.
OPEN_ESTIMATE_STATUSES = (
    EstimateStatus.NO_RESPONSE,
    EstimateStatus.READ,
    EstimateStatus.REVIEWED,
)
UPCOMING_STATUSES = (
    TaskStatus.UNSCHEDULED,
    TaskStatus.SCHEDULED,
    TaskStatus.IN_PROGRESS,
)
PAST_STATUSES = (TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED)
# Services on site that haul a delivered container's load to the scale.
HAULING_KINDS = (TaskKind.PICKUP, TaskKind.EXCHANGE, TaskKind.DUMP_AND_RETURN)

# Unscheduled tasks sort as if scheduled on the last day there is.
FAR_FUTURE = date(9999, 12, 31)
task_day = func.coalesce(tasks.c.scheduled_on, literal(FAR_FUTURE, Date))
# When a past task ended: done, given up or called off; booked as a last resort.
task_ended_at = func.coalesce(
    tasks.c.completed_at, tasks.c.cancelled_at, tasks.c.started_at, tasks.c.created_at
)


def value_filters(*names: str) -> FilterBuilder:
    """A filter builder keeping rows whose column is one of the given values.

    Each name is both the filter's name and its column.
    """

    def build(source: FromClause, filters: Filters) -> list[ColumnElement[bool]]:
        return [
            source.c[name].in_(values)
            for name, values in filters
            if name in names and values
        ]

    return build


def task_filters(source: FromClause, filters: Filters) -> list[ColumnElement[bool]]:
    values = dict(filters)
    where = value_filters("kind", "status")(source, filters)
    if values.get("when") == "upcoming":
        where.append(source.c.status.in_(UPCOMING_STATUSES))
    elif values.get("when") == "past":
        where.append(source.c.status.in_(PAST_STATUSES))
    return where


def estimate_filters(source: FromClause, filters: Filters) -> list[ColumnElement[bool]]:
    values = dict(filters)
    where = []
    if values.get("status"):
        where.append(estimate_status_is(source, values["status"], values.get("today")))
    if values.get("sent_only"):
        where.append(source.c.status != EstimateStatus.DRAFT)
    return where


def estimate_status_is(
    source: FromClause, statuses: Sequence[str], today: date | None
) -> ColumnElement[bool]:
    """Estimates in one of ``statuses`` as of ``today``: an open one past its
    validity counts as expired, whether or not that was stored yet."""
    if today is None:
        return source.c.status.in_(statuses)
    is_past = source.c.valid_until < today
    conditions = []
    for status in statuses:
        if status == EstimateStatus.EXPIRED:
            overdue = and_(source.c.status.in_(OPEN_ESTIMATE_STATUSES), is_past)
            conditions.append(or_(source.c.status == status, overdue))
        elif status in OPEN_ESTIMATE_STATUSES:
            conditions.append(and_(source.c.status == status, ~is_past))
        else:
            conditions.append(source.c.status == status)
    return or_(*conditions)


CLIENT_ESTIMATES = Relation(
    name="client.estimates",
    source=estimates,
    parent_column="client_id",
    order=newest_first(estimates, "created_at"),
    build_filters=estimate_filters,
)

CLIENT_JOBS = Relation(
    name="client.jobs",
    source=jobs,
    parent_column="client_id",
    order=newest_first(jobs, "created_at"),
    build_filters=value_filters("status", "kind"),
)

CLIENT_SERVICE_REQUESTS = Relation(
    name="client.service_requests",
    source=service_requests,
    parent_column="client_id",
    order=newest_first(service_requests, "created_at"),
    build_filters=value_filters("status"),
)


def soonest_first(parent_column: str, name: str) -> Relation:
    """Tasks by day, unscheduled ones last, same-day tasks in booking order."""
    return Relation(
        name=name,
        source=tasks,
        parent_column=parent_column,
        order=(
            SortKey("day", task_day),
            SortKey("created_at", tasks.c.created_at),
            SortKey("public_id", tasks.c.public_id),
        ),
        build_filters=task_filters,
    )


CLIENT_UPCOMING_TASKS = soonest_first("client_id", "client.tasks.upcoming")
JOB_TASKS = soonest_first("job_id", "job.tasks")

CLIENT_PAST_TASKS = Relation(
    name="client.tasks.past",
    source=tasks,
    parent_column="client_id",
    order=(
        SortKey("ended_at", task_ended_at, is_descending=True),
        SortKey("public_id", tasks.c.public_id, is_descending=True),
    ),
    build_filters=task_filters,
)

# Every task, the exact reverse of the upcoming order: unscheduled ones first.
CLIENT_TASKS = Relation(
    name="client.tasks",
    source=tasks,
    parent_column="client_id",
    order=tuple(
        SortKey(key.name, key.expression, is_descending=True)
        for key in CLIENT_UPCOMING_TASKS.order
    ),
    build_filters=task_filters,
)


ESTIMATE_LINES = children_of(
    estimate_lines, "estimate_id", estimate_lines.c.position, estimate_lines.c.id
)
ESTIMATE_EVENTS = children_of(
    estimate_events,
    "estimate_id",
    estimate_events.c.occurred_at,
    estimate_events.c.id,
)
JOB_LINES = children_of(job_lines, "job_id", job_lines.c.position, job_lines.c.id)
WEIGHT_TICKETS = children_of(
    weight_tickets, "task_id", weight_tickets.c.weighed_at, weight_tickets.c.id
)


async def lines_of_estimates(
    session: AsyncSession, account_id: int, estimate_ids: Sequence[int]
) -> dict[int, list[Any]]:
    return await rows_by_parent(
        session, ESTIMATE_LINES, "estimate_id", account_id, estimate_ids
    )


async def events_of_estimates(
    session: AsyncSession, account_id: int, estimate_ids: Sequence[int]
) -> dict[int, list[Any]]:
    """Each estimate's engagement timeline, oldest first."""
    return await rows_by_parent(
        session, ESTIMATE_EVENTS, "estimate_id", account_id, estimate_ids
    )


async def lines_of_jobs(
    session: AsyncSession, account_id: int, job_ids: Sequence[int]
) -> dict[int, list[Any]]:
    return await rows_by_parent(session, JOB_LINES, "job_id", account_id, job_ids)


async def weight_tickets_of_tasks(
    session: AsyncSession, account_id: int, task_ids: Sequence[int]
) -> dict[int, list[Any]]:
    return await rows_by_parent(
        session, WEIGHT_TICKETS, "task_id", account_id, task_ids
    )


@dataclass(slots=True)
class HaulingService:
    """A completed pickup, exchange or dump-and-return of a delivered container."""

    task_id: int
    kind: str
    scheduled_on: date | None
    completed_at: datetime | None
    tons: Decimal = Decimal(0)


# The completed services that hauled each delivery (``ids``) away, with the
# net tons of their weight tickets.
HAULING = (
    select(
        tasks.c.id,
        tasks.c.related_task_id,
        tasks.c.kind,
        tasks.c.scheduled_on,
        tasks.c.completed_at,
        weight_tickets.c.net_tons,
    )
    .select_from(tasks)
    .outerjoin(
        weight_tickets,
        (weight_tickets.c.task_id == tasks.c.id)
        & (weight_tickets.c.account_id == ACCOUNT_ID),
    )
    .where(
        tasks.c.account_id == ACCOUNT_ID,
        tasks.c.related_task_id.in_(IDS),
        tasks.c.status == TaskStatus.COMPLETED,
        tasks.c.kind.in_(HAULING_KINDS),
    )
    .order_by(tasks.c.id)
)


async def hauling_of_deliveries(
    session: AsyncSession, account_id: int, delivery_ids: Sequence[int]
) -> dict[int, list[HaulingService]]:
    """The completed services that hauled each delivery's container, with the
    net tons on their weight tickets, in one statement."""
    services: dict[int, HaulingService] = {}
    found: dict[int, list[HaulingService]] = defaultdict(list)
    rows = await session.execute(HAULING, bound(account_id, delivery_ids))
    for row in rows:
        service = services.get(row.id)
        if service is None:
            service = HaulingService(
                row.id, row.kind, row.scheduled_on, row.completed_at
            )
            services[row.id] = service
            found[row.related_task_id].append(service)
        if row.net_tons is not None:
            service.tons += row.net_tons
    return found
