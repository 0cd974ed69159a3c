"""Each limit: just under it passes, just over it fails with a clear error."""

import asyncio
import json
import os
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import strawberry
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL
from graph.app import create_app
from graph.audiences import AudienceSchema
from graph.context import Services
from graph.fields import EVERYONE, Audience, field
from graph.http import RequestRules
from graph.limits import (
    MAX_ALIASES,
    MAX_BODY_BYTES,
    MAX_DEPTH,
    MAX_LIST_ITEMS,
    MAX_TOKENS,
    MAX_VARIABLE_DEPTH,
    STATEMENT_TIMEOUT_MS,
)
from graph.view import Edge, GraphQLView
from persistence.config import Config
from persistence.database import create_engine, create_session_factory
from persistence.models import Account
from persistence.timeouts import statement_timeout_options


@strawberry.type(description="A level of an endless stair.")
class Level:
    value: int = field(description="Always 1.", audiences=EVERYONE)

    @field(description="The level below.", audiences=EVERYONE)
    def below(self) -> "Level":
        return Level(value=1)


@strawberry.type(description="Fields to push the limits with.")
class LimitsQuery:
    @field(description="The top of the stair.", audiences=EVERYONE, public=True)
    def top(self) -> Level:
        return Level(value=1)

    @field(description="How many items came.", audiences=EVERYONE, public=True)
    def count(self, items: list[int]) -> int:
        return len(items)

    @field(description="Never answers.", audiences=EVERYONE, public=True)
    async def stuck(self) -> int:
        await asyncio.Event().wait()
        return 0


LIMITS_SCHEMA = AudienceSchema(Audience.STAFF, query=LimitsQuery)


def stair(depth: int) -> str:
    """A query ``depth`` fields deep."""
    return "{ top " + "{ below " * (depth - 2) + "{ value }" + " }" * (depth - 2) + " }"


async def errors_of(query: str) -> list[Any]:
    result = await LIMITS_SCHEMA.execute(query)
    return [error.formatted for error in result.errors or []]


def codes(errors: list[Any]) -> set[str]:
    return {(error.get("extensions") or {}).get("code") for error in errors}


async def test_depth() -> None:
    assert await errors_of(stair(MAX_DEPTH)) == []
    assert codes(await errors_of(stair(MAX_DEPTH + 1))) == {"MAX_DEPTH_EXCEEDED"}


async def test_depth_counts_through_fragments() -> None:
    # The fragment holds everything below ``top``.
    below_top = stair(MAX_DEPTH + 1).removeprefix("{ top ").removesuffix(" }")
    query = "query { top { ...Deep } } fragment Deep on Level " + below_top

    assert codes(await errors_of(query)) == {"MAX_DEPTH_EXCEEDED"}


async def test_aliases() -> None:
    def aliased(count: int) -> str:
        return "{ " + " ".join(f"a{n}: top {{ value }}" for n in range(count)) + " }"

    assert await errors_of(aliased(MAX_ALIASES)) == []
    assert codes(await errors_of(aliased(MAX_ALIASES + 1))) == {"MAX_ALIASES_EXCEEDED"}


async def test_list_literals() -> None:
    def counting(items: int) -> str:
        return "{ count(items: [" + ", ".join(["1"] * items) + "]) }"

    assert await errors_of(counting(MAX_LIST_ITEMS)) == []
    assert codes(await errors_of(counting(MAX_LIST_ITEMS + 1))) == {
        "MAX_LIST_ITEMS_EXCEEDED"
    }


async def test_an_unknown_fragment_is_a_validation_error_not_a_crash() -> None:
    errors = await errors_of("{ top { ...Missing } }")

    assert errors
    assert "INTERNAL_SERVER_ERROR" not in codes(errors)


@pytest.fixture
async def http(
    engine: AsyncEngine, account: Account
) -> AsyncIterator[httpx.AsyncClient]:
    viewer = Viewer(account_id=account.id, kind=ViewerKind.STAFF, permissions=ALL)

    async def authenticate(request: Request) -> Viewer:
        return viewer

    app = create_app(Config.from_environment(), authenticate, engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_tokens(http: httpx.AsyncClient) -> None:
    def typenames(tokens: int) -> str:
        # The braces are two tokens; each __typename is one.
        return "{ " + "__typename " * (tokens - 2) + "}"

    under = await http.post("/graphql", json={"query": typenames(MAX_TOKENS)})
    over = await http.post("/graphql", json={"query": typenames(MAX_TOKENS + 1)})

    assert under.status_code == 200
    assert over.status_code == 400
    assert f"more than {MAX_TOKENS} tokens" in over.json()["errors"][0]["message"]


async def test_lists_in_variables(http: httpx.AsyncClient) -> None:
    query = "{ viewer { kind } }"

    under = await http.post(
        "/graphql", json={"query": query, "variables": {"ids": [1] * MAX_LIST_ITEMS}}
    )
    over = await http.post(
        "/graphql",
        json={"query": query, "variables": {"ids": [1] * (MAX_LIST_ITEMS + 1)}},
    )

    assert under.status_code == 200
    assert over.status_code == 400
    assert over.json()["errors"][0]["extensions"]["code"] == "MAX_LIST_ITEMS_EXCEEDED"


async def test_nesting_of_variables(http: httpx.AsyncClient) -> None:
    def nested(depth: int) -> dict[str, Any]:
        value: Any = 0
        for _ in range(depth - 1):
            value = [value]
        return {"v": value}

    query = "{ viewer { kind } }"
    under = await http.post(
        "/graphql", json={"query": query, "variables": nested(MAX_VARIABLE_DEPTH)}
    )
    over = await http.post(
        "/graphql", json={"query": query, "variables": nested(MAX_VARIABLE_DEPTH + 1)}
    )

    assert under.status_code == 200
    assert over.status_code == 400


def body_of_size(size: int) -> bytes:
    skeleton = json.dumps({"query": "{ viewer { kind } }", "extensions": {"p": ""}})
    padded = json.loads(skeleton)
    padded["extensions"]["p"] = "x" * (size - len(skeleton))
    body = json.dumps(padded).encode()
    assert len(body) == size
    return body


async def test_body_size(http: httpx.AsyncClient) -> None:
    headers = {"content-type": "application/json"}

    under = await http.post(
        "/graphql", content=body_of_size(MAX_BODY_BYTES), headers=headers
    )
    over = await http.post(
        "/graphql", content=body_of_size(MAX_BODY_BYTES + 1), headers=headers
    )

    assert under.status_code == 200
    assert over.status_code == 413
    assert str(MAX_BODY_BYTES) in over.json()["errors"][0]["message"]


async def test_a_route_may_allow_larger_bodies(
    engine: AsyncEngine, account: Account
) -> None:
    viewer = Viewer(account_id=account.id, kind=ViewerKind.STAFF, permissions=ALL)

    async def authenticate(request: Request) -> Viewer:
        return viewer

    edges = {
        audience: Edge(rules=RequestRules(max_body_bytes=4 * MAX_BODY_BYTES))
        for audience in Audience
    }
    app = create_app(
        Config.from_environment(), authenticate, engine=engine, edges=edges
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post(
            "/graphql",
            content=body_of_size(2 * MAX_BODY_BYTES),
            headers={"content-type": "application/json"},
        )

    assert response.status_code == 200


async def test_a_request_past_its_time_is_stopped_with_503(engine: AsyncEngine) -> None:
    async def anyone(request: Request) -> None:
        return None

    view = GraphQLView(
        LIMITS_SCHEMA,
        create_session_factory(engine),
        anyone,
        Services(dashboard_url="https://dash.example"),
        Edge(request_timeout=0.05),
    )
    app = Starlette(routes=[Route("/graphql", view, methods=["GET", "POST"])])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        stuck = await client.post("/graphql", json={"query": "{ stuck }"})
        answered = await client.post("/graphql", json={"query": "{ top { value } }"})

    assert stuck.status_code == 503
    assert stuck.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"
    assert answered.json() == {"data": {"top": {"value": 1}}}


async def test_an_operation_waits_for_a_turn_within_its_time(
    engine: AsyncEngine,
) -> None:
    async def anyone(request: Request) -> None:
        return None

    view = GraphQLView(
        LIMITS_SCHEMA,
        create_session_factory(engine),
        anyone,
        Services(dashboard_url="https://dash.example"),
        Edge(request_timeout=0.05, concurrent_operations=1),
    )
    app = Starlette(routes=[Route("/graphql", view, methods=["GET", "POST"])])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        async with view.turns:
            waited = await client.post("/graphql", json={"query": "{ top { value } }"})
        answered = await client.post("/graphql", json={"query": "{ top { value } }"})

    assert waited.status_code == 503
    assert waited.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"
    assert answered.json() == {"data": {"top": {"value": 1}}}


def test_sqlite_gets_no_statement_timeout_option() -> None:
    assert statement_timeout_options("sqlite+aiosqlite:///x.sqlite3", 5_000) == {}


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="a PostgreSQL setting"
)
async def test_postgresql_connections_of_the_api_have_a_statement_timeout(
    engine: AsyncEngine,
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    api_engine = create_engine(
        url, **statement_timeout_options(url, STATEMENT_TIMEOUT_MS)
    )
    try:
        async with api_engine.connect() as connection:
            setting = await connection.scalar(text("SHOW statement_timeout"))
    finally:
        await api_engine.dispose()

    assert setting == f"{STATEMENT_TIMEOUT_MS // 1000}s"
