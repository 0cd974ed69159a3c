"""An API client for graph tests, signed in as a staff user of one account."""

import os
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.requests import Request

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL
from graph.app import create_app
from persistence.config import Config
from persistence.models import Account
from tests.factories import add_account


class GraphClient:
    """Posts GraphQL to the app in-process and counts the SQL it runs."""

    def __init__(
        self, http: httpx.AsyncClient, engine: AsyncEngine, route: str = "/graphql"
    ) -> None:
        self.http = http
        self.route = route
        self.statements: list[str] = []
        event.listen(engine.sync_engine, "before_cursor_execute", self.count)

    def count(self, *arguments: Any) -> None:
        self.statements.append(arguments[2])

    async def execute(self, query: str, **variables: Any) -> dict[str, Any]:
        self.statements.clear()
        response = await self.http.post(
            self.route, json={"query": query, "variables": variables}
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, query: str, **variables: Any) -> dict[str, Any]:
        body = await self.execute(query, **variables)
        assert "errors" not in body, body["errors"]
        return body["data"]


@pytest.fixture
async def account(session: AsyncSession) -> Account:
    account = await add_account(session)
    await session.commit()
    return account


@pytest.fixture
async def graph(engine: AsyncEngine, account: Account) -> AsyncIterator[GraphClient]:
    """Signed in as a staff user holding every permission."""
    viewer = Viewer(account_id=account.id, kind=ViewerKind.STAFF, permissions=ALL)

    async def authenticate(request: Request) -> Viewer:
        return viewer

    app = create_app(Config.from_environment(), authenticate, engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield GraphClient(http, engine)


class Clock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis of ``REDIS_URL`` (else the local one); skips when none answers."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        Redis.from_url(url, socket_connect_timeout=2).ping()
    except (RedisConnectionError, OSError):
        pytest.skip(f"No Redis answers at {url}; start one to test shared buckets.")
    return url
