"""Health endpoints and the GraphiQL page."""

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from graph.app import create_app
from persistence.config import Config
from persistence.database import create_engine


async def get(engine: AsyncEngine, path: str, **headers: str) -> httpx.Response:
    app = create_app(Config.from_environment(), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        return await http.get(path, headers=headers)


async def test_health_and_readiness_answer_when_the_database_does(
    engine: AsyncEngine,
) -> None:
    health = await get(engine, "/healthz")
    ready = await get(engine, "/readyz")

    assert health.json() == {"status": "ok"}
    assert ready.json() == {"status": "ok"}


async def test_readiness_fails_without_the_database() -> None:
    unreachable = create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")

    ready = await get(unreachable, "/readyz")

    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable"}
    await unreachable.dispose()


async def test_browsers_get_graphiql_on_each_route(engine: AsyncEngine) -> None:
    for path in ("/graphql", "/partner/graphql", "/dashboard/graphql"):
        page = await get(engine, path, accept="text/html")

        assert page.status_code == 200
        assert "graphiql" in page.text.lower()


async def preflight(engine: AsyncEngine, origin: str) -> httpx.Response:
    app = create_app(Config.from_environment(), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        return await http.options(
            "/dashboard/graphql",
            headers={
                "origin": origin,
                "access-control-request-method": "POST",
                "access-control-request-headers": "authorization, content-type",
            },
        )


async def test_browsers_may_call_from_the_dashboards_origin_only(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HAULGRAPH_DASHBOARD_URL", "https://my.haul.example/app")

    allowed = await preflight(engine, "https://my.haul.example")
    refused = await preflight(engine, "https://evil.example")

    assert allowed.headers["access-control-allow-origin"] == "https://my.haul.example"
    assert "access-control-allow-origin" not in refused.headers


async def test_every_response_carries_the_security_headers(engine: AsyncEngine) -> None:
    health = await get(engine, "/healthz")

    assert health.headers["x-content-type-options"] == "nosniff"
    assert health.headers["x-frame-options"] == "DENY"
    assert health.headers["referrer-policy"] == "no-referrer"
