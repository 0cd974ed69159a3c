"""``haulgraph serve``: the API and the dashboard's host in one process by
default, or several API processes sharing the port beside the host."""

from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette

import cli
from graph.app import app_from_environment


class Started(dict[str, Any]):
    """What ``serve`` handed uvicorn, without anything listening."""


def run_serve(monkeypatch: pytest.MonkeyPatch, *options: str) -> Started:
    started = Started()

    async def serve_together(*servers: uvicorn.Server) -> None:
        started["together"] = [server.config for server in servers]

    class Beside:
        def __init__(self, target: Any, daemon: bool) -> None:
            started["beside"] = target.__self__.config

        def start(self) -> None:
            started["beside_started"] = True

    monkeypatch.setattr(cli, "serve_together", serve_together)
    monkeypatch.setattr(cli.threading, "Thread", Beside)
    monkeypatch.setattr(
        cli.uvicorn, "run", lambda app, **settings: started.update(app=app, **settings)
    )
    cli.main(["serve", *options])
    return started


def test_serve_runs_the_api_and_the_dashboard_host_in_one_process_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started = run_serve(monkeypatch, "--port", "8123", "--dashboard-port", "8124")

    api, host = started["together"]
    assert isinstance(api.app, Starlette)
    assert (api.port, host.port) == (8123, 8124)
    assert "workers" not in started


def test_serve_workers_build_the_app_from_the_environment_without_the_outbox(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HAULGRAPH_WORKER", "on")
    # Restored after the test: serve sets it for its processes.
    monkeypatch.delenv("HAULGRAPH_DASHBOARD_URL", raising=False)

    started = run_serve(
        monkeypatch, "--workers", "2", "--no-worker", "--dashboard-port", "8124"
    )

    assert started["app"] == "graph.app:app_from_environment"
    assert started["factory"] is True
    assert started["workers"] == 2
    assert (started["beside"].port, started["beside_started"]) == (8124, True)
    assert cli.os.environ["HAULGRAPH_WORKER"] == "off"
    assert cli.os.environ["HAULGRAPH_DASHBOARD_URL"] == "http://127.0.0.1:8124"
    assert isinstance(app_from_environment(), Starlette)


def test_serve_refuses_several_processes_with_outbox_workers_on_sqlite(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite+aiosqlite:///data/served.sqlite3")
    monkeypatch.setenv("HAULGRAPH_WORKER", "on")

    with pytest.raises(SystemExit, match="--no-worker"):
        run_serve(monkeypatch, "--workers", "2")
