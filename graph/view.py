"""The GraphQL HTTP view of one audience: who is asking, then the schema.

A request without credentials runs as nobody (only public fields, such as
signing in, answer it); a request with credentials that are invalid, expired,
revoked or of another audience's kind is refused with 401 before execution.
"""

import json
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from strawberry.asgi import GraphQL

from domain.identity.dashboard import has_dashboard_access, is_on_hold
from domain.identity.tokens import viewer_for_token
from domain.identity.viewer import Viewer, ViewerKind
from graph.context import Context, RequestDatabase, Services
from graph.http import (
    GRAPHQL_RESPONSE,
    LEGACY_JSON,
    RefusedRequest,
    accepts_graphql_response,
    check_request,
    error_response,
    graphql_response_status,
)


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
                # All dashboard access stops while the client's setting is off.
                if not await has_dashboard_access(session, viewer.client_id):
                    raise InvalidCredentials
                if await is_on_hold(session, viewer.client_id):
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


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's ASGI view with our context; closes the request's session."""

    def __init__(
        self,
        schema: Any,
        session_factory: async_sessionmaker[AsyncSession],
        authenticate: Authenticate,
        services: Services,
        *,
        accepts_uploads: bool = False,
    ) -> None:
        super().__init__(schema, multipart_uploads_enabled=accepts_uploads)
        self.session_factory = session_factory
        self.authenticate = authenticate
        self.services = services
        self.upload_limit = services.max_upload_bytes if accepts_uploads else None

    async def run(
        self, request: Any, context: Any = None, root_value: Any = None
    ) -> Any:
        if not isinstance(request, Request):
            return await super().run(request)
        media_type = (
            GRAPHQL_RESPONSE if accepts_graphql_response(request) else LEGACY_JSON
        )
        try:
            checked = await check_request(request, self.upload_limit)
        except RefusedRequest as refused:
            headers = {name.title(): value for name, value in refused.headers.items()}
            return error_response(refused.status, str(refused), media_type, headers)
        try:
            viewer = await self.authenticate(request)
        except InvalidCredentials:
            return unauthenticated_response()
        if checked.is_graphql_ide:
            return await super().run(request)
        account_id = viewer.account_id if viewer is not None else None
        database = RequestDatabase(self.session_factory, account_id)
        context = Context(viewer=viewer, db=database, services=self.services)
        try:
            response = await super().run(request, context=context)
        finally:
            await database.close()
        if viewer is None and response.status_code == 200 and asks_to_sign_in(response):
            return unauthenticated_response()
        if media_type == GRAPHQL_RESPONSE and response.status_code == 200:
            return with_graphql_response_media_type(response)
        return response


def asks_to_sign_in(response: Response) -> bool:
    """Nothing answered for want of credentials: the request needed a token."""
    body = json.loads(bytes(response.body))
    errors = body.get("errors") or []
    codes = {(error.get("extensions") or {}).get("code") for error in errors}
    data = body.get("data") or {}
    return codes == {"UNAUTHENTICATED"} and all(
        value is None for value in data.values()
    )


def with_graphql_response_media_type(response: Response) -> Response:
    """The same body, as ``application/graphql-response+json`` with its status."""
    status = graphql_response_status(json.loads(bytes(response.body)))
    headers = {
        name: value
        for name, value in response.headers.items()
        if name not in {"content-type", "content-length"}
    }
    return Response(
        response.body, status_code=status, media_type=GRAPHQL_RESPONSE, headers=headers
    )
