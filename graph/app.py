"""The API's ASGI application: health endpoints now, the graph on top."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from graph.context import Viewer
from graph.schema import schema
from graph.view import Authenticate, GraphQLView
from persistence.config import Config
from persistence.database import create_engine, create_session_factory

logger = logging.getLogger(__name__)


async def healthz(request: Request) -> JSONResponse:
    """The process is up and serving requests."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    """The database answers; load balancers route traffic only when it does."""
    try:
        async with request.app.state.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError):
        logger.warning("Readiness check failed: the database did not answer")
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})


async def nobody(request: Request) -> Viewer | None:
    """Until sign-in exists, nobody is authenticated."""
    return None


class GraphQLEndpoint:
    """The GraphQL view, built on first use from the app's session factory."""

    def __init__(self, authenticate: Authenticate) -> None:
        self.authenticate = authenticate
        self.view: GraphQLView | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.view is None:
            session_factory = scope["app"].state.session_factory
            self.view = GraphQLView(schema, session_factory, self.authenticate)
        await self.view(scope, receive, send)


def create_app(
    config: Config,
    authenticate: Authenticate = nobody,
    engine: AsyncEngine | None = None,
) -> Starlette:
    """The API app; pass ``engine`` to share one (tests), else it makes its own."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if engine is not None:
            yield
            return
        app.state.engine = create_engine(config.database_url)
        app.state.session_factory = create_session_factory(app.state.engine)
        yield
        await app.state.engine.dispose()

    routes = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/graphql", GraphQLEndpoint(authenticate), methods=["GET", "POST"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    if engine is not None:
        app.state.engine = engine
        app.state.session_factory = create_session_factory(engine)
    return app
