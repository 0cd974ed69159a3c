"""Health endpoints and the GraphiQL page."""

import httpx
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
