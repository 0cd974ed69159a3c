"""openClientDashboard: staff open a client's dashboard read-only, with real
tokens on both routes."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.identity.staff import create_staff_user
from graph.app import create_app
from graph.context import Services
from persistence.config import Config
from persistence.enums import ActorKind
from persistence.models import (
    Account,
    ActivityRecord,
    Client,
    ClientSettingOverride,
    NotificationPreferenceOverride,
    StaffUser,
)
from tests.factories import add_client
from tests.graph.dashboard.conftest import gid

SIGN_IN = """
mutation { signIn(input: {email: "office@summit.example", password: "pw-office"}) {
  accessToken } }
"""
OPEN = """
mutation($id: ID!) {
  openClientDashboard(input: {clientId: $id}) {
    url expiresAt userErrors { field code }
  }
}
"""
SET_PREFERENCE = """
mutation {
  setCommunicationPreference(
    input: {event: INVOICE_SENT, channel: EMAIL, isEnabled: false}
  ) { setting { isEnabled } userErrors { code } }
}
"""
VIEWER = "{ viewer { isStaffPreview client { displayName } } }"


@pytest.fixture
async def http(engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    services = Services(dashboard_url="https://dash.example/")
    app = create_app(Config.from_environment(), engine=engine, services=services)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@pytest.fixture
async def staff_token(
    http: httpx.AsyncClient, session: AsyncSession, account: Account
) -> str:
    await create_staff_user(
        session, account.id, "office@summit.example", "Olive", "pw-office", "office"
    )
    await session.commit()
    response = await http.post("/graphql", json={"query": SIGN_IN})
    token: str = response.json()["data"]["signIn"]["accessToken"]
    return token


async def post(
    http: httpx.AsyncClient, path: str, query: str, token: str, **variables: Any
) -> httpx.Response:
    return await http.post(
        path,
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )


async def test_staff_open_a_read_only_dashboard_that_is_audited(
    http: httpx.AsyncClient, session: AsyncSession, client: Client, staff_token: str
) -> None:
    opened = await post(http, "/graphql", OPEN, staff_token, id=gid("Client", client))

    payload = opened.json()["data"]["openClientDashboard"]
    url = payload["url"]
    assert url.startswith("https://dash.example/preview#token=hgv_")
    expires_at = datetime.fromisoformat(payload["expiresAt"])
    remaining = expires_at - datetime.now(UTC)
    assert timedelta(minutes=14) < remaining <= timedelta(minutes=15)
    token = url.partition("#token=")[2]

    viewer = await post(http, "/dashboard/graphql", VIEWER, token)
    changed = await post(http, "/dashboard/graphql", SET_PREFERENCE, token)

    assert viewer.json()["data"]["viewer"] == {
        "isStaffPreview": True,
        "client": {"displayName": client.display_name},
    }
    assert changed.json()["data"]["setCommunicationPreference"] == {
        "setting": None,
        "userErrors": [{"code": "READ_ONLY"}],
    }
    assert list(await session.scalars(select(NotificationPreferenceOverride))) == []
    record = await session.scalar(select(ActivityRecord))
    assert record is not None
    assert (record.action, record.actor_kind) == (
        "client.dashboard_opened",
        ActorKind.STAFF,
    )
    # The preview token works on the dashboard only.
    staff_route = await post(http, "/graphql", "{ viewer { kind } }", token)
    assert staff_route.status_code == 401


@pytest.mark.parametrize("state", ["missing", "archived", "merged", "no_access"])
async def test_a_client_without_a_dashboard_is_not_opened(
    http: httpx.AsyncClient,
    session: AsyncSession,
    account: Account,
    client: Client,
    staff_token: str,
    state: str,
) -> None:
    survivor = await add_client(session, account)
    if state == "archived":
        client.archived_at = datetime(2026, 3, 1, tzinfo=UTC)
    if state == "merged":
        client.merged_into_id = survivor.id
    if state == "no_access":
        session.add(
            ClientSettingOverride(
                account_id=account.id,
                client_id=client.id,
                key="dashboard_access",
                value=False,
            )
        )
    await session.commit()
    target = "bm9wZQ" if state == "missing" else gid("Client", client)

    response = await post(http, "/graphql", OPEN, staff_token, id=target)

    payload = response.json()["data"]["openClientDashboard"]
    expected = {
        "missing": "CLIENT_NOT_FOUND",
        "archived": "CLIENT_ARCHIVED",
        "merged": "CLIENT_MERGED",
        "no_access": "DASHBOARD_ACCESS_OFF",
    }[state]
    assert payload == {
        "url": None,
        "expiresAt": None,
        "userErrors": [{"field": ["input", "clientId"], "code": expected}],
    }
    assert list(await session.scalars(select(ActivityRecord))) == []


async def test_a_preview_stops_with_the_staff_user_who_opened_it(
    http: httpx.AsyncClient, session: AsyncSession, client: Client, staff_token: str
) -> None:
    opened = await post(http, "/graphql", OPEN, staff_token, id=gid("Client", client))
    token = opened.json()["data"]["openClientDashboard"]["url"].partition("#token=")[2]
    staff_user = await session.scalar(select(StaffUser))
    assert staff_user is not None
    staff_user.is_active = False
    await session.commit()

    response = await post(http, "/dashboard/graphql", VIEWER, token)

    assert response.status_code == 401
