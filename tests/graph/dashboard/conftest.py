"""API clients for the dashboard's mutations: the client itself, a staff
preview of its dashboard, and staff on the staff graph; all at one moment."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.requests import Request

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL
from graph.app import create_app, default_services
from graph.ids import encode_global_id
from persistence.config import Config
from persistence.models import Account, Client, Contact
from tests.factories import add_client, add_contact
from tests.graph.conftest import GraphClient

# Noon in Denver, the accounts' default time zone: the business day is 15 June.
NOW = datetime(2026, 6, 15, 18, tzinfo=UTC)


class RouteClient(GraphClient):
    """A ``GraphClient`` that posts to one audience's route."""

    def __init__(self, http: httpx.AsyncClient, engine: AsyncEngine, path: str) -> None:
        super().__init__(http, engine)
        self.path = path

    async def execute(self, query: str, **variables: Any) -> dict[str, Any]:
        self.statements.clear()
        response = await self.http.post(
            self.path, json={"query": query, "variables": variables}
        )
        assert response.status_code == 200, response.text
        return response.json()


SignIn = Callable[..., Awaitable[RouteClient]]


@pytest.fixture
async def client(session: AsyncSession, account: Account) -> Client:
    account.has_payments_addon = True
    account.has_shop_addon = True
    client = await add_client(session, account)
    await session.commit()
    return client


@pytest.fixture
async def contact(session: AsyncSession, client: Client) -> Contact:
    contact = await add_contact(
        session,
        client,
        first_name="Ana",
        last_name="Ortiz",
        email="ana@example.com",
        phone="+13035550100",
        is_primary=True,
    )
    await session.commit()
    return contact


@pytest.fixture
async def sign_in(engine: AsyncEngine) -> AsyncIterator[SignIn]:
    """API clients on the dashboard route (the client, or a staff preview when
    ``kind`` says so) or, with ``kind=STAFF``, on the staff route. A client
    ``is_on_hold`` is one the route found held when it signed the request in."""
    async with AsyncExitStack() as stack:

        async def make(
            client: Client,
            contact: Contact | None = None,
            kind: ViewerKind = ViewerKind.DASHBOARD,
            is_on_hold: bool = False,
        ) -> RouteClient:
            if kind is ViewerKind.STAFF:
                viewer = Viewer(account_id=client.account_id, permissions=ALL)
                path = "/graphql"
            else:
                viewer = Viewer(
                    account_id=client.account_id,
                    kind=kind,
                    client_id=client.id,
                    contact_id=contact.id if contact is not None else None,
                    is_on_hold=is_on_hold,
                )
                path = "/dashboard/graphql"

            async def authenticate(request: Request) -> Viewer:
                return viewer

            config = Config.from_environment()
            services = replace(default_services(config), clock=lambda: NOW)
            app = create_app(config, authenticate, engine=engine, services=services)
            http = await stack.enter_async_context(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app), base_url="http://test"
                )
            )
            return RouteClient(http, engine, path)

        yield make


@pytest.fixture
async def dashboard(sign_in: SignIn, client: Client, contact: Contact) -> RouteClient:
    return await sign_in(client, contact)


@pytest.fixture
async def preview(sign_in: SignIn, client: Client, contact: Contact) -> RouteClient:
    return await sign_in(client, kind=ViewerKind.STAFF_PREVIEW)


@pytest.fixture
async def staff(sign_in: SignIn, client: Client) -> RouteClient:
    return await sign_in(client, kind=ViewerKind.STAFF)


def gid(type_name: str, row: Any) -> str:
    return encode_global_id(type_name, row.public_id)


def codes(payload: dict[str, Any]) -> list[str]:
    return [error["code"] for error in payload["userErrors"]]
