"""The scenarios, each measured in process against its floor in the same run.

  (a) the full staff profile of the heaviest client (every section, 100 each)
  (b) a staff client-list page of 100 with billing summary, contacts, addresses
  (c) global search for a common surname (the first 25 hits)
  (d) the dashboard overview of the heaviest client
  (e) a partner paging through every client, 100 a page
  (f) recording a payment (the recordPayment mutation)

Requests go through the whole ASGI app (routing, view, authorization,
execution, serialization) over an in-process transport; only sign-in is
replaced by a fixed viewer per route. Graph and floor samples alternate, so
the noise of a shared machine falls on both.
"""

import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from starlette.requests import Request

from bench import floors
from bench.payment_floor import payment_floor
from bench.world import World
from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL
from graph.app import create_app, default_edges, freeze_startup_objects
from graph.fields import Audience
from graph.ids import encode_global_id
from graph.throttle import buckets_from_url
from graph.view import Edge
from persistence.config import Config

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries"
OVERVIEW = HERE.parent / "portal_host" / "operations" / "Overview.graphql"
SURNAME = "Nguyen"
PAYMENT_AMOUNT = 1_00

Floor = Callable[[AsyncConnection, dict[str, Any]], Awaitable[Any]]


@dataclass(frozen=True)
class Scenario:
    key: str
    name: str
    route: str
    document: str
    variables: Callable[[], dict[str, Any]]
    floor: Floor


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary(
    samples: list[float], floor_samples: list[float], statements: list[int]
) -> dict[str, Any]:
    median = statistics.median(samples)
    floor_median = statistics.median(floor_samples)
    return {
        "statements": max(statements),
        "statements_min": min(statements),
        "samples": len(samples),
        "median_ms": round(median, 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
        "floor_median_ms": round(floor_median, 2),
        "floor_p95_ms": round(percentile(floor_samples, 0.95), 2),
        "ratio_to_floor": round(median / floor_median, 2),
    }


class Bench:
    """The app in process, a statement counter, and the viewers of each route."""

    def __init__(self, engine: AsyncEngine, world: World) -> None:
        self.engine = engine
        self.world = world
        self.statements: list[str] = []
        self.floor_statements = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self.count)
        staff = Viewer(
            account_id=world.account_id,
            kind=ViewerKind.STAFF,
            permissions=ALL,
            staff_user_id=world.staff_user_id,
        )
        self.viewers = {
            "/graphql": staff,
            "/dashboard/graphql": Viewer(
                account_id=world.account_id,
                kind=ViewerKind.DASHBOARD,
                client_id=world.client_id,
                contact_id=world.contact_id,
                is_on_hold=world.is_on_hold,
            ),
            "/partner/graphql": Viewer(
                account_id=world.account_id, kind=ViewerKind.PARTNER, permissions=ALL
            ),
        }
        config = Config.from_environment()
        edges = dict(default_edges(config, buckets_from_url(None)))
        # The partner's bucket would make the sweep wait for refills; the
        # benchmark measures the server's work, so it spends from none.
        edges[Audience.PARTNER] = Edge()
        app = create_app(config, self.authenticate, engine=engine, edges=edges)
        # What serving does at start-up; an in-process transport has no lifespan.
        freeze_startup_objects()
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench"
        )

    def count(self, *arguments: Any) -> None:
        self.statements.append(arguments[2])

    async def authenticate(self, request: Request) -> Viewer:
        return self.viewers[request.url.path]

    async def request(
        self, route: str, document: str, variables: dict[str, Any]
    ) -> tuple[dict[str, Any], int]:
        """The response's data and the SQL statements it took."""
        self.statements.clear()
        response = await self.http.post(
            route, json={"query": document, "variables": variables}
        )
        # The caller's parsing is not the server's work: read it as cheaply
        # as the floors write theirs.
        body = orjson.loads(response.content)
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"{route} answered {response.status_code}: {body}")
        return body["data"], len(self.statements)

    async def floor(self, floor: Floor, parameters: dict[str, Any]) -> Any:
        self.statements.clear()
        async with self.engine.connect() as connection:
            result = await floor(connection, parameters)
        self.floor_statements = len(self.statements)
        return result

    async def close(self) -> None:
        await self.http.aclose()


async def timed(work: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = await work()
    return (time.perf_counter() - started) * 1000, result


def scenarios(world: World) -> list[Scenario]:
    client_id = encode_global_id("Client", world.client_public_id)

    def payment() -> dict[str, Any]:
        return {
            "input": {
                "clientId": client_id,
                "method": "CHECK",
                "amount": PAYMENT_AMOUNT,
                "idempotencyKey": f"bench-{uuid.uuid4()}",
                "reference": "benchmark",
            }
        }

    return [
        Scenario(
            "a",
            "(a) full profile",
            "/graphql",
            (QUERIES / "full_profile.graphql").read_text(),
            lambda: {"id": client_id},
            floors.profile_floor,
        ),
        Scenario(
            "b",
            "(b) client list, 100",
            "/graphql",
            (QUERIES / "client_list.graphql").read_text(),
            lambda: {"first": 100},
            floors.list_floor,
        ),
        Scenario(
            "c",
            f"(c) search {SURNAME!r}",
            "/graphql",
            (QUERIES / "search.graphql").read_text(),
            lambda: {"text": SURNAME},
            floors.search_floor,
        ),
        Scenario(
            "d",
            "(d) dashboard overview",
            "/dashboard/graphql",
            OVERVIEW.read_text(),
            dict,
            floors.overview_floor,
        ),
        Scenario(
            "f",
            "(f) record payment",
            "/graphql",
            (QUERIES / "record_payment.graphql").read_text(),
            payment,
            payment_floor,
        ),
    ]


async def measure(bench: Bench, scenario: Scenario, repeat: int) -> dict[str, Any]:
    """``repeat`` graph requests and as many floors, alternating."""
    parameters = bench.world.parameters(amount=PAYMENT_AMOUNT)
    await bench.request(scenario.route, scenario.document, scenario.variables())
    await bench.floor(scenario.floor, parameters)
    samples, floor_samples, statements = [], [], []
    for _ in range(repeat):
        elapsed, (_, count) = await timed(
            lambda: bench.request(
                scenario.route, scenario.document, scenario.variables()
            )
        )
        samples.append(elapsed)
        statements.append(count)
        elapsed, _ = await timed(lambda: bench.floor(scenario.floor, parameters))
        floor_samples.append(elapsed)
    result = summary(samples, floor_samples, statements)
    result["floor_statements"] = bench.floor_statements
    return result


async def sweep(bench: Bench, samples: list[float], statements: list[int]) -> int:
    """Page through every client as a partner; the number of pages."""
    document = (QUERIES / "partner_page.graphql").read_text()
    after: str | None = None
    pages = 0
    while True:
        elapsed, (data, count) = await timed(
            partial(bench.request, "/partner/graphql", document, {"after": after})
        )
        samples.append(elapsed)
        statements.append(count)
        pages += 1
        info = data["clients"]["pageInfo"]
        if not info["hasNextPage"]:
            return pages
        after = info["endCursor"]


async def floor_sweep(bench: Bench, samples: list[float]) -> None:
    parameters: dict[str, Any] = {
        **bench.world.parameters(),
        "name": "",
        "public": None,
    }
    while True:
        elapsed, (_, following) = await timed(
            lambda: bench.floor(floors.partner_page_floor, parameters)
        )
        samples.append(elapsed)
        if following is None:
            return
        parameters.update(following)


async def measure_partner(bench: Bench, sweeps: int) -> dict[str, Any]:
    """Per-page latency over whole sweeps, and the time of one sweep."""
    samples: list[float] = []
    floor_samples: list[float] = []
    statements: list[int] = []
    pages = 0
    for _ in range(sweeps):
        pages = await sweep(bench, samples, statements)
        await floor_sweep(bench, floor_samples)
    result = summary(samples, floor_samples, statements)
    result["floor_statements"] = bench.floor_statements
    result["pages"] = pages
    result["sweep_s"] = round(sum(samples) / sweeps / 1000, 2)
    result["floor_sweep_s"] = round(sum(floor_samples) / sweeps / 1000, 2)
    return result


async def run_all(
    engine: AsyncEngine, world: World, repeat: int, only: set[str]
) -> dict[str, Any]:
    """Every scenario named in ``only``, in order."""
    bench = Bench(engine, world)
    by_key = {scenario.key: scenario for scenario in scenarios(world)}
    results: dict[str, Any] = {}
    try:
        for key in sorted(only):
            if key == "e":
                print("  (e) partner sweep…", flush=True)
                results["(e) partner sweep, 100/page"] = await measure_partner(
                    bench, max(1, repeat // 10)
                )
                continue
            scenario = by_key[key]
            print(f"  {scenario.name}…", flush=True)
            results[scenario.name] = await measure(bench, scenario, repeat)
    finally:
        await bench.close()
    return results
