"""Client.estimates, jobs, tasks and serviceRequests, and the rental clock."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.requests import Request

from domain import rental
from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import Permission
from graph.app import create_app
from graph.ids import decode_global_id, encode_global_id
from graph.types.work import NODE_TYPES
from persistence.config import Config
from persistence.enums import (
    ActorKind,
    EstimateStatus,
    JobKind,
    JobStatus,
    PriceRule,
    ServiceRequestKind,
    ServiceRequestStatus,
    TaskKind,
    TaskStatus,
)
from persistence.models import Account, Client
from tests.factories import (
    add_account,
    add_address,
    add_client,
    add_contact,
    add_staff_user,
)
from tests.graph.conftest import GraphClient
from tests.work_factories import (
    add_completed_task,
    add_estimate,
    add_estimate_event,
    add_estimate_line,
    add_job,
    add_job_line,
    add_service_request,
    add_task,
    add_weight_ticket,
    days_ago,
    moment,
)

ESTIMATES = """
query Estimates($id: ID!, $first: Int, $after: String, $status: [EstimateStatus!]) {
  client(id: $id) {
    estimates(first: $first, after: $after, status: $status) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id number title status validUntil notes sentAt createdAt
        subtotal { amount currency } tax { amount } total { amount minorUnits }
        serviceAddress { line1 }
        lines {
          description containerSize rentalDays quantity
          unitPrice { amount } amount { amount }
          priceProvenance { rule detail }
        }
        events { status occurredAt actorKind actorStaff { name } note }
      }
    }
  }
}
"""

JOBS = """
query Jobs($id: ID!, $first: Int, $after: String, $status: [JobStatus!],
           $kind: [JobKind!]) {
  client(id: $id) {
    jobs(first: $first, after: $after, status: $status, kind: $kind) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id kind status title description windowStart windowEnd completedAt createdAt
        serviceAddress { line1 }
        lines {
          description quantity unitPrice { amount } amount { amount }
          priceProvenance { rule }
        }
        total { amount currency }
        tasks(first: 10) { totalCount nodes { kind scheduledOn } }
      }
    }
  }
}
"""

TASKS = """
query Tasks($id: ID!, $first: Int, $after: String, $when: TaskWhen,
            $kind: [TaskKind!], $status: [TaskStatus!]) {
  client(id: $id) {
    tasks(first: $first, after: $after, when: $when, kind: $kind, status: $status) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { instructions kind status scheduledOn }
    }
  }
}
"""

TASK_DETAIL = """
query Task($id: ID!) {
  client(id: $id) {
    tasks(first: 10, kind: [PICKUP]) {
      nodes {
        id kind status containerSize material scheduledOn rentalDays
        price { amount currency } instructions startedAt completedAt
        failureReason cancelledAt createdAt
        serviceAddress { line1 }
        driver { name }
        priceProvenance { rule detail }
        relatedTask { kind scheduledOn }
        weightTickets { ticketNumber facility netTons weighedAt }
        rental { daysOnSite }
      }
    }
  }
}
"""

RENTAL = """
query Rental($id: ID!) {
  client(id: $id) {
    tasks(first: 10, kind: [DELIVERY]) {
      nodes {
        status
        rental {
          deliveredOn pickedUpOn daysOnSite includedDays extraDays
          tons includedTons extraTons
        }
      }
    }
  }
}
"""

SERVICE_REQUESTS = """
query Requests($id: ID!, $first: Int, $after: String,
               $status: [ServiceRequestStatus!]) {
  client(id: $id) {
    serviceRequests(first: $first, after: $after, status: $status) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id kind status preferredOn notes createdAt handledAt
        serviceAddress { line1 }
        contact { firstName }
        task { kind scheduledOn }
        handledBy { name }
      }
    }
  }
}
"""


def global_id(client: Client) -> str:
    return encode_global_id("Client", client.public_id)


async def test_estimates_show_lines_events_and_address_newest_first(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    address = await add_address(session, client, line1="12 Quarry Rd")
    staff = await add_staff_user(session, account, name="Dana Desk")
    await add_estimate(session, client, number=501, created_at=moment(date(2026, 1, 1)))
    estimate = await add_estimate(
        session,
        client,
        number=502,
        title="Roof tear-off",
        status=EstimateStatus.ACCEPTED,
        valid_until=date(2026, 2, 3),
        service_address_id=address.id,
        notes="Price assumes clear access for the truck.",
        sent_at=moment(date(2026, 1, 4), 16),
        created_at=moment(date(2026, 1, 4)),
    )
    await add_estimate_line(
        session,
        estimate,
        position=2,
        description="Extra tons",
        container_size=None,
        rental_days=None,
        quantity=Decimal("2.5"),
        unit_price=9_500,
        amount=23_750,
    )
    await add_estimate_line(
        session,
        estimate,
        position=1,
        price_rule=PriceRule.CLIENT_SPECIAL_PRICING,
        price_detail={"included_days": 7, "special_price_id": 4},
    )
    await add_estimate_event(
        session,
        estimate,
        status=EstimateStatus.ACCEPTED,
        occurred_at=moment(date(2026, 1, 6)),
        actor_kind=ActorKind.STAFF,
        actor_staff_id=staff.id,
        note="Accepted by phone.",
    )
    await add_estimate_event(
        session,
        estimate,
        status=EstimateStatus.NO_RESPONSE,
        occurred_at=moment(date(2026, 1, 4), 16),
    )
    await session.commit()

    page = (await graph.data(ESTIMATES, id=global_id(client), first=10))["client"]

    estimates = page["estimates"]["nodes"]
    assert [node["number"] for node in estimates] == [502, 501]
    newest = estimates[0]
    assert decode_global_id(newest["id"]) == ("Estimate", estimate.public_id)
    assert newest["title"] == "Roof tear-off"
    assert newest["status"] == "ACCEPTED"
    assert newest["validUntil"] == "2026-02-03"
    assert newest["notes"] == "Price assumes clear access for the truck."
    assert newest["sentAt"] == "2026-01-04T16:00:00+00:00"
    assert newest["createdAt"] == "2026-01-04T15:00:00+00:00"
    assert newest["subtotal"] == {"amount": "500.00", "currency": "USD"}
    assert newest["tax"] == {"amount": "41.25"}
    assert newest["total"] == {"amount": "541.25", "minorUnits": 54125}
    assert newest["serviceAddress"] == {"line1": "12 Quarry Rd"}
    assert newest["lines"] == [
        {
            "description": "20 yd dumpster rental, 7 days",
            "containerSize": 20,
            "rentalDays": 7,
            "quantity": "1.00",
            "unitPrice": {"amount": "500.00"},
            "amount": {"amount": "500.00"},
            "priceProvenance": {
                "rule": "CLIENT_SPECIAL_PRICING",
                "detail": {"included_days": 7, "special_price_id": 4},
            },
        },
        {
            "description": "Extra tons",
            "containerSize": None,
            "rentalDays": None,
            "quantity": "2.50",
            "unitPrice": {"amount": "95.00"},
            "amount": {"amount": "237.50"},
            "priceProvenance": {"rule": "MANUAL", "detail": None},
        },
    ]
    assert newest["events"] == [
        {
            "status": "NO_RESPONSE",
            "occurredAt": "2026-01-04T16:00:00+00:00",
            "actorKind": "SYSTEM",
            "actorStaff": None,
            "note": None,
        },
        {
            "status": "ACCEPTED",
            "occurredAt": "2026-01-06T15:00:00+00:00",
            "actorKind": "STAFF",
            "actorStaff": {"name": "Dana Desk"},
            "note": "Accepted by phone.",
        },
    ]
    assert estimates[1]["serviceAddress"] is None
    assert estimates[1]["lines"] == []
    assert estimates[1]["events"] == []


async def test_estimates_filter_by_status(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    for number, status in [
        (1, EstimateStatus.DRAFT),
        (2, EstimateStatus.DECLINED),
        (3, EstimateStatus.EXPIRED),
    ]:
        await add_estimate(session, client, number=number, status=status)
    await session.commit()

    page = await graph.data(
        ESTIMATES, id=global_id(client), first=10, status=["DECLINED", "EXPIRED"]
    )

    estimates = page["client"]["estimates"]
    assert estimates["totalCount"] == 2
    assert sorted(node["number"] for node in estimates["nodes"]) == [2, 3]


async def test_estimates_of_another_account_never_appear(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    other = await add_account(session)
    await add_estimate(session, client, number=1)
    # A row that names our client but belongs to another tenant stays invisible.
    await add_estimate(session, client, number=2, account_id=other.id)
    await session.commit()

    page = await graph.data(ESTIMATES, id=global_id(client), first=10)

    assert [node["number"] for node in page["client"]["estimates"]["nodes"]] == [1]


async def test_jobs_show_lines_total_tasks_and_filter_by_status_and_kind(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    address = await add_address(session, client, line1="9 Mill St")
    job = await add_job(
        session,
        client,
        title="Basement junk removal",
        description="Everything but the furnace.",
        service_address_id=address.id,
        window_start=moment(date(2026, 1, 12), 14),
        window_end=moment(date(2026, 1, 12), 18),
        created_at=moment(date(2026, 1, 2)),
    )
    await add_job_line(session, job, position=1, unit_price=30_000, amount=30_000)
    await add_job_line(
        session,
        job,
        position=2,
        description="Mattress disposal",
        quantity=Decimal(2),
        unit_price=3_500,
        amount=7_000,
        price_rule=PriceRule.ACCOUNT_STANDARD,
    )
    await add_task(session, client, address, job_id=job.id, scheduled_on=None)
    await add_task(
        session, client, address, job_id=job.id, scheduled_on=date(2026, 1, 12)
    )
    await add_job(
        session,
        client,
        kind=JobKind.PROJECT,
        status=JobStatus.COMPLETED,
        title="Patio project",
        completed_at=moment(date(2026, 1, 1)),
        created_at=moment(date(2025, 12, 1)),
    )
    await session.commit()

    everything = await graph.data(JOBS, id=global_id(client), first=10)
    scheduled = await graph.data(
        JOBS, id=global_id(client), first=10, status=["SCHEDULED"]
    )
    projects = await graph.data(JOBS, id=global_id(client), first=10, kind=["PROJECT"])

    jobs = everything["client"]["jobs"]["nodes"]
    assert [node["title"] for node in jobs] == [
        "Basement junk removal",
        "Patio project",
    ]
    newest = jobs[0]
    assert decode_global_id(newest["id"]) == ("Job", job.public_id)
    assert newest["kind"] == "JUNK_REMOVAL"
    assert newest["status"] == "SCHEDULED"
    assert newest["description"] == "Everything but the furnace."
    assert newest["windowStart"] == "2026-01-12T14:00:00+00:00"
    assert newest["windowEnd"] == "2026-01-12T18:00:00+00:00"
    assert newest["completedAt"] is None
    assert newest["createdAt"] == "2026-01-02T15:00:00+00:00"
    assert newest["serviceAddress"] == {"line1": "9 Mill St"}
    assert newest["lines"] == [
        {
            "description": "Half truckload",
            "quantity": "1.00",
            "unitPrice": {"amount": "300.00"},
            "amount": {"amount": "300.00"},
            "priceProvenance": {"rule": "MANUAL"},
        },
        {
            "description": "Mattress disposal",
            "quantity": "2.00",
            "unitPrice": {"amount": "35.00"},
            "amount": {"amount": "70.00"},
            "priceProvenance": {"rule": "ACCOUNT_STANDARD"},
        },
    ]
    assert newest["total"] == {"amount": "370.00", "currency": "USD"}
    assert newest["tasks"] == {
        "totalCount": 2,
        "nodes": [
            {"kind": "DELIVERY", "scheduledOn": "2026-01-12"},
            {"kind": "DELIVERY", "scheduledOn": None},
        ],
    }
    assert jobs[1]["completedAt"] == "2026-01-01T15:00:00+00:00"
    assert jobs[1]["total"] == {"amount": "0.00", "currency": "USD"}
    assert [n["title"] for n in scheduled["client"]["jobs"]["nodes"]] == [
        "Basement junk removal"
    ]
    assert [n["title"] for n in projects["client"]["jobs"]["nodes"]] == [
        "Patio project"
    ]


async def add_tasks_of_every_kind_of_day(session: AsyncSession, client: Client) -> None:
    """Upcoming and past tasks, named by their instructions."""
    address = await add_address(session, client)
    for name, status, scheduled_on, ended_at in [
        ("later", TaskStatus.SCHEDULED, date(2026, 3, 1), None),
        ("unscheduled", TaskStatus.UNSCHEDULED, None, None),
        ("soon", TaskStatus.SCHEDULED, date(2026, 2, 1), None),
        ("today", TaskStatus.IN_PROGRESS, date(2026, 1, 20), None),
        ("done", TaskStatus.COMPLETED, date(2026, 1, 10), moment(date(2026, 1, 10))),
        ("failed", TaskStatus.FAILED, date(2026, 1, 12), None),
        ("called off", TaskStatus.CANCELLED, None, moment(date(2026, 1, 14))),
    ]:
        await add_task(
            session,
            client,
            address,
            instructions=name,
            status=status,
            scheduled_on=scheduled_on,
            completed_at=ended_at if status is TaskStatus.COMPLETED else None,
            cancelled_at=ended_at if status is TaskStatus.CANCELLED else None,
            started_at=moment(date(2026, 1, 13)) if name == "failed" else None,
            kind=TaskKind.PICKUP if name == "soon" else TaskKind.DELIVERY,
        )


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"when": "UPCOMING"}, ["today", "soon", "later", "unscheduled"]),
        ({"when": "PAST"}, ["called off", "failed", "done"]),
        (
            {},
            [
                "called off",
                "unscheduled",
                "later",
                "soon",
                "today",
                "failed",
                "done",
            ],
        ),
        ({"when": "UPCOMING", "kind": ["PICKUP"]}, ["soon"]),
        ({"status": ["FAILED", "COMPLETED"]}, ["failed", "done"]),
        ({"when": "PAST", "status": ["SCHEDULED"]}, []),
    ],
)
async def test_tasks_by_when_kind_and_status(
    graph: GraphClient,
    session: AsyncSession,
    account: Account,
    arguments: dict[str, Any],
    expected: list[str],
) -> None:
    client = await add_client(session, account)
    await add_tasks_of_every_kind_of_day(session, client)
    await session.commit()

    page = await graph.data(TASKS, id=global_id(client), first=10, **arguments)

    tasks = page["client"]["tasks"]
    assert [node["instructions"] for node in tasks["nodes"]] == expected
    assert tasks["totalCount"] == len(expected)


async def test_task_shows_driver_price_provenance_delivery_and_tickets(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    address = await add_address(session, client, line1="4 Ridge Rd")
    driver = await add_staff_user(session, account, name="Lee Driver")
    delivery = await add_completed_task(session, client, date(2026, 1, 5))
    pickup = await add_completed_task(
        session,
        client,
        date(2026, 1, 19),
        address=address,
        kind=TaskKind.PICKUP,
        driver_id=driver.id,
        related_task_id=delivery.id,
        price=12_500,
        price_rule=PriceRule.SERVICE_ADDRESS_PRICING,
        price_detail={"fee_code": "trip_charge"},
        instructions="Behind the garage.",
        failure_reason=None,
        created_at=moment(date(2026, 1, 2)),
    )
    await add_weight_ticket(
        session, pickup, ticket_number="B-2", weighed_at=moment(date(2026, 1, 19), 18)
    )
    await add_weight_ticket(
        session,
        pickup,
        ticket_number="A-1",
        net_tons=Decimal("2.3"),
        weighed_at=moment(date(2026, 1, 19), 17),
    )
    await session.commit()

    body = await graph.data(TASK_DETAIL, id=global_id(client))

    [task] = body["client"]["tasks"]["nodes"]
    assert decode_global_id(task["id"]) == ("Task", pickup.public_id)
    assert task | {"weightTickets": None} == {
        "id": task["id"],
        "kind": "PICKUP",
        "status": "COMPLETED",
        "containerSize": 20,
        "material": "CONSTRUCTION",
        "scheduledOn": "2026-01-19",
        "rentalDays": None,
        "price": {"amount": "125.00", "currency": "USD"},
        "instructions": "Behind the garage.",
        "startedAt": "2026-01-19T15:00:00+00:00",
        "completedAt": "2026-01-19T16:00:00+00:00",
        "failureReason": None,
        "cancelledAt": None,
        "createdAt": "2026-01-02T15:00:00+00:00",
        "serviceAddress": {"line1": "4 Ridge Rd"},
        "driver": {"name": "Lee Driver"},
        "priceProvenance": {
            "rule": "SERVICE_ADDRESS_PRICING",
            "detail": {"fee_code": "trip_charge"},
        },
        "relatedTask": {"kind": "DELIVERY", "scheduledOn": "2026-01-05"},
        "weightTickets": None,
        "rental": None,
    }
    assert task["weightTickets"] == [
        {
            "ticketNumber": "A-1",
            "facility": "Front Range Landfill",
            "netTons": "2.30",
            "weighedAt": "2026-01-19T17:00:00+00:00",
        },
        {
            "ticketNumber": "B-2",
            "facility": "Front Range Landfill",
            "netTons": "1.25",
            "weighedAt": "2026-01-19T18:00:00+00:00",
        },
    ]


async def test_related_task_of_another_account_is_hidden(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    stranger = await add_client(session, await add_account(session))
    foreign_delivery = await add_task(session, stranger)
    await add_task(
        session, client, kind=TaskKind.PICKUP, related_task_id=foreign_delivery.id
    )
    await session.commit()

    body = await graph.data(TASK_DETAIL, id=global_id(client))

    assert body["client"]["tasks"]["nodes"][0]["relatedTask"] is None


async def test_rental_clock_of_a_picked_up_container(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    delivery = await add_completed_task(
        session,
        client,
        date(2026, 1, 10),
        rental_days=14,
        price_detail={"included_days": 7, "included_tons": "2.00"},
    )
    hauls = [
        (TaskKind.DUMP_AND_RETURN, date(2026, 1, 14), "1.50"),
        (TaskKind.PICKUP, date(2026, 1, 20), "1.25"),
        # A second pickup after the first no longer counts against this rental.
        (TaskKind.PICKUP, date(2026, 1, 25), "4.00"),
    ]
    for kind, day, tons in hauls:
        haul = await add_completed_task(
            session, client, day, kind=kind, related_task_id=delivery.id
        )
        await add_weight_ticket(session, haul, net_tons=Decimal(tons))
    await session.commit()

    body = await graph.data(RENTAL, id=global_id(client))

    [node] = body["client"]["tasks"]["nodes"]
    assert node["rental"] == {
        "deliveredOn": "2026-01-10",
        "pickedUpOn": "2026-01-20",
        "daysOnSite": 10,
        "includedDays": 7,
        "extraDays": 3,
        "tons": "2.75",
        "includedTons": "2.00",
        "extraTons": "0.75",
    }


async def test_rental_clock_runs_to_today_while_the_container_is_on_site(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    account.time_zone = "UTC"
    client = await add_client(session, account)
    await add_completed_task(session, client, days_ago(5), rental_days=7)
    await add_task(session, client, scheduled_on=days_ago(-2))
    await session.commit()

    body = await graph.data(RENTAL, id=global_id(client))

    scheduled, on_site = body["client"]["tasks"]["nodes"]
    assert scheduled == {"status": "SCHEDULED", "rental": None}
    assert on_site["rental"] == {
        "deliveredOn": days_ago(5).isoformat(),
        "pickedUpOn": None,
        "daysOnSite": 5,
        "includedDays": 7,
        "extraDays": 0,
        "tons": "0.00",
        "includedTons": None,
        "extraTons": None,
    }


@pytest.mark.parametrize(
    ("detail", "rental_days", "expected"),
    [
        ({"included_days": 7, "included_tons": "3.00"}, 14, (7, Decimal("3.00"))),
        (None, 14, (14, None)),
        ({"included_days": "7", "included_tons": "lots"}, None, (None, None)),
        ({"included_tons": 2}, 7, (7, Decimal(2))),
    ],
)
def test_allowance_comes_from_the_price_snapshot(
    detail: dict[str, Any] | None,
    rental_days: int | None,
    expected: tuple[int | None, Decimal | None],
) -> None:
    allowance = rental.allowance_of(detail, rental_days)

    assert (allowance.included_days, allowance.included_tons) == expected


def test_an_exchange_stops_the_clock_and_days_never_go_negative() -> None:
    allowance = rental.Allowance(included_days=7, included_tons=None)
    swap = rental.Haul(TaskKind.EXCHANGE, date(2026, 1, 12), Decimal("1.00"))

    swapped = rental.rental_clock(
        date(2026, 1, 10), [swap], date(2026, 2, 1), allowance
    )
    early = rental.rental_clock(date(2026, 1, 10), [], date(2026, 1, 8), allowance)

    assert (swapped.picked_up_on, swapped.days_on_site) == (date(2026, 1, 12), 2)
    assert swapped.tons == Decimal("1.00")
    assert (early.days_on_site, early.extra_days) == (0, 0)


def test_service_day_is_the_local_completion_date() -> None:
    late_evening = datetime(2026, 1, 11, 3, 30, tzinfo=UTC)

    assert rental.service_day(None, late_evening, "America/Denver") == date(2026, 1, 10)
    assert rental.service_day(date(2026, 1, 9), None, "America/Denver") == date(
        2026, 1, 9
    )
    assert rental.service_day(None, late_evening, "Nowhere/Else") == date(2026, 1, 11)


async def test_service_requests_show_contact_task_and_handler(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    address = await add_address(session, client, line1="3 Aspen Ct")
    contact = await add_contact(session, client, first_name="Ana")
    staff = await add_staff_user(session, account, name="Dana Desk")
    task = await add_task(session, client, address, scheduled_on=date(2026, 1, 16))
    request = await add_service_request(
        session,
        client,
        kind=ServiceRequestKind.PICKUP,
        status=ServiceRequestStatus.SCHEDULED,
        service_address_id=address.id,
        contact_id=contact.id,
        notes="Container is full.",
        task_id=task.id,
        handled_by_id=staff.id,
        handled_at=moment(date(2026, 1, 14)),
        created_at=moment(date(2026, 1, 13)),
    )
    await add_service_request(
        session, client, notes="Older", created_at=moment(date(2026, 1, 1))
    )
    await session.commit()

    everything = await graph.data(SERVICE_REQUESTS, id=global_id(client), first=10)
    new = await graph.data(
        SERVICE_REQUESTS, id=global_id(client), first=10, status=["NEW"]
    )

    newest, older = everything["client"]["serviceRequests"]["nodes"]
    assert decode_global_id(newest["id"]) == ("ServiceRequest", request.public_id)
    assert newest == {
        "id": newest["id"],
        "kind": "PICKUP",
        "status": "SCHEDULED",
        "preferredOn": "2026-01-15",
        "notes": "Container is full.",
        "createdAt": "2026-01-13T15:00:00+00:00",
        "handledAt": "2026-01-14T15:00:00+00:00",
        "serviceAddress": {"line1": "3 Aspen Ct"},
        "contact": {"firstName": "Ana"},
        "task": {"kind": "DELIVERY", "scheduledOn": "2026-01-16"},
        "handledBy": {"name": "Dana Desk"},
    }
    assert [older[name] for name in ("contact", "task", "handledBy")] == [None] * 3
    assert older["serviceAddress"] is None
    assert [n["notes"] for n in new["client"]["serviceRequests"]["nodes"]] == ["Older"]


async def execute_as(
    engine: AsyncEngine, viewer: Viewer, path: str, query: str, **variables: Any
) -> dict[str, Any]:
    """Post ``query`` to one audience's route, signed in as ``viewer``."""

    async def authenticate(request: Request) -> Viewer:
        return viewer

    app = create_app(Config.from_environment(), authenticate, engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        body = {"query": query, "variables": variables}
        response = await http.post(path, json=body)
    return response.json()


async def dashboard_execute(
    engine: AsyncEngine, client: Client, query: str
) -> dict[str, Any]:
    """Post ``query`` to the dashboard route, signed in as the client itself."""
    viewer = Viewer(
        account_id=client.account_id, kind=ViewerKind.DASHBOARD, client_id=client.id
    )
    return await execute_as(engine, viewer, "/dashboard/graphql", query)


async def test_price_provenance_needs_pricing_read(
    engine: AsyncEngine, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    await add_task(session, client)
    await session.commit()
    viewer = Viewer(
        account_id=account.id,
        kind=ViewerKind.STAFF,
        permissions=frozenset({Permission.CLIENTS_READ, Permission.WORK_READ}),
    )
    query = """
    query Tasks($id: ID!) { client(id: $id) {
      tasks(first: 10) { nodes { kind priceProvenance { rule } } }
    } }
    """

    body = await execute_as(engine, viewer, "/graphql", query, id=global_id(client))

    [task] = body["data"]["client"]["tasks"]["nodes"]
    assert task == {"kind": "DELIVERY", "priceProvenance": None}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_dashboard_lists_sent_estimates_and_hides_staff_fields(
    engine: AsyncEngine, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    await add_estimate(session, client, number=1, status=EstimateStatus.DRAFT)
    await add_estimate(session, client, number=2, status=EstimateStatus.NO_RESPONSE)
    await add_task(session, client)
    await session.commit()
    estimates = "{ viewer { client { estimates(first: 10) { nodes { number } } } } }"
    driver = "{ viewer { client { tasks(first: 10) { nodes { driver { name } } } } } }"

    listed = await dashboard_execute(engine, client, estimates)
    refused = await dashboard_execute(engine, client, driver)

    nodes = listed["data"]["viewer"]["client"]["estimates"]["nodes"]
    assert nodes == [{"number": 2}]
    assert refused["data"] is None
    assert "driver" in refused["errors"][0]["message"]


CONNECTIONS: dict[str, tuple[str, str, str, dict[str, Any]]] = {
    "estimates": (ESTIMATES, "estimates", "number", {}),
    "jobs": (JOBS, "jobs", "title", {}),
    "upcoming tasks": (TASKS, "tasks", "instructions", {"when": "UPCOMING"}),
    "past tasks": (TASKS, "tasks", "instructions", {"when": "PAST"}),
    "all tasks": (TASKS, "tasks", "instructions", {"status": ["COMPLETED"]}),
    "service requests": (SERVICE_REQUESTS, "serviceRequests", "notes", {}),
}


async def add_five_of_each(session: AsyncSession, client: Client) -> None:
    """Five rows per relation, some sharing a sort key, so ties are paged too."""
    address = await add_address(session, client)
    same_time = moment(date(2026, 1, 1))
    for number in range(5):
        day = date(2026, 1, 1 + number % 2)
        await add_estimate(session, client, number=number, created_at=same_time)
        await add_job(session, client, title=str(number), created_at=same_time)
        await add_service_request(session, client, notes=str(number))
        for status in (TaskStatus.SCHEDULED, TaskStatus.COMPLETED):
            await add_task(
                session,
                client,
                address,
                instructions=f"{status} {number}",
                status=status,
                scheduled_on=day,
                created_at=same_time,
            )


@pytest.mark.parametrize("connection", CONNECTIONS)
async def test_connections_page_forward_with_first_and_after(
    graph: GraphClient, session: AsyncSession, account: Account, connection: str
) -> None:
    query, name, key, arguments = CONNECTIONS[connection]
    client = await add_client(session, account)
    await add_five_of_each(session, client)
    await session.commit()

    async def page(**paging: Any) -> dict[str, Any]:
        body = await graph.data(query, id=global_id(client), **arguments, **paging)
        return body["client"][name]

    whole = await page(first=10)
    first = await page(first=2)
    second = await page(first=2, after=first["pageInfo"]["endCursor"])
    third = await page(first=2, after=second["pageInfo"]["endCursor"])

    keys = [node[key] for part in (first, second, third) for node in part["nodes"]]
    assert keys == [node[key] for node in whole["nodes"]]
    assert len(keys) == 5
    assert first["pageInfo"]["hasNextPage"] is True
    assert third["pageInfo"]["hasNextPage"] is False
    assert first["totalCount"] == 5


async def test_job_tasks_page_forward(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    job = await add_job(session, client)
    address = await add_address(session, client)
    for day in (3, 1, 2):
        await add_task(
            session, client, address, job_id=job.id, scheduled_on=date(2026, 1, day)
        )
    await session.commit()
    query = """
    query JobTasks($id: ID!, $after: String) {
      client(id: $id) { jobs(first: 1) { nodes {
        tasks(first: 2, after: $after) {
          pageInfo { hasNextPage endCursor } nodes { scheduledOn }
        }
      } } }
    }
    """

    async def page(after: str | None = None) -> dict[str, Any]:
        body = await graph.data(query, id=global_id(client), after=after)
        return body["client"]["jobs"]["nodes"][0]["tasks"]

    first = await page()
    second = await page(first["pageInfo"]["endCursor"])

    days = [node["scheduledOn"] for node in first["nodes"] + second["nodes"]]
    assert days == ["2026-01-01", "2026-01-02", "2026-01-03"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"]["hasNextPage"] is False


EVERYTHING = """
query Everything($id: ID!) {
  client(id: $id) {
    estimates(first: 50) { nodes {
      number serviceAddress { line1 }
      lines { amount { amount } priceProvenance { rule } }
      events { status actorStaff { name } }
    } }
    jobs(first: 50) { nodes {
      title serviceAddress { line1 } lines { amount { amount } } total { amount }
      tasks(first: 50) { totalCount nodes { kind } }
    } }
    tasks(first: 100) { nodes {
      kind serviceAddress { line1 } driver { name } priceProvenance { rule }
      relatedTask { kind } weightTickets { netTons }
      rental { daysOnSite tons }
    } }
    serviceRequests(first: 50) { nodes {
      kind serviceAddress { line1 } contact { firstName } task { kind }
      handledBy { name }
    } }
  }
}
"""


async def add_work(
    session: AsyncSession, client: Client, account: Account, count: int
) -> None:
    """``count`` rows of every relation, each with all of its relations filled."""
    address = await add_address(session, client)
    contact = await add_contact(session, client)
    staff = await add_staff_user(session, account)
    for _ in range(count):
        estimate = await add_estimate(session, client, service_address_id=address.id)
        await add_estimate_line(session, estimate)
        await add_estimate_event(session, estimate, actor_staff_id=staff.id)
        job = await add_job(session, client, service_address_id=address.id)
        await add_job_line(session, job)
        delivery = await add_completed_task(
            session, client, date(2026, 1, 5), address=address, job_id=job.id
        )
        pickup = await add_completed_task(
            session,
            client,
            date(2026, 1, 9),
            address=address,
            kind=TaskKind.PICKUP,
            driver_id=staff.id,
            related_task_id=delivery.id,
        )
        await add_weight_ticket(session, pickup)
        await add_service_request(
            session,
            client,
            service_address_id=address.id,
            contact_id=contact.id,
            task_id=pickup.id,
            handled_by_id=staff.id,
        )


async def test_statement_count_does_not_grow_with_the_number_of_records(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    small = await add_client(session, account)
    large = await add_client(session, account)
    await add_work(session, small, account, 1)
    await add_work(session, large, account, 30)
    await session.commit()

    small_body = await graph.data(EVERYTHING, id=global_id(small))
    small_count = len(graph.statements)
    large_body = await graph.data(EVERYTHING, id=global_id(large))
    large_count = len(graph.statements)

    assert len(large_body["client"]["tasks"]["nodes"]) == 60
    assert len(small_body["client"]["estimates"]["nodes"]) == 1
    rentals = [node["rental"] for node in large_body["client"]["tasks"]["nodes"]]
    assert rentals.count({"daysOnSite": 4, "tons": "1.25"}) == 30
    assert small_count == large_count


async def test_node_types_build_each_type_from_its_row(
    session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    await add_estimate(session, client)
    await add_job(session, client)
    await add_task(session, client)
    await add_service_request(session, client)
    await session.commit()

    for type_name, (table, from_row) in NODE_TYPES.items():
        row = (await session.execute(select(table))).one()
        node: Any = from_row(row)

        assert decode_global_id(node.id) == (type_name, row.public_id)


async def test_an_exchange_starts_a_rental_clock_of_its_own(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    delivery = await add_completed_task(
        session, client, date(2026, 1, 10), rental_days=7
    )
    services = [
        (TaskKind.EXCHANGE, date(2026, 1, 15), "1.00"),
        (TaskKind.DUMP_AND_RETURN, date(2026, 1, 18), "0.50"),
        (TaskKind.PICKUP, date(2026, 1, 25), "1.00"),
    ]
    for kind, day, tons in services:
        service = await add_completed_task(
            session,
            client,
            day,
            kind=kind,
            related_task_id=delivery.id,
            price_detail={"included_days": 7, "included_tons": "1.00"},
        )
        await add_weight_ticket(session, service, net_tons=Decimal(tons))
    await session.commit()

    body = await graph.data(
        RENTAL.replace("kind: [DELIVERY]", "kind: [DELIVERY, EXCHANGE]"),
        id=global_id(client),
    )

    clocks = {
        node["rental"]["deliveredOn"]: node["rental"]
        for node in body["client"]["tasks"]["nodes"]
    }
    first, swapped_in = clocks["2026-01-10"], clocks["2026-01-15"]
    assert (first["pickedUpOn"], first["daysOnSite"], first["tons"]) == (
        "2026-01-15",
        5,
        "1.00",
    )
    assert swapped_in == {
        "deliveredOn": "2026-01-15",
        "pickedUpOn": "2026-01-25",
        "daysOnSite": 10,
        "includedDays": 7,
        "extraDays": 3,
        "tons": "1.50",
        "includedTons": "1.00",
        "extraTons": "0.50",
    }
