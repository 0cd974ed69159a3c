"""Databases for tests: SQLite by default, PostgreSQL with TEST_DATABASE_URL.

``TEST_DATABASE_URL`` names a PostgreSQL server and a database to connect to
for administration (``postgresql+asyncpg://postgres@127.0.0.1:5432/test``);
the suite creates databases of its own beside it, with a name unique to the
run, and drops them at the end, so parallel runs never collide.

Each test gets a clean, migrated database: on SQLite a copy of a migrated
template file, on PostgreSQL one shared database truncated after each test.
"""

import asyncio
import os
import secrets
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from persistence.config import sqlite_url
from persistence.database import create_engine, create_session_factory
from persistence.migrate import upgrade
from persistence.models import Base

MakeDatabase = Callable[[], Awaitable[str]]


class PostgresServer:
    """Creates and drops the run's own databases on the configured server."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url)
        self.prefix = f"haulgraph_test_{os.getpid()}_{secrets.token_hex(3)}"
        self.created: list[str] = []

    def url_of(self, database: str) -> str:
        return self.admin_url.set(database=database).render_as_string(
            hide_password=False
        )

    async def execute(self, statement: str) -> None:
        engine = create_engine(
            self.admin_url.render_as_string(hide_password=False),
            isolation_level="AUTOCOMMIT",
        )
        async with engine.connect() as connection:
            await connection.execute(text(statement))
        await engine.dispose()

    async def create(self, suffix: str, template: str | None = None) -> str:
        name = f"{self.prefix}_{suffix}"
        clause = f" TEMPLATE {template}" if template else ""
        await self.execute(f"CREATE DATABASE {name}{clause}")
        self.created.append(name)
        return name

    async def drop_all(self) -> None:
        for name in reversed(self.created):
            await self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer | None]:
    admin_url = os.environ.get("TEST_DATABASE_URL")
    if not admin_url:
        yield None
        return
    server = PostgresServer(admin_url)
    yield server
    asyncio.run(server.drop_all())


@pytest.fixture(scope="session")
async def template_database_url(
    postgres_server: PostgresServer | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> str:
    """A database migrated to head once per run; every test starts from it."""
    if postgres_server is None:
        url = sqlite_url(tmp_path_factory.mktemp("template") / "template.sqlite3")
    else:
        url = postgres_server.url_of(await postgres_server.create("template"))
    await asyncio.to_thread(upgrade, url)
    return url


@pytest.fixture
async def make_database(
    template_database_url: str,
    postgres_server: PostgresServer | None,
    tmp_path: Path,
) -> MakeDatabase:
    """A factory of new, empty, migrated databases, each with its own URL."""
    counter = iter(range(1_000_000))

    async def make() -> str:
        number = next(counter)
        if postgres_server is None:
            source = Path(make_url(template_database_url).database or "")
            target = tmp_path / f"database-{number}.sqlite3"
            shutil.copyfile(source, target)
            return sqlite_url(target)
        template = make_url(template_database_url).database
        name = await postgres_server.create(
            f"{secrets.token_hex(4)}_{number}", template=template
        )
        return postgres_server.url_of(name)

    return make


@pytest.fixture(scope="session")
async def shared_postgres_url(
    postgres_server: PostgresServer | None, template_database_url: str
) -> str | None:
    if postgres_server is None:
        return None
    template = make_url(template_database_url).database
    name = await postgres_server.create("shared", template=template)
    return postgres_server.url_of(name)


@pytest.fixture
async def engine(
    make_database: MakeDatabase, shared_postgres_url: str | None
) -> AsyncIterator[AsyncEngine]:
    """An engine on a clean, migrated database."""
    url = shared_postgres_url or await make_database()
    engine = create_engine(url)
    yield engine
    if shared_postgres_url:
        await empty_all_tables(engine)
    await engine.dispose()


async def empty_all_tables(engine: AsyncEngine) -> None:
    """Delete every row; far faster than TRUNCATE for the few rows a test makes.

    The replica role skips triggers: foreign-key checks (so order does not
    matter) and the activity record's append-only guard.
    """
    async with engine.begin() as connection:
        await connection.execute(text("SET LOCAL session_replication_role = replica"))
        for table in Base.metadata.sorted_tables:
            await connection.execute(table.delete())


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with create_session_factory(engine)() as session:
        yield session
