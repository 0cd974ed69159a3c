"""Task mutations through the graph: booking, moving, completing, charging."""

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.permissions import ALL, Permission
from graph.ids import encode_global_id
from persistence.models import ActivityRecord, Fee, NotificationLogEntry
from tests.billing_factories import add_hold
from tests.factories import add_address, add_client, add_staff_user
from tests.graph.conftest import GraphClient
from tests.graph.work_world import (
    ERRORS,
    MONDAY,
    STANDARD,
    WorkWorld,
    codes,
    counts,
    mutate,
    staff,
    work_graph_as,
    world,
)
from tests.work_factories import add_job

__all__ = ["staff", "world"]

TASK = """
task { id kind status scheduledOn rentalDays containerSize material
  price { minorUnits } priceProvenance { rule detail }
  driver { name } failureReason relatedTask { id } }
"""
CHARGES = (
    "charges { description quantity unitPrice { minorUnits } "
    "amount { minorUnits } priceProvenance { rule detail } }"
)
CREATE = f"""
mutation Create($input: CreateTaskInput!) {{
  createTask(input: $input) {{ {TASK} {ERRORS} }}
}}
"""
RESCHEDULE = f"""
mutation Reschedule($input: RescheduleTaskInput!) {{
  rescheduleTask(input: $input) {{ {TASK} {ERRORS} }}
}}
"""
ASSIGN = f"""
mutation Assign($input: AssignDriverInput!) {{
  assignDriver(input: $input) {{ {TASK} {ERRORS} }}
}}
"""
COMPLETE = f"""
mutation Complete($input: CompleteTaskInput!) {{
  completeTask(input: $input) {{ {TASK} {CHARGES} {ERRORS} }}
}}
"""
FAIL = f"""
mutation Fail($input: FailTaskInput!) {{
  failTask(input: $input) {{ {TASK} {CHARGES} {ERRORS} }}
}}
"""
CANCEL = f"""
mutation Cancel($input: CancelTaskInput!) {{
  cancelTask(input: $input) {{ {TASK} {ERRORS} }}
}}
"""
SPECIAL = f"""
mutation Add($input: AddSpecialPriceInput!) {{
  addSpecialPrice(input: $input) {{ specialPrice {{ id }} {ERRORS} }}
}}
"""


def delivery(world: WorkWorld, **values: Any) -> dict[str, Any]:
    defaults: dict[str, Any] = {
        "clientId": world.client_id,
        "serviceAddressId": world.address_id,
        "kind": "DELIVERY",
        "containerSize": 20,
        "material": "CONSTRUCTION",
        "rentalDays": 7,
        "scheduledOn": world.clock.day(0),
    }
    return defaults | values


def on(world: WorkWorld, kind: str, delivery_id: str, **values: Any) -> dict[str, Any]:
    defaults: dict[str, Any] = {
        "clientId": world.client_id,
        "serviceAddressId": world.address_id,
        "kind": kind,
        "deliveryId": delivery_id,
        "scheduledOn": world.clock.day(0),
    }
    return defaults | values


async def booked(graph: GraphClient, world: WorkWorld, **values: Any) -> str:
    result = await mutate(graph, CREATE, **delivery(world, **values))
    assert result["userErrors"] == []
    return str(result["task"]["id"])


async def delivered(graph: GraphClient, world: WorkWorld) -> str:
    task_id = await booked(graph, world)
    result = await mutate(graph, COMPLETE, taskId=task_id)
    assert result["userErrors"] == []
    return task_id


def money(charges: list[Any]) -> list[tuple[str, int, int]]:
    return [
        (
            charge["quantity"],
            charge["unitPrice"]["minorUnits"],
            charge["amount"]["minorUnits"],
        )
        for charge in charges
    ]


async def test_a_booked_delivery_is_scheduled_priced_told_and_recorded(
    staff: GraphClient, world: WorkWorld, session: AsyncSession
) -> None:
    result = await mutate(staff, CREATE, **delivery(world, instructions="Driveway"))

    task = result["task"]
    assert (task["kind"], task["status"], task["rentalDays"]) == (
        "DELIVERY", "SCHEDULED", 7,
    )  # fmt: skip
    assert task["price"]["minorUnits"] == STANDARD
    assert task["priceProvenance"]["rule"] == "ACCOUNT_STANDARD"
    assert task["priceProvenance"]["detail"]["included_days"] == 7
    record = await session.scalar(select(ActivityRecord))
    assert record is not None
    assert (record.action, record.actor_id) == ("task.created", world.staff.id)
    notice = await session.scalar(select(NotificationLogEntry))
    assert notice is not None
    assert (notice.event, notice.status) == ("task_scheduled", "queued")


async def test_a_special_price_added_through_the_graph_prices_the_next_task(
    staff: GraphClient, world: WorkWorld
) -> None:
    await mutate(
        staff, SPECIAL, clientId=world.client_id, containerSize=20, basePrice=39_900
    )

    result = await mutate(staff, CREATE, **delivery(world))

    assert result["task"]["price"]["minorUnits"] == 39_900
    assert result["task"]["priceProvenance"]["rule"] == "CLIENT_SPECIAL_PRICING"


async def test_a_rental_from_delivery_through_swap_to_pickup_charges_each_side(
    staff: GraphClient, world: WorkWorld
) -> None:
    delivery_id = await delivered(staff, world)
    swap = await mutate(
        staff,
        CREATE,
        **on(world, "EXCHANGE", delivery_id, scheduledOn=world.clock.day(5)),
    )
    world.clock.move_to(5)
    swapped = await mutate(
        staff, COMPLETE, taskId=swap["task"]["id"],
        weightTickets=[{"ticketNumber": "A-1", "facility": "Landfill",
                        "netTons": "4.5"}],
    )  # fmt: skip
    pickup = await mutate(
        staff,
        CREATE,
        **on(world, "PICKUP", swap["task"]["id"], scheduledOn=world.clock.day(15)),
    )
    world.clock.move_to(15)
    picked_up = await mutate(staff, COMPLETE, taskId=pickup["task"]["id"])

    assert swap["task"]["relatedTask"]["id"] == delivery_id
    assert money(swapped["charges"]) == [
        ("1.00", STANDARD, STANDARD),
        ("1.50", 9_500, 14_250),
    ]
    assert pickup["task"]["price"]["minorUnits"] == 0
    assert money(picked_up["charges"]) == [("3.00", 1_500, 4_500)]
    provenance = picked_up["charges"][0]["priceProvenance"]
    assert provenance["rule"] == "ACCOUNT_STANDARD"
    assert provenance["detail"]["basis"] == "extra days"


async def test_reschedule_assign_and_cancel(
    staff: GraphClient, world: WorkWorld, session: AsyncSession
) -> None:
    task_id = await booked(staff, world, scheduledOn=None)
    driver_id = encode_global_id("StaffMember", world.staff.public_id)

    scheduled = await mutate(
        staff, RESCHEDULE, taskId=task_id, scheduledOn=world.clock.day(2)
    )
    assigned = await mutate(staff, ASSIGN, taskId=task_id, driverId=driver_id)
    cancelled = await mutate(staff, CANCEL, taskId=task_id, reason="Not needed")

    assert (scheduled["task"]["status"], scheduled["task"]["scheduledOn"]) == (
        "SCHEDULED", world.clock.day(2),
    )  # fmt: skip
    assert assigned["task"]["driver"] == {"name": "Dana Dispatch"}
    assert cancelled["task"]["status"] == "CANCELLED"
    actions = await session.scalars(
        select(ActivityRecord.action).order_by(ActivityRecord.id)
    )
    assert list(actions) == [
        "task.created",
        "task.rescheduled",
        "task.driver_assigned",
        "task.cancelled",
    ]


async def test_a_failed_attempt_keeps_its_reason_and_trip_charge(
    staff: GraphClient, world: WorkWorld
) -> None:
    task_id = await booked(staff, world)

    result = await mutate(
        staff, FAIL, taskId=task_id, reason="Gate locked", chargeTripFee=True
    )

    assert (result["task"]["status"], result["task"]["failureReason"]) == (
        "FAILED", "Gate locked",
    )  # fmt: skip
    assert money(result["charges"]) == [("1.00", 12_500, 12_500)]


async def test_a_held_clients_task_needs_the_override_which_is_recorded(
    engine: AsyncEngine, world: WorkWorld, session: AsyncSession, staff: GraphClient
) -> None:
    await add_hold(session, world.client, reason="Past due")
    await session.commit()
    without = world.viewer(ALL - {Permission.HOLDS_OVERRIDE})

    async with work_graph_as(engine, world, without) as clerk:
        refused = await mutate(clerk, CREATE, **delivery(world))
    allowed = await mutate(staff, CREATE, **delivery(world))

    assert codes(refused) == ["ON_HOLD"]
    assert allowed["userErrors"] == []
    record = await session.scalar(select(ActivityRecord))
    assert record is not None
    assert record.detail["hold_overridden"] is True
    assert record.detail["hold_reason"] == "Past due"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"clientId": "bm9wZQ"}, ["CLIENT_NOT_FOUND"]),
        ({"serviceAddressId": "bm9wZQ"}, ["ADDRESS_NOT_FOUND"]),
        ({"rentalDays": None, "material": None}, ["REQUIRED", "REQUIRED"]),
        ({"containerSize": 25}, ["INVALID_CONTAINER_SIZE"]),
        ({"rentalDays": 0}, ["INVALID_RENTAL_DAYS"]),
        ({"scheduledOn": "2026-06-14"}, ["DATE_IN_PAST"]),
        ({"containerSize": 30}, ["NO_PRICE"]),
        ({"kind": "PICKUP", "rentalDays": None}, ["DELIVERY_REQUIRED"]),
        (
            {"kind": "PICKUP", "rentalDays": None, "deliveryId": "bm9wZQ"},
            ["DELIVERY_NOT_FOUND"],
        ),
        ({"kind": "LIVE_LOAD", "deliveryId": "bm9wZQ"}, ["NOT_APPLICABLE"]),
        ({"kind": "PICKUP", "rentalDays": 7}, ["NOT_APPLICABLE"]),
        ({"jobId": "bm9wZQ"}, ["JOB_NOT_FOUND"]),
    ],
)
async def test_each_refused_booking_says_why_and_books_nothing(
    staff: GraphClient,
    world: WorkWorld,
    session: AsyncSession,
    values: dict[str, Any],
    expected: list[str],
) -> None:
    before = await counts(session)

    result = await mutate(staff, CREATE, **delivery(world, **values))

    assert (result["task"], codes(result)) == (None, expected)
    assert await counts(session) == before


@pytest.mark.parametrize(
    ("kind", "values", "expected"),
    [
        ("PICKUP", {"containerSize": 30}, ["CONTAINER_SIZE_MISMATCH"]),
        ("PICKUP", {"serviceAddressId": "other"}, ["DELIVERY_NOT_FOUND"]),
        ("PICKUP", {"deliveryId": "scheduled"}, ["DELIVERY_NOT_ON_SITE"]),
        ("RELOCATE", {}, ["UNKNOWN_FEE"]),
    ],
)
async def test_work_on_a_container_must_find_it_on_site(
    staff: GraphClient,
    world: WorkWorld,
    session: AsyncSession,
    kind: str,
    values: dict[str, Any],
    expected: list[str],
) -> None:
    delivery_id = await delivered(staff, world)
    other = await add_address(session, world.client)
    await session.execute(Fee.__table__.delete())
    await session.commit()
    replacements = {
        "other": encode_global_id("Address", other.public_id),
        "scheduled": await booked(staff, world),
    }
    values = {name: replacements.get(value, value) for name, value in values.items()}
    before = await counts(session)

    result = await mutate(staff, CREATE, **on(world, kind, delivery_id, **values))

    assert codes(result) == expected
    assert await counts(session) == before


@pytest.mark.parametrize(
    ("tickets", "expected"),
    [
        ([{"ticketNumber": " ", "facility": "L", "netTons": "1"}], ["REQUIRED"]),
        ([{"ticketNumber": "1", "facility": "L", "netTons": "-1"}], ["INVALID_TONS"]),
        ([{"ticketNumber": "1", "facility": "L", "netTons": "500"}], ["INVALID_TONS"]),
    ],
)
async def test_a_completion_with_bad_tickets_completes_nothing(
    staff: GraphClient,
    world: WorkWorld,
    session: AsyncSession,
    tickets: list[Any],
    expected: list[str],
) -> None:
    delivery_id = await delivered(staff, world)
    pickup = await mutate(staff, CREATE, **on(world, "PICKUP", delivery_id))
    before = await counts(session)

    result = await mutate(
        staff, COMPLETE, taskId=pickup["task"]["id"], weightTickets=tickets
    )

    assert codes(result) == expected
    assert result["userErrors"][0]["field"][:2] == ["input", "weightTickets"]
    assert await counts(session) == before


async def test_moves_a_task_cannot_make_are_refused(
    staff: GraphClient, world: WorkWorld, session: AsyncSession
) -> None:
    done = await delivered(staff, world)
    unscheduled = await booked(staff, world, scheduledOn=None)
    before = await counts(session)

    answers = [
        await mutate(staff, CANCEL, taskId=done),
        await mutate(staff, RESCHEDULE, taskId=done, scheduledOn=None),
        await mutate(staff, COMPLETE, taskId=unscheduled),
        await mutate(staff, FAIL, taskId=done, reason="Late"),
        await mutate(staff, ASSIGN, taskId=done, driverId=None),
        await mutate(
            staff,
            COMPLETE,
            taskId=done,
            weightTickets=[{"ticketNumber": "1", "facility": "L", "netTons": "1"}],
        ),
    ]

    assert [codes(answer) for answer in answers] == [["INVALID_TRANSITION"]] * 6
    assert await counts(session) == before


@pytest.mark.parametrize(
    ("document", "input", "expected"),
    [
        (RESCHEDULE, {"taskId": "bm9wZQ", "scheduledOn": None}, ["TASK_NOT_FOUND"]),
        (
            RESCHEDULE,
            {"taskId": "task", "scheduledOn": "2026-01-01"},
            ["DATE_IN_PAST"],
        ),  # fmt: skip
        (ASSIGN, {"taskId": "task", "driverId": "bm9wZQ"}, ["DRIVER_NOT_FOUND"]),
        (ASSIGN, {"taskId": "task", "driverId": "retired"}, ["DRIVER_NOT_FOUND"]),
        (FAIL, {"taskId": "task", "reason": " "}, ["REQUIRED"]),
        (CANCEL, {"taskId": "bm9wZQ"}, ["TASK_NOT_FOUND"]),
        (FAIL, {"taskId": "bm9wZQ", "reason": "x"}, ["TASK_NOT_FOUND"]),
        (ASSIGN, {"taskId": "bm9wZQ", "driverId": None}, ["TASK_NOT_FOUND"]),
        (COMPLETE, {"taskId": "bm9wZQ"}, ["TASK_NOT_FOUND"]),
        (
            COMPLETE,
            {
                "taskId": "task",
                "weightTickets": [
                    {"ticketNumber": "1", "facility": "L", "netTons": "1"}
                ],
            },
            ["NOT_APPLICABLE"],
        ),  # fmt: skip
    ],
)
async def test_each_refused_move_says_why_and_changes_nothing(
    staff: GraphClient,
    world: WorkWorld,
    session: AsyncSession,
    document: str,
    input: dict[str, Any],
    expected: list[str],
) -> None:
    retired = await add_staff_user(session, world.account, is_active=False)
    await session.commit()
    replacements = {
        "task": await booked(staff, world),
        "retired": encode_global_id("StaffMember", retired.public_id),
    }
    input = {
        name: replacements.get(value, value) if isinstance(value, str) else value
        for name, value in input.items()
    }
    before = await counts(session)

    result = await mutate(staff, document, **input)

    assert codes(result) == expected
    assert await counts(session) == before


async def test_a_trip_charge_without_the_fee_is_refused(
    staff: GraphClient, world: WorkWorld, session: AsyncSession
) -> None:
    task_id = await booked(staff, world)
    await session.execute(Fee.__table__.delete())
    await session.commit()
    before = await counts(session)

    result = await mutate(staff, FAIL, taskId=task_id, reason="x", chargeTripFee=True)

    assert codes(result) == ["UNKNOWN_FEE"]
    assert result["userErrors"][0]["field"] == ["input", "chargeTripFee"]
    assert await counts(session) == before


@pytest.mark.parametrize(
    "document",
    [CREATE, RESCHEDULE, ASSIGN, COMPLETE, FAIL, CANCEL],
)
async def test_task_changes_need_work_write(
    engine: AsyncEngine, world: WorkWorld, session: AsyncSession, document: str
) -> None:
    reader = world.viewer(ALL - {Permission.WORK_WRITE})
    input = delivery(world) if document is CREATE else {"taskId": "x", "reason": "x"}
    if document is RESCHEDULE:
        input = {"taskId": "x", "scheduledOn": None}
    if document is ASSIGN:
        input = {"taskId": "x", "driverId": None}
    if document in (COMPLETE, CANCEL):
        input = {"taskId": "x"}

    async with work_graph_as(engine, world, reader) as graph:
        body = await graph.execute(document, input=input)

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["errors"][0]["extensions"]["permission"] == "work:write"
    assert await counts(session) == (0, 0, 0, 0, 0, 0, 0)


async def test_a_task_can_be_part_of_a_job(
    staff: GraphClient, world: WorkWorld, session: AsyncSession
) -> None:
    job = await add_job(session, world.client)
    await session.commit()
    job_id = encode_global_id("Job", job.public_id)

    await booked(staff, world, jobId=job_id)
    data = await staff.data(
        "query($id: ID!) { node(id: $id) { ... on Job { tasks(first: 5) "
        "{ nodes { kind } } } } }",
        id=job_id,
    )

    assert data["node"]["tasks"]["nodes"] == [{"kind": "DELIVERY"}]


@pytest.mark.parametrize("closing", ["archived_at", "merged_into_id"])
async def test_an_archived_or_merged_client_gets_no_new_work(
    staff: GraphClient, world: WorkWorld, session: AsyncSession, closing: str
) -> None:
    survivor = await add_client(session, world.account)
    value = survivor.id if closing == "merged_into_id" else MONDAY
    setattr(world.client, closing, value)
    await session.commit()
    before = await counts(session)

    result = await mutate(staff, CREATE, **delivery(world))

    assert (result["task"], codes(result)) == (None, ["CLIENT_ARCHIVED"])
    assert await counts(session) == before
