"""Partners spend query cost from their key's bucket and see what they spent."""

import secrets
from collections.abc import AsyncIterator

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL
from graph.app import create_app
from graph.throttle import Buckets, MemoryBuckets, RedisBuckets
from persistence.config import Config
from persistence.models import Account
from tests.graph.conftest import Clock, GraphClient

ROUTE = "/partner/graphql"
# 1 + 100 × 1 = 101 points requested; an empty account returns no rows.
PAGE = "{ clients(first: 100) { nodes { id } } }"


def partner_app(
    engine: AsyncEngine, account: Account, buckets: Buckets
) -> httpx.AsyncClient:
    viewer = Viewer(
        account_id=account.id, kind=ViewerKind.PARTNER, permissions=ALL, api_key_id=7
    )

    async def authenticate(request: Request) -> Viewer:
        return viewer

    app = create_app(
        Config.from_environment(), authenticate, engine=engine, buckets=buckets
    )
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    )


@pytest.fixture
async def partner(
    engine: AsyncEngine, account: Account, clock: Clock
) -> AsyncIterator[httpx.AsyncClient]:
    async with partner_app(engine, account, MemoryBuckets(clock=clock)) as client:
        yield client


async def test_every_partner_response_reports_its_cost(
    partner: httpx.AsyncClient,
) -> None:
    response = await partner.post(ROUTE, json={"query": PAGE})

    cost = response.json()["extensions"]["cost"]
    assert response.status_code == 200
    assert cost["requestedQueryCost"] == 101
    # Nothing came back, so only the connection itself was spent.
    assert cost["actualQueryCost"] == 1
    assert cost["throttleStatus"] == {
        "maximumAvailable": 1000.0,
        "currentlyAvailable": 999.0,
        "restoreRate": 50.0,
    }
    assert response.headers["ratelimit-limit"] == "1000"
    assert response.headers["ratelimit-remaining"] == "999"


async def test_documents_that_cannot_run_report_a_cost_of_nothing(
    partner: httpx.AsyncClient,
) -> None:
    response = await partner.post(ROUTE, json={"query": "{ nothingHere }"})

    cost = response.json()["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 0
    assert cost["throttleStatus"]["currentlyAvailable"] == 1000.0


async def test_an_empty_bucket_answers_429_with_retry_information(
    engine: AsyncEngine, account: Account, clock: Clock
) -> None:
    buckets = MemoryBuckets(clock=clock)
    await buckets.take("api-key:7", 950)

    async with partner_app(engine, account, buckets) as partner:
        throttled = await partner.post(ROUTE, json={"query": PAGE})
        clock.advance(2)
        after_waiting = await partner.post(ROUTE, json={"query": PAGE})

    body = throttled.json()
    assert throttled.status_code == 429
    assert throttled.headers["retry-after"] == "2"
    assert throttled.headers["ratelimit-remaining"] == "50"
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert body["errors"][0]["extensions"]["retryAfter"] == 2
    assert body["extensions"]["cost"]["actualQueryCost"] == 0
    assert after_waiting.status_code == 200
    assert after_waiting.json()["data"] == {"clients": {"nodes": []}}


async def test_a_query_over_the_maximum_is_refused_without_spending(
    partner: httpx.AsyncClient,
) -> None:
    query = (
        "{ clients(first: 100) { nodes { contacts(first: 100) { nodes { id } } } } }"
    )

    response = await partner.post(ROUTE, json={"query": query})

    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 1000


async def test_staff_have_a_ceiling_but_no_bucket_and_no_cost_report(
    graph: GraphClient,
) -> None:
    response = await graph.http.post("/graphql", json={"query": PAGE})
    too_costly = await graph.http.post(
        "/graphql",
        json={
            "query": "{ clients(first: 100) { nodes { "
            "contacts(first: 100) { nodes { id } } "
            "addresses(first: 100) { nodes { id } } } } }"
        },
    )

    assert "extensions" not in response.json()
    assert "ratelimit-limit" not in response.headers
    assert too_costly.json()["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"


async def test_two_api_processes_share_one_redis_bucket(
    engine: AsyncEngine, account: Account, clock: Clock, redis_url: str
) -> None:
    prefix = f"test:{secrets.token_hex(6)}:"
    first = RedisBuckets(Redis.from_url(redis_url), clock=clock, prefix=prefix)
    second = RedisBuckets(Redis.from_url(redis_url), clock=clock, prefix=prefix)

    async with (
        partner_app(engine, account, first) as one,
        partner_app(engine, account, second) as other,
    ):
        for _ in range(5):
            await one.post(
                ROUTE, json={"query": "{ clients(first: 9) { totalCount } }"}
            )
        for _ in range(9):
            await one.post(ROUTE, json={"query": PAGE})
        # The first process took 9 × 101 points for pages and gave back 9 × 100.
        spent = await other.post(ROUTE, json={"query": PAGE})
        await first.take("api-key:7", 900)
        throttled = await other.post(ROUTE, json={"query": PAGE})

    status = spent.json()["extensions"]["cost"]["throttleStatus"]
    assert status["currentlyAvailable"] == 1000 - 5 - 9 - 1
    assert throttled.status_code == 429
