"""Communication with the client: the text conversation, the notification log,
and the effective notification settings per event and channel."""

from datetime import datetime
from typing import Any, Optional, Self

import strawberry

from domain.delivery.templates import EmailSource, default_email
from domain.notify import Decision, decide, explain, recipient_of
from domain.settings import (
    EffectiveNotificationSetting,
    NotificationOverride,
    account_notification_default,
    default_notification_setting,
    effective_notification_settings,
)
from graph.context import Info
from graph.fields import EVERYONE, STAFF_ONLY, field
from graph.ids import encode_global_id
from graph.loaders import Reference, grouped_loader, load_reference, row_loader
from graph.nodes import Node
from graph.permissions import MESSAGES_READ, NOTIFICATIONS_READ
from graph.types.people import Contact
from graph.types.scalars import Channel
from graph.types.settings import SettingSource
from graph.types.staff import StaffMember
from persistence.enums import (
    MessageDirection,
    MessageStatus,
    NotificationEvent,
    NotificationStatus,
    NotificationTrigger,
)
from persistence.models import Account, Client
from persistence.models import Contact as ContactRow
from persistence.queries.clients import primary_contacts
from persistence.queries.records import (
    notification_log,
    notification_overrides_of_clients,
)

# The stored vocabularies become GraphQL enums: strawberry marks the classes
# themselves, so fields are annotated with them directly.
strawberry.enum(
    MessageDirection,
    description="INBOUND (from the client) or OUTBOUND (from the team).",
)
strawberry.enum(
    MessageStatus,
    description="QUEUED, SENT, DELIVERED or FAILED for outbound texts; RECEIVED "
    "for inbound ones.",
)
strawberry.enum(
    NotificationEvent,
    description="What happened that the client may be told about.",
)
strawberry.enum(
    NotificationTrigger,
    description="AUTOMATIC (sent by a rule) or MANUAL (sent by a staff user).",
)
strawberry.enum(
    NotificationStatus,
    description="Delivery state: QUEUED, SENT, DELIVERED, FAILED (bounced or "
    "refused) or SUPPRESSED (not sent, see `suppressionReason`).",
)


@strawberry.type(description="One text message between the team and the client.")
class Message(Node):
    contact_id: strawberry.Private[int | None]
    sent_by_id: strawberry.Private[int | None]
    id: strawberry.ID = field(
        description="Global ID of the message.", permission=MESSAGES_READ
    )
    direction: MessageDirection = field(
        description="INBOUND or OUTBOUND.", permission=MESSAGES_READ
    )
    status: MessageStatus = field(
        description="Delivery state.", permission=MESSAGES_READ
    )
    body: str = field(description="The text.", permission=MESSAGES_READ)
    from_number: str = field(
        description="The sending number, E.164.", permission=MESSAGES_READ
    )
    to_number: str = field(
        description="The receiving number, E.164.", permission=MESSAGES_READ
    )
    created_at: datetime = field(
        description="When it was sent or received.", permission=MESSAGES_READ
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            contact_id=row.contact_id,
            sent_by_id=row.sent_by_id,
            id=strawberry.ID(encode_global_id("Message", row.public_id)),
            direction=MessageDirection(row.direction),
            status=MessageStatus(row.status),
            body=row.body,
            from_number=row.from_number,
            to_number=row.to_number,
            created_at=row.created_at,
        )

    @field(
        description="The client's contact on the other end; null when unknown.",
        permission=MESSAGES_READ,
    )
    async def contact(self, info: Info) -> Contact | None:
        if self.contact_id is None:
            return None
        loader = row_loader(info.context, ContactRow.__table__, "id")
        row = await loader.load(self.contact_id)
        return Contact.from_row(row) if row is not None else None

    @field(
        description="The staff user who sent it; null for inbound or automatic texts.",
        permission=MESSAGES_READ,
        graphql_type=StaffMember | None,
    )
    def sent_by(self, info: Info) -> Reference[StaffMember]:
        return StaffMember.load(info, self.sent_by_id)


@strawberry.type(description="One email or text sent (or not sent) to the client.")
class NotificationLogEntry(Node):
    resend_of_id: strawberry.Private[int | None]
    triggered_by_id: strawberry.Private[int | None]
    id: strawberry.ID = field(
        description="Global ID of the entry.", permission=NOTIFICATIONS_READ
    )
    event: NotificationEvent = field(
        description="The event that caused the notification.",
        permission=NOTIFICATIONS_READ,
    )
    channel: Channel = field(
        description="EMAIL or TEXT.", permission=NOTIFICATIONS_READ
    )
    trigger: NotificationTrigger = field(
        description="Sent by a rule (AUTOMATIC) or by a staff user (MANUAL).",
        permission=NOTIFICATIONS_READ,
    )
    status: NotificationStatus = field(
        description="Delivery state.", permission=NOTIFICATIONS_READ
    )
    recipient: str | None = field(
        description="The email address or phone number it went to.",
        permission=NOTIFICATIONS_READ,
    )
    subject: str | None = field(
        description="Email subject, or the first words of a text.",
        permission=NOTIFICATIONS_READ,
    )
    suppression_reason: str | None = field(
        description='Why it was not sent, e.g. "the client turned off invoice '
        'emails"; set only when SUPPRESSED.',
        permission=NOTIFICATIONS_READ,
    )
    error: str | None = field(
        description="The last delivery error: while QUEUED, why the last try "
        "failed (it is tried again later); when FAILED, why it gave up.",
        permission=NOTIFICATIONS_READ,
    )
    sent_at: datetime | None = field(
        description="When the provider accepted it.", permission=NOTIFICATIONS_READ
    )
    delivered_at: datetime | None = field(
        description="When the provider reported delivery.",
        permission=NOTIFICATIONS_READ,
    )
    created_at: datetime = field(
        description="When it was queued.", permission=NOTIFICATIONS_READ
    )

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            resend_of_id=row.resend_of_id,
            triggered_by_id=row.triggered_by_id,
            id=strawberry.ID(encode_global_id("NotificationLogEntry", row.public_id)),
            event=NotificationEvent(row.event),
            channel=Channel(row.channel),
            trigger=NotificationTrigger(row.trigger),
            status=NotificationStatus(row.status),
            recipient=row.recipient,
            subject=row.subject,
            suppression_reason=row.suppression_reason,
            error=row.error,
            sent_at=row.sent_at,
            delivered_at=row.delivered_at,
            created_at=row.created_at,
        )

    @field(
        description="The entry this one re-sent; null for an original.",
        permission=NOTIFICATIONS_READ,
        graphql_type=Optional["NotificationLogEntry"],
    )
    def resend_of(self, info: Info) -> Reference["NotificationLogEntry"]:
        loader = row_loader(info.context, notification_log, "id")
        return load_reference(loader, self.resend_of_id, NotificationLogEntry.from_row)

    @field(
        description="The staff user who sent or re-sent it; null when AUTOMATIC.",
        permission=NOTIFICATIONS_READ,
        graphql_type=StaffMember | None,
    )
    def triggered_by(self, info: Info) -> Reference[StaffMember]:
        return StaffMember.load(info, self.triggered_by_id)


@strawberry.type(
    description="Whether the client receives one event's notifications on one "
    "channel, and why."
)
class NotificationSetting:
    changed_by_id: strawberry.Private[int | None]
    event: NotificationEvent = field(
        description="The event.", audiences=EVERYONE, permission=NOTIFICATIONS_READ
    )
    channel: Channel = field(
        description="The channel.", audiences=EVERYONE, permission=NOTIFICATIONS_READ
    )
    is_enabled: bool = field(
        description="The effective value: the client's override if it has one, "
        "else the account default.",
        audiences=EVERYONE,
        permission=NOTIFICATIONS_READ,
    )
    source: SettingSource = field(
        description="Where `isEnabled` comes from.",
        audiences=EVERYONE,
        permission=NOTIFICATIONS_READ,
    )
    account_default: bool = field(
        description="What the account sends every client that has not chosen.",
        audiences=EVERYONE,
        permission=NOTIFICATIONS_READ,
    )
    changed_at: datetime | None = field(
        description="When the client's override was last changed; null without one.",
        permission=NOTIFICATIONS_READ,
    )
    suppression_reason: str | None = field(
        description="Why this event's notification would not go out on this "
        'channel now: the setting itself ("client turned off invoice emails") '
        'or the destination ("no text consent", "primary contact has no '
        'phone"); null when it would be sent.',
        audiences=EVERYONE,
        permission=NOTIFICATIONS_READ,
    )

    @classmethod
    def from_effective(
        cls, setting: EffectiveNotificationSetting, decision: Decision | None = None
    ) -> Self:
        override = setting.override
        return cls(
            changed_by_id=override.changed_by_id if override else None,
            event=setting.event,
            channel=setting.channel,
            is_enabled=setting.is_enabled,
            source=setting.source,
            account_default=setting.account_default,
            changed_at=override.changed_at if override else None,
            suppression_reason=decision.reason if decision else None,
        )

    @field(
        description="The staff user who set the override; null when the client "
        "chose it from its dashboard, or without an override.",
        permission=NOTIFICATIONS_READ,
        graphql_type=StaffMember | None,
    )
    def changed_by(self, info: Info) -> Reference[StaffMember]:
        return StaffMember.load(info, self.changed_by_id)


def notification_override(row: Any) -> NotificationOverride:
    return NotificationOverride(
        event=row.event,
        channel=row.channel,
        is_enabled=row.is_enabled,
        changed_at=row.changed_at,
        changed_by_id=row.changed_by_id,
    )


async def notification_settings_of(
    info: Info, client_id: int
) -> list[NotificationSetting]:
    """Every event × channel for one client; batched across clients."""
    account_loader = row_loader(info.context, Account.__table__, "id")
    account = await account_loader.load(info.context.account_id)
    overrides_loader = grouped_loader(
        info.context, notification_overrides_of_clients, []
    )
    rows = await overrides_loader.load(client_id)

    contact = await grouped_loader(info.context, primary_contacts).load(client_id)
    client = await row_loader(info.context, Client.__table__, "id").load(client_id)

    defaults = account.notification_defaults if account is not None else None
    settings = effective_notification_settings(
        defaults, [notification_override(row) for row in rows]
    )
    # The dispatcher's own rule, so the settings never promise what it refuses.
    recipient = recipient_of(contact)
    is_archived = client is not None and client.archived_at is not None
    return [
        NotificationSetting.from_effective(
            setting, decide(setting, recipient, is_archived=is_archived)
        )
        for setting in settings
    ]


@strawberry.type(
    description="Whether one event's notification would go out to the client on "
    "one channel right now, to whom, and if not, why. The same rule decides "
    "when the notification is dispatched."
)
class NotificationExplanation:
    contact_id: strawberry.Private[int | None]
    event: NotificationEvent = field(
        description="The event asked about.", permission=NOTIFICATIONS_READ
    )
    channel: Channel = field(
        description="The channel asked about.", permission=NOTIFICATIONS_READ
    )
    would_send: bool = field(
        description="It would be sent now.", permission=NOTIFICATIONS_READ
    )
    recipient: str | None = field(
        description="The email address or phone number it would go to; null when "
        "it would not be sent.",
        permission=NOTIFICATIONS_READ,
    )
    reason: str | None = field(
        description='Why it would not be sent, e.g. "client turned off invoice '
        'emails"; null when it would.',
        permission=NOTIFICATIONS_READ,
    )

    @field(
        description="The contact it would go to (the primary contact); null when "
        "the client has none.",
        permission=NOTIFICATIONS_READ,
    )
    async def contact(self, info: Info) -> Contact | None:
        if self.contact_id is None:
            return None
        row = await row_loader(info.context, ContactRow.__table__, "id").load(
            self.contact_id
        )
        return Contact.from_row(row) if row is not None else None


async def explain_notification(
    info: Info, client_id: int, event: NotificationEvent, channel: Channel
) -> NotificationExplanation | None:
    account_id = info.context.account_id
    decision = await info.context.db.run(
        lambda session: explain(session, account_id, client_id, event, channel)
    )
    if decision is None:
        return None
    return NotificationExplanation(
        contact_id=decision.contact_id,
        event=event,
        channel=channel,
        would_send=decision.is_sent,
        recipient=decision.recipient,
        reason=decision.reason,
    )


@strawberry.type(
    description="Whether the account sends one event's notifications on one "
    "channel to clients that have not chosen."
)
class AccountNotificationDefault:
    event: NotificationEvent = field(description="The event.", audiences=STAFF_ONLY)
    channel: Channel = field(description="The channel.", audiences=STAFF_ONLY)
    is_enabled: bool = field(
        description="The account's default: its own choice, else the built-in one.",
        audiences=STAFF_ONLY,
    )
    built_in: bool = field(
        description="The built-in default (email on; texts on only for task "
        "scheduled, task reminder and payment request).",
        audiences=STAFF_ONLY,
    )


def notification_defaults(account: Any) -> list[AccountNotificationDefault]:
    defaults = account.notification_defaults
    return [
        AccountNotificationDefault(
            event=event,
            channel=channel,
            is_enabled=account_notification_default(defaults, event, channel),
            built_in=default_notification_setting(event, channel),
        )
        for event in NotificationEvent
        for channel in Channel
    ]


@strawberry.type(
    description="The wording of one event's email: jinja2 source for the "
    "subject, HTML and plain text, sandboxed; HTML is autoescaped."
)
class EmailTemplate:
    updated_by_id: strawberry.Private[int | None]
    event: NotificationEvent = field(description="The event.", audiences=STAFF_ONLY)
    subject: str = field(description="Subject template.", audiences=STAFF_ONLY)
    html: str = field(description="HTML body template.", audiences=STAFF_ONLY)
    text: str = field(description="Plain-text body template.", audiences=STAFF_ONLY)
    is_customized: bool = field(
        description="The account's own wording; false: the built-in one.",
        audiences=STAFF_ONLY,
    )
    updated_at: datetime | None = field(
        description="When the account's wording was last saved.",
        audiences=STAFF_ONLY,
    )

    @classmethod
    def of(cls, event: NotificationEvent, row: Any | None) -> Self:
        source = (
            EmailSource(row.subject, row.html, row.text)
            if row is not None
            else default_email(event)
        )
        return cls(
            updated_by_id=row.updated_by_id if row is not None else None,
            event=event,
            subject=source.subject,
            html=source.html,
            text=source.text,
            is_customized=row is not None,
            updated_at=row.updated_at if row is not None else None,
        )

    @field(
        description="The staff user who saved it; null for the built-in wording.",
        audiences=STAFF_ONLY,
        graphql_type=StaffMember | None,
    )
    def updated_by(self, info: Info) -> Reference[StaffMember]:
        return StaffMember.load(info, self.updated_by_id)
