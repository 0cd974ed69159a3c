"""The seed: deterministic demo data covering every status, beside other accounts."""

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.seeding import seed_rules
from domain.work.reminders import remind_tasks
from persistence.database import create_engine, create_session_factory
from persistence.enums import (
    EstimateStatus,
    InvoiceStatus,
    JobKind,
    NotificationStatus,
    TaskKind,
    TaskStatus,
)
from persistence.models import (
    Account,
    Base,
    Client,
    Estimate,
    Invoice,
    Job,
    NotificationLogEntry,
    OutboxItem,
    Task,
)
from persistence.seed import seed_demo, seed_scale

MakeDatabase = Callable[[], Awaitable[str]]

TODAY = date(2026, 6, 15)


async def table_contents(engine: AsyncEngine) -> dict[str, list[Any]]:
    """Every row of every table in key order, leaving out password hashes."""
    contents = {}
    async with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            columns = [
                column for column in table.columns if column.name != "password_hash"
            ]
            query = select(*columns).order_by(*table.primary_key.columns)
            contents[table.name] = list((await connection.execute(query)).all())
    return contents


async def seeded_demo(
    make_database: MakeDatabase, *, seed: int, password_hash: str
) -> dict[str, list[Any]]:
    engine = create_engine(await make_database())
    try:
        await seed_demo(
            engine,
            seed=seed,
            today=TODAY,
            staff_password_hash=password_hash,
            rules=seed_rules(),
        )
        return await table_contents(engine)
    finally:
        await engine.dispose()


async def distinct_values(engine: AsyncEngine, column: Any) -> set[str]:
    async with engine.connect() as connection:
        return set((await connection.scalars(select(column).distinct())).all())


async def test_same_seed_and_day_give_the_same_rows_in_every_table(
    make_database: MakeDatabase,
) -> None:
    first = await seeded_demo(make_database, seed=7, password_hash="hash-one")
    second = await seeded_demo(make_database, seed=7, password_hash="hash-two")

    assert first.keys() == second.keys()
    for table, rows in first.items():
        assert rows == second[table], f"{table} differs between two runs"
    assert len(first["clients"]) == 40


async def test_demo_covers_every_status_and_kind(make_database: MakeDatabase) -> None:
    engine = create_engine(await make_database())
    try:
        await seed_demo(
            engine, seed=7, today=TODAY, staff_password_hash="hash", rules=seed_rules()
        )
        expected = {
            Invoice.status: InvoiceStatus,
            Estimate.status: EstimateStatus,
            Task.kind: TaskKind,
            Task.status: TaskStatus,
            Job.kind: JobKind,
            NotificationLogEntry.status: NotificationStatus,
        }
        found = {column: await distinct_values(engine, column) for column in expected}
    finally:
        await engine.dispose()

    for column, values in expected.items():
        assert found[column] == {value.value for value in values}, column


async def test_a_different_seed_gives_different_data(
    make_database: MakeDatabase,
) -> None:
    seven = await seeded_demo(make_database, seed=7, password_hash="hash")
    eight = await seeded_demo(make_database, seed=8, password_hash="hash")

    assert seven["clients"] != eight["clients"]
    assert seven["invoices"] != eight["invoices"]


async def test_scale_seeds_beside_the_demo_with_its_own_invoice_numbers(
    make_database: MakeDatabase,
) -> None:
    engine = create_engine(await make_database())
    try:
        demo = await seed_demo(
            engine, today=TODAY, staff_password_hash="hash", rules=seed_rules()
        )
        scale = await seed_scale(
            engine,
            clients=50,
            today=TODAY,
            staff_password_hash="hash",
            rules=seed_rules(),
        )
        clients = await pairs(
            engine, select(Client.account_id, func.count()).group_by(Client.account_id)
        )
        first_numbers = await pairs(
            engine,
            select(Invoice.account_id, func.min(Invoice.number)).group_by(
                Invoice.account_id
            ),
        )
        next_numbers = await pairs(
            engine, select(Account.id, Account.next_invoice_number)
        )
    finally:
        await engine.dispose()

    assert clients == {demo.account_id: 40, scale.account_id: 50}
    assert first_numbers == {demo.account_id: 1001, scale.account_id: 1001}
    assert next_numbers == {
        demo.account_id: demo.next_invoice_number,
        scale.account_id: scale.next_invoice_number,
    }


async def pairs(engine: AsyncEngine, query: Any) -> dict[Any, Any]:
    async with engine.connect() as connection:
        return dict((await connection.execute(query)).all())


async def test_queued_notices_wait_in_the_outbox_and_are_not_reminded_again(
    make_database: MakeDatabase,
) -> None:
    engine = create_engine(await make_database())
    try:
        await seed_demo(
            engine, seed=7, today=TODAY, staff_password_hash="hash", rules=seed_rules()
        )
        queued = select(NotificationLogEntry.id).where(
            NotificationLogEntry.status == NotificationStatus.QUEUED
        )
        async with engine.connect() as connection:
            waiting = set((await connection.scalars(queued)).all())
            in_outbox = set(
                (await connection.scalars(select(OutboxItem.notification_id))).all()
            )
        async with create_session_factory(engine)() as session:
            account = await session.scalar(select(Account))
            assert account is not None
            reminded = await remind_tasks(session, account.id, TODAY)
    finally:
        await engine.dispose()

    assert waiting
    assert in_outbox == waiting
    assert reminded == []
