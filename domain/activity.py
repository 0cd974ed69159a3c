"""The activity record: every change says who made it, to what, and how."""

import re
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.viewer import Viewer, ViewerKind
from persistence.enums import ActorKind
from persistence.models import ActivityRecord

ACTOR_KINDS = {
    ViewerKind.STAFF: ActorKind.STAFF,
    ViewerKind.DASHBOARD: ActorKind.CLIENT,
    ViewerKind.STAFF_PREVIEW: ActorKind.STAFF,
    ViewerKind.PARTNER: ActorKind.PARTNER,
}


def actor_of(viewer: Viewer | None) -> tuple[ActorKind, int | None]:
    """The actor kind and id a viewer is recorded as; no viewer is the system."""
    if viewer is None:
        return ActorKind.SYSTEM, None
    kind = ACTOR_KINDS[viewer.kind]
    if kind is ActorKind.STAFF:
        return kind, viewer.staff_user_id
    if kind is ActorKind.PARTNER:
        return kind, viewer.api_key_id
    return kind, viewer.contact_id


def subject_type(subject: Any) -> str:
    """``PaymentRequest`` rows are recorded as ``payment_request``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(subject).__name__).lower()


async def record_activity(
    session: AsyncSession,
    viewer: Viewer | None,
    action: str,
    *,
    client_id: int | None,
    subject: Any = None,
    **detail: Any,
) -> ActivityRecord:
    """Append who did ``action`` (``invoice.voided``) to ``subject``, a row.

    ``viewer`` None records the system (scheduled runs, automatic rules).
    The record joins the caller's transaction: it commits with the change.
    """
    if subject is not None and subject.id is None:
        await session.flush()
    account_id = viewer.account_id if viewer is not None else subject.account_id
    actor_kind, actor_id = actor_of(viewer)
    entry = ActivityRecord(
        account_id=account_id,
        client_id=client_id,
        actor_kind=actor_kind,
        actor_id=actor_id,
        action=action,
        subject_type=subject_type(subject) if subject is not None else None,
        subject_id=subject.id if subject is not None else None,
        detail=detail,
    )
    session.add(entry)
    return entry
