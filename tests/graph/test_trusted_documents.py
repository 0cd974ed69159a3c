"""The dashboard's registered operations, and the route that runs only them."""

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from graphql import parse, validate
from sqlalchemy.ext.asyncio import AsyncEngine

from cli import main
from graph.app import create_app
from graph.context import Services
from graph.fields import Audience
from graph.schema import SCHEMAS
from graph.trusted import MANIFEST, OPERATIONS_DIR, build_manifest, document_id
from persistence.config import Config

ROUTE = "/dashboard/graphql"
SIGN_IN_LINK = (OPERATIONS_DIR / "RequestSignInLink.graphql").read_text()
VARIABLES = {"email": "nobody@example.com"}


def test_the_committed_manifest_is_current() -> None:
    committed = json.loads((OPERATIONS_DIR / MANIFEST).read_text())

    assert committed == build_manifest(), (
        "portal_host/operations/manifest.json is out of date: run "
        "`haulgraph build-operations`."
    )


@pytest.mark.parametrize("document", sorted(build_manifest().values()))
def test_every_registered_operation_is_valid_on_the_dashboard(document: str) -> None:
    errors = validate(SCHEMAS[Audience.DASHBOARD]._schema, parse(document))

    assert errors == []


async def dashboard(engine: AsyncEngine, environment: str) -> httpx.AsyncClient:
    config = replace(Config.from_environment(), environment=environment)
    services = Services(dashboard_url="https://dash.example")
    app = create_app(config, engine=engine, services=services)
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


@pytest.fixture
async def production(engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    async with await dashboard(engine, "production") as client:
        yield client


@pytest.fixture
async def development(engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    async with await dashboard(engine, "development") as client:
        yield client


async def test_production_runs_registered_documents_by_id(
    production: httpx.AsyncClient,
) -> None:
    response = await production.post(
        ROUTE,
        json={"documentId": document_id(SIGN_IN_LINK), "variables": VARIABLES},
    )

    assert response.status_code == 200
    assert response.json() == {"data": {"requestSignInLink": {"isRequested": True}}}


async def test_the_persisted_query_extension_names_documents_too(
    production: httpx.AsyncClient,
) -> None:
    sha256 = document_id(SIGN_IN_LINK).removeprefix("sha256:")

    response = await production.post(
        ROUTE,
        json={
            "variables": VARIABLES,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256}},
        },
    )

    assert response.json()["data"]["requestSignInLink"]["isRequested"] is True


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"query": SIGN_IN_LINK, "variables": VARIABLES}, "TRUSTED_DOCUMENT_REQUIRED"),
        ({"query": "{ __schema { types { name } } }"}, "TRUSTED_DOCUMENT_REQUIRED"),
        ({"documentId": "sha256:" + "0" * 64}, "UNKNOWN_DOCUMENT"),
    ],
)
async def test_production_refuses_anything_else(
    production: httpx.AsyncClient, body: dict[str, object], code: str
) -> None:
    response = await production.post(ROUTE, json=body)

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == code


async def test_production_serves_no_graphiql_on_the_dashboard(
    production: httpx.AsyncClient,
) -> None:
    response = await production.get(ROUTE, headers={"accept": "text/html"})

    assert response.status_code == 404


async def test_development_accepts_documents_and_ids(
    development: httpx.AsyncClient,
) -> None:
    by_text = await development.post(
        ROUTE, json={"query": SIGN_IN_LINK, "variables": VARIABLES}
    )
    by_id = await development.post(
        ROUTE, json={"documentId": document_id(SIGN_IN_LINK), "variables": VARIABLES}
    )

    assert by_text.json() == by_id.json()
    assert by_id.json()["data"]["requestSignInLink"]["isRequested"] is True


async def test_other_routes_take_no_document_ids(engine: AsyncEngine) -> None:
    async with await dashboard(engine, "production") as client:
        response = await client.post(
            "/graphql", json={"documentId": document_id(SIGN_IN_LINK)}
        )

    assert response.status_code == 400


def test_build_operations_writes_the_manifest_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "SignOut.graphql").write_text(
        "mutation SignOut { signOut { isSignedOut } }\n"
    )

    main(["build-operations", "--operations-dir", str(tmp_path)])

    written = json.loads((tmp_path / MANIFEST).read_text())
    assert written == {
        document_id("mutation SignOut { signOut { isSignedOut } }\n"): (
            "mutation SignOut { signOut { isSignedOut } }\n"
        )
    }
