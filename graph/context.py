"""What every resolver can reach: the viewer, the database and the loaders."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeAlias, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.types import Info as StrawberryInfo

from domain.identity.viewer import Viewer

Result = TypeVar("Result")


class RequestDatabase:
    """One session per request, used by one query at a time.

    Loaders dispatch their batches concurrently; an AsyncSession allows one
    operation at a time, so batches take turns on the request's session.
    """

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory
        self.session: AsyncSession | None = None
        self.lock = asyncio.Lock()

    async def run(self, work: Callable[[AsyncSession], Awaitable[Result]]) -> Result:
        async with self.lock:
            if self.session is None:
                self.session = self.session_factory()
            return await work(self.session)

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None


@dataclass
class Context:
    viewer: Viewer
    db: RequestDatabase
    loaders: dict[Any, Any] = field(default_factory=dict)

    def loader(self, key: Any, build: Callable[[], Result]) -> Result:
        """The request's loader for ``key``, built on first use."""
        if key not in self.loaders:
            self.loaders[key] = build()
        return self.loaders[key]


Info: TypeAlias = StrawberryInfo[Context, None]
