"""The seam where business events ask for a notification, and the one rule
that decides whether, and to whom, it goes out.

Design: the notification log entry is what the client (and staff) see; an
``OutboxItem`` beside it is the work of delivering it. ``announce`` writes,
inside the caller's transaction, a queued entry per channel worth trying
(see its docstring) and one outbox item per entry, so the request exists
exactly when the business change commits and never without it. A worker
(``domain.delivery.outbox``) later claims the item, asks ``decide`` whether
the entry may go out *now* (settings or contacts may have changed since),
and marks the entry sent, suppressed with its reason, or failed.
``explain`` answers "would it be sent?" for the staff graph with the same
``decide``: the explanation and the dispatch cannot disagree.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.identity.viewer import Viewer, ViewerKind
from domain.messages import normalise_phone
from domain.problems import refuse
from domain.settings import (
    EffectiveNotificationSetting,
    NotificationOverride,
    SettingSource,
    effective_notification_settings,
)
from persistence.enums import (
    Channel,
    NotificationEvent,
    NotificationStatus,
    NotificationTrigger,
)
from persistence.models import (
    Account,
    Client,
    Contact,
    NotificationLogEntry,
    NotificationPreferenceOverride,
    OutboxItem,
)

SUBJECT_COLUMNS = (
    "invoice_id",
    "estimate_id",
    "task_id",
    "job_id",
    "payment_request_id",
)

# How people name an event's messages: "invoice emails", "task reminder texts".
EVENT_WORDS = {
    NotificationEvent.ESTIMATE_SENT: "estimate",
    NotificationEvent.INVOICE_SENT: "invoice",
    NotificationEvent.PAYMENT_REQUEST: "payment request",
    NotificationEvent.PAYMENT_RECEIPT: "payment receipt",
    NotificationEvent.TASK_SCHEDULED: "task scheduled",
    NotificationEvent.TASK_REMINDER: "task reminder",
    NotificationEvent.TASK_COMPLETED: "task completed",
    NotificationEvent.DOCUMENT_TO_SIGN: "document to sign",
    NotificationEvent.DASHBOARD_INVITATION: "dashboard invitation",
    NotificationEvent.HOLD_PLACED: "account hold",
}
CHANNEL_WORDS = {Channel.EMAIL: "emails", Channel.TEXT: "texts"}


def staff_id_of(viewer: Viewer | None) -> int | None:
    if viewer is not None and viewer.kind is ViewerKind.STAFF:
        return viewer.staff_user_id
    return None


async def queue(session: AsyncSession, entry: NotificationLogEntry) -> None:
    """Add ``entry`` and the outbox item that will deliver it."""
    session.add(entry)
    await session.flush()
    session.add(OutboxItem(account_id=entry.account_id, notification_id=entry.id))
    await session.flush()


async def announce(
    session: AsyncSession,
    viewer: Viewer | None,
    event: NotificationEvent,
    *,
    account_id: int,
    client_id: int,
    manual: bool = False,
    channels: Sequence[Channel] = (),
    **subject: Any,
) -> NotificationLogEntry:
    """Queue ``event`` for the client; returns the first entry (email's).

    Email, the primary channel, is always queued (and may end suppressed).
    A text is queued beside it when texts could go out: the effective text
    setting is on, or the client itself turned it off (the suppressed entry
    then shows the client's choice). A text the account never sends for this
    event is not an attempt and is not logged. ``channels`` names the only
    ones to queue when a person chose them (a payment request "by text").

    ``subject`` links the record it is about (``invoice_id=``,
    ``estimate_id=``, ``task_id=``, ``job_id=``, ``payment_request_id=``) and
    may carry ``context`` for the message (a dict; ``context["note"]`` is shown to the
    client, escaped). ``manual`` marks a notification a person chose to send
    (a "send invoice" click) rather than one the rules sent on their own.
    """
    if not channels:
        facts = await client_facts(session, account_id, client_id)
        channels = [
            channel
            for channel in Channel
            if channel is Channel.EMAIL
            or facts is None
            or is_attempted(facts.setting(event, channel))
        ]
    entries = [
        NotificationLogEntry(
            account_id=account_id,
            client_id=client_id,
            event=event,
            channel=channel,
            trigger=NotificationTrigger.MANUAL
            if manual
            else NotificationTrigger.AUTOMATIC,
            status=NotificationStatus.QUEUED,
            triggered_by_id=staff_id_of(viewer),
            **subject,
        )
        for channel in channels
    ]
    for entry in entries:
        await queue(session, entry)
    return entries[0]


def is_attempted(setting: EffectiveNotificationSetting) -> bool:
    """On, or off by the client's own choice (which the log should show)."""
    return setting.is_enabled or setting.source is SettingSource.CLIENT_OVERRIDE


class ResendProblem(StrEnum):
    ENTRY_NOT_FOUND = "entry_not_found"
    STILL_QUEUED = "still_queued"


async def resend(
    session: AsyncSession, viewer: Viewer, entry: NotificationLogEntry | None
) -> NotificationLogEntry:
    """Queue a copy of a finished entry, linked to it by ``resend_of``.

    The copy is decided afresh: a client who has since turned the
    notification off gets a suppressed entry, not an email.
    """
    if entry is None or entry.account_id != viewer.account_id:
        refuse(ResendProblem.ENTRY_NOT_FOUND, "id", "No such notification.")
    if entry.status == NotificationStatus.QUEUED:
        refuse(
            ResendProblem.STILL_QUEUED,
            "id",
            "This notification has not been sent yet; wait for it.",
        )
    copy = NotificationLogEntry(
        account_id=entry.account_id,
        client_id=entry.client_id,
        event=entry.event,
        channel=entry.channel,
        trigger=NotificationTrigger.MANUAL,
        status=NotificationStatus.QUEUED,
        triggered_by_id=staff_id_of(viewer),
        resend_of_id=entry.id,
        context=entry.context,
        **{column: getattr(entry, column) for column in SUBJECT_COLUMNS},
    )
    await queue(session, copy)
    await record_activity(
        session,
        viewer,
        "notification.resent",
        client_id=entry.client_id,
        subject=copy,
        resend_of=entry.id,
    )
    return copy


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where a client's notifications go: its primary contact."""

    contact_id: int
    name: str
    email: str | None
    phone: str | None
    """In E.164; None when missing or not a phone number."""
    has_text_consent: bool


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether a notification goes out now, to whom, and if not, why."""

    is_sent: bool
    recipient: str | None
    contact_id: int | None
    reason: str | None


def recipient_of(contact: Any) -> Recipient | None:
    if contact is None:
        return None
    return Recipient(
        contact_id=contact.id,
        name=contact.first_name,
        email=contact.email or None,
        phone=normalise_phone(contact.phone),
        has_text_consent=contact.text_consent_at is not None,
    )


def decide(
    setting: EffectiveNotificationSetting,
    contact: Recipient | None,
    *,
    is_archived: bool = False,
) -> Decision:
    """The single rule: the effective setting first, then the destination."""
    event, channel = setting.event, setting.channel
    if not setting.is_enabled:
        if setting.source is SettingSource.CLIENT_OVERRIDE:
            return refused(suppression_reason("turned_off", event, channel), contact)
        return refused(suppression_reason("not_sent", event, channel), contact)
    if is_archived:
        return refused("the client is archived", contact)
    if contact is None:
        return refused("the client has no primary contact", None)
    if channel is Channel.EMAIL:
        if contact.email is None:
            return refused(suppression_reason("no_email", event, channel), contact)
        return Decision(True, contact.email, contact.contact_id, None)
    if contact.phone is None:
        return refused(suppression_reason("no_phone", event, channel), contact)
    if not contact.has_text_consent:
        return refused(suppression_reason("no_consent", event, channel), contact)
    return Decision(True, contact.phone, contact.contact_id, None)


def suppression_reason(cause: str, event: NotificationEvent, channel: Channel) -> str:
    """The log's words for why a message was not sent, as the seed uses them too.

    ``cause``: turned_off (by the client), not_sent (by the account),
    no_email, no_phone, no_consent (to texts).
    """
    words = f"{EVENT_WORDS[event]} {CHANNEL_WORDS[channel]}"
    reasons = {
        "turned_off": f"client turned off {words}",
        "not_sent": f"the account does not send {words}",
        "no_email": "primary contact has no email address",
        "no_phone": "primary contact has no phone",
        "no_consent": "no text consent",
    }
    return reasons[cause]


def refused(reason: str, contact: Recipient | None) -> Decision:
    return Decision(False, None, contact.contact_id if contact else None, reason)


@dataclass(frozen=True, slots=True)
class ClientFacts:
    """What ``decide`` needs to know about one client, read in one place."""

    settings: list[EffectiveNotificationSetting]
    contact: Recipient | None
    is_archived: bool

    def setting(
        self, event: NotificationEvent, channel: Channel
    ) -> EffectiveNotificationSetting:
        return next(
            setting
            for setting in self.settings
            if setting.event is event and setting.channel is channel
        )

    def decide(self, event: NotificationEvent, channel: Channel) -> Decision:
        return decide(
            self.setting(event, channel), self.contact, is_archived=self.is_archived
        )


def override_of(row: NotificationPreferenceOverride) -> NotificationOverride:
    return NotificationOverride(
        event=row.event,
        channel=row.channel,
        is_enabled=row.is_enabled,
        changed_at=row.changed_at,
        changed_by_id=row.changed_by_id,
    )


async def client_facts(
    session: AsyncSession, account_id: int, client_id: int
) -> ClientFacts | None:
    """The client's effective notification settings and primary contact."""
    found = (
        await session.execute(
            select(Client.archived_at, Account.notification_defaults)
            .join(Account, Account.id == Client.account_id)
            .where(Client.id == client_id, Client.account_id == account_id)
        )
    ).first()
    if found is None:
        return None
    overrides = await session.scalars(
        select(NotificationPreferenceOverride).where(
            NotificationPreferenceOverride.client_id == client_id
        )
    )
    contact = await session.scalar(
        select(Contact).where(Contact.client_id == client_id, Contact.is_primary)
    )
    return ClientFacts(
        settings=effective_notification_settings(
            found.notification_defaults, [override_of(row) for row in overrides]
        ),
        contact=recipient_of(contact),
        is_archived=found.archived_at is not None,
    )


async def explain(
    session: AsyncSession,
    account_id: int,
    client_id: int,
    event: NotificationEvent,
    channel: Channel,
) -> Decision | None:
    """What dispatch would decide for this client right now; None: no client."""
    facts = await client_facts(session, account_id, client_id)
    return facts.decide(event, channel) if facts is not None else None
