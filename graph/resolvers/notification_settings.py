"""Notification settings mutations: a client's on/off per event and channel,
the account's defaults, and the account's email wording; and their reads."""

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.delivery.templates import EmailSource
from domain.notify import client_facts
from domain.permissions import Permission
from domain.setting_changes import (
    clear_notification_preference,
    reset_email_template,
    set_email_template,
    set_notification_default,
    set_notification_preference,
)
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.mutations import MutationInput, perform, user_errors
from graph.resolvers.settings import SettingError, client_of, viewer_account
from graph.types.notifications import (
    AccountNotificationDefault,
    EmailTemplate,
    NotificationSetting,
    notification_defaults,
)
from persistence.enums import Channel, NotificationEvent
from persistence.models import Client
from persistence.models import EmailTemplate as EmailTemplateRow


async def notification_setting_now(
    session: AsyncSession, client: Client, event: NotificationEvent, channel: Channel
) -> NotificationSetting:
    facts = await client_facts(session, client.account_id, client.id)
    assert facts is not None, "the client was found in this transaction"
    return NotificationSetting.from_effective(
        facts.setting(event, channel), facts.decide(event, channel)
    )


@strawberry.input(description="A client's own on/off for one event and channel.")
class SetNotificationPreferenceInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    event: NotificationEvent = strawberry.field(description="The event.")
    channel: Channel = strawberry.field(description="The channel.")
    is_enabled: bool = strawberry.field(description="Send it (true) or not.")


@strawberry.input(description="Which client notification override to remove.")
class ClearNotificationPreferenceInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    event: NotificationEvent = strawberry.field(description="The event.")
    channel: Channel = strawberry.field(description="The channel.")


@strawberry.type(description="The notification setting after the change.")
class SetNotificationPreferencePayload:
    setting: NotificationSetting | None = field(
        description="The setting as it now applies; null when refused.",
        audiences=STAFF_ONLY,
    )
    user_errors: list[SettingError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The notification setting, now the account default.")
class ClearNotificationPreferencePayload:
    setting: NotificationSetting | None = field(
        description="The setting as it now applies; null when refused.",
        audiences=STAFF_ONLY,
    )
    user_errors: list[SettingError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


async def resolve_set_notification_preference(
    info: Info, input: MutationInput[SetNotificationPreferenceInput]
) -> SetNotificationPreferencePayload:
    async def work(session: AsyncSession) -> NotificationSetting:
        client = await client_of(session, info, input.client_id)
        viewer = info.context.signed_in_viewer
        await set_notification_preference(
            session, viewer, client, input.event, input.channel, input.is_enabled
        )
        return await notification_setting_now(
            session, client, input.event, input.channel
        )

    outcome = await perform(info, work)
    return SetNotificationPreferencePayload(
        setting=outcome.result, user_errors=user_errors(SettingError, outcome.problems)
    )


async def resolve_clear_notification_preference(
    info: Info, input: MutationInput[ClearNotificationPreferenceInput]
) -> ClearNotificationPreferencePayload:
    async def work(session: AsyncSession) -> NotificationSetting:
        client = await client_of(session, info, input.client_id)
        viewer = info.context.signed_in_viewer
        await clear_notification_preference(
            session, viewer, client, input.event, input.channel
        )
        return await notification_setting_now(
            session, client, input.event, input.channel
        )

    outcome = await perform(info, work)
    return ClearNotificationPreferencePayload(
        setting=outcome.result, user_errors=user_errors(SettingError, outcome.problems)
    )


@strawberry.input(description="The account's on/off for one event and channel.")
class SetNotificationDefaultInput:
    event: NotificationEvent = strawberry.field(description="The event.")
    channel: Channel = strawberry.field(description="The channel.")
    is_enabled: bool = strawberry.field(description="Send it (true) or not.")


@strawberry.type(description="The account's default after the change.")
class SetNotificationDefaultPayload:
    default: AccountNotificationDefault | None = field(
        description="The default; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[SettingError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


async def resolve_set_notification_default(
    info: Info, input: MutationInput[SetNotificationDefaultInput]
) -> SetNotificationDefaultPayload:
    async def work(session: AsyncSession) -> AccountNotificationDefault:
        viewer = info.context.signed_in_viewer
        account = await set_notification_default(
            session, viewer, input.event, input.channel, input.is_enabled
        )
        return next(
            default
            for default in notification_defaults(account)
            if default.event is input.event and default.channel is input.channel
        )

    outcome = await perform(info, work)
    return SetNotificationDefaultPayload(
        default=outcome.result, user_errors=user_errors(SettingError, outcome.problems)
    )


@strawberry.input(description="The account's own wording of one event's email.")
class SetEmailTemplateInput:
    event: NotificationEvent = strawberry.field(description="The event.")
    subject: str = strawberry.field(
        description="Subject template, 1 to 500 characters, e.g. "
        '"Invoice {{ invoice.number }} from {{ business }}".'
    )
    html: str = strawberry.field(
        description="HTML body template; every value is escaped."
    )
    text: str = strawberry.field(description="Plain-text body template.")


@strawberry.input(description="Which event's email returns to the built-in wording.")
class ResetEmailTemplateInput:
    event: NotificationEvent = strawberry.field(description="The event.")


@strawberry.type(description="The email template after the change.")
class SetEmailTemplatePayload:
    template: EmailTemplate | None = field(
        description="The template; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[SettingError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The email template, back to the built-in wording.")
class ResetEmailTemplatePayload:
    template: EmailTemplate | None = field(
        description="The built-in template.", audiences=STAFF_ONLY
    )
    user_errors: list[SettingError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


async def resolve_set_email_template(
    info: Info, input: MutationInput[SetEmailTemplateInput]
) -> SetEmailTemplatePayload:
    source = EmailSource(input.subject, input.html, input.text)

    async def work(session: AsyncSession) -> EmailTemplate:
        viewer = info.context.signed_in_viewer
        row = await set_email_template(session, viewer, input.event, source)
        return EmailTemplate.of(input.event, row)

    outcome = await perform(info, work)
    return SetEmailTemplatePayload(
        template=outcome.result,
        user_errors=user_errors(SettingError, outcome.problems),
    )


async def resolve_reset_email_template(
    info: Info, input: MutationInput[ResetEmailTemplateInput]
) -> ResetEmailTemplatePayload:
    async def work(session: AsyncSession) -> EmailTemplate:
        await reset_email_template(session, info.context.signed_in_viewer, input.event)
        return EmailTemplate.of(input.event, None)

    outcome = await perform(info, work)
    return ResetEmailTemplatePayload(
        template=outcome.result,
        user_errors=user_errors(SettingError, outcome.problems),
    )


async def resolve_notification_defaults(
    info: Info,
) -> list[AccountNotificationDefault]:
    return notification_defaults(await viewer_account(info))


async def resolve_email_templates(info: Info) -> list[EmailTemplate]:
    account_id = info.context.account_id

    async def fetch(session: AsyncSession) -> list[EmailTemplate]:
        rows = await session.scalars(
            select(EmailTemplateRow).where(EmailTemplateRow.account_id == account_id)
        )
        by_event = {row.event: row for row in rows}
        return [
            EmailTemplate.of(event, by_event.get(event)) for event in NotificationEvent
        ]

    return await info.context.db.run(fetch)


@strawberry.type(description="The account's notification settings.")
class NotificationSettingsQueries:
    notification_defaults: list[AccountNotificationDefault] | None = field(
        resolve_notification_defaults,
        description="The account's on/off per notification event and channel.",
        audiences=STAFF_ONLY,
        permission=Permission.SETTINGS_READ,
    )
    email_templates: list[EmailTemplate] | None = field(
        resolve_email_templates,
        description="Each event's email wording: the account's own or the "
        "built-in one.",
        audiences=STAFF_ONLY,
        permission=Permission.SETTINGS_READ,
    )


@strawberry.type(description="Changing notification settings.")
class NotificationSettingsMutations:
    set_notification_preference: SetNotificationPreferencePayload | None = field(
        resolve_set_notification_preference,
        description="Turn one event's notifications on one channel on or off for "
        "one client. Needs settings:write.",
        audiences=STAFF_ONLY,
        permission=Permission.SETTINGS_WRITE,
    )
    clear_notification_preference: ClearNotificationPreferencePayload | None = field(
        resolve_clear_notification_preference,
        description="Remove a client's notification override: the account default "
        "applies again. Needs settings:write.",
        audiences=STAFF_ONLY,
        permission=Permission.SETTINGS_WRITE,
    )
    set_notification_default: SetNotificationDefaultPayload | None = field(
        resolve_set_notification_default,
        description="Set the account's on/off for one event and channel, for "
        "every client without an override. Needs settings:write.",
        audiences=STAFF_ONLY,
        permission=Permission.SETTINGS_WRITE,
    )
    set_email_template: SetEmailTemplatePayload | None = field(
        resolve_set_email_template,
        description="Save the account's own wording of one event's email; each "
        "part must render. Needs settings:write.",
        audiences=STAFF_ONLY,
        permission=Permission.SETTINGS_WRITE,
    )
    reset_email_template: ResetEmailTemplatePayload | None = field(
        resolve_reset_email_template,
        description="Return one event's email to the built-in wording. Needs "
        "settings:write.",
        audiences=STAFF_ONLY,
        permission=Permission.SETTINGS_WRITE,
    )
