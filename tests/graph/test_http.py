"""GraphQL over HTTP: media types, methods and the statuses of refusals."""

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL
from graph.app import create_app
from graph.http import GRAPHQL_RESPONSE, MAX_BODY_BYTES
from persistence.config import Config
from persistence.models import Account

QUERY = "{ viewer { kind } }"


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


def assert_refused(response: httpx.Response, status: int) -> None:
    assert response.status_code == status
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", QUERY),
        ("application/x-www-form-urlencoded", "query=%7B%7D"),
        ("multipart/form-data; boundary=x", "--x--"),
        ("application/graphql", QUERY),
    ],
)
async def test_only_json_bodies_are_accepted(
    http: httpx.AsyncClient, content_type: str, body: str
) -> None:
    response = await http.post(
        "/graphql", content=body, headers={"content-type": content_type}
    )

    assert_refused(response, 415)


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe not utf-8",
        b"{not json",
        b"[]",
        b'[{"query": "{ viewer { kind } }"}]',
        b'"just a string"',
        b'{"query": 42}',
        b'{"query": "{ viewer { kind } }", "variables": [1]}',
        b'{"query": "{ viewer { kind } }", "operationName": 7}',
        b'{"query": "{ viewer { kind } }", "extensions": [1]}',
        b'{"query": null}',
        b'{"documentId": "sha256:00"}',
        b"{}",
        b'{"query": "{ viewer { kind "}',
        b'{"query": "query A { viewer { kind } } query B { viewer { kind } }"}',
        b'{"query": ""}',
        b'{"query": "{ viewer { kind } }", "variables": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}",
    ],
)
async def test_malformed_requests_get_400(http: httpx.AsyncClient, body: bytes) -> None:
    response = await http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )

    assert_refused(response, 400)


@pytest.mark.parametrize(
    "params",
    [
        {"query": QUERY, "variables": "{not json"},
        {"query": QUERY, "variables": "[1]"},
        {"query": QUERY, "extensions": "7"},
        {"query": "{ viewer { kind "},
        {"variables": "{}"},
    ],
)
async def test_malformed_get_requests_get_400(
    http: httpx.AsyncClient, params: dict[str, str]
) -> None:
    response = await http.get("/graphql", params=params)

    assert_refused(response, 400)


async def test_oversized_bodies_get_413(http: httpx.AsyncClient) -> None:
    padding = "x" * (MAX_BODY_BYTES + 1)

    response = await http.post(
        "/graphql", json={"query": QUERY, "extensions": {"p": padding}}
    )

    assert_refused(response, 413)


async def test_queries_may_use_get_but_mutations_may_not(
    http: httpx.AsyncClient,
) -> None:
    query = await http.get("/graphql", params={"query": QUERY})
    mutation = await http.get(
        "/graphql", params={"query": "mutation { signOut { isSignedOut } }"}
    )

    assert query.json() == {"data": {"viewer": {"kind": "STAFF"}}}
    assert_refused(mutation, 405)
    assert mutation.headers["allow"] == "POST"


async def test_the_new_media_type_when_the_client_accepts_it(
    http: httpx.AsyncClient,
) -> None:
    headers = {"accept": GRAPHQL_RESPONSE}

    ok = await http.post("/graphql", json={"query": QUERY}, headers=headers)
    invalid = await http.post(
        "/graphql", json={"query": "{ nothingHere }"}, headers=headers
    )

    assert ok.status_code == 200
    assert ok.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert invalid.status_code == 422
    assert invalid.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert "errors" in invalid.json()


async def test_legacy_clients_get_json_and_200_for_invalid_documents(
    http: httpx.AsyncClient,
) -> None:
    invalid = await http.post("/graphql", json={"query": "{ nothingHere }"})

    assert invalid.status_code == 200
    assert invalid.headers["content-type"].startswith("application/json")
    assert invalid.json()["errors"]


async def test_anonymous_requests_for_data_get_401_but_may_sign_in(
    engine: AsyncEngine,
) -> None:
    app = create_app(Config.from_environment(), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        data = await client.post("/graphql", json={"query": QUERY})
        sign_in = await client.post(
            "/graphql",
            json={
                "query": 'mutation { signIn(input: {email: "a@b.c", password: "x"}) '
                "{ userErrors { code } } }"
            },
        )

    assert data.status_code == 401
    assert data.headers["www-authenticate"] == "Bearer"
    assert data.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert sign_in.status_code == 200
    assert sign_in.json()["data"]["signIn"]["userErrors"][0]["code"] == (
        "INVALID_CREDENTIALS"
    )
