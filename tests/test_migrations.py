"""Migrations and models describe the same schema, on every database."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from persistence.migrate import alembic_config
from persistence.models import Base
from persistence.models.base import include_in_comparison


def schema_differences(connection: Connection) -> list[object]:
    options = {
        "compare_type": True,
        "include_object": include_in_comparison(connection.dialect.name),
    }
    context = MigrationContext.configure(connection, opts=options)
    return list(compare_metadata(context, Base.metadata))


async def test_migrated_schema_matches_the_models(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        differences = await connection.run_sync(schema_differences)

    assert differences == []


async def test_migrations_are_at_head(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        revision = await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert revision == head
