"""A graph client for invoicing tests: a fixed clock, any viewer, and a
snapshot of everything an invoicing mutation could change."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.requests import Request

from domain.identity.viewer import Viewer
from graph.app import create_app
from graph.context import Services
from graph.ids import encode_global_id
from persistence.config import Config
from persistence.models import (
    Account,
    ActivityRecord,
    Charge,
    Invoice,
    InvoiceLine,
    NotificationLogEntry,
    RecurringInvoice,
    RecurringInvoiceLine,
)
from tests.graph.conftest import GraphClient
from tests.invoicing_helpers import NOW


@asynccontextmanager
async def graph_as(engine: AsyncEngine, viewer: Viewer) -> AsyncIterator[GraphClient]:
    """Signed in as ``viewer`` on a server whose clock reads ``NOW``."""

    async def authenticate(request: Request) -> Viewer:
        return viewer

    services = Services(dashboard_url="https://dash.example", clock=lambda: NOW)
    app = create_app(Config.from_environment(), authenticate, engine, services)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield GraphClient(http, engine)


def gid(type_name: str, row: Any) -> str:
    return encode_global_id(type_name, row.public_id)


async def snapshot(session: AsyncSession, account: Account) -> dict[str, Any]:
    """Every row invoicing writes, as comparable values.

    The test's own transaction ends first, so the reads see what the API
    committed (SQLite reads from a snapshot taken when a transaction starts).
    """
    await session.commit()
    tables = (
        Invoice,
        InvoiceLine,
        Charge,
        RecurringInvoice,
        RecurringInvoiceLine,
        ActivityRecord,
        NotificationLogEntry,
    )
    counts = {
        table.__tablename__: await session.scalar(
            select(func.count()).select_from(table)
        )
        for table in tables
    }
    invoices = list(
        await session.execute(
            select(Invoice.id, Invoice.status, Invoice.total, Invoice.sent_at)
        )
    )
    charges = list(await session.execute(select(Charge.id, Charge.invoice_id)))
    number = await session.scalar(
        select(Account.next_invoice_number).where(Account.id == account.id)
    )
    return {"counts": counts, "invoices": invoices, "charges": charges, "next": number}
