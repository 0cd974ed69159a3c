"""Estimates with their lines and engagement timeline, and jobs (project work)
with their lines and tasks."""

from datetime import date, datetime
from typing import Any, Self

import strawberry

from domain.dashboard.estimates import signatures_needed
from domain.estimates import effective_status
from graph.connections import After, Before, First, Last, load_connection
from graph.context import Info
from graph.fields import DASHBOARD_ONLY, EVERYONE, field
from graph.ids import encode_global_id
from graph.loaders import Reference, grouped_loader
from graph.nodes import Node
from graph.pagination import Connection
from graph.permissions import PRICING_READ, WORK_READ
from graph.types.people import Address
from graph.types.scalars import Money
from graph.types.settings import account_today
from graph.types.staff import StaffMember
from graph.types.tasks import (
    PriceProvenance,
    Task,
    decimal_string,
    load_account,
    load_address,
)
from persistence import enums
from persistence.queries import work as work_queries

strawberry.enum(
    enums.EstimateStatus,
    description="Where an estimate stands: DRAFT (not sent), NO_RESPONSE (sent, "
    "unopened), READ (opened by the client), REVIEWED, ACCEPTED, DECLINED, EXPIRED.",
)
EstimateStatus = enums.EstimateStatus
strawberry.enum(
    enums.ActorKind,
    description="Who caused a change: a staff user, the client, a partner "
    "integration, or the system itself.",
)
ActorKind = enums.ActorKind
strawberry.enum(
    enums.JobKind,
    description="Project work: JUNK_REMOVAL, MATERIAL_DELIVERY or a general PROJECT.",
)
JobKind = enums.JobKind
strawberry.enum(enums.JobStatus, description="Where a job stands.")
JobStatus = enums.JobStatus


@strawberry.type(description="One line of an estimate.")
class EstimateLine:
    description: str = field(
        description="What is quoted.", permission=WORK_READ, audiences=EVERYONE
    )
    container_size: int | None = field(
        description="Container size in cubic yards, for container lines.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    rental_days: int | None = field(
        description="Rental length in days, for container lines.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    quantity: str = field(
        description='How many, a decimal string ("1.00", "2.50").',
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    unit_price: Money = field(
        description="Price of one unit.", permission=WORK_READ, audiences=EVERYONE
    )
    amount: Money = field(
        description="Quantity × unit price.", permission=WORK_READ, audiences=EVERYONE
    )
    price_provenance: PriceProvenance | None = field(
        description="Which pricing rule produced the unit price. Needs "
        "pricing:read (null with a FORBIDDEN error without it).",
        permission=PRICING_READ,
    )

    @classmethod
    def from_row(cls, row: Any, currency: str) -> Self:
        return cls(
            description=row.description,
            container_size=row.container_size,
            rental_days=row.rental_days,
            quantity=decimal_string(row.quantity),
            unit_price=Money.of(row.unit_price, currency),
            amount=Money.of(row.amount, currency),
            price_provenance=PriceProvenance.from_row(row),
        )


@strawberry.type(description="One step of an estimate's engagement timeline.")
class EstimateEvent:
    actor_staff_id: strawberry.Private[int | None]
    status: EstimateStatus = field(
        description="The status the estimate moved to.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    occurred_at: datetime = field(
        description="When it happened.", permission=WORK_READ, audiences=EVERYONE
    )
    actor_kind: ActorKind = field(
        description="Who caused it.", permission=WORK_READ, audiences=EVERYONE
    )
    note: str | None = field(
        description='What happened, in words ("Accepted by phone.").',
        permission=WORK_READ,
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            actor_staff_id=row.actor_staff_id,
            status=EstimateStatus(row.status),
            occurred_at=row.occurred_at,
            actor_kind=ActorKind(row.actor_kind),
            note=row.note,
        )

    @field(
        description="The staff user who caused it, if one did.",
        permission=WORK_READ,
        graphql_type=StaffMember | None,
    )
    def actor_staff(self, info: Info) -> Reference[StaffMember]:
        return StaffMember.load(info, self.actor_staff_id)


@strawberry.type(description="A quote with line items and a validity date.")
class Estimate(Node):
    row_id: strawberry.Private[int]
    service_address_id: strawberry.Private[int | None]
    currency: strawberry.Private[str]
    id: strawberry.ID = field(
        description="Global ID of the estimate.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    number: int = field(
        description="The estimate number, sequential per business.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    title: str = field(
        description="What the estimate is for.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    stored_status: strawberry.Private[str]
    valid_until: date = field(
        description="The last day the quoted prices hold.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    subtotal: Money = field(
        description="Sum of the lines.", permission=WORK_READ, audiences=EVERYONE
    )
    tax: Money = field(description="Tax.", permission=WORK_READ, audiences=EVERYONE)
    total: Money = field(
        description="Subtotal + tax.", permission=WORK_READ, audiences=EVERYONE
    )
    notes: str | None = field(
        description="Notes printed on the estimate for the client.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    sent_at: datetime | None = field(
        description="When it was sent; null for a draft.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    created_at: datetime = field(
        description="When it was created.", permission=WORK_READ
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            row_id=row.id,
            service_address_id=row.service_address_id,
            currency=row.currency,
            id=strawberry.ID(encode_global_id("Estimate", row.public_id)),
            number=row.number,
            title=row.title,
            stored_status=row.status,
            valid_until=row.valid_until,
            subtotal=Money.of(row.subtotal, row.currency),
            tax=Money.of(row.tax, row.currency),
            total=Money.of(row.total, row.currency),
            notes=row.notes,
            sent_at=row.sent_at,
            created_at=row.created_at,
        )

    @field(
        description="Where the estimate stands as of today: an unanswered one "
        "past its validity date is EXPIRED.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    async def status(self, info: Info) -> EstimateStatus:
        today = await account_today(info)
        return effective_status(self.stored_status, self.valid_until, today)

    @field(
        description="Accepting it asks for your typed name as a signature (it "
        "was sent for signature, or your business has every acceptance signed).",
        permission=WORK_READ,
        audiences=DASHBOARD_ONLY,
    )
    async def acceptance_needs_signature(self, info: Info) -> bool:
        loader = grouped_loader(info.context, signatures_needed, False)
        return bool(await loader.load(self.row_id))

    @field(
        description="Where the work would be done.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    async def service_address(self, info: Info) -> Address | None:
        return await load_address(info, self.service_address_id)

    @field(
        description="The quoted lines, in order.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    async def lines(self, info: Info) -> list[EstimateLine]:
        loader = grouped_loader(info.context, work_queries.lines_of_estimates, [])
        rows = await loader.load(self.row_id)
        return [EstimateLine.from_row(row, self.currency) for row in rows]

    @field(
        description="The engagement timeline: every status change, oldest first.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    async def events(self, info: Info) -> list[EstimateEvent]:
        loader = grouped_loader(info.context, work_queries.events_of_estimates, [])
        return [EstimateEvent.from_row(row) for row in await loader.load(self.row_id)]


@strawberry.type(description="One line of a job.")
class JobLine:
    description: str = field(
        description="What is done or supplied.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    quantity: str = field(
        description='How many, a decimal string ("1.00", "2.50").',
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    unit_price: Money = field(
        description="Price of one unit.", permission=WORK_READ, audiences=EVERYONE
    )
    amount: Money = field(
        description="Quantity × unit price.", permission=WORK_READ, audiences=EVERYONE
    )
    price_provenance: PriceProvenance | None = field(
        description="Which pricing rule produced the unit price. Needs "
        "pricing:read (null with a FORBIDDEN error without it).",
        permission=PRICING_READ,
    )

    @classmethod
    def from_row(cls, row: Any, currency: str) -> Self:
        return cls(
            description=row.description,
            quantity=decimal_string(row.quantity),
            unit_price=Money.of(row.unit_price, currency),
            amount=Money.of(row.amount, currency),
            price_provenance=PriceProvenance.from_row(row),
        )


@strawberry.type(
    description="Project work: junk removal, material delivery or a general project."
)
class Job(Node):
    row_id: strawberry.Private[int]
    service_address_id: strawberry.Private[int | None]
    id: strawberry.ID = field(
        description="Global ID of the job.", permission=WORK_READ, audiences=EVERYONE
    )
    kind: JobKind = field(
        description="What kind of work.", permission=WORK_READ, audiences=EVERYONE
    )
    status: JobStatus = field(
        description="Where the job stands.", permission=WORK_READ, audiences=EVERYONE
    )
    title: str = field(
        description="What the job is.", permission=WORK_READ, audiences=EVERYONE
    )
    description: str | None = field(
        description="The work in detail.", permission=WORK_READ
    )
    window_start: datetime | None = field(
        description="Start of the scheduled window; null while unscheduled.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    window_end: datetime | None = field(
        description="End of the scheduled window.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    completed_at: datetime | None = field(
        description="When the job was completed.",
        permission=WORK_READ,
        audiences=EVERYONE,
    )
    created_at: datetime = field(
        description="When it was created.", permission=WORK_READ
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            row_id=row.id,
            service_address_id=row.service_address_id,
            id=strawberry.ID(encode_global_id("Job", row.public_id)),
            kind=JobKind(row.kind),
            status=JobStatus(row.status),
            title=row.title,
            description=row.description,
            window_start=row.window_start,
            window_end=row.window_end,
            completed_at=row.completed_at,
            created_at=row.created_at,
        )

    @field(
        description="Where the work is done.", permission=WORK_READ, audiences=EVERYONE
    )
    async def service_address(self, info: Info) -> Address | None:
        return await load_address(info, self.service_address_id)

    @field(
        description="The job's lines, in order.",
        permission=WORK_READ,
    )
    async def lines(self, info: Info) -> list[JobLine]:
        loader = grouped_loader(info.context, work_queries.lines_of_jobs, [])
        rows = await loader.load(self.row_id)
        currency = await account_currency(info)
        return [JobLine.from_row(row, currency) for row in rows]

    @field(
        description="Sum of the job's lines.", permission=WORK_READ, audiences=EVERYONE
    )
    async def total(self, info: Info) -> Money:
        loader = grouped_loader(info.context, work_queries.lines_of_jobs, [])
        rows = await loader.load(self.row_id)
        amount = sum(row.amount for row in rows)
        return Money.of(amount, await account_currency(info))

    @field(
        description="The job's dumpster tasks, soonest first, unscheduled last.",
        permission=WORK_READ,
    )
    async def tasks(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Task]:
        return await load_connection(
            info,
            work_queries.JOB_TASKS,
            self.row_id,
            Task.from_row,
            (first, after, last, before),
        )


async def account_currency(info: Info) -> str:
    """Jobs carry no currency of their own: they bill in the account's."""
    account = await load_account(info)
    return account.currency if account is not None else "USD"
