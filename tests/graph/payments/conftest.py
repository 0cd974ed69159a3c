"""Fixtures for the money mutations' tests: API clients with a fixed clock and
chosen permissions, signed in as one staff user of the account."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import replace

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.requests import Request

from domain.gateway import PaymentGateway, SandboxGateway
from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL, Permission
from graph.app import create_app, default_services
from persistence.config import Config
from persistence.models import Account, Client, StaffUser
from tests.factories import add_client, add_staff_user
from tests.graph.conftest import GraphClient
from tests.payment_helpers import NOW

MakeGraph = Callable[..., Awaitable[GraphClient]]


@pytest.fixture
async def staff(session: AsyncSession, account: Account) -> StaffUser:
    account.time_zone = "UTC"
    account.has_payments_addon = True
    user = await add_staff_user(session, account)
    await session.commit()
    return user


@pytest.fixture
async def client(session: AsyncSession, account: Account) -> Client:
    client = await add_client(session, account)
    await session.commit()
    return client


@pytest.fixture
async def make_graph(
    engine: AsyncEngine, account: Account, staff: StaffUser
) -> AsyncIterator[MakeGraph]:
    """Build API clients signed in with the given permissions (all by default)
    and gateway (the sandbox by default)."""
    async with AsyncExitStack() as stack:

        async def make(
            permissions: frozenset[Permission] = ALL,
            gateway: PaymentGateway | None = None,
        ) -> GraphClient:
            viewer = Viewer(
                account_id=account.id,
                kind=ViewerKind.STAFF,
                permissions=permissions,
                staff_user_id=staff.id,
            )

            async def authenticate(request: Request) -> Viewer:
                return viewer

            config = Config.from_environment()
            services = replace(
                default_services(config),
                clock=lambda: NOW,
                gateway=gateway or SandboxGateway(),
            )
            app = create_app(config, authenticate, engine=engine, services=services)
            http = await stack.enter_async_context(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app), base_url="http://test"
                )
            )
            return GraphClient(http, engine)

        yield make


@pytest.fixture
async def api(make_graph: MakeGraph) -> GraphClient:
    return await make_graph()
