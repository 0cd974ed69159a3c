"""PostgreSQL's row-level security: a second wall between accounts."""

import os

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from persistence.database import create_session_factory
from persistence.models import Client, Invoice
from persistence.models.base import Base
from persistence.tenancy import scope_to_account
from tests.factories import add_account, add_client, add_invoice

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="Row-level security exists on PostgreSQL only (CI runs this pass).",
)


async def test_a_query_without_tenant_filter_sees_only_its_account(
    engine: AsyncEngine,
) -> None:
    factory = create_session_factory(engine)
    async with factory() as setup:
        mine, theirs = await add_account(setup), await add_account(setup)
        await add_invoice(setup, await add_client(setup, mine, display_name="Mine"))
        await add_invoice(setup, await add_client(setup, theirs, display_name="Theirs"))
        await setup.commit()

    async with factory() as session:
        scope_to_account(session, mine.id)
        names = list(await session.scalars(select(Client.display_name)))
        invoice_clients = list(await session.scalars(select(Invoice.account_id)))

    assert names == ["Mine"]
    assert invoice_clients == [mine.id]


async def test_writes_into_another_account_are_refused(engine: AsyncEngine) -> None:
    factory = create_session_factory(engine)
    async with factory() as setup:
        mine, theirs = await add_account(setup), await add_account(setup)
        await setup.commit()

    async with factory() as session:
        scope_to_account(session, mine.id)
        session.add(
            Client(account_id=theirs.id, display_name="X", client_type="residential")
        )
        with pytest.raises(DBAPIError, match="row-level security"):
            await session.flush()


async def test_every_account_scoped_table_has_row_level_security(
    engine: AsyncEngine,
) -> None:
    async with engine.connect() as connection:
        protected = set(
            await connection.scalars(
                text("SELECT relname FROM pg_class WHERE relrowsecurity")
            )
        )

    assert protected >= {table.name for table in Base.metadata.sorted_tables}


async def test_the_search_function_answers_only_for_the_requests_account(
    engine: AsyncEngine,
) -> None:
    factory = create_session_factory(engine)
    async with factory() as setup:
        mine, theirs = await add_account(setup), await add_account(setup)
        await add_client(setup, mine, display_name="Ridgeline Mine")
        await add_client(setup, theirs, display_name="Ridgeline Theirs")
        await setup.commit()
    search = text("SELECT count(*) FROM client_search_ids(:account, '%ridge%', false)")

    async with factory() as session:
        scope_to_account(session, mine.id)
        own = await session.scalar(search, {"account": mine.id})
        asked_for_theirs = await session.scalar(search, {"account": theirs.id})

    assert (own, asked_for_theirs) == (1, 0)
