"""The GraphQL HTTP view of one audience: who is asking, then the schema.

A request without credentials runs as nobody (only public fields, such as
signing in, answer it); a request with credentials that are invalid, expired,
revoked or of another audience's kind is refused with 401 before execution.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult

from domain.identity.dashboard import client_standing
from domain.identity.tokens import viewer_for_token
from domain.identity.viewer import Viewer, ViewerKind
from graph.budget import MAX_QUERY_COST, Budget
from graph.context import UNKNOWN_ADDRESS, Context, RequestDatabase, Services
from graph.graphiql import graphiql_page
from graph.http import (
    GRAPHQL_RESPONSE,
    LEGACY_JSON,
    MULTIPART,
    Checked,
    RefusedRequest,
    RequestRules,
    accepts_graphql_response,
    check_request,
    error_response,
    graphql_response_status,
)
from graph.limits import DOCUMENT_LIMITS, REQUEST_TIMEOUT_SECONDS, DocumentLimits
from graph.masking import masked
from graph.policy import RequestPolicy
from graph.throttle import Buckets


class InvalidCredentials(Exception):
    """The request carried credentials that do not sign anyone in here."""


Authenticate = Callable[[Request], Awaitable[Viewer | None]]


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidCredentials
    return token.strip()


def token_authenticator(
    session_factory: async_sessionmaker[AsyncSession],
    kinds: frozenset[ViewerKind],
    clock: Callable[[], Any],
) -> Authenticate:
    """Resolve bearer tokens of the given kinds; anything else is invalid."""

    async def authenticate(request: Request) -> Viewer | None:
        token = bearer_token(request)
        if token is None:
            return None
        async with session_factory() as session:
            viewer = await viewer_for_token(session, token, clock())
            if viewer is None or viewer.kind not in kinds:
                raise InvalidCredentials
            if viewer.client_id is not None:
                standing = await client_standing(session, viewer.client_id)
                # All dashboard access stops while the client's setting is off.
                if not standing.has_dashboard_access:
                    raise InvalidCredentials
                if standing.is_on_hold:
                    viewer = replace(viewer, is_on_hold=True)
        return viewer

    return authenticate


def unauthenticated_response() -> JSONResponse:
    return JSONResponse(
        {
            "errors": [
                {
                    "message": "Send a valid access token as "
                    "`Authorization: Bearer <token>`; sign in again if it expired.",
                    "extensions": {"code": "UNAUTHENTICATED"},
                }
            ]
        },
        status_code=401,
        headers={"WWW-Authenticate": "Bearer"},
    )


@dataclass(frozen=True, slots=True)
class Edge:
    """How a route meets requests: its limits, cost budget and hygiene."""

    rules: RequestRules = RequestRules()
    limits: DocumentLimits = DOCUMENT_LIMITS
    buckets: Buckets | None = None
    maximum_query_cost: int = MAX_QUERY_COST
    # Off on the dashboard in production: its app introspects nothing.
    allows_introspection: bool = True
    graphql_ide: bool = True
    request_timeout: float = REQUEST_TIMEOUT_SECONDS
    # Operations executing at once on the route, per process; the rest wait
    # their turn (within their timeout). Interleaving many large answers on one event
    # loop halves what it serves and makes every one of them slow.
    concurrent_operations: int = 4


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's ASGI view with our context; closes the request's session."""

    def __init__(
        self,
        schema: Any,
        session_factory: async_sessionmaker[AsyncSession],
        authenticate: Authenticate,
        services: Services,
        edge: Edge | None = None,
        *,
        accepts_uploads: bool = False,
    ) -> None:
        self.edge = edge or Edge()
        super().__init__(
            schema,
            multipart_uploads_enabled=accepts_uploads,
            graphql_ide="graphiql" if self.edge.graphql_ide else None,
        )
        self.session_factory = session_factory
        self.authenticate = authenticate
        self.services = services
        self.upload_limit = services.max_upload_bytes if accepts_uploads else None
        self.turns = asyncio.Semaphore(self.edge.concurrent_operations)

    async def run(
        self, request: Any, context: Any = None, root_value: Any = None
    ) -> Any:
        if not isinstance(request, Request):
            return await super().run(request)
        media_type = (
            GRAPHQL_RESPONSE if accepts_graphql_response(request) else LEGACY_JSON
        )
        try:
            checked = await check_request(
                request, self.edge.rules, self.edge.limits.max_tokens, self.upload_limit
            )
        except RefusedRequest as refused:
            headers = {name.title(): value for name, value in refused.headers.items()}
            return error_response(
                refused.status, str(refused), media_type, headers, refused.code
            )
        try:
            viewer = await self.authenticate(request)
        except InvalidCredentials:
            return unauthenticated_response()
        if checked.is_graphql_ide:
            return await self.render_ide()
        return await self.execute_checked(request, checked, viewer, media_type)

    async def execute_checked(
        self, request: Request, checked: Checked, viewer: Viewer | None, media_type: str
    ) -> Response:
        """Run the operation in the request's time, session and policy."""
        request.state.checked = checked
        policy = self.policy_for(viewer)
        account_id = viewer.account_id if viewer is not None else None
        database = RequestDatabase(self.session_factory, account_id)
        context = Context(
            viewer=viewer,
            db=database,
            services=self.services,
            policy=policy,
            client_ip=request.client.host if request.client else UNKNOWN_ADDRESS,
        )
        try:
            async with asyncio.timeout(self.edge.request_timeout), self.turns:
                response = await super().run(request, context=context)
        except TimeoutError:
            return timed_out_response(self.edge.request_timeout, media_type)
        finally:
            await database.close()
        if viewer is None and response.status_code == 200 and asks_to_sign_in(response):
            return unauthenticated_response()
        return with_budget(response, policy.budget, media_type)

    def policy_for(self, viewer: Viewer | None) -> RequestPolicy:
        """Introspection for signed-in callers; partners spend from their key."""
        budget = Budget(maximum_cost=self.edge.maximum_query_cost)
        is_partner = viewer is not None and viewer.kind is ViewerKind.PARTNER
        if viewer is not None and is_partner and self.edge.buckets is not None:
            budget.buckets = self.edge.buckets
            budget.key = f"api-key:{viewer.api_key_id}"
        return RequestPolicy(
            limits=self.edge.limits,
            allows_introspection=viewer is not None and self.edge.allows_introspection,
            budget=budget,
            reports_cost=is_partner,
        )

    async def parse_http_body(self, request_adapter: Any) -> Any:
        """The operation was read and checked already (``check_request``),
        unless it came with files: Strawberry reads those."""
        content_type = (request_adapter.content_type or "").split(";")[0].strip()
        if content_type.lower() == MULTIPART:
            return await super().parse_http_body(request_adapter)
        return GraphQLRequestData(
            query=None, variables=None, operation_name=None, extensions=None
        )

    async def execute_single(  # type: ignore[override]
        self,
        request: Request,
        request_data: GraphQLRequestData,
        **arguments: Any,
    ) -> ExecutionResult:
        checked: Checked = request.state.checked
        if checked.is_multipart:
            return await super().execute_single(
                request=request, request_data=request_data, **arguments
            )
        request_data = GraphQLRequestData(
            query=checked.query,
            variables=checked.variables,
            operation_name=checked.operation_name,
            extensions=checked.extensions,
        )
        return await super().execute_single(
            request=request, request_data=request_data, **arguments
        )

    def encode_json(self, data: object) -> bytes:
        # Responses of whole profiles run to hundreds of kilobytes; orjson
        # writes them several times faster than the standard library.
        return orjson.dumps(data)

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        if result.errors:
            result.errors = masked(result.errors)
        return await super().process_result(request, result)

    async def render_ide(self) -> Response:
        if not self.edge.graphql_ide:
            return error_response(
                404, "GraphiQL is not served on this route.", LEGACY_JSON
            )
        return graphiql_page(self.graphql_ide_html)


def timed_out_response(seconds: float, media_type: str) -> Response:
    return error_response(
        503,
        f"The request took longer than {seconds:g} s and was stopped. Ask for "
        "less at once, or retry later.",
        media_type,
        {"Retry-After": "1"},
        code="TIMEOUT",
    )


def with_budget(response: Response, budget: Budget | None, media_type: str) -> Response:
    """Set the status the cost answer implies, and the rate-limit headers."""
    headers = budget.rate_limit_headers() if budget is not None else {}
    is_throttled = "Retry-After" in headers
    if is_throttled:
        status = 429
    elif media_type == GRAPHQL_RESPONSE and response.status_code == 200:
        status = graphql_response_status(orjson.loads(response.body))
    else:
        status = response.status_code
    if status == response.status_code and not headers and media_type == LEGACY_JSON:
        return response
    kept = {
        name: value
        for name, value in response.headers.items()
        if name not in {"content-type", "content-length"}
    }
    return Response(
        response.body,
        status_code=status,
        media_type=media_type,
        headers={**kept, **headers},
    )


def asks_to_sign_in(response: Response) -> bool:
    """Nothing answered for want of credentials: the request needed a token."""
    body = orjson.loads(response.body)
    errors = body.get("errors") or []
    codes = {(error.get("extensions") or {}).get("code") for error in errors}
    data = body.get("data") or {}
    return codes == {"UNAUTHENTICATED"} and all(
        value is None for value in data.values()
    )
