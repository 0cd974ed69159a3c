"""Booking and doing tasks without HTTP: snapshots, the pickup side, holds,
status transitions and the charges completion leaves."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL, Permission
from domain.price_list import PriceListKey, RateTerms, set_fee, set_price_list_item
from domain.problems import Refused
from domain.work import completion, jobs, tasks
from domain.work.completion import TicketInput, complete_task
from domain.work.tasks import TaskBooking, create_task
from persistence.enums import (
    Channel,
    DocumentKind,
    JobKind,
    Material,
    PriceRule,
    TaskKind,
    TaskStatus,
)
from persistence.models import (
    ActivityRecord,
    Address,
    Charge,
    Client,
    Document,
    Fee,
    NotificationLogEntry,
    PriceListItem,
    Task,
)
from tests.billing_factories import add_hold
from tests.estimate_factories import set_client_setting
from tests.factories import add, add_account, add_address, add_client, add_staff_user

# Noon in Denver, the account's time zone.
MONDAY = datetime(2026, 6, 15, 18, tzinfo=UTC)
STANDARD = 47_500
PER_TON = 9_500
PER_EXTRA_DAY = 1_500


def at(days: int) -> datetime:
    return MONDAY + timedelta(days=days)


def day(days: int) -> date:
    return at(days).date()


class World:
    """One account with a price list, a client, its address and a staff user."""

    def __init__(self, client: Client, address: Address, viewer: Viewer) -> None:
        self.client, self.address, self.viewer = client, address, viewer

    def booking(self, kind: TaskKind, **values: Any) -> TaskBooking:
        defaults: dict[str, Any] = {
            "client_id": self.client.public_id,
            "service_address_id": self.address.public_id,
            "kind": kind,
            "scheduled_on": day(0),
        }
        return TaskBooking(**(defaults | values))


@pytest.fixture
async def world(session: AsyncSession) -> World:
    account = await add_account(session)
    await add(
        session,
        PriceListItem(
            account_id=account.id, container_size=20, rental_days=7,
            base_price=STANDARD, included_days=7, included_tons=Decimal("3.00"),
            overage_per_ton=PER_TON, per_extra_day=PER_EXTRA_DAY,
        ),
    )  # fmt: skip
    for code, amount in (("relocation", 9_500), ("trip_charge", 12_500)):
        await add(
            session, Fee(account_id=account.id, code=code, name=code, amount=amount)
        )
    client = await add_client(session, account)
    address = await add_address(session, client)
    staff = await add_staff_user(session, account)
    viewer = Viewer(
        account_id=account.id,
        kind=ViewerKind.STAFF,
        permissions=ALL,
        staff_user_id=staff.id,
    )
    return World(client, address, viewer)


async def delivered(session: AsyncSession, world: World) -> Task:
    booking = world.booking(
        TaskKind.DELIVERY,
        container_size=20,
        material=Material.CONSTRUCTION,
        rental_days=7,
    )
    delivery = await create_task(session, world.viewer, booking, MONDAY)
    await complete_task(session, world.viewer, delivery.public_id, [], MONDAY)
    return delivery


def ticket(tons: str) -> TicketInput:
    return TicketInput("T-1", "Front Range Landfill", Decimal(tons))


def summary(charges: list[Charge]) -> list[tuple[Decimal, int, int]]:
    return [(charge.quantity, charge.unit_price, charge.amount) for charge in charges]


async def test_a_delivery_is_priced_at_booking_and_keeps_that_price(
    session: AsyncSession, world: World
) -> None:
    booking = world.booking(
        TaskKind.DELIVERY, container_size=20, material=Material.DIRT, rental_days=7
    )
    delivery = await create_task(session, world.viewer, booking, MONDAY)
    terms = RateTerms(99_900, 7, Decimal(3), PER_TON, PER_EXTRA_DAY)
    await set_price_list_item(session, world.viewer, PriceListKey(20, 7), terms)

    _, charges = await complete_task(
        session, world.viewer, delivery.public_id, [], MONDAY
    )

    assert (delivery.price, delivery.price_rule) == (STANDARD, "account_standard")
    assert delivery.price_detail is not None
    assert delivery.price_detail["included_tons"] == "3.00"
    assert summary(charges) == [(Decimal(1), STANDARD, STANDARD)]
    assert charges[0].invoice_id is None
    assert charges[0].task_id == delivery.id


async def test_an_exchange_charges_the_old_containers_tons_and_a_new_rental(
    session: AsyncSession, world: World
) -> None:
    delivery = await delivered(session, world)
    exchange = await create_task(
        session,
        world.viewer,
        world.booking(
            TaskKind.EXCHANGE, delivery_id=delivery.public_id, scheduled_on=day(5)
        ),
        MONDAY,
    )

    _, charges = await complete_task(
        session, world.viewer, exchange.public_id, [ticket("4.50")], at(5)
    )

    assert summary(charges) == [
        (Decimal(1), STANDARD, STANDARD),
        (Decimal("1.50"), PER_TON, 14_250),
    ]
    assert charges[1].price_detail is not None
    assert charges[1].price_detail["basis"] == "tons over the allowance"
    assert charges[1].price_rule == delivery.price_rule


async def test_a_pickup_charges_extra_days_and_tons_of_every_load(
    session: AsyncSession, world: World
) -> None:
    delivery = await delivered(session, world)
    dump = await create_task(
        session,
        world.viewer,
        world.booking(
            TaskKind.DUMP_AND_RETURN,
            delivery_id=delivery.public_id,
            scheduled_on=day(3),
        ),
        MONDAY,
    )
    await complete_task(session, world.viewer, dump.public_id, [ticket("2")], at(3))
    pickup = await create_task(
        session,
        world.viewer,
        world.booking(
            TaskKind.PICKUP, delivery_id=delivery.public_id, scheduled_on=day(10)
        ),
        MONDAY,
    )

    _, charges = await complete_task(
        session, world.viewer, pickup.public_id, [ticket("1.25")], at(10)
    )

    assert dump.price == STANDARD * 80 // 100
    assert pickup.price == 0
    assert summary(charges) == [
        (Decimal(3), PER_EXTRA_DAY, 4_500),
        (Decimal("0.25"), PER_TON, 2_375),
    ]


async def test_the_pickup_side_uses_the_deliverys_snapshot_not_todays_prices(
    session: AsyncSession, world: World
) -> None:
    delivery = await delivered(session, world)
    terms = RateTerms(STANDARD, 7, Decimal(0), 50_000, 50_000)
    await set_price_list_item(session, world.viewer, PriceListKey(20, 7), terms)
    pickup = await create_task(
        session,
        world.viewer,
        world.booking(
            TaskKind.PICKUP, delivery_id=delivery.public_id, scheduled_on=day(8)
        ),
        MONDAY,
    )

    _, charges = await complete_task(
        session, world.viewer, pickup.public_id, [ticket("4")], at(8)
    )

    assert summary(charges) == [
        (Decimal(1), PER_EXTRA_DAY, PER_EXTRA_DAY),
        (Decimal("1.00"), PER_TON, PER_TON),
    ]


async def test_a_container_taken_away_cannot_be_picked_up_again(
    session: AsyncSession, world: World
) -> None:
    delivery = await delivered(session, world)
    booking = world.booking(TaskKind.PICKUP, delivery_id=delivery.public_id)
    pickup = await create_task(session, world.viewer, booking, MONDAY)
    await complete_task(session, world.viewer, pickup.public_id, [], MONDAY)

    with pytest.raises(Refused) as refused:
        await create_task(session, world.viewer, booking, MONDAY)

    assert [problem.code for problem in refused.value.problems] == [
        "delivery_not_on_site"
    ]


async def test_a_client_on_hold_gets_no_new_task_without_the_override(
    session: AsyncSession, world: World
) -> None:
    await add_hold(session, world.client, reason="Card declined five times")
    clerk = replace(world.viewer, permissions=ALL - {Permission.HOLDS_OVERRIDE})
    booking = world.booking(
        TaskKind.DELIVERY, container_size=20, material=Material.DIRT, rental_days=7
    )

    with pytest.raises(Refused) as refused:
        await create_task(session, clerk, booking, MONDAY)
    task = await create_task(session, world.viewer, booking, MONDAY)

    assert [problem.code for problem in refused.value.problems] == ["on_hold"]
    record = await session.scalar(
        select(ActivityRecord).where(
            ActivityRecord.subject_id == task.id,
            ActivityRecord.action == "task.created",
        )
    )
    assert record is not None
    assert record.detail["hold_overridden"] is True
    assert record.detail["hold_reason"] == "Card declined five times"
    assert record.actor_id == world.viewer.staff_user_id


async def test_scheduling_and_completing_tell_the_client(
    session: AsyncSession, world: World
) -> None:
    delivery = await delivered(session, world)

    events = await session.scalars(
        select(NotificationLogEntry.event)
        .where(
            NotificationLogEntry.task_id == delivery.id,
            NotificationLogEntry.channel == Channel.EMAIL,
        )
        .order_by(NotificationLogEntry.id)
    )

    assert list(events) == ["task_scheduled", "task_completed"]


TERMINAL = (TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED)


async def attempt(session: AsyncSession, world: World, action: str, task: Task) -> Any:
    viewer, task_id = world.viewer, task.public_id
    match action:
        case "reschedule":
            return await tasks.reschedule_task(session, viewer, task_id, day(1), MONDAY)
        case "assign_driver":
            return await tasks.assign_driver(session, viewer, task_id, None)
        case "complete":
            return await completion.complete_task(session, viewer, task_id, [], MONDAY)
        case "fail":
            return await tasks.fail_task(
                session, viewer, task_id, "Blocked", False, MONDAY
            )
        case "cancel":
            return await tasks.cancel_task(session, viewer, task_id, None, MONDAY)
    raise AssertionError(action)


@pytest.mark.parametrize(
    ("action", "refused_from"),
    [
        ("reschedule", (TaskStatus.IN_PROGRESS, *TERMINAL)),
        ("assign_driver", TERMINAL),
        ("complete", (TaskStatus.UNSCHEDULED, *TERMINAL)),
        ("fail", (TaskStatus.UNSCHEDULED, *TERMINAL)),
        ("cancel", TERMINAL),
    ],
)
async def test_each_move_is_refused_from_the_statuses_it_cannot_leave(
    session: AsyncSession,
    world: World,
    action: str,
    refused_from: tuple[TaskStatus, ...],
) -> None:
    booking = world.booking(
        TaskKind.DELIVERY, container_size=20, material=Material.DIRT, rental_days=7
    )
    outcomes = {}
    for status in TaskStatus:
        task = await create_task(session, world.viewer, booking, MONDAY)
        task.status = status
        try:
            await attempt(session, world, action, task)
            outcomes[status] = "done"
        except Refused as refused:
            outcomes[status] = refused.problems[0].code

    assert {status for status, code in outcomes.items() if code != "done"} == set(
        refused_from
    )
    assert {outcomes[status] for status in refused_from} == {"invalid_transition"}


async def test_a_failed_attempt_charges_the_trip_fee_only_when_asked(
    session: AsyncSession, world: World
) -> None:
    booking = world.booking(
        TaskKind.DELIVERY, container_size=20, material=Material.DIRT, rental_days=7
    )
    blocked = await create_task(session, world.viewer, booking, MONDAY)
    our_fault = await create_task(session, world.viewer, booking, MONDAY)

    _, charged = await tasks.fail_task(
        session, world.viewer, blocked.public_id, "Gate locked", True, MONDAY
    )
    _, free = await tasks.fail_task(
        session, world.viewer, our_fault.public_id, "Truck broke down", False, MONDAY
    )

    assert summary(charged) == [(Decimal(1), 12_500, 12_500)]
    assert charged[0].price_rule == PriceRule.ACCOUNT_STANDARD
    assert free == []
    assert (blocked.status, blocked.failure_reason) == ("failed", "Gate locked")


async def test_a_completed_job_turns_its_priced_lines_into_charges(
    session: AsyncSession, world: World
) -> None:
    draft = jobs.JobDraft(
        client_id=world.client.public_id,
        kind=JobKind.JUNK_REMOVAL,
        title="Garage cleanout",
        window=jobs.Window(at(1)),
        lines=[
            jobs.LineInput("Half truckload", Decimal("1.5"), unit_price=30_000),
            jobs.LineInput("Move the container", fee_code="relocation"),
        ],
    )
    job = await jobs.create_job(session, world.viewer, draft, MONDAY)
    await set_fee(session, world.viewer, "relocation", "Relocation", 1)

    _, charges = await jobs.complete_job(session, world.viewer, job.public_id, at(1))

    assert job.status == "completed"
    assert summary(charges) == [
        (Decimal("1.5"), 30_000, 45_000),
        (Decimal(1), 9_500, 9_500),
    ]
    assert [charge.price_rule for charge in charges] == [
        PriceRule.MANUAL,
        PriceRule.ACCOUNT_STANDARD,
    ]
    assert {charge.job_id for charge in charges} == {job.id}


async def test_a_held_clients_job_waits_for_the_override(
    session: AsyncSession, world: World
) -> None:
    await add_hold(session, world.client)
    clerk = replace(world.viewer, permissions=ALL - {Permission.HOLDS_OVERRIDE})
    draft = jobs.JobDraft(world.client.public_id, JobKind.PROJECT, "Deck demolition")

    with pytest.raises(Refused) as refused:
        await jobs.create_job(session, clerk, draft, MONDAY)

    assert [problem.code for problem in refused.value.problems] == ["on_hold"]


async def test_a_live_load_charges_its_price_and_its_own_tons_over(
    session: AsyncSession, world: World
) -> None:
    booking = world.booking(
        TaskKind.LIVE_LOAD, container_size=20, material=Material.DIRT
    )
    live_load = await create_task(session, world.viewer, booking, MONDAY)

    _, charges = await complete_task(
        session, world.viewer, live_load.public_id, [ticket("3.4")], MONDAY
    )

    assert live_load.price == STANDARD
    assert summary(charges) == [
        (Decimal(1), STANDARD, STANDARD),
        (Decimal("0.40"), PER_TON, 3_800),
    ]


async def test_a_relocation_is_priced_by_the_relocation_fee(
    session: AsyncSession, world: World
) -> None:
    delivery = await delivered(session, world)
    booking = world.booking(TaskKind.RELOCATE, delivery_id=delivery.public_id)
    relocation = await create_task(session, world.viewer, booking, MONDAY)

    _, charges = await complete_task(
        session, world.viewer, relocation.public_id, [], MONDAY
    )

    assert (relocation.price, relocation.price_rule) == (9_500, "account_standard")
    assert relocation.price_detail == {
        "fee_code": "relocation",
        "special_price_id": None,
    }
    assert summary(charges) == [(Decimal(1), 9_500, 9_500)]


async def test_scheduling_an_unscheduled_task_of_a_held_client_needs_the_override(
    session: AsyncSession, world: World
) -> None:
    booking = world.booking(
        TaskKind.DELIVERY, container_size=20, material=Material.DIRT, rental_days=7,
        scheduled_on=None,
    )  # fmt: skip
    task = await create_task(session, world.viewer, booking, MONDAY)
    await add_hold(session, world.client)
    clerk = replace(world.viewer, permissions=ALL - {Permission.HOLDS_OVERRIDE})

    with pytest.raises(Refused) as refused:
        await tasks.reschedule_task(session, clerk, task.public_id, day(1), MONDAY)

    assert [problem.code for problem in refused.value.problems] == ["on_hold"]
    assert task.status == TaskStatus.UNSCHEDULED


@pytest.mark.parametrize(("has_signed", "held"), [(False, True), (True, False)])
async def test_a_delivery_waits_for_an_agreement_only_until_one_is_signed(
    session: AsyncSession, world: World, has_signed: bool, held: bool
) -> None:
    await set_client_setting(session, world.client, "agreement_before_delivery", True)
    if has_signed:
        await add(
            session,
            Document(
                account_id=world.client.account_id,
                client_id=world.client.id,
                kind=DocumentKind.RENTAL_AGREEMENT,
                title="Rental agreement",
                body="<p>Terms</p>",
                signed_at=at(-1),
                signer_name="Pat Renter",
                signed_sha256="0" * 64,
            ),
        )
    booking = world.booking(
        TaskKind.DELIVERY, container_size=20, material=Material.DIRT, rental_days=7
    )

    delivery = await create_task(session, world.viewer, booking, MONDAY)

    assert delivery.requires_signed_agreement is held
