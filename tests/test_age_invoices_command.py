"""``haulgraph age-invoices``: each account aged in its own transaction."""

import asyncio
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from cli import main
from persistence.database import create_engine, create_session_factory
from persistence.enums import InvoiceStatus
from persistence.models import Hold, Invoice
from tests.conftest import MakeDatabase
from tests.factories import add_account, add_client, add_invoice


async def test_the_command_marks_overdue_invoices_and_places_holds(
    make_database: MakeDatabase,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = await make_database()
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        account = await add_account(
            session, slug="aging", client_settings={"hold_days_past_due": 5}
        )
        client = await add_client(session, account)
        due_on = date(2026, 1, 1)
        await add_invoice(
            session, client, due_on=due_on, issued_on=due_on - timedelta(days=30)
        )
        await session.commit()
    monkeypatch.setenv("DATABASE_URL", url)

    await asyncio.to_thread(main, ["age-invoices", "--today", "2026-01-20"])

    async with create_session_factory(engine)() as session:
        statuses = list(await session.scalars(select(Invoice.status)))
        rules = list(await session.scalars(select(Hold.rule)))
    await engine.dispose()
    assert statuses == [InvoiceStatus.OVERDUE]
    assert rules == ["days_past_due"]
    assert "aging: 1 invoices overdue, 1 holds placed" in capsys.readouterr().out
