"""The dashboard host's ASGI app: the shell for every page, and its modules.

Every path that is not a static file answers the same shell page; the app's
router picks the page from the address. The shell carries the API's address
and the registered operations as JSON, so the modules fetch no configuration.
"""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal_host.operations import OPERATIONS_DIR, operation_ids
from portal_host.security import origin_of, security_headers

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATES_DIR = HERE / "templates"
DASHBOARD_ROUTE = "/dashboard/graphql"


@dataclass(frozen=True, slots=True)
class PortalConfig:
    """Where the API is; the dashboard route is found under it."""

    api_url: str = "http://127.0.0.1:8000"
    operations_dir: Path = field(default=OPERATIONS_DIR)

    @property
    def graphql_url(self) -> str:
        return self.api_url.rstrip("/") + DASHBOARD_ROUTE


class WithHeaders:
    """Adds fixed headers to every response."""

    def __init__(self, app: ASGIApp, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in headers.items()
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RevalidatedStatic(StaticFiles):
    """Static modules without a build step keep their names between releases,
    so browsers must check each one again before using a cached copy."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "no-cache"
        return response


def shell_endpoint(config: PortalConfig) -> Callable[[Request], Awaitable[Response]]:
    templates = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
    )
    shell = templates.get_template("shell.html")
    settings = {
        "graphqlUrl": config.graphql_url,
        "operations": operation_ids(config.operations_dir),
    }

    async def endpoint(request: Request) -> Response:
        # A path with a file extension is a missing file, not a page.
        if "." in request.url.path.rsplit("/", 1)[-1]:
            return PlainTextResponse("Not found.", status_code=404)
        return HTMLResponse(
            shell.render(settings=settings),
            headers={"Cache-Control": "no-store"},
        )

    return endpoint


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def create_portal_app(config: PortalConfig | None = None) -> Starlette:
    """The host for one API address; the shell is rendered once per request."""
    config = config or PortalConfig()
    api_origin = origin_of(config.api_url)
    routes = [
        Route("/healthz", healthz),
        Mount("/static", RevalidatedStatic(directory=STATIC_DIR), name="static"),
        Route("/{path:path}", shell_endpoint(config), methods=["GET", "HEAD"]),
    ]
    middleware = [Middleware(WithHeaders, headers=security_headers(api_origin))]
    logger.info("Dashboard host calls the API at %s", config.graphql_url)
    return Starlette(routes=routes, middleware=middleware)
