"""What responses never reveal: the schema to strangers, internals to anyone."""

import re
from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL
from graph.app import create_app
from graph.cost import QueryCost
from graph.fields import Audience
from graph.view import Edge
from persistence.config import Config
from persistence.models import Account

INTROSPECTION = "{ __schema { queryType { name } } }"


class Caller:
    """An API client whose requests are made as ``viewer`` (none: anonymous)."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.viewer: Viewer | None = None


@pytest.fixture
async def caller(engine: AsyncEngine) -> AsyncIterator[Caller]:
    async def authenticate(request: Request) -> Viewer | None:
        return the_caller.viewer

    app = create_app(Config.from_environment(), authenticate, engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        the_caller = Caller(http)
        yield the_caller


def is_refused(body: dict[str, Any]) -> bool:
    errors = body.get("errors") or []
    return body.get("data") is None and any(
        "introspection" in error["message"] for error in errors
    )


async def test_introspection_is_for_signed_in_staff_and_partners(
    caller: Caller, account: Account
) -> None:
    staff = Viewer(account_id=account.id, kind=ViewerKind.STAFF, permissions=ALL)
    partner = Viewer(account_id=account.id, kind=ViewerKind.PARTNER, api_key_id=1)
    answers = {}

    # The same document alternates between callers: the validation cache must
    # keep their answers apart.
    for name, viewer, route in [
        ("anonymous staff route", None, "/graphql"),
        ("staff", staff, "/graphql"),
        ("anonymous again", None, "/graphql"),
        ("partner", partner, "/partner/graphql"),
        ("anonymous partner route", None, "/partner/graphql"),
        ("anonymous dashboard", None, "/dashboard/graphql"),
    ]:
        caller.viewer = viewer
        response = await caller.http.post(route, json={"query": INTROSPECTION})
        answers[name] = is_refused(response.json())

    assert answers == {
        "anonymous staff route": True,
        "staff": False,
        "anonymous again": True,
        "partner": False,
        "anonymous partner route": True,
        "anonymous dashboard": True,
    }


async def test_a_route_may_refuse_introspection_to_everyone(
    engine: AsyncEngine, account: Account
) -> None:
    viewer = Viewer(account_id=account.id, kind=ViewerKind.STAFF, permissions=ALL)

    async def authenticate(request: Request) -> Viewer:
        return viewer

    edges = {audience: Edge(allows_introspection=False) for audience in Audience}
    app = create_app(
        Config.from_environment(), authenticate, engine=engine, edges=edges
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        response = await http.post("/graphql", json={"query": INTROSPECTION})

    assert is_refused(response.json())


async def test_graphiql_runs_under_a_strict_policy_with_nonces(
    engine: AsyncEngine,
) -> None:
    app = create_app(Config.from_environment(), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        first = await http.get("/graphql", headers={"accept": "text/html"})
        second = await http.get("/graphql", headers={"accept": "text/html"})

    policy = first.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None
    tags = re.findall(r"<(?:script|style|link)\b[^>]*>", first.text, re.DOTALL)
    assert tags
    assert all(f'nonce="{nonce.group(1)}"' in tag for tag in tags)
    for url in re.findall(r'(?:src|href)="(https://[^"]+)"', first.text):
        assert url in policy
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy
    assert policy != second.headers["content-security-policy"]


async def test_api_answers_forbid_loading_anything(caller: Caller) -> None:
    response = await caller.http.post("/graphql", json={"query": "{ __typename }"})

    assert response.headers["content-security-policy"] == (
        "default-src 'none'; frame-ancestors 'none'"
    )


LEAKS = re.compile(r"Traceback|File \"|\.py\b|SELECT|sqlalchemy|/srv/|secret")


async def test_a_failure_around_execution_reveals_nothing(
    caller: Caller,
    account: Account,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caller.viewer = Viewer(
        account_id=account.id, kind=ViewerKind.STAFF, permissions=ALL
    )

    def broken(self: QueryCost) -> int:
        raise RuntimeError('SELECT secret FROM /srv/app/module.py line 3, File "x"')

    monkeypatch.setattr(QueryCost, "requested", broken)
    # Earlier requests may have priced this document already.
    monkeypatch.setattr("graph.policy.REQUESTED_COSTS", OrderedDict())
    response = await caller.http.post("/graphql", json={"query": "{ viewer { kind } }"})

    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["extensions"]["requestId"] in caplog.text
    assert not LEAKS.search(response.text)


@pytest.mark.parametrize(
    ("document", "variables", "refusal"),
    [
        ("{ viewer { kinds } }", {}, "Cannot query field 'kinds'"),
        (
            "query($f: ClientFiltr) { clients(first: 1, filter: $f) { totalCount } }",
            {},
            "Unknown type",
        ),
        ("{ clients(firsts: 1) { totalCount } }", {}, "Unknown argument 'firsts'"),
        (
            "query($d: OrderDirection!) { clients(first: 1, "
            "orderBy: {field: NAME, direction: $d}) { totalCount } }",
            {"d": "DSC"},
            "Variable '$d' has invalid value",
        ),
    ],
)
async def test_refusals_suggest_nothing(
    caller: Caller, account: Account, document: str, variables: Any, refusal: str
) -> None:
    caller.viewer = Viewer(
        account_id=account.id, kind=ViewerKind.STAFF, permissions=ALL
    )

    response = await caller.http.post(
        "/graphql", json={"query": document, "variables": variables}
    )

    messages = [error["message"] for error in response.json()["errors"]]
    assert refusal in messages[0]
    assert not any("Did you mean" in message for message in messages)


async def test_a_variable_of_the_wrong_type_is_the_callers_mistake(
    caller: Caller, account: Account, caplog: pytest.LogCaptureFixture
) -> None:
    caller.viewer = Viewer(
        account_id=account.id, kind=ViewerKind.STAFF, permissions=ALL
    )
    document = "query($n: Int!) { clients(first: $n) { totalCount } }"

    response = await caller.http.post(
        "/graphql", json={"query": document, "variables": {"n": "5.00"}}
    )

    error = response.json()["errors"][0]
    assert error["message"].startswith("Variable '$n' has invalid value")
    assert "INTERNAL_SERVER_ERROR" not in response.text
    assert "Unexpected error" not in caplog.text
