"""Staff open a client's dashboard as the client sees it: a short-lived,
read-only token (``TokenKind.STAFF_PREVIEW``) that the dashboard route
accepts and every dashboard change refuses (``domain.dashboard.access``).

Opening one is recorded on the client's activity, with who opened it and
until when it works. An archived or merged client, or one whose dashboard
access is off, has no dashboard to open.
"""

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.client_settings import client_setting
from domain.identity.tokens import IssuedToken, issue_token
from domain.identity.viewer import Viewer
from domain.people import ClientProblem, find_client
from domain.problems import refuse
from persistence.models import TokenKind


async def open_client_dashboard(
    session: AsyncSession, viewer: Viewer, client_id: uuid.UUID, now: datetime
) -> IssuedToken:
    client = await find_client(session, viewer, client_id)
    if client.archived_at is not None:
        refuse(
            ClientProblem.CLIENT_ARCHIVED,
            "clientId",
            "This client is archived; its dashboard is closed.",
        )
    if not await client_setting(session, client, "dashboard_access"):
        refuse(
            ClientProblem.DASHBOARD_ACCESS_OFF,
            "clientId",
            "Dashboard access is off for this client; turn the dashboard_access "
            "setting on to open its dashboard.",
        )

    issued = await issue_token(
        session,
        TokenKind.STAFF_PREVIEW,
        client.account_id,
        now,
        staff_user_id=viewer.staff_user_id,
        client_id=client.id,
    )
    await record_activity(
        session,
        viewer,
        "client.dashboard_opened",
        client_id=client.id,
        subject=client,
        expires_at=issued.expires_at.isoformat(),
    )
    return issued


def preview_url(dashboard_url: str, token: str) -> str:
    """Where the dashboard app opens a preview; the token rides in the
    fragment, which browsers never send to servers."""
    return f"{dashboard_url.rstrip('/')}/preview#token={token}"
