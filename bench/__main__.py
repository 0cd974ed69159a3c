"""Run every benchmark scenario on SQLite and PostgreSQL and print the table.

    python -m bench [--scale 10000] [--repeat 30] [--label after]

Each database gets an account of ``--scale`` clients (``haulgraph seed
--scale``, seeded once and kept), then scenarios (a) to (f) in process, each
against its floor (see ``bench.scenarios``), then the throughput of (a) and
(d) over HTTP against ``haulgraph serve`` (see ``bench.load``). The table
goes to stdout and JSON to ``bench/results/<label>.json``.
"""

import argparse
import asyncio
import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.load import throughput
from bench.scenarios import OVERVIEW, QUERIES, run_all
from bench.world import World, access_tokens, prepare
from graph.ids import encode_global_id
from persistence.config import sqlite_url
from persistence.database import create_engine

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DEFAULT_URLS = {
    "sqlite": sqlite_url(Path("data/bench.sqlite3")),
    "postgresql": "postgresql+asyncpg://postgres@127.0.0.1:5432/bench",
}


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--scale", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30, help="samples a scenario")
    parser.add_argument(
        "--databases", nargs="+", default=list(DEFAULT_URLS), choices=DEFAULT_URLS
    )
    parser.add_argument("--sqlite-url", default=DEFAULT_URLS["sqlite"])
    parser.add_argument("--postgresql-url", default=DEFAULT_URLS["postgresql"])
    parser.add_argument(
        "--only", nargs="+", default=list("abcdef"), choices=list("abcdef")
    )
    parser.add_argument("--http-seconds", type=int, default=15)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--http-workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes of `haulgraph serve` (default: one per core)",
    )
    parser.add_argument("--no-http", action="store_true", help="skip throughput")
    parser.add_argument("--label", default=datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))
    return parser.parse_args()


def http_targets(
    world: World, tokens: dict[str, str]
) -> dict[str, tuple[str, dict[str, Any], str]]:
    profile = {
        "query": (QUERIES / "full_profile.graphql").read_text(),
        "variables": {"id": encode_global_id("Client", world.client_public_id)},
    }
    overview = {"query": OVERVIEW.read_text()}
    return {
        "(a) full profile": ("/graphql", profile, tokens["staff"]),
        "(d) dashboard overview": ("/dashboard/graphql", overview, tokens["dashboard"]),
    }


async def in_process(url: str, world: World, options: argparse.Namespace) -> Any:
    engine = create_engine(url)
    try:
        return await run_all(engine, world, options.repeat, set(options.only))
    finally:
        await engine.dispose()


def run_database(database: str, url: str, options: argparse.Namespace) -> Any:
    print(f"\n{database}: preparing {options.scale:,} clients…", flush=True)
    world = asyncio.run(prepare(url, options.scale))
    result: dict[str, Any] = {
        "scale": options.scale,
        "scenarios": asyncio.run(in_process(url, world, options)),
    }
    if not options.no_http:
        print(f"{database}: HTTP at concurrency {options.concurrency}…", flush=True)
        tokens = asyncio.run(access_tokens(url, world))
        result["http"] = throughput(
            url,
            http_targets(world, tokens),
            options.concurrency,
            options.http_seconds,
            options.http_workers,
        )
    return result


def print_tables(results: dict[str, Any]) -> None:
    for database, result in results.items():
        print(f"\n{database}, {result['scale']:,} clients")
        header = (
            f"{'scenario':<28}{'SQL':>5}{'median ms':>11}{'p95 ms':>9}"
            f"{'floor ms':>10}{'floor SQL':>10}{'ratio':>8}"
        )
        print(header)
        print("-" * len(header))
        for name, row in result["scenarios"].items():
            print(
                f"{name:<28}{row['statements']:>5}{row['median_ms']:>11.2f}"
                f"{row['p95_ms']:>9.2f}{row['floor_median_ms']:>10.2f}"
                f"{row['floor_statements']:>10}{row['ratio_to_floor']:>7.2f}x"
            )
            if "sweep_s" in row:
                print(
                    f"{'  whole sweep, s':<28}{row['pages']:>5} pages"
                    f"{row['sweep_s']:>10.2f}{'':>9}{row['floor_sweep_s']:>10.2f}"
                )
        if "http" in result:
            print(
                f"\n{'over HTTP':<28}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}"
                f"{'errors':>8}  (concurrency, seconds, generator, workers)"
            )
            for name, row in result["http"].items():
                print(
                    f"{name:<28}{row['requests_per_s']:>8.1f}{row['p50_ms']:>9.2f}"
                    f"{row['p99_ms']:>9.2f}{row['errors']:>8}  "
                    f"({row['concurrency']}, {row['seconds']}, {row['generator']}, "
                    f"{row.get('workers', 1)})"
                )


def main() -> None:
    options = arguments()
    urls = {"sqlite": options.sqlite_url, "postgresql": options.postgresql_url}
    results = {
        database: run_database(database, urls[database], options)
        for database in options.databases
    }
    print_tables(results)
    RESULTS.mkdir(exist_ok=True)
    output = RESULTS / f"{options.label}.json"
    report = {
        "label": options.label,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "repeat": options.repeat,
        "databases": results,
    }
    output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWrote {output.relative_to(HERE.parent)}.")


if __name__ == "__main__":
    main()
