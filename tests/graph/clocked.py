"""An API client at a fixed moment, signed in as a chosen viewer."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request

from domain.identity.viewer import Viewer
from graph.app import create_app
from graph.context import Services
from persistence.config import Config
from tests.estimate_factories import NOW
from tests.graph.conftest import GraphClient


@asynccontextmanager
async def signed_in(engine: AsyncEngine, viewer: Viewer) -> AsyncIterator[GraphClient]:
    """The staff API as ``viewer`` sees it, with the clock stopped at ``NOW``."""

    async def authenticate(request: Request) -> Viewer:
        return viewer

    services = Services(dashboard_url="https://dash.example", clock=lambda: NOW)
    app = create_app(Config.from_environment(), authenticate, engine, services)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield GraphClient(http, engine)
