"""The profile's work: estimates, jobs, dumpster tasks and service requests."""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Self

import strawberry
from sqlalchemy import Table
from sqlalchemy.engine import Row

from graph.connections import (
    After,
    Before,
    First,
    Last,
    empty_connection,
    load_connection,
)
from graph.context import Info
from graph.fields import EVERYONE, field
from graph.ids import encode_global_id
from graph.loaders import Reference, row_loader
from graph.nodes import Node
from graph.pagination import Connection
from graph.permissions import WORK_READ
from graph.types.estimates import Estimate, EstimateStatus, Job, JobKind, JobStatus
from graph.types.people import Address, Contact
from graph.types.settings import account_today, client_setting_value
from graph.types.staff import StaffMember
from graph.types.tasks import Task, TaskKind, TaskStatus, load_address
from persistence import enums
from persistence.queries import work as work_queries
from persistence.queries.relations import Filters, Relation, contacts_table

strawberry.enum(
    enums.ServiceRequestKind, description="What service a client asked for."
)
ServiceRequestKind = enums.ServiceRequestKind
strawberry.enum(
    enums.ServiceRequestStatus,
    description="Where a request stands: NEW, SCHEDULED (a task was booked), "
    "DECLINED or DONE.",
)
ServiceRequestStatus = enums.ServiceRequestStatus


@strawberry.enum(description="Which tasks to list: still to do, or done with.")
class TaskWhen(Enum):
    UPCOMING = "upcoming"
    PAST = "past"


TASKS_BY_WHEN: dict[TaskWhen | None, Relation] = {
    TaskWhen.UPCOMING: work_queries.CLIENT_UPCOMING_TASKS,
    TaskWhen.PAST: work_queries.CLIENT_PAST_TASKS,
    None: work_queries.CLIENT_TASKS,
}


def sees_as_client(info: Info) -> bool:
    """The viewer is the client itself (or staff previewing its dashboard)."""
    viewer = info.context.viewer
    return viewer is not None and viewer.sees_as_client


def one_of(name: str, values: Iterable[Enum] | None) -> Filters:
    """A filter keeping rows whose ``name`` is one of ``values`` (none: all)."""
    chosen = tuple(str(value.value) for value in values or ())
    return ((name, chosen),) if chosen else ()


@strawberry.type(description="A client's request for new service, from its dashboard.")
class ServiceRequest(Node):
    service_address_id: strawberry.Private[int | None]
    contact_id: strawberry.Private[int | None]
    task_id: strawberry.Private[int | None]
    handled_by_id: strawberry.Private[int | None]
    id: strawberry.ID = field(
        description="Global ID of the request.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    kind: ServiceRequestKind = field(
        description="What was asked for.", permission=WORK_READ, audiences=EVERYONE
    )
    status: ServiceRequestStatus = field(
        description="Where the request stands.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    preferred_on: date | None = field(
        description="The day the client would like the service.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    notes: str | None = field(
        description="What the client wrote with the request.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    created_at: datetime = field(
        description="When it was requested.", permission=WORK_READ, audiences=EVERYONE
    )
    handled_at: datetime | None = field(
        description="When staff scheduled or declined it.",
        permission=WORK_READ,
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            service_address_id=row.service_address_id,
            contact_id=row.contact_id,
            task_id=row.task_id,
            handled_by_id=row.handled_by_id,
            id=strawberry.ID(encode_global_id("ServiceRequest", row.public_id)),
            kind=ServiceRequestKind(row.kind),
            status=ServiceRequestStatus(row.status),
            preferred_on=row.preferred_on,
            notes=row.notes,
            created_at=row.created_at,
            handled_at=row.handled_at,
        )

    @field(
        description="Where the service is wanted.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    async def service_address(self, info: Info) -> Address | None:
        return await load_address(info, self.service_address_id)

    @field(
        description="The contact who made the request.",
        permission=WORK_READ,
    )
    async def contact(self, info: Info) -> Contact | None:
        if self.contact_id is None:
            return None
        row = await row_loader(info.context, contacts_table, "id").load(self.contact_id)
        return Contact.from_row(row) if row is not None else None

    @field(
        description="The task booked for it; null until one is.",
        permission=WORK_READ,
    )
    async def task(self, info: Info) -> Task | None:
        if self.task_id is None:
            return None
        loader = row_loader(info.context, work_queries.tasks, "id")
        row = await loader.load(self.task_id)
        return Task.from_row(row) if row is not None else None

    @field(
        description="The staff user who handled it.",
        permission=WORK_READ,
        graphql_type=StaffMember | None,
    )
    def handled_by(self, info: Info) -> Reference[StaffMember]:
        return StaffMember.load(info, self.handled_by_id)


@strawberry.type(description="Client fields: estimates, jobs, tasks, requests.")
class WorkSection:
    row_id: strawberry.Private[int]

    @field(
        description="The client's estimates, newest first. The client's own "
        "dashboard lists only sent ones (no drafts).",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    async def estimates(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        status: Annotated[
            list[EstimateStatus] | None,
            strawberry.argument(description="Only estimates in one of these statuses."),
        ] = None,
    ) -> Connection[Estimate] | None:
        paging = (first, after, last, before)
        is_client = sees_as_client(info)
        # The account (or this client) may not share estimates on dashboards.
        if is_client and not await client_setting_value(
            info, self.row_id, "estimate_sharing"
        ):
            return empty_connection(work_queries.CLIENT_ESTIMATES, paging)
        # A draft is the business's work in progress: the client sees sent ones.
        drafts_hidden = (("sent_only", True),) if is_client else ()
        # Statuses as of the business's today, as each estimate's status reads.
        as_of = (("today", await account_today(info)),) if status else ()
        return await load_connection(
            info,
            work_queries.CLIENT_ESTIMATES,
            self.row_id,
            Estimate.from_row,
            paging,
            one_of("status", status) + as_of + drafts_hidden,
        )

    @field(
        description="The client's jobs (project work), newest first.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    async def jobs(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        status: Annotated[
            list[JobStatus] | None,
            strawberry.argument(description="Only jobs in one of these statuses."),
        ] = None,
        kind: Annotated[
            list[JobKind] | None,
            strawberry.argument(description="Only jobs of these kinds."),
        ] = None,
    ) -> Connection[Job] | None:
        return await load_connection(
            info,
            work_queries.CLIENT_JOBS,
            self.row_id,
            Job.from_row,
            (first, after, last, before),
            one_of("status", status) + one_of("kind", kind),
        )

    @field(
        description="The client's dumpster tasks. UPCOMING (unscheduled, scheduled, "
        "in progress): soonest first, unscheduled last. PAST (completed, failed, "
        "cancelled): most recently ended first. Without `when`: every task, latest "
        "scheduled day first, unscheduled ones before all.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    async def tasks(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        when: Annotated[
            TaskWhen | None,
            strawberry.argument(description="Upcoming or past tasks; all if null."),
        ] = None,
        kind: Annotated[
            list[TaskKind] | None,
            strawberry.argument(description="Only tasks of these kinds."),
        ] = None,
        status: Annotated[
            list[TaskStatus] | None,
            strawberry.argument(description="Only tasks in one of these statuses."),
        ] = None,
    ) -> Connection[Task] | None:
        when_filter = (("when", when.value),) if when else ()
        return await load_connection(
            info,
            TASKS_BY_WHEN[when],
            self.row_id,
            Task.from_row,
            (first, after, last, before),
            when_filter + one_of("kind", kind) + one_of("status", status),
        )

    @field(
        description="Requests for new service the client made, newest first.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    async def service_requests(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        status: Annotated[
            list[ServiceRequestStatus] | None,
            strawberry.argument(description="Only requests in one of these statuses."),
        ] = None,
    ) -> Connection[ServiceRequest] | None:
        return await load_connection(
            info,
            work_queries.CLIENT_SERVICE_REQUESTS,
            self.row_id,
            ServiceRequest.from_row,
            (first, after, last, before),
            one_of("status", status),
        )


NODE_TYPES: dict[str, tuple[Table, Callable[[Row[Any]], object]]] = {
    "Estimate": (work_queries.estimates, Estimate.from_row),
    "Job": (work_queries.jobs, Job.from_row),
    "Task": (work_queries.tasks, Task.from_row),
    "ServiceRequest": (work_queries.service_requests, ServiceRequest.from_row),
}
