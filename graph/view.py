"""The GraphQL HTTP view: a request's context, and who is asking."""

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import JSONResponse
from strawberry.asgi import GraphQL

from graph.context import Context, RequestDatabase, Viewer

Authenticate = Callable[[Request], Awaitable[Viewer | None]]


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's ASGI view with our context; closes the request's session."""

    def __init__(
        self,
        schema: Any,
        session_factory: async_sessionmaker[AsyncSession],
        authenticate: Authenticate,
    ) -> None:
        super().__init__(schema, multipart_uploads_enabled=False)
        self.session_factory = session_factory
        self.authenticate = authenticate

    async def run(
        self, request: Any, context: Any = None, root_value: Any = None
    ) -> Any:
        if not isinstance(request, Request):
            return await super().run(request)
        viewer = await self.authenticate(request)
        if viewer is None:
            return JSONResponse(
                {
                    "errors": [
                        {
                            "message": "Sign in: send a valid access token as "
                            "`Authorization: Bearer <token>`.",
                            "extensions": {"code": "UNAUTHENTICATED"},
                        }
                    ]
                },
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        database = RequestDatabase(self.session_factory)
        context = Context(viewer=viewer, db=database)
        try:
            return await super().run(request, context=context)
        finally:
            await database.close()
