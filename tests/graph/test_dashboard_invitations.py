"""inviteToDashboard, and createClient's invitation on request."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from graph.ids import encode_global_id
from persistence.enums import Channel, NotificationEvent, NotificationTrigger
from persistence.models import (
    Account,
    ActivityRecord,
    Client,
    ClientSettingOverride,
    NotificationLogEntry,
)
from tests.factories import add_client, add_contact
from tests.graph.conftest import GraphClient
from tests.graph.test_create_client import CREATE, new_client

INVITE = """
mutation($id: ID!) {
  inviteToDashboard(input: {clientId: $id}) {
    client { displayName } userErrors { field code message }
  }
}
"""
MOMENT = datetime(2026, 3, 1, tzinfo=UTC)


async def invitations(session: AsyncSession) -> list[tuple[str, str]]:
    rows = await session.execute(
        select(NotificationLogEntry.event, NotificationLogEntry.trigger).where(
            NotificationLogEntry.channel == Channel.EMAIL
        )
    )
    return [(event, trigger) for event, trigger in rows]


async def test_an_invitation_is_queued_for_the_primary_contact(
    graph: GraphClient, session: AsyncSession, account: Account
) -> None:
    client = await add_client(session, account)
    await add_contact(session, client, email="ana@example.com", is_primary=True)
    await session.commit()

    data = await graph.data(INVITE, id=client_id(client))

    assert data["inviteToDashboard"]["userErrors"] == []
    assert await invitations(session) == [
        (NotificationEvent.DASHBOARD_INVITATION, NotificationTrigger.MANUAL)
    ]
    action = await session.scalar(select(ActivityRecord.action))
    assert action == "client.invited"


async def test_a_new_client_is_invited_only_when_asked(
    graph: GraphClient, session: AsyncSession
) -> None:
    plain = await graph.data(CREATE, input=new_client())
    asked = await graph.data(
        CREATE, input=new_client(displayName="Second", inviteToDashboard=True)
    )

    assert plain["createClient"]["userErrors"] == []
    assert asked["createClient"]["userErrors"] == []
    assert await invitations(session) == [
        (NotificationEvent.DASHBOARD_INVITATION, NotificationTrigger.MANUAL)
    ]


@pytest.mark.parametrize("state", ["missing", "archived", "merged", "no_access"])
async def test_a_client_that_cannot_use_a_dashboard_is_not_invited(
    graph: GraphClient, session: AsyncSession, account: Account, state: str
) -> None:
    client = await add_client(session, account)
    other = await add_client(session, account)
    await add_contact(session, client, email="ana@example.com", is_primary=True)
    if state == "archived":
        client.archived_at = MOMENT
    if state == "merged":
        client.merged_into_id = other.id
    if state == "no_access":
        session.add(
            ClientSettingOverride(
                account_id=account.id,
                client_id=client.id,
                key="dashboard_access",
                value=False,
                changed_at=MOMENT,
            )
        )
    await session.commit()
    target = "bm9wZQ" if state == "missing" else client_id(client)

    data = await graph.data(INVITE, id=target)

    expected = {
        "missing": "CLIENT_NOT_FOUND",
        "archived": "CLIENT_ARCHIVED",
        "merged": "CLIENT_MERGED",
        "no_access": "DASHBOARD_ACCESS_OFF",
    }[state]
    errors = data["inviteToDashboard"]["userErrors"]
    assert [(error["field"], error["code"]) for error in errors] == [
        (["input", "clientId"], expected)
    ]
    assert await invitations(session) == []


def client_id(client: Client) -> str:
    return encode_global_id("Client", client.public_id)
