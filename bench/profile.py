"""Profile benchmark: the staff graph against a hand-written floor.

Scenarios, on a database seeded with ``haulgraph seed --scale N``:

  (a) the full staff profile of the heaviest client (every section, 100 each)
  (b) a page of 100 clients with contacts, addresses and billing summary

Each prints the SQL statements per request, median and p95 latency, and the
ratio to its floor: the same rows fetched with hand-written SQL and turned
into JSON with orjson, in the same process and run. Results also go to
``bench/results/profile-<database>.json``.

    python -m bench.profile                       # SQLite, 2,000 clients
    python -m bench.profile --database-url postgresql+asyncpg://…/bench
"""

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import event, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request

from domain.identity.passwords import hash_password
from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL
from domain.seeding import seed_rules
from graph.app import create_app
from graph.ids import encode_global_id
from persistence.config import Config, sqlite_url
from persistence.database import create_engine
from persistence.migrate import upgrade
from persistence.models import Account, Client, Invoice, Task

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries"
RESULTS = HERE / "results"

# The floor's statements: what a hand-written endpoint would run for (a).
PROFILE_FLOOR = {
    "client": "SELECT * FROM clients WHERE id = :client",
    "contacts": "SELECT * FROM contacts WHERE client_id = :client "
    "ORDER BY is_primary DESC, last_name, first_name LIMIT 100",
    "addresses": "SELECT * FROM addresses WHERE client_id = :client LIMIT 100",
    "invoices": "SELECT * FROM invoices WHERE client_id = :client "
    "ORDER BY issued_on DESC LIMIT 100",
    "invoice_lines": "SELECT l.* FROM invoice_lines l JOIN invoices i "
    "ON i.id = l.invoice_id WHERE i.client_id = :client",
    "payments": "SELECT * FROM payments WHERE client_id = :client "
    "ORDER BY received_at DESC LIMIT 100",
    "credits": "SELECT * FROM credits WHERE client_id = :client LIMIT 100",
    "refunds": "SELECT * FROM refunds WHERE client_id = :client LIMIT 100",
    "charges": "SELECT * FROM charges WHERE client_id = :client "
    "AND invoice_id IS NULL LIMIT 100",
    "recurring": "SELECT * FROM recurring_invoices WHERE client_id = :client",
    "payment_requests": "SELECT * FROM payment_requests WHERE client_id = :client "
    "ORDER BY sent_at DESC LIMIT 100",
    "payment_methods": "SELECT * FROM payment_methods WHERE client_id = :client "
    "AND removed_at IS NULL",
    "estimates": "SELECT * FROM estimates WHERE client_id = :client "
    "ORDER BY created_at DESC LIMIT 100",
    "estimate_lines": "SELECT l.* FROM estimate_lines l JOIN estimates e "
    "ON e.id = l.estimate_id WHERE e.client_id = :client",
    "estimate_events": "SELECT v.* FROM estimate_events v JOIN estimates e "
    "ON e.id = v.estimate_id WHERE e.client_id = :client",
    "jobs": "SELECT * FROM jobs WHERE client_id = :client LIMIT 100",
    "tasks": "SELECT * FROM tasks WHERE client_id = :client "
    "ORDER BY scheduled_on DESC LIMIT 200",
    "weight_tickets": "SELECT w.* FROM weight_tickets w JOIN tasks t "
    "ON t.id = w.task_id WHERE t.client_id = :client",
    "service_requests": "SELECT * FROM service_requests WHERE client_id = :client",
    "documents": "SELECT * FROM documents WHERE client_id = :client LIMIT 100",
    "messages": "SELECT * FROM messages WHERE client_id = :client "
    "ORDER BY created_at DESC LIMIT 100",
    "notes": "SELECT * FROM notes WHERE client_id = :client LIMIT 100",
    "attachments": "SELECT * FROM attachments WHERE client_id = :client LIMIT 100",
    "special_prices": "SELECT * FROM special_prices WHERE client_id = :client",
    "notification_log": "SELECT * FROM notification_log WHERE client_id = :client "
    "ORDER BY created_at DESC LIMIT 100",
    "overrides": "SELECT * FROM notification_preference_overrides "
    "WHERE client_id = :client",
    "settings": "SELECT * FROM client_setting_overrides WHERE client_id = :client",
    "staff": "SELECT id, name FROM staff_users WHERE account_id = :account",
}

LIST_FLOOR = {
    "clients": "SELECT * FROM clients WHERE account_id = :account "
    "AND archived_at IS NULL ORDER BY display_name LIMIT 100",
    "contacts": "SELECT c.* FROM contacts c WHERE c.client_id IN "
    "(SELECT id FROM clients WHERE account_id = :account "
    "ORDER BY display_name LIMIT 100)",
    "addresses": "SELECT a.* FROM addresses a WHERE a.client_id IN "
    "(SELECT id FROM clients WHERE account_id = :account "
    "ORDER BY display_name LIMIT 100)",
    "balances": "SELECT i.client_id, SUM(i.total) FROM invoices i WHERE i.client_id "
    "IN (SELECT id FROM clients WHERE account_id = :account "
    "ORDER BY display_name LIMIT 100) AND i.status NOT IN ('draft', 'void') "
    "GROUP BY i.client_id",
    "payments": "SELECT p.client_id, SUM(p.amount) FROM payments p WHERE p.client_id "
    "IN (SELECT id FROM clients WHERE account_id = :account "
    "ORDER BY display_name LIMIT 100) AND p.status = 'succeeded' "
    "GROUP BY p.client_id",
    "holds": "SELECT * FROM holds WHERE account_id = :account AND released_at IS NULL",
}


def jsonable(row: Any) -> dict[str, Any]:
    return dict(row._mapping)


async def run_floor(
    engine: AsyncEngine, statements: dict[str, str], parameters: dict[str, Any]
) -> bytes:
    """Fetch with plain SQL and serialize with orjson: the cost of the rows."""
    document: dict[str, Any] = {}
    async with engine.connect() as connection:
        for name, sql in statements.items():
            result = await connection.execute(text(sql), parameters)
            document[name] = [jsonable(row) for row in result]
    return orjson.dumps(document, default=str)


async def timed(
    work: Callable[[], Awaitable[Any]], repeat: int
) -> tuple[list[float], Any]:
    await work()  # warm caches, loaders and connections
    samples, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = await work()
        samples.append((time.perf_counter() - started) * 1000)
    return samples, result


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def prepare(database_url: str, scale: int) -> tuple[int, int]:
    """The benchmark account (seeded when missing) and its heaviest client."""
    from persistence.seed import seed_scale

    await asyncio.to_thread(upgrade, database_url)
    engine = create_engine(database_url)
    slug = f"scale-{scale}-1"
    async with engine.connect() as connection:
        account_id = await connection.scalar(
            select(Account.id).where(Account.slug == slug)
        )
    if account_id is None:
        print(f"Seeding {scale:,} clients (once)…", flush=True)
        summary = await seed_scale(
            engine,
            clients=scale,
            seed=1,
            today=date.today(),
            staff_password_hash=hash_password("benchmark-only"),
            rules=seed_rules(),
            progress=True,
        )
        account_id = summary.account_id
    async with engine.connect() as connection:
        activity = (
            select(Invoice.client_id.label("client_id"))
            .where(Invoice.account_id == account_id)
            .union_all(select(Task.client_id).where(Task.account_id == account_id))
            .subquery()
        )
        heaviest = await connection.scalar(
            select(activity.c.client_id)
            .group_by(activity.c.client_id)
            .order_by(func.count().desc())
            .limit(1)
        )
    await engine.dispose()
    return account_id, heaviest


async def benchmark(database_url: str, scale: int, repeat: int) -> dict[str, Any]:
    account_id, client_id = await prepare(database_url, scale)
    engine = create_engine(database_url)
    statements: list[str] = []
    event.listen(
        engine.sync_engine,
        "before_cursor_execute",
        lambda *arguments: statements.append(arguments[2]),
    )
    viewer = Viewer(account_id=account_id, kind=ViewerKind.STAFF, permissions=ALL)

    async def authenticate(request: Request) -> Viewer:
        return viewer

    async with engine.connect() as connection:
        public_id = await connection.scalar(
            select(Client.public_id).where(Client.id == client_id)
        )
    app = create_app(Config.from_environment(), authenticate, engine=engine)
    transport = httpx.ASGITransport(app=app)
    full_profile = (QUERIES / "full_profile.graphql").read_text()
    client_list = (QUERIES / "client_list.graphql").read_text()
    scenarios = {
        "(a) full profile": (
            full_profile,
            {"id": encode_global_id("Client", public_id)},
            PROFILE_FLOOR,
        ),
        "(b) client list, 100": (client_list, {"first": 100}, LIST_FLOOR),
    }
    parameters = {"client": client_id, "account": account_id}
    results: dict[str, Any] = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        for name, (query, variables, floor) in scenarios.items():

            async def graph_request(
                query: str = query, variables: Any = variables
            ) -> Any:
                statements.clear()
                response = await http.post(
                    "/graphql", json={"query": query, "variables": variables}
                )
                body = response.json()
                if "errors" in body:
                    raise RuntimeError(f"Errors answered: {body['errors'][:2]}")
                return len(statements)

            graph_samples, statement_count = await timed(graph_request, repeat)
            floor_samples, _ = await timed(
                lambda floor=floor: run_floor(engine, floor, parameters), repeat
            )
            graph_median = statistics.median(graph_samples)
            floor_median = statistics.median(floor_samples)
            results[name] = {
                "statements": statement_count,
                "median_ms": round(graph_median, 2),
                "p95_ms": round(percentile(graph_samples, 0.95), 2),
                "floor_median_ms": round(floor_median, 2),
                "floor_statements": len(floor),
                "ratio_to_floor": round(graph_median / floor_median, 2),
            }
    await engine.dispose()
    return results


def print_table(database: str, scale: int, results: dict[str, Any]) -> None:
    print(f"\n{database}, {scale:,} clients")
    header = (
        f"{'scenario':<24}{'SQL':>5}{'median ms':>11}{'p95 ms':>9}"
        f"{'floor ms':>10}{'ratio':>7}"
    )
    print(header)
    print("-" * len(header))
    for name, row in results.items():
        print(
            f"{name:<24}{row['statements']:>5}{row['median_ms']:>11.2f}"
            f"{row['p95_ms']:>9.2f}{row['floor_median_ms']:>10.2f}"
            f"{row['ratio_to_floor']:>6.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=sqlite_url(Path("data/bench.sqlite3"))
    )
    parser.add_argument("--scale", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=30)
    arguments = parser.parse_args()

    results = asyncio.run(
        benchmark(arguments.database_url, arguments.scale, arguments.repeat)
    )
    database = arguments.database_url.split(":", 1)[0].split("+")[0]
    print_table(database, arguments.scale, results)
    RESULTS.mkdir(exist_ok=True)
    output = RESULTS / f"profile-{database}.json"
    output.write_text(
        json.dumps(
            {
                "database": database,
                "scale": arguments.scale,
                "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "scenarios": results,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nWrote {output.relative_to(HERE.parent)}.")


if __name__ == "__main__":
    main()
