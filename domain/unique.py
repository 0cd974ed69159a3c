"""Inserting a row that a unique index may already have from another writer."""

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.models.base import Base


async def insert_unless_taken(session: AsyncSession, row: Base) -> bool:
    """Insert ``row``; False when a concurrent transaction committed a row
    with the same unique value first.

    On PostgreSQL the insert runs in a savepoint, so the unique violation
    leaves the transaction usable. SQLite allows one writer at a time: the
    caller's earlier lookup has already seen any committed row, and its
    driver would end the whole transaction when releasing a savepoint.
    """
    if session.get_bind().dialect.name != "postgresql":
        session.add(row)
        await session.flush()
        return True
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True
