"""Alembic environment: runs migrations on the async engine of the URL given."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from persistence.database import create_engine
from persistence.models import Base
from persistence.models.base import include_in_comparison

config = context.config


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things in place; batch mode copies tables.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_in_comparison(connection.dialect.name),
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return

    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise SystemExit("Alembic was started without a database URL.")
    engine = create_engine(url)
    async with engine.connect() as async_connection:
        await async_connection.run_sync(run_migrations)
        await async_connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported.")
asyncio.run(run_online())
