"""GraphQL clients signed in as a real staff user, with chosen permissions."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL, Permission
from graph.app import create_app
from persistence.config import Config
from persistence.models import StaffUser
from tests.graph.conftest import GraphClient


@asynccontextmanager
async def signed_in(
    engine: AsyncEngine,
    staff_user: StaffUser,
    permissions: frozenset[Permission] = ALL,
) -> AsyncIterator[GraphClient]:
    viewer = Viewer(
        account_id=staff_user.account_id,
        kind=ViewerKind.STAFF,
        permissions=permissions,
        staff_user_id=staff_user.id,
    )

    async def authenticate(request: Request) -> Viewer:
        return viewer

    app = create_app(Config.from_environment(), authenticate, engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield GraphClient(http, engine)
