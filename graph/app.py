"""The API's ASGI application: one GraphQL route per audience, and health."""

import gc
import logging
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from domain.delivery.transports import background_worker
from domain.identity.viewer import ViewerKind
from graph.budget import STAFF_MAX_QUERY_COST
from graph.context import Services
from graph.downloads import BuildAuthenticate, attachment_download
from graph.fields import Audience
from graph.headers import SecurityHeaders
from graph.http import RequestRules
from graph.limits import NO_DOCUMENT_LIMITS, STATEMENT_TIMEOUT_MS
from graph.schema import SCHEMAS
from graph.throttle import Buckets, buckets_from_url
from graph.trusted import TrustedDocuments
from graph.view import Authenticate, Edge, GraphQLView, token_authenticator
from graph.webhooks import webhook_routes
from persistence.config import Config
from persistence.database import create_engine, create_session_factory
from persistence.files import FileStore
from persistence.timeouts import statement_timeout_options

logger = logging.getLogger(__name__)

ROUTES = {
    Audience.STAFF: "/graphql",
    Audience.DASHBOARD: "/dashboard/graphql",
    Audience.PARTNER: "/partner/graphql",
}
# Each route accepts only its own kind of credentials.
KINDS = {
    Audience.STAFF: frozenset({ViewerKind.STAFF}),
    Audience.DASHBOARD: frozenset({ViewerKind.DASHBOARD, ViewerKind.STAFF_PREVIEW}),
    Audience.PARTNER: frozenset({ViewerKind.PARTNER}),
}


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


class GraphQLEndpoint:
    """An audience's GraphQL view, built on first use from the app's state."""

    def __init__(
        self, audience: Audience, authenticate: Authenticate | None, edge: Edge
    ) -> None:
        self.audience = audience
        self.authenticate = authenticate
        self.edge = edge
        self.view: GraphQLView | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.view is None:
            self.view = self.build(scope["app"].state)
        await self.view(scope, receive, send)

    def build(self, state: object) -> GraphQLView:
        session_factory = state.session_factory  # type: ignore[attr-defined]
        services: Services = state.services  # type: ignore[attr-defined]
        authenticate = self.authenticate or token_authenticator(
            session_factory, KINDS[self.audience], services.clock
        )
        # Files are uploaded by staff only.
        return GraphQLView(
            SCHEMAS[self.audience],
            session_factory,
            authenticate,
            services,
            self.edge,
            accepts_uploads=self.audience is Audience.STAFF,
        )


def default_edges(config: Config, buckets: Buckets) -> dict[Audience, Edge]:
    """Each route's limits: partners spend from buckets; in production the
    dashboard runs only its registered documents and hides its schema."""
    is_production = config.is_production
    dashboard_rules = RequestRules(
        documents=TrustedDocuments.load(), is_trusted_only=is_production
    )
    return {
        Audience.STAFF: Edge(maximum_query_cost=STAFF_MAX_QUERY_COST),
        Audience.DASHBOARD: Edge(
            rules=dashboard_rules,
            allows_introspection=not is_production,
            graphql_ide=not is_production,
        ),
        Audience.PARTNER: Edge(buckets=buckets),
    }


def unlimited_edges() -> dict[Audience, Edge]:
    """Every route without document limits or a cost ceiling: only for tools
    (tests of authorization) that select the whole graph in one query."""
    return {
        audience: Edge(limits=NO_DOCUMENT_LIMITS, maximum_query_cost=sys.maxsize)
        for audience in Audience
    }


def staff_authenticator(authenticate: Authenticate | None) -> BuildAuthenticate:
    """The staff route's authentication, for routes beside the graph."""

    def build(request: Request) -> Authenticate:
        if authenticate is not None:
            return authenticate
        state = request.app.state
        return token_authenticator(
            state.session_factory, KINDS[Audience.STAFF], state.services.clock
        )

    return build


def default_services(config: Config) -> Services:
    return Services(
        dashboard_url=config.dashboard_url,
        files=FileStore(config.data_dir / "files"),
        max_upload_bytes=config.max_upload_bytes,
    )


def freeze_startup_objects() -> None:
    """Leave what start-up built (modules, the schemas) out of garbage collection.

    Those objects live as long as the process; without this every full
    collection walks them again, a pause that lands on some request.
    """
    gc.collect()
    gc.freeze()


def create_app(
    config: Config,
    authenticate: Authenticate | None = None,
    engine: AsyncEngine | None = None,
    services: Services | None = None,
    buckets: Buckets | None = None,
    edges: Mapping[Audience, Edge] | None = None,
) -> Starlette:
    """The API app; pass ``engine`` to share one (tests), else it makes its own.

    ``authenticate`` replaces bearer-token sign-in on every route (tests);
    ``buckets`` and ``edges`` replace the configured cost buckets and limits.
    """
    edges = edges or default_edges(
        config, buckets or buckets_from_url(config.redis_url)
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        freeze_startup_objects()
        if engine is not None:
            yield
            return
        app.state.engine = create_engine(
            config.database_url,
            **statement_timeout_options(config.database_url, STATEMENT_TIMEOUT_MS),
        )
        app.state.session_factory = create_session_factory(app.state.engine)
        async with background_worker(app.state.session_factory, config):
            yield
        await app.state.engine.dispose()

    routes = [Route("/healthz", healthz), Route("/readyz", readyz)]
    routes += [
        Route(
            path,
            GraphQLEndpoint(audience, authenticate, edges[audience]),
            methods=["GET", "POST"],
        )
        for audience, path in ROUTES.items()
    ]
    routes.append(
        Route(
            "/attachments/{attachment_id}",
            attachment_download(staff_authenticator(authenticate)),
            methods=["GET"],
        )
    )
    routes += webhook_routes(config.delivery.webhook_secret)
    middleware = [
        Middleware(SecurityHeaders),
        # Only the dashboard's origin (and those configured) may call from a
        # browser; credentials travel in the Authorization header, not cookies.
        Middleware(
            CORSMiddleware,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "Accept",
                "GraphQL-Require-Preflight",
            ],
            max_age=600,
        ),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
    app.state.services = services or default_services(config)
    if engine is not None:
        app.state.engine = engine
        app.state.session_factory = create_session_factory(engine)
    return app


def app_from_environment() -> Starlette:
    """The app configured by the environment: what each process of
    ``haulgraph serve --workers`` runs."""
    return create_app(Config.from_environment())
