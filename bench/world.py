"""The benchmark account: seeded once per database, and who the scenarios are."""

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.identity.dashboard import has_dashboard_access, is_on_hold
from domain.identity.passwords import hash_password
from domain.identity.tokens import issue_token
from domain.seeding import seed_rules
from persistence.database import create_engine, create_session_factory
from persistence.migrate import upgrade
from persistence.models import (
    Account,
    Client,
    Contact,
    Invoice,
    StaffRole,
    StaffUser,
    Task,
    TokenKind,
)


@dataclass(frozen=True)
class World:
    """The account at scale, its heaviest client and who looks at it."""

    account_id: int
    client_id: int
    client_public_id: uuid.UUID
    contact_id: int
    staff_user_id: int
    is_on_hold: bool

    def parameters(self, **more: Any) -> dict[str, Any]:
        """What the floors' statements take."""
        return {
            "account": self.account_id,
            "client": self.client_id,
            "client_public": self.client_public_id,
            "contact": self.contact_id,
            "staff": self.staff_user_id,
            "today": date.today(),
            "pattern": "%nguyen%",
            **more,
        }


async def seeded_account(engine: AsyncEngine, scale: int) -> int:
    """The account of ``seed --scale`` with ``scale`` clients, seeded if missing."""
    from persistence.seed import seed_scale

    async with engine.connect() as connection:
        account_id = await connection.scalar(
            select(Account.id).where(Account.slug == f"scale-{scale}-1")
        )
    if account_id is not None:
        return int(account_id)
    print(f"Seeding {scale:,} clients (once)…", flush=True)
    summary = await seed_scale(
        engine,
        clients=scale,
        seed=1,
        today=date.today(),
        staff_password_hash=hash_password("benchmark-only"),
        rules=seed_rules(),
        progress=True,
    )
    return summary.account_id


async def heaviest_clients(engine: AsyncEngine, account_id: int) -> list[int]:
    """Clients by how many invoices and tasks they have, most first."""
    async with engine.connect() as connection:
        activity = (
            select(Invoice.client_id.label("client_id"))
            .where(Invoice.account_id == account_id)
            .union_all(select(Task.client_id).where(Task.account_id == account_id))
            .subquery()
        )
        found = await connection.scalars(
            select(activity.c.client_id)
            .group_by(activity.c.client_id)
            .order_by(func.count().desc(), activity.c.client_id)
            .limit(20)
        )
        return list(found)


async def prepare(database_url: str, scale: int) -> World:
    """Migrate, seed when needed, and pick the heaviest client with a dashboard
    that is not on hold (a held client's overview shows only what to pay)."""
    await asyncio.to_thread(upgrade, database_url)
    engine = create_engine(database_url)
    try:
        account_id = await seeded_account(engine, scale)
        sessions = create_session_factory(engine)
        async with sessions() as session:
            for client_id in await heaviest_clients(engine, account_id):
                if await has_dashboard_access(
                    session, client_id
                ) and not await is_on_hold(session, client_id):
                    break
            client = await session.get_one(Client, client_id)
            contact_id = await session.scalar(
                select(Contact.id).where(
                    Contact.client_id == client_id, Contact.is_primary
                )
            )
            staff_user_id = await session.scalar(
                select(StaffUser.id)
                .join(StaffRole, StaffRole.id == StaffUser.role_id)
                .where(StaffUser.account_id == account_id, StaffRole.name == "admin")
                .order_by(StaffUser.id)
                .limit(1)
            )
            return World(
                account_id=account_id,
                client_id=client_id,
                client_public_id=client.public_id,
                contact_id=int(contact_id or 0),
                staff_user_id=int(staff_user_id or 0),
                is_on_hold=await is_on_hold(session, client_id),
            )
    finally:
        await engine.dispose()


async def access_tokens(database_url: str, world: World) -> dict[str, str]:
    """Bearer tokens for the HTTP runs: an admin and the client's dashboard."""
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    try:
        async with create_session_factory(engine)() as session:
            staff = await issue_token(
                session,
                TokenKind.STAFF,
                world.account_id,
                now,
                staff_user_id=world.staff_user_id,
            )
            dashboard = await issue_token(
                session,
                TokenKind.DASHBOARD,
                world.account_id,
                now,
                client_id=world.client_id,
                contact_id=world.contact_id,
            )
            await session.commit()
    finally:
        await engine.dispose()
    return {"staff": staff.token, "dashboard": dashboard.token}
