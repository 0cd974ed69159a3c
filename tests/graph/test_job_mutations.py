"""Job mutations through the graph: priced lines, schedule, complete, cancel."""

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.permissions import ALL, Permission
from persistence.enums import Channel, NotificationEvent
from persistence.models import ActivityRecord, Charge, Job, NotificationLogEntry
from tests.billing_factories import add_hold
from tests.graph.conftest import GraphClient
from tests.graph.work_world import (
    ERRORS,
    WorkWorld,
    codes,
    counts,
    mutate,
    staff,
    work_graph_as,
    world,
)

__all__ = ["staff", "world"]

JOB = """
job { id kind status title description windowStart windowEnd completedAt
  serviceAddress { line1 }
  lines { description quantity unitPrice { minorUnits } amount { minorUnits }
          priceProvenance { rule detail } }
  total { minorUnits } }
"""
CREATE = f"""
mutation Create($input: CreateJobInput!) {{
  createJob(input: $input) {{ {JOB} {ERRORS} }}
}}
"""
UPDATE = f"""
mutation Update($input: UpdateJobInput!) {{
  updateJob(input: $input) {{ {JOB} {ERRORS} }}
}}
"""
SCHEDULE = f"""
mutation Schedule($input: ScheduleJobInput!) {{
  scheduleJob(input: $input) {{ {JOB} {ERRORS} }}
}}
"""
COMPLETE = f"""
mutation Complete($input: CompleteJobInput!) {{
  completeJob(input: $input) {{
    {JOB} charges {{ description amount {{ minorUnits }} }} {ERRORS}
  }}
}}
"""
CANCEL = f"""
mutation Cancel($input: CancelJobInput!) {{
  cancelJob(input: $input) {{ {JOB} {ERRORS} }}
}}
"""
SPECIAL = f"""
mutation Add($input: AddSpecialPriceInput!) {{
  addSpecialPrice(input: $input) {{ specialPrice {{ id }} {ERRORS} }}
}}
"""
START = "2026-06-16T15:00:00+00:00"
END = "2026-06-16T19:00:00+00:00"


def new_job(world: WorkWorld, **values: Any) -> dict[str, Any]:
    defaults: dict[str, Any] = {
        "clientId": world.client_id,
        "kind": "JUNK_REMOVAL",
        "title": "Garage cleanout",
        "serviceAddressId": world.address_id,
        "windowStart": START,
        "windowEnd": END,
        "lines": [
            {"description": "Half truckload", "quantity": "1.5", "unitPrice": 30_000},
            {"description": "Move the container", "feeCode": "relocation"},
        ],
    }
    return defaults | values


async def created(graph: GraphClient, world: WorkWorld, **values: Any) -> str:
    result = await mutate(graph, CREATE, **new_job(world, **values))
    assert result["userErrors"] == []
    return str(result["job"]["id"])


async def test_a_job_is_created_with_priced_lines_and_their_provenance(
    staff: GraphClient, world: WorkWorld, session: AsyncSession
) -> None:
    await mutate(
        staff, SPECIAL, clientId=world.client_id, feeCode="relocation",
        feeAmount=7_000,
    )  # fmt: skip

    result = await mutate(staff, CREATE, **new_job(world))

    job = result["job"]
    assert (job["status"], job["kind"]) == ("SCHEDULED", "JUNK_REMOVAL")
    assert job["serviceAddress"] == {"line1": "1 Main St"}
    assert [line["amount"]["minorUnits"] for line in job["lines"]] == [45_000, 7_000]
    rules = [line["priceProvenance"]["rule"] for line in job["lines"]]
    assert rules == ["MANUAL", "CLIENT_SPECIAL_PRICING"]
    assert job["total"]["minorUnits"] == 52_000
    actions = await session.scalars(
        select(ActivityRecord.action).order_by(ActivityRecord.id)
    )
    assert list(actions)[-1] == "job.created"


async def test_a_job_is_updated_scheduled_and_completed_into_charges(
    staff: GraphClient, world: WorkWorld, session: AsyncSession
) -> None:
    job_id = await created(staff, world, windowStart=None, windowEnd=None)

    updated = await mutate(
        staff, UPDATE, jobId=job_id, title="Basement cleanout", description=None,
        lines=[{"description": "Full truckload", "unitPrice": 55_000}],
    )  # fmt: skip
    scheduled = await mutate(staff, SCHEDULE, jobId=job_id, windowStart=START)
    completed = await mutate(staff, COMPLETE, jobId=job_id)

    assert updated["job"]["status"] == "UNSCHEDULED"
    assert updated["job"]["title"] == "Basement cleanout"
    assert [line["description"] for line in updated["job"]["lines"]] == [
        "Full truckload"
    ]
    assert scheduled["job"]["status"] == "SCHEDULED"
    assert completed["job"]["status"] == "COMPLETED"
    assert completed["charges"] == [
        {"description": "Full truckload", "amount": {"minorUnits": 55_000}}
    ]
    charge = await session.scalar(select(Charge))
    assert charge is not None
    assert charge.invoice_id is None
    assert charge.service_address_id == world.address.id


async def test_a_cancelled_job_stays_cancelled(
    staff: GraphClient, world: WorkWorld, session: AsyncSession
) -> None:
    job_id = await created(staff, world)

    cancelled = await mutate(staff, CANCEL, jobId=job_id, reason="Client moved")
    again = await mutate(staff, CANCEL, jobId=job_id)
    completed = await mutate(staff, COMPLETE, jobId=job_id)

    assert cancelled["job"]["status"] == "CANCELLED"
    assert codes(again) == codes(completed) == ["INVALID_TRANSITION"]
    assert await session.scalar(select(Charge)) is None


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"clientId": "bm9wZQ"}, ["CLIENT_NOT_FOUND"]),
        ({"serviceAddressId": "bm9wZQ"}, ["ADDRESS_NOT_FOUND"]),
        ({"title": "  "}, ["REQUIRED"]),
        ({"windowStart": None}, ["REQUIRED"]),
        ({"windowEnd": "2026-06-15T10:00:00+00:00"}, ["WINDOW_OUT_OF_ORDER"]),
        ({"lines": [{"description": "x"}]}, ["LINE_PRICE_REQUIRED"]),
        (
            {"lines": [{"description": "x", "unitPrice": 1, "feeCode": "relocation"}]},
            ["LINE_PRICE_REQUIRED"],
        ),
        ({"lines": [{"description": "x", "unitPrice": -1}]}, ["NEGATIVE_AMOUNT"]),
        (
            {"lines": [{"description": "x", "unitPrice": 1, "quantity": "0"}]},
            ["INVALID_QUANTITY"],
        ),
        ({"lines": [{"description": "x", "feeCode": "piano"}]}, ["UNKNOWN_FEE"]),
    ],
)
async def test_each_refused_job_says_why_and_creates_nothing(
    staff: GraphClient,
    world: WorkWorld,
    session: AsyncSession,
    values: dict[str, Any],
    expected: list[str],
) -> None:
    before = await counts(session)

    result = await mutate(staff, CREATE, **new_job(world, **values))

    assert (result["job"], codes(result)) == (None, expected)
    assert await counts(session) == before


async def test_an_unknown_fee_is_named_at_its_line(
    staff: GraphClient, world: WorkWorld
) -> None:
    lines = [
        {"description": "ok", "unitPrice": 1},
        {"description": "x", "feeCode": "piano"},
    ]

    result = await mutate(staff, CREATE, **new_job(world, lines=lines))

    assert result["userErrors"][0]["field"] == ["input", "lines", "1", "feeCode"]


@pytest.mark.parametrize(
    ("document", "input", "expected"),
    [
        (UPDATE, {"jobId": "bm9wZQ", "title": "x"}, ["JOB_NOT_FOUND"]),
        (UPDATE, {"jobId": "job", "title": ""}, ["REQUIRED"]),
        (
            UPDATE,
            {"jobId": "job", "serviceAddressId": "bm9wZQ"},
            ["ADDRESS_NOT_FOUND"],
        ),  # fmt: skip
        (
            UPDATE,
            {"jobId": "job", "lines": [{"description": "x"}]},
            ["LINE_PRICE_REQUIRED"],
        ),  # fmt: skip
        (
            SCHEDULE,
            {"jobId": "job", "windowStart": END, "windowEnd": START},
            ["WINDOW_OUT_OF_ORDER"],
        ),  # fmt: skip
        (SCHEDULE, {"jobId": "bm9wZQ", "windowStart": START}, ["JOB_NOT_FOUND"]),
        (COMPLETE, {"jobId": "job"}, ["INVALID_TRANSITION"]),
        (CANCEL, {"jobId": "bm9wZQ"}, ["JOB_NOT_FOUND"]),
        (COMPLETE, {"jobId": "bm9wZQ"}, ["JOB_NOT_FOUND"]),
    ],
)
async def test_each_refused_change_says_why_and_changes_nothing(
    staff: GraphClient,
    world: WorkWorld,
    session: AsyncSession,
    document: str,
    input: dict[str, Any],
    expected: list[str],
) -> None:
    job_id = await created(staff, world, windowStart=None, windowEnd=None)
    input = {name: job_id if value == "job" else value for name, value in input.items()}
    before = await counts(session)

    result = await mutate(staff, document, **input)

    assert codes(result) == expected
    assert await counts(session) == before


async def test_a_held_clients_job_needs_the_override(
    engine: AsyncEngine, world: WorkWorld, session: AsyncSession, staff: GraphClient
) -> None:
    job_id = await created(staff, world, windowStart=None, windowEnd=None)
    await add_hold(session, world.client)
    await session.commit()
    clerk = world.viewer(ALL - {Permission.HOLDS_OVERRIDE})

    async with work_graph_as(engine, world, clerk) as graph:
        created_job = await mutate(graph, CREATE, **new_job(world))
        scheduled = await mutate(graph, SCHEDULE, jobId=job_id, windowStart=START)
    overridden = await mutate(staff, SCHEDULE, jobId=job_id, windowStart=START)

    assert codes(created_job) == codes(scheduled) == ["ON_HOLD"]
    assert overridden["job"]["status"] == "SCHEDULED"
    record = await session.scalar(
        select(ActivityRecord).where(ActivityRecord.action == "job.scheduled")
    )
    assert record is not None
    assert record.detail["hold_overridden"] is True


@pytest.mark.parametrize(
    ("document", "input"),
    [
        (CREATE, {"clientId": "x", "kind": "PROJECT", "title": "x"}),
        (UPDATE, {"jobId": "x"}),
        (SCHEDULE, {"jobId": "x", "windowStart": START}),
        (COMPLETE, {"jobId": "x"}),
        (CANCEL, {"jobId": "x"}),
    ],
)
async def test_job_changes_need_work_write(
    engine: AsyncEngine,
    world: WorkWorld,
    session: AsyncSession,
    document: str,
    input: dict[str, Any],
) -> None:
    reader = world.viewer(ALL - {Permission.WORK_WRITE})

    async with work_graph_as(engine, world, reader) as graph:
        body = await graph.execute(document, input=input)

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await counts(session) == (0, 0, 0, 0, 0, 0, 0)


async def test_a_refused_update_leaves_the_job_as_it_was(
    staff: GraphClient, world: WorkWorld
) -> None:
    job_id = await created(staff, world)

    refused = await mutate(
        staff, UPDATE, jobId=job_id, title="Renamed",
        lines=[{"description": "x", "feeCode": "piano"}],
    )  # fmt: skip
    data = await staff.data(
        "query($id: ID!) { node(id: $id) { ... on Job { title lines "
        "{ description } } } }",
        id=job_id,
    )

    assert codes(refused) == ["UNKNOWN_FEE"]
    assert data["node"] == {
        "title": "Garage cleanout",
        "lines": [
            {"description": "Half truckload"},
            {"description": "Move the container"},
        ],
    }


async def test_the_client_hears_when_a_job_is_scheduled_and_done(
    staff: GraphClient, world: WorkWorld, session: AsyncSession
) -> None:
    job_id = await created(staff, world, windowStart=None, windowEnd=None)
    unscheduled = await notices(session)

    await mutate(staff, SCHEDULE, jobId=job_id, windowStart=START)
    await mutate(staff, COMPLETE, jobId=job_id)

    job = await session.scalar(select(Job))
    assert job is not None
    assert unscheduled == []
    assert await notices(session) == [
        (NotificationEvent.TASK_SCHEDULED, job.id),
        (NotificationEvent.TASK_COMPLETED, job.id),
    ]


async def notices(session: AsyncSession) -> list[tuple[str, int | None]]:
    rows = await session.execute(
        select(NotificationLogEntry.event, NotificationLogEntry.job_id)
        .where(NotificationLogEntry.channel == Channel.EMAIL)
        .order_by(NotificationLogEntry.id)
    )
    return [(event, job_id) for event, job_id in rows]
