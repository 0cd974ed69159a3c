"""Overdue is judged on the business's calendar, not the server's."""

from datetime import UTC, date, datetime

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.requests import Request

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL
from graph.app import create_app
from graph.context import Services
from persistence.config import Config
from tests.factories import add_account, add_client, add_invoice

# 8 pm on March 1st in Denver is already March 2nd in UTC.
EVENING_IN_DENVER = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
QUERY = """
{
  clients(first: 5, filter: {hasOverdueInvoices: true}) { totalCount }
  all: clients(first: 5) { nodes { billing { overdue { minorUnits } } } }
}
"""


async def test_an_invoice_due_today_in_denver_is_not_overdue_yet(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    account = await add_account(session, time_zone="America/Denver")
    client = await add_client(session, account)
    await add_invoice(
        session, client, issued_on=date(2026, 2, 1), due_on=date(2026, 3, 1)
    )
    await session.commit()
    viewer = Viewer(account_id=account.id, kind=ViewerKind.STAFF, permissions=ALL)

    async def authenticate(request: Request) -> Viewer:
        return viewer

    services = Services(
        dashboard_url="https://dash.example",
        clock=lambda: EVENING_IN_DENVER,
    )
    app = create_app(Config.from_environment(), authenticate, engine, services)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        body = (await http.post("/graphql", json={"query": QUERY})).json()

    assert body["data"]["clients"]["totalCount"] == 0
    assert body["data"]["all"]["nodes"][0]["billing"]["overdue"]["minorUnits"] == 0
