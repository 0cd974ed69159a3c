"""Who may change anything from a dashboard, and what a held client may do.

A staff preview reads a client's dashboard and never changes it. While the
client is on hold, it may still pay, manage its payment methods and set its
communication preferences; everything else waits until the hold is released.
"""

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.viewer import Viewer
from domain.problems import refuse
from persistence.models import Client, Hold


class AccessProblem(StrEnum):
    READ_ONLY = "read_only"
    ON_HOLD = "on_hold"


async def client_acting(
    session: AsyncSession, viewer: Viewer, *, is_open_during_hold: bool = False
) -> Client:
    """The viewer's own client, once it may make this change; refuses a
    preview (``READ_ONLY``) and, unless the change stays open during a hold,
    a held client (``ON_HOLD``)."""
    if viewer.is_read_only:
        refuse(
            AccessProblem.READ_ONLY,
            "",
            "This is a read-only preview of the dashboard; nothing can be changed "
            "from it.",
        )
    client = await session.get_one(Client, viewer.client_id)
    if not is_open_during_hold and await hold_reason(session, client) is not None:
        refuse(
            AccessProblem.ON_HOLD,
            "",
            "Your account is on hold. You can still pay and update your payment "
            "methods; contact us to lift the hold.",
        )
    return client


async def hold_reason(session: AsyncSession, client: Client) -> str | None:
    """Why the client is on hold; None when it is not."""
    return await session.scalar(
        select(Hold.reason).where(
            Hold.client_id == client.id, Hold.released_at.is_(None)
        )
    )
