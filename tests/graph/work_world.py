"""A world for work mutations: an account with a price list and fees, a
client at one service address, a staff user, and a clock tests can move."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.requests import Request

from domain.identity.viewer import Viewer, ViewerKind
from domain.permissions import ALL
from graph.app import create_app
from graph.context import Services
from graph.ids import encode_global_id
from persistence.config import Config
from persistence.models import (
    Account,
    ActivityRecord,
    Address,
    Charge,
    Client,
    Fee,
    Job,
    JobLine,
    NotificationLogEntry,
    PriceListItem,
    StaffUser,
    Task,
    WeightTicket,
)
from tests.factories import add, add_address, add_client, add_staff_user
from tests.graph.conftest import GraphClient

# Noon in Denver, the account's time zone.
MONDAY = datetime(2026, 6, 15, 18, tzinfo=UTC)
STANDARD = 47_500
ERRORS = "userErrors { field code }"


@dataclass
class Clock:
    now: datetime = MONDAY

    def day(self, days: int) -> str:
        return (MONDAY + timedelta(days=days)).date().isoformat()

    def move_to(self, days: int) -> None:
        self.now = MONDAY + timedelta(days=days)


@dataclass
class WorkWorld:
    account: Account
    client: Client
    address: Address
    staff: StaffUser
    clock: Clock = field(default_factory=Clock)

    @property
    def client_id(self) -> str:
        return encode_global_id("Client", self.client.public_id)

    @property
    def address_id(self) -> str:
        return encode_global_id("Address", self.address.public_id)

    def viewer(self, permissions: Any = ALL) -> Viewer:
        return Viewer(
            account_id=self.account.id,
            kind=ViewerKind.STAFF,
            permissions=frozenset(permissions),
            staff_user_id=self.staff.id,
        )


@pytest.fixture
async def world(session: AsyncSession, account: Account) -> WorkWorld:
    await add(
        session,
        PriceListItem(
            account_id=account.id, container_size=20, rental_days=7,
            base_price=STANDARD, included_days=7, included_tons=Decimal("3.00"),
            overage_per_ton=9_500, per_extra_day=1_500,
        ),
    )  # fmt: skip
    for code, amount in (("relocation", 9_500), ("trip_charge", 12_500)):
        await add(
            session, Fee(account_id=account.id, code=code, name=code, amount=amount)
        )
    client = await add_client(session, account)
    address = await add_address(session, client)
    staff = await add_staff_user(session, account, name="Dana Dispatch")
    await session.commit()
    return WorkWorld(account, client, address, staff)


@asynccontextmanager
async def work_graph_as(
    engine: AsyncEngine, world: WorkWorld, viewer: Viewer
) -> AsyncIterator[GraphClient]:
    async def authenticate(request: Request) -> Viewer:
        return viewer

    services = Services(
        dashboard_url="https://dash.example",
        clock=lambda: world.clock.now,
    )
    app = create_app(Config.from_environment(), authenticate, engine, services)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield GraphClient(http, engine)


@pytest.fixture
async def staff(engine: AsyncEngine, world: WorkWorld) -> AsyncIterator[GraphClient]:
    """Signed in as the world's staff user, holding every permission."""
    async with work_graph_as(engine, world, world.viewer()) as graph:
        yield graph


async def mutate(graph: GraphClient, document: str, **input: Any) -> Any:
    data = await graph.data(document, input=input)
    return next(iter(data.values()))


def codes(result: Any) -> list[str]:
    return sorted(error["code"] for error in result["userErrors"])


COUNTED = (
    Task,
    Job,
    JobLine,
    Charge,
    WeightTicket,
    ActivityRecord,
    NotificationLogEntry,
)


async def counts(session: AsyncSession) -> tuple[int, ...]:
    """Rows of every table a work mutation writes to."""
    return tuple(
        [await session.scalar(select(func.count(table.id))) or 0 for table in COUNTED]
    )


Step = Callable[[], Awaitable[Any]]
