"""Changing settings: the account's values and defaults, a client's overrides,
notification on/off per event and channel, and the account's email wording.

Every change is validated against the catalogue in ``domain.settings`` and
recorded in the activity record; a refused change leaves nothing behind.
"""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.activity import record_activity
from domain.delivery.templates import EmailSource, template_problems
from domain.identity.viewer import Viewer
from domain.problems import Problem, refuse, refuse_all
from domain.settings import SETTINGS_BY_KEY, SettingDefinition, value_problem
from persistence.enums import Channel, NotificationEvent
from persistence.models import (
    Account,
    Client,
    ClientSettingOverride,
    EmailTemplate,
    NotificationPreferenceOverride,
)

LONGEST_SUBJECT = 500
LONGEST_TEMPLATE = 100_000


class SettingProblem(StrEnum):
    CLIENT_NOT_FOUND = "client_not_found"
    UNKNOWN_SETTING = "unknown_setting"
    NOT_OVERRIDABLE = "not_overridable"
    INVALID_VALUE = "invalid_value"
    TEMPLATE_INVALID = "template_invalid"


def now() -> datetime:
    return datetime.now(UTC)


def definition_of(key: str, *, for_client: bool) -> SettingDefinition:
    definition = SETTINGS_BY_KEY.get(key)
    if definition is None:
        refuse(SettingProblem.UNKNOWN_SETTING, "key", f"No setting is called {key!r}.")
    if for_client and not definition.is_client_overridable:
        refuse(
            SettingProblem.NOT_OVERRIDABLE,
            "key",
            f"The setting {key!r} applies to every client alike.",
        )
    return definition


def check_value(definition: SettingDefinition, value: Any) -> None:
    problem = value_problem(definition, value)
    if problem is not None:
        refuse(SettingProblem.INVALID_VALUE, "value", problem)


async def client_in_account(
    session: AsyncSession, viewer: Viewer, public_id: Any
) -> Client:
    """The viewer's client by public id; another account's is not found."""
    client = None
    if public_id is not None:
        client = await session.scalar(
            select(Client).where(
                Client.public_id == public_id,
                Client.account_id == viewer.account_id,
            )
        )
    if client is None:
        refuse(SettingProblem.CLIENT_NOT_FOUND, "clientId", "No such client.")
    return client


async def set_client_setting(
    session: AsyncSession, viewer: Viewer, client: Client, key: str, value: Any
) -> ClientSettingOverride:
    definition = definition_of(key, for_client=True)
    check_value(definition, value)
    override = await session.scalar(
        select(ClientSettingOverride).where(
            ClientSettingOverride.client_id == client.id,
            ClientSettingOverride.key == key,
        )
    )
    if override is None:
        override = ClientSettingOverride(
            account_id=client.account_id, client_id=client.id, key=key
        )
        session.add(override)
    override.value = value
    override.changed_by_id = viewer.staff_user_id
    override.changed_at = now()
    await session.flush()
    await record_activity(
        session, viewer, "client_setting.set", client_id=client.id, key=key, value=value
    )
    return override


async def clear_client_setting(
    session: AsyncSession, viewer: Viewer, client: Client, key: str
) -> None:
    """Back to the account's value; clearing where there is no override is fine."""
    definition_of(key, for_client=False)
    await session.execute(
        delete(ClientSettingOverride).where(
            ClientSettingOverride.client_id == client.id,
            ClientSettingOverride.key == key,
        )
    )
    await record_activity(
        session, viewer, "client_setting.cleared", client_id=client.id, key=key
    )


async def viewer_account(session: AsyncSession, viewer: Viewer) -> Account:
    return await session.get_one(Account, viewer.account_id)


async def set_account_setting(
    session: AsyncSession, viewer: Viewer, key: str, value: Any
) -> Account:
    """The value every client without an override gets."""
    check_value(definition_of(key, for_client=False), value)
    account = await viewer_account(session, viewer)
    # A new dict: JSON columns notice reassignment, not mutation in place.
    account.client_settings = {**(account.client_settings or {}), key: value}
    await record_activity(
        session, viewer, "account_setting.set", client_id=None, key=key, value=value
    )
    return account


async def clear_account_setting(
    session: AsyncSession, viewer: Viewer, key: str
) -> Account:
    """Back to the built-in default."""
    definition_of(key, for_client=False)
    account = await viewer_account(session, viewer)
    settings = dict(account.client_settings or {})
    settings.pop(key, None)
    account.client_settings = settings
    await record_activity(
        session, viewer, "account_setting.cleared", client_id=None, key=key
    )
    return account


async def set_notification_preference(
    session: AsyncSession,
    viewer: Viewer,
    client: Client,
    event: NotificationEvent,
    channel: Channel,
    is_enabled: bool,
) -> NotificationPreferenceOverride:
    override = await session.scalar(
        select(NotificationPreferenceOverride).where(
            NotificationPreferenceOverride.client_id == client.id,
            NotificationPreferenceOverride.event == event,
            NotificationPreferenceOverride.channel == channel,
        )
    )
    if override is None:
        override = NotificationPreferenceOverride(
            account_id=client.account_id,
            client_id=client.id,
            event=event,
            channel=channel,
        )
        session.add(override)
    override.is_enabled = is_enabled
    override.changed_by_id = viewer.staff_user_id
    override.changed_at = now()
    await session.flush()
    await record_activity(
        session,
        viewer,
        "notification_preference.set",
        client_id=client.id,
        event=event.value,
        channel=channel.value,
        is_enabled=is_enabled,
    )
    return override


async def clear_notification_preference(
    session: AsyncSession,
    viewer: Viewer,
    client: Client,
    event: NotificationEvent,
    channel: Channel,
) -> None:
    await session.execute(
        delete(NotificationPreferenceOverride).where(
            NotificationPreferenceOverride.client_id == client.id,
            NotificationPreferenceOverride.event == event,
            NotificationPreferenceOverride.channel == channel,
        )
    )
    await record_activity(
        session,
        viewer,
        "notification_preference.cleared",
        client_id=client.id,
        event=event.value,
        channel=channel.value,
    )


async def set_notification_default(
    session: AsyncSession,
    viewer: Viewer,
    event: NotificationEvent,
    channel: Channel,
    is_enabled: bool,
) -> Account:
    """The account's on/off for clients that have not chosen."""
    account = await viewer_account(session, viewer)
    defaults = dict(account.notification_defaults or {})
    per_channel = defaults.get(event.value)
    per_channel = dict(per_channel) if isinstance(per_channel, dict) else {}
    per_channel[channel.value] = is_enabled
    defaults[event.value] = per_channel
    account.notification_defaults = defaults
    await record_activity(
        session,
        viewer,
        "notification_default.set",
        client_id=None,
        event=event.value,
        channel=channel.value,
        is_enabled=is_enabled,
    )
    return account


def email_source_problems(source: EmailSource) -> list[Problem]:
    problems = [
        Problem(SettingProblem.TEMPLATE_INVALID, part, message)
        for part, message in template_problems(source).items()
    ]
    if not source.subject.strip() or len(source.subject) > LONGEST_SUBJECT:
        problems.append(
            Problem(
                SettingProblem.TEMPLATE_INVALID,
                "subject",
                f"Write a subject of 1 to {LONGEST_SUBJECT} characters.",
            )
        )
    for part in ("html", "text"):
        if len(getattr(source, part)) > LONGEST_TEMPLATE:
            problems.append(
                Problem(
                    SettingProblem.TEMPLATE_INVALID,
                    part,
                    f"Keep a template under {LONGEST_TEMPLATE:,} characters.",
                )
            )
    return problems


async def set_email_template(
    session: AsyncSession,
    viewer: Viewer,
    event: NotificationEvent,
    source: EmailSource,
) -> EmailTemplate:
    """The account's own wording of one event's email, checked by rendering."""
    refuse_all(email_source_problems(source))
    template = await session.scalar(
        select(EmailTemplate).where(
            EmailTemplate.account_id == viewer.account_id,
            EmailTemplate.event == event,
        )
    )
    if template is None:
        template = EmailTemplate(account_id=viewer.account_id, event=event)
        session.add(template)
    template.subject = source.subject
    template.html = source.html
    template.text = source.text
    template.updated_by_id = viewer.staff_user_id
    template.updated_at = now()
    await session.flush()
    await record_activity(
        session, viewer, "email_template.set", client_id=None, event=event.value
    )
    return template


async def reset_email_template(
    session: AsyncSession, viewer: Viewer, event: NotificationEvent
) -> None:
    """Back to the built-in wording."""
    await session.execute(
        delete(EmailTemplate).where(
            EmailTemplate.account_id == viewer.account_id,
            EmailTemplate.event == event,
        )
    )
    await record_activity(
        session, viewer, "email_template.reset", client_id=None, event=event.value
    )
