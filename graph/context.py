"""What every resolver can reach: the viewer, the database and the loaders."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.types import Info as StrawberryInfo

from domain.attachments import DEFAULT_SIZE_LIMIT
from domain.gateway import PaymentGateway, SandboxGateway
from domain.identity.viewer import Viewer
from graph.errors import Unauthenticated
from graph.policy import RequestPolicy
from persistence.files import FileStore
from persistence.tenancy import scope_to_account

Result = TypeVar("Result")
# The unspecified address: a request whose peer the server did not report.
UNKNOWN_ADDRESS = "0.0.0.0"


class RequestDatabase:
    """One session per request, used by one query at a time.

    Loaders dispatch their batches concurrently; an AsyncSession allows one
    operation at a time, so batches take turns on the request's session.

    Once the request has closed it, nothing opens another: an error can end
    an operation while a loader's batch is still queued, and that batch, with
    no one left to answer, is cancelled instead of checking out a connection
    that nobody would return.
    """

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        account_id: int | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.account_id = account_id
        self.session: AsyncSession | None = None
        self.lock = asyncio.Lock()
        self.is_closed = False

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[AsyncSession]:
        """The request's session, for the block's work alone until it ends."""
        async with self.lock:
            if self.is_closed:
                raise asyncio.CancelledError
            if self.session is None:
                self.session = self.session_factory()
                if self.account_id is not None:
                    scope_to_account(self.session, self.account_id)
            yield self.session

    async def run(self, work: Callable[[AsyncSession], Awaitable[Result]]) -> Result:
        async with self.turn() as session:
            return await work(session)

    async def write(self, work: Callable[[AsyncSession], Awaitable[Result]]) -> Result:
        """Run ``work`` and commit; on any exception nothing it did remains.

        A ``work`` that finds a problem with the input returns it as data and
        calls ``session.rollback()`` itself before returning.
        """

        async def committed(session: AsyncSession) -> Result:
            try:
                result = await work(session)
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
            return result

        return await self.run(committed)

    async def close(self) -> None:
        """End the request's database work (after a batch still running)."""
        async with self.lock:
            self.is_closed = True
            if self.session is not None:
                await self.session.close()
                self.session = None


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Services:
    """Adapters and settings the API was started with."""

    dashboard_url: str
    clock: Callable[[], datetime] = utcnow
    files: FileStore = field(default_factory=lambda: FileStore(Path("data/files")))
    max_upload_bytes: int = DEFAULT_SIZE_LIMIT
    # The local sandbox until a real processor's adapter is configured.
    gateway: PaymentGateway = field(default_factory=SandboxGateway)


@dataclass
class Context:
    viewer: Viewer | None
    db: RequestDatabase
    services: Services
    loaders: dict[Any, Any] = field(default_factory=dict)
    # What the edge allows this request (introspection, query cost).
    policy: RequestPolicy = field(default_factory=RequestPolicy)
    # The caller's address, kept with signatures and accepted terms.
    client_ip: str = UNKNOWN_ADDRESS

    @property
    def signed_in_viewer(self) -> Viewer:
        """The viewer, for fields that run only for signed-in callers."""
        if self.viewer is None:
            raise Unauthenticated()
        return self.viewer

    @property
    def account_id(self) -> int:
        """The viewer's account: every query is scoped to it."""
        return self.signed_in_viewer.account_id

    def loader(self, key: Any, build: Callable[[], Result]) -> Result:
        """The request's loader for ``key``, built on first use."""
        if key not in self.loaders:
            self.loaders[key] = build()
        return self.loaders[key]


Info: TypeAlias = StrawberryInfo[Context, None]
