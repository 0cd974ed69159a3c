"""The seam where business events ask for a notification.

An operation that should tell the client something (an invoice was sent, a
payment received) calls ``announce`` inside its own transaction, so the
request is recorded exactly when the change commits. The entry starts
queued; who receives it, on which channels, and whether the client's
settings suppress it, is decided when it is dispatched.
"""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.viewer import Viewer, ViewerKind
from persistence.enums import (
    Channel,
    NotificationEvent,
    NotificationStatus,
    NotificationTrigger,
)
from persistence.models import NotificationLogEntry


async def announce(
    session: AsyncSession,
    viewer: Viewer | None,
    event: NotificationEvent,
    *,
    account_id: int,
    client_id: int,
    manual: bool = False,
    **subject: Any,
) -> NotificationLogEntry:
    """Queue ``event`` for the client; ``subject`` links the record it is
    about (``invoice_id=``, ``estimate_id=``, ``task_id=``,
    ``payment_request_id=``) and may carry ``context`` for the message.

    ``manual`` marks a notification a person chose to send (a "send invoice"
    click) rather than one the rules sent on their own.
    """
    staff_user_id = None
    if viewer is not None and viewer.kind is ViewerKind.STAFF:
        staff_user_id = viewer.staff_user_id
    entry = NotificationLogEntry(
        account_id=account_id,
        client_id=client_id,
        event=event,
        channel=Channel.EMAIL,
        trigger=NotificationTrigger.MANUAL if manual else NotificationTrigger.AUTOMATIC,
        status=NotificationStatus.QUEUED,
        triggered_by_id=staff_user_id,
        **subject,
    )
    session.add(entry)
    await session.flush()
    return entry
