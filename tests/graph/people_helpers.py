"""Graph clients with chosen viewers and a storage folder, for the tests of
the client, people, notes and files mutations."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request

from domain.identity.viewer import Viewer
from graph.app import create_app
from graph.context import Services
from persistence.config import Config
from persistence.files import FileStore
from tests.graph.conftest import GraphClient


def services_with_files(root: Path, max_upload_bytes: int = 1024) -> Services:
    return Services(
        dashboard_url="https://dash.example",
        files=FileStore(root),
        max_upload_bytes=max_upload_bytes,
    )


@asynccontextmanager
async def client_with_permissions(
    engine: Any, viewer: Viewer, services: Services | None = None
) -> AsyncIterator[GraphClient]:
    """A graph client signed in as ``viewer``."""

    async def authenticate(request: Request) -> Viewer:
        return viewer

    assert isinstance(engine, AsyncEngine)
    app = create_app(
        Config.from_environment(), authenticate, engine=engine, services=services
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield GraphClient(http, engine)
