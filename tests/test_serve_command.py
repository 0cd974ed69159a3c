"""``haulgraph serve``: one process by default, or several sharing the port."""

from typing import Any

import pytest
from starlette.applications import Starlette

import cli
from graph.app import app_from_environment


def run_serve(monkeypatch: pytest.MonkeyPatch, *options: str) -> dict[str, Any]:
    """What ``serve`` hands uvicorn, without starting it."""
    started: dict[str, Any] = {}
    monkeypatch.setattr(
        cli.uvicorn, "run", lambda app, **settings: started.update(app=app, **settings)
    )
    cli.main(["serve", *options])
    return started


def test_serve_runs_one_process_with_the_app_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started = run_serve(monkeypatch, "--port", "8123")

    assert isinstance(started["app"], Starlette)
    assert started["port"] == 8123
    assert "workers" not in started


def test_serve_workers_build_the_app_from_the_environment_without_the_outbox(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HAULGRAPH_WORKER", "on")

    started = run_serve(monkeypatch, "--workers", "2", "--no-worker")

    assert started["app"] == "graph.app:app_from_environment"
    assert started["factory"] is True
    assert started["workers"] == 2
    assert cli.os.environ["HAULGRAPH_WORKER"] == "off"
    assert isinstance(app_from_environment(), Starlette)


def test_serve_refuses_several_processes_with_outbox_workers_on_sqlite(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite+aiosqlite:///data/served.sqlite3")
    monkeypatch.setenv("HAULGRAPH_WORKER", "on")

    with pytest.raises(SystemExit, match="--no-worker"):
        run_serve(monkeypatch, "--workers", "2")
