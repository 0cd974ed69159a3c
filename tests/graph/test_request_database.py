"""A request's session: opened on first use, closed with the request, never
reopened by work that outlives it."""

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from graph.context import RequestDatabase
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
