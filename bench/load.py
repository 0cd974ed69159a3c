"""Throughput over HTTP: ``haulgraph serve`` on loopback under a bounded load.

The server runs as its own process (``--workers`` API processes, by default
one per core; the outbox worker off; warnings only in its log) with real
bearer tokens. The load comes from ``wrk`` when it is installed: a fixed
number of connections, each sending its next request when the previous
answer arrives, so at most ``concurrency`` requests are in flight. Without
wrk, an httpx generator with the same bound stands in (it shares the CPU
with the server, so it reports less).
"""

import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = [==[{body}]==]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {token}"
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """``haulgraph serve`` in a child process, stopped on exit."""

    def __init__(self, database_url: str, workers: int = 1) -> None:
        self.database_url = database_url
        self.workers = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.data_dir = tempfile.TemporaryDirectory(prefix="haulgraph-bench-")

    def __enter__(self) -> "Server":
        environment = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "HAULGRAPH_DATA_DIR": self.data_dir.name,
        }
        haulgraph = Path(sys.executable).with_name("haulgraph")
        command = [str(haulgraph), "--log-level", "WARNING", "serve"]
        command += ["--no-worker", "--port", str(self.port)]
        command += ["--workers", str(self.workers)]
        self.process = subprocess.Popen(
            command, env=environment, stdout=subprocess.DEVNULL
        )
        self.wait_until_ready()
        return self

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError("haulgraph serve stopped; see its output above")
            try:
                if httpx.get(f"{self.base}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError("haulgraph serve did not become ready in 60 seconds")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.data_dir.cleanup()


def check(url: str, body: dict[str, Any], token: str) -> None:
    """One request first: the load must measure answers, not errors."""
    response = httpx.post(
        url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    answer = response.json()
    if response.status_code != 200 or answer.get("errors"):
        raise RuntimeError(f"{url} answered {response.status_code}: {answer}")


def milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]
    return float(number) * scale


def found(pattern: str, output: str) -> str:
    match = re.search(pattern, output)
    if match is None:
        raise RuntimeError(f"wrk's report lacks {pattern!r}:\n{output}")
    return match.group(1)


def parse_wrk(output: str) -> dict[str, Any]:
    if not re.search(r"^\s+50%", output, re.M):
        raise RuntimeError(f"wrk reported no latencies:\n{output}")
    latencies = dict(re.findall(r"^\s*(50|99)%\s+(\S+)", output, re.M))
    requests = int(found(r"(\d+) requests in", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(count) for count in socket_errors.groups())
    return {
        "requests": requests,
        "requests_per_s": round(float(found(r"Requests/sec:\s+([\d.]+)", output)), 1),
        "p50_ms": round(milliseconds(latencies["50"]), 2),
        "p99_ms": round(milliseconds(latencies["99"]), 2),
        "errors": errors,
    }


def run_wrk(
    url: str, body: dict[str, Any], token: str, concurrency: int, seconds: int
) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT.format(body=json.dumps(body), token=token))
    try:
        command = ["wrk", "-t", "2", "-c", str(concurrency), "-d", f"{seconds}s"]
        command += ["--latency", "--timeout", "10s", "-s", script.name, url]
        output = subprocess.run(
            command, check=True, capture_output=True, text=True
        ).stdout
    finally:
        Path(script.name).unlink()
    return {**parse_wrk(output), "generator": "wrk"}


async def run_httpx(
    url: str, body: dict[str, Any], token: str, concurrency: int, seconds: int
) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=concurrency)

    async with httpx.AsyncClient(limits=limits, timeout=10) as client:

        async def connection() -> None:
            nonlocal errors
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    response = await client.post(url, json=body, headers=headers)
                    if response.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append((time.perf_counter() - started) * 1000)

        started = time.monotonic()
        await asyncio.gather(*(connection() for _ in range(concurrency)))
        elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered), 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 2),
        "errors": errors,
        "generator": "httpx",
    }


def throughput(
    database_url: str,
    targets: dict[str, tuple[str, dict[str, Any], str]],
    concurrency: int,
    seconds: int,
    workers: int = 1,
) -> dict[str, Any]:
    """Each target (route, body, token) loaded in turn against one server."""
    results: dict[str, Any] = {}
    with Server(database_url, workers) as server:
        for name, (route, body, token) in targets.items():
            url = server.base + route
            check(url, body, token)
            # A few seconds of warm-up: connections, caches, the first plans.
            warm = min(3, seconds)
            if shutil.which("wrk"):
                run_wrk(url, body, token, concurrency, warm)
                results[name] = run_wrk(url, body, token, concurrency, seconds)
            else:
                asyncio.run(run_httpx(url, body, token, concurrency, warm))
                results[name] = asyncio.run(
                    run_httpx(url, body, token, concurrency, seconds)
                )
            results[name]["concurrency"] = concurrency
            results[name]["seconds"] = seconds
            results[name]["workers"] = workers
            print(f"  {name}: {results[name]}", flush=True)
    return results
