"""Service requests clients made from their dashboard, and how they went."""

from datetime import timedelta

from persistence.enums import ServiceRequestKind, ServiceRequestStatus, TaskStatus
from persistence.seed.clients import record
from persistence.seed.context import SeedContext
from persistence.seed.drafts import ClientDraft, TaskDraft
from persistence.seed.vocabulary import SERVICE_REQUEST_NOTES

DECLINED_NOTE = "Three cans of paint and a car battery."
STATUS_WEIGHTS = {
    ServiceRequestStatus.NEW: 30,
    ServiceRequestStatus.DECLINED: 10,
    ServiceRequestStatus.SCHEDULED: 30,
    ServiceRequestStatus.DONE: 30,
}


def add_service_request(ctx: SeedContext, client: ClientDraft) -> None:
    """A request that is new, was declined, or led to a delivery task."""
    if not (client.is_showcase or ctx.chance(0.15)):
        return
    status, task = request_outcome(ctx, client)
    kind = ServiceRequestKind.DELIVERY if task else ctx.choice(list(ServiceRequestKind))
    if task is not None:
        created_at = max(task.created_at - timedelta(hours=2), client.created_at)
    else:
        created_at = max(ctx.moment(ctx.yesterday), client.created_at)
    # Staff handle a request by booking its task, or by answering it.
    handled_at = None
    if status is not ServiceRequestStatus.NEW:
        handled_at = task.created_at if task else ctx.later(created_at, 30, 240)
    is_declined = status is ServiceRequestStatus.DECLINED

    request_id = ctx.new_id("service_requests")

    ctx.add(
        "service_requests",
        {
            "id": request_id,
            "public_id": ctx.uuid(),
            "account_id": ctx.account_id,
            "created_at": created_at,
            "client_id": client.id,
            "contact_id": client.primary.id,
            "kind": kind.value,
            "status": status.value,
            "service_address_id": task.address_id
            if task
            else client.default_address.id,
            "preferred_on": task.day if task else ctx.today + timedelta(days=3),
            "notes": DECLINED_NOTE
            if is_declined
            else SERVICE_REQUEST_NOTES[kind.value],
            "task_id": task.id if task else None,
            "handled_by_id": ctx.choice(ctx.staff.desk) if handled_at else None,
            "handled_at": handled_at,
        },
    )

    action, subject = "service_request.created", "service_request"
    record(ctx, client, action, created_at, subject, request_id, by="client")


def request_outcome(
    ctx: SeedContext, client: ClientDraft
) -> tuple[ServiceRequestStatus, TaskDraft | None]:
    """How the request went, and the delivery it became, if it became one."""
    deliveries = [task for task in client.tasks if task.kind == "delivery"]
    tasks = {
        ServiceRequestStatus.SCHEDULED: [
            task for task in deliveries if task.status == TaskStatus.SCHEDULED
        ],
        ServiceRequestStatus.DONE: [
            task for task in deliveries if task.status == TaskStatus.COMPLETED
        ],
    }
    options = [ServiceRequestStatus.NEW, ServiceRequestStatus.DECLINED]
    options += [status for status, candidates in tasks.items() if candidates]
    weights = [STATUS_WEIGHTS[status] for status in options]
    status = ctx.pick("service-request", options, weights)
    if status in tasks:
        return status, ctx.choice(tasks[status])
    return status, None
