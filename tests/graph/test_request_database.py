"""A request's session: opened on first use, closed with the request, never
reopened by work that outlives it."""

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL
from graph.context import Context, RequestDatabase, Services
from graph.loaders import grouped_loader
from persistence.database import create_session_factory
from persistence.models import Account


async def select_one(session: AsyncSession) -> int:
    return int((await session.execute(text("SELECT 1"))).scalar_one())


async def test_work_after_the_request_closed_is_cancelled_and_checks_out_nothing(
    engine: AsyncEngine, account: Account
) -> None:
    database = RequestDatabase(create_session_factory(engine), account.id)
    assert await database.run(select_one) == 1
    await database.close()

    with pytest.raises(asyncio.CancelledError):
        await database.run(select_one)

    assert database.session is None
    assert engine.pool.checkedout() == 0


async def test_closing_waits_for_the_batch_in_flight_then_returns_its_connection(
    engine: AsyncEngine, account: Account
) -> None:
    database = RequestDatabase(create_session_factory(engine), account.id)
    started, finish = asyncio.Event(), asyncio.Event()

    async def slow(session: AsyncSession) -> int:
        value = await select_one(session)
        started.set()
        await finish.wait()
        return value

    batch = asyncio.create_task(database.run(slow))
    await started.wait()
    closing = asyncio.create_task(database.close())
    # Long enough for a close that did not wait to have finished.
    await asyncio.sleep(0.05)
    assert not closing.done()

    finish.set()
    assert await batch == 1
    await closing
    assert engine.pool.checkedout() == 0


def grouped_fetch(batches: list[list[int]]) -> Any:
    """A loader's fetch that records each batch of ids it is given."""

    async def fetch(
        session: AsyncSession, account_id: int, ids: Sequence[int]
    ) -> dict[int, int]:
        batches.append(list(ids))
        return {key: key * 10 for key in ids}

    return fetch


def context_for(engine: AsyncEngine, account: Account) -> Context:
    viewer = Viewer(account_id=account.id, kind=ViewerKind.STAFF, permissions=ALL)
    database = RequestDatabase(create_session_factory(engine), account.id)
    return Context(viewer, database, Services(dashboard_url="http://dashboard"))


async def test_keys_asked_for_while_a_batch_waits_its_turn_join_that_batch(
    engine: AsyncEngine, account: Account
) -> None:
    context = context_for(engine, account)
    batches: list[list[int]] = []
    loader = grouped_loader(context, grouped_fetch(batches))
    held, release = asyncio.Event(), asyncio.Event()

    async def busy() -> None:
        async with context.db.turn():
            held.set()
            await release.wait()

    other = asyncio.create_task(busy())
    await held.wait()
    first = loader.load(1)
    # The first key's batch is dispatched and waits for the database.
    for _ in range(5):
        await asyncio.sleep(0)
    second = loader.load(2)
    release.set()

    assert await asyncio.gather(first, second) == [10, 20]
    assert batches == [[1, 2]]
    await other
    await context.db.close()
