"""Row builders for the work section: estimates, jobs, tasks, service requests."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from persistence.enums import (
    ActorKind,
    ContainerSize,
    EstimateStatus,
    JobKind,
    JobStatus,
    Material,
    ServiceRequestKind,
    TaskKind,
    TaskStatus,
)
from persistence.models import (
    Address,
    Client,
    Estimate,
    EstimateEvent,
    EstimateLine,
    Job,
    JobLine,
    ServiceRequest,
    Task,
    WeightTicket,
)
from tests.factories import add, add_address, sequence


def moment(day: date, hour: int = 15) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


async def add_estimate(
    session: AsyncSession, client: Client, **values: Any
) -> Estimate:
    defaults: dict[str, Any] = {
        "account_id": client.account_id,
        "client_id": client.id,
        "number": next(sequence),
        "title": "Garage cleanout",
        "status": EstimateStatus.NO_RESPONSE,
        "valid_until": date(2026, 2, 1),
        "subtotal": 50_000,
        "tax": 4_125,
        "total": 54_125,
    }
    return await add(session, Estimate(**(defaults | values)))


async def add_estimate_line(
    session: AsyncSession, estimate: Estimate, **values: Any
) -> EstimateLine:
    defaults: dict[str, Any] = {
        "account_id": estimate.account_id,
        "estimate_id": estimate.id,
        "position": next(sequence),
        "description": "20 yd dumpster rental, 7 days",
        "container_size": ContainerSize.YD20,
        "rental_days": 7,
        "quantity": Decimal(1),
        "unit_price": 50_000,
        "amount": 50_000,
    }
    return await add(session, EstimateLine(**(defaults | values)))


async def add_estimate_event(
    session: AsyncSession, estimate: Estimate, **values: Any
) -> EstimateEvent:
    defaults: dict[str, Any] = {
        "account_id": estimate.account_id,
        "estimate_id": estimate.id,
        "status": EstimateStatus.NO_RESPONSE,
        "occurred_at": moment(date(2026, 1, 5)),
        "actor_kind": ActorKind.SYSTEM,
    }
    return await add(session, EstimateEvent(**(defaults | values)))


async def add_job(session: AsyncSession, client: Client, **values: Any) -> Job:
    defaults: dict[str, Any] = {
        "account_id": client.account_id,
        "client_id": client.id,
        "kind": JobKind.JUNK_REMOVAL,
        "status": JobStatus.SCHEDULED,
        "title": "Basement junk removal",
    }
    return await add(session, Job(**(defaults | values)))


async def add_job_line(session: AsyncSession, job: Job, **values: Any) -> JobLine:
    defaults: dict[str, Any] = {
        "account_id": job.account_id,
        "job_id": job.id,
        "position": next(sequence),
        "description": "Half truckload",
        "quantity": Decimal(1),
        "unit_price": 30_000,
        "amount": 30_000,
    }
    return await add(session, JobLine(**(defaults | values)))


async def add_task(
    session: AsyncSession,
    client: Client,
    address: Address | None = None,
    **values: Any,
) -> Task:
    address = address or await add_address(session, client)
    defaults: dict[str, Any] = {
        "account_id": client.account_id,
        "client_id": client.id,
        "kind": TaskKind.DELIVERY,
        "status": TaskStatus.SCHEDULED,
        "service_address_id": address.id,
        "container_size": ContainerSize.YD20,
        "material": Material.CONSTRUCTION,
        "scheduled_on": date(2026, 1, 10),
        "price": 47_500,
    }
    return await add(session, Task(**(defaults | values)))


async def add_completed_task(
    session: AsyncSession, client: Client, day: date, **values: Any
) -> Task:
    """A task done on ``day``: scheduled, started and completed that afternoon."""
    defaults: dict[str, Any] = {
        "status": TaskStatus.COMPLETED,
        "scheduled_on": day,
        "started_at": moment(day, 15),
        "completed_at": moment(day, 16),
    }
    return await add_task(session, client, **(defaults | values))


async def add_weight_ticket(
    session: AsyncSession, task: Task, **values: Any
) -> WeightTicket:
    defaults: dict[str, Any] = {
        "account_id": task.account_id,
        "task_id": task.id,
        "ticket_number": f"T-{next(sequence)}",
        "facility": "Front Range Landfill",
        "net_tons": Decimal("1.25"),
        "weighed_at": moment(date(2026, 1, 20)),
    }
    return await add(session, WeightTicket(**(defaults | values)))


async def add_service_request(
    session: AsyncSession, client: Client, **values: Any
) -> ServiceRequest:
    defaults: dict[str, Any] = {
        "account_id": client.account_id,
        "client_id": client.id,
        "kind": ServiceRequestKind.DELIVERY,
        "preferred_on": date(2026, 1, 15),
    }
    return await add(session, ServiceRequest(**(defaults | values)))


def days_ago(days: int) -> date:
    return datetime.now(UTC).date() - timedelta(days=days)
