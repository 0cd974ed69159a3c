"""The partner guide's example queries run against the demo data with a key."""

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.identity.api_keys import create_api_key
from domain.permissions import Permission
from domain.seeding import seed_rules
from graph.app import create_app
from graph.throttle import MemoryBuckets
from persistence.config import Config
from persistence.database import create_session_factory
from persistence.models import Account
from persistence.seed import seed_demo
from tests.graph.conftest import Clock

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
SCOPES = frozenset(
    {Permission.CLIENTS_READ, Permission.BILLING_READ, Permission.WORK_READ}
)


class Partner:
    """A partner calling the API with a key; the clock refills its bucket."""

    def __init__(self, http: httpx.AsyncClient, key: str, clock: Clock) -> None:
        self.http = http
        self.key = key
        self.clock = clock

    async def run(self, example: str, **variables: Any) -> dict[str, Any]:
        self.clock.advance(60)
        response = await self.http.post(
            "/partner/graphql",
            json={"query": (EXAMPLES / example).read_text(), "variables": variables},
            headers={"Authorization": f"Bearer {self.key}"},
        )
        body = response.json()
        assert response.status_code == 200, body
        assert "errors" not in body, body["errors"]
        assert body["extensions"]["cost"]["actualQueryCost"] > 0
        return body["data"]


@pytest.fixture
async def partner(engine: AsyncEngine, clock: Clock) -> AsyncIterator[Partner]:
    await seed_demo(
        engine, today=date(2026, 6, 15), staff_password_hash="x", rules=seed_rules()
    )
    async with create_session_factory(engine)() as session:
        account_id = await session.scalar(
            select(Account.id).where(Account.slug == "demo")
        )
        assert account_id is not None
        issued = await create_api_key(
            session, account_id, "Examples", SCOPES, datetime.now(UTC)
        )
        await session.commit()
    app = create_app(
        Config.from_environment(), engine=engine, buckets=MemoryBuckets(clock=clock)
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield Partner(http, issued.key, clock)


def test_there_are_five_examples() -> None:
    assert len(list(EXAMPLES.glob("*.graphql"))) == 5


async def test_the_examples_answer_with_demo_data(partner: Partner) -> None:
    who = await partner.run("1-who-am-i.graphql")
    overdue = await partner.run("2-clients-with-overdue-invoices.graphql")
    recent = await partner.run("4-recent-invoices-of-clients.graphql")
    first_word = overdue["clients"]["nodes"][0]["displayName"].split()[0]
    found = await partner.run("3-search-clients.graphql", text=first_word)
    upcoming = [
        await partner.run("5-upcoming-dumpster-tasks.graphql", clientId=client["id"])
        for client in recent["clients"]["nodes"]
    ]

    assert who["viewer"]["kind"] == "PARTNER"
    assert set(who["viewer"]["permissions"]) == {str(scope) for scope in SCOPES}
    assert overdue["clients"]["totalCount"] > 0
    assert all(
        int(client["billing"]["overdue"]["amount"].replace(".", "")) > 0
        for client in overdue["clients"]["nodes"]
    )
    assert any(
        client["billing"]["invoices"]["totalCount"] > 0
        for client in recent["clients"]["nodes"]
    )
    assert found["clients"]["totalCount"] > 0
    assert any(answer["client"]["tasks"]["totalCount"] > 0 for answer in upcoming)
