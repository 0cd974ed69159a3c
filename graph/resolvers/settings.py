"""Client settings mutations: a client's overrides and the account's own
values; and their read. Notification settings are in
``notification_settings``."""

import uuid
from typing import Any

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.scalars import JSON

from domain.permissions import Permission
from domain.setting_changes import (
    SettingProblem,
    clear_account_setting,
    clear_client_setting,
    client_in_account,
    set_account_setting,
    set_client_setting,
)
from domain.settings import SETTINGS_BY_KEY, effective_setting
from graph.context import Info
from graph.fields import STAFF_ONLY, field
from graph.ids import InvalidGlobalId, decode_global_id
from graph.mutations import MutationInput, UserError, perform, user_errors
from graph.types.settings import (
    AccountSetting,
    ClientSetting,
    account_settings,
    setting_override,
)
from persistence.models import Account, Client, ClientSettingOverride

strawberry.enum(
    SettingProblem,
    name="SettingErrorCode",
    description="Why a settings change was refused: CLIENT_NOT_FOUND, "
    "UNKNOWN_SETTING (not in the catalogue), NOT_OVERRIDABLE (the setting is "
    "the account's alone), INVALID_VALUE (wrong type or not an allowed value), "
    "TEMPLATE_INVALID (a template part does not render).",
)


@strawberry.type(description="A reason a settings change was refused.")
class SettingError(UserError):
    code: SettingProblem = field(description="What went wrong.", audiences=STAFF_ONLY)


def client_public_id(global_id: str) -> uuid.UUID | None:
    """The client's public UUID, or None for an ID that names no client."""
    try:
        type_name, public_id = decode_global_id(global_id)
    except InvalidGlobalId:
        return None
    return public_id if type_name == "Client" else None


async def client_of(session: AsyncSession, info: Info, global_id: str) -> Client:
    return await client_in_account(
        session, info.context.signed_in_viewer, client_public_id(global_id)
    )


async def client_setting_now(
    session: AsyncSession, client: Client, key: str
) -> ClientSetting:
    account = await session.get_one(Account, client.account_id)
    override = await session.scalar(
        select(ClientSettingOverride).where(
            ClientSettingOverride.client_id == client.id,
            ClientSettingOverride.key == key,
        )
    )
    effective = effective_setting(
        SETTINGS_BY_KEY[key],
        account.client_settings,
        setting_override(override) if override is not None else None,
    )
    return ClientSetting.from_effective(effective)


@strawberry.input(description="A client's own value for one client setting.")
class SetClientSettingInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    key: str = strawberry.field(description='The setting\'s key, e.g. "tax_exempt".')
    value: JSON | None = strawberry.field(
        description="The value, of the setting's type (boolean, whole number or "
        "one of its words); null only where the setting allows none."
    )


@strawberry.type(description="The client setting after the change.")
class SetClientSettingPayload:
    setting: ClientSetting | None = field(
        description="The setting as it now applies; null when refused.",
        audiences=STAFF_ONLY,
    )
    user_errors: list[SettingError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.input(description="Which client override to remove.")
class ClearClientSettingInput:
    client_id: strawberry.ID = strawberry.field(description="The client's ID.")
    key: str = strawberry.field(description="The setting's key.")


@strawberry.type(description="The client setting after the override went.")
class ClearClientSettingPayload:
    setting: ClientSetting | None = field(
        description="The setting, now the account's value; null when refused.",
        audiences=STAFF_ONLY,
    )
    user_errors: list[SettingError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


async def resolve_set_client_setting(
    info: Info, input: MutationInput[SetClientSettingInput]
) -> SetClientSettingPayload:
    async def work(session: AsyncSession) -> ClientSetting:
        client = await client_of(session, info, input.client_id)
        viewer = info.context.signed_in_viewer
        await set_client_setting(session, viewer, client, input.key, input.value)
        return await client_setting_now(session, client, input.key)

    outcome = await perform(info, work)
    return SetClientSettingPayload(
        setting=outcome.result, user_errors=user_errors(SettingError, outcome.problems)
    )


async def resolve_clear_client_setting(
    info: Info, input: MutationInput[ClearClientSettingInput]
) -> ClearClientSettingPayload:
    async def work(session: AsyncSession) -> ClientSetting:
        client = await client_of(session, info, input.client_id)
        viewer = info.context.signed_in_viewer
        await clear_client_setting(session, viewer, client, input.key)
        return await client_setting_now(session, client, input.key)

    outcome = await perform(info, work)
    return ClearClientSettingPayload(
        setting=outcome.result, user_errors=user_errors(SettingError, outcome.problems)
    )


@strawberry.input(description="The account's own value for one client setting.")
class SetAccountSettingInput:
    key: str = strawberry.field(description="The setting's key.")
    value: JSON | None = strawberry.field(
        description="The value, of the setting's type; null only where the "
        "setting allows none."
    )


@strawberry.input(description="Which account value to return to the default.")
class ClearAccountSettingInput:
    key: str = strawberry.field(description="The setting's key.")


@strawberry.type(description="The account setting after the change.")
class SetAccountSettingPayload:
    setting: AccountSetting | None = field(
        description="The setting; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[SettingError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


@strawberry.type(description="The account setting, back at its default.")
class ClearAccountSettingPayload:
    setting: AccountSetting | None = field(
        description="The setting; null when refused.", audiences=STAFF_ONLY
    )
    user_errors: list[SettingError] = field(
        description="Problems with the input; empty on success.", audiences=STAFF_ONLY
    )


def the_setting(account: Account, key: str) -> AccountSetting:
    return AccountSetting.of(account, SETTINGS_BY_KEY[key])


async def resolve_set_account_setting(
    info: Info, input: MutationInput[SetAccountSettingInput]
) -> SetAccountSettingPayload:
    async def work(session: AsyncSession) -> AccountSetting:
        viewer = info.context.signed_in_viewer
        account = await set_account_setting(session, viewer, input.key, input.value)
        return the_setting(account, input.key)

    outcome = await perform(info, work)
    return SetAccountSettingPayload(
        setting=outcome.result, user_errors=user_errors(SettingError, outcome.problems)
    )


async def resolve_clear_account_setting(
    info: Info, input: MutationInput[ClearAccountSettingInput]
) -> ClearAccountSettingPayload:
    async def work(session: AsyncSession) -> AccountSetting:
        viewer = info.context.signed_in_viewer
        account = await clear_account_setting(session, viewer, input.key)
        return the_setting(account, input.key)

    outcome = await perform(info, work)
    return ClearAccountSettingPayload(
        setting=outcome.result, user_errors=user_errors(SettingError, outcome.problems)
    )


async def viewer_account(info: Info) -> Any:
    account_id = info.context.account_id
    return await info.context.db.run(
        lambda session: session.get_one(Account, account_id)
    )


async def resolve_account_settings(info: Info) -> list[AccountSetting]:
    return account_settings(await viewer_account(info))


@strawberry.type(description="The account's settings.")
class SettingsQueries:
    account_settings: list[AccountSetting] | None = field(
        resolve_account_settings,
        description="The account's client settings: its values for every client "
        "without an override, in catalogue order.",
        audiences=STAFF_ONLY,
        permission=Permission.SETTINGS_READ,
    )


@strawberry.type(description="Changing settings.")
class SettingsMutations:
    set_client_setting: SetClientSettingPayload | None = field(
        resolve_set_client_setting,
        description="Give a client its own value for a client setting (one the "
        "catalogue lets clients override). Needs settings:write.",
        audiences=STAFF_ONLY,
        permission=Permission.SETTINGS_WRITE,
    )
    clear_client_setting: ClearClientSettingPayload | None = field(
        resolve_clear_client_setting,
        description="Remove a client's override: the account's value applies "
        "again. Needs settings:write.",
        audiences=STAFF_ONLY,
        permission=Permission.SETTINGS_WRITE,
    )
    set_account_setting: SetAccountSettingPayload | None = field(
        resolve_set_account_setting,
        description="Set the account's value of a client setting for every client "
        "without an override. Needs settings:write.",
        audiences=STAFF_ONLY,
        permission=Permission.SETTINGS_WRITE,
    )
    clear_account_setting: ClearAccountSettingPayload | None = field(
        resolve_clear_account_setting,
        description="Return an account setting to its built-in default. Needs "
        "settings:write.",
        audiences=STAFF_ONLY,
        permission=Permission.SETTINGS_WRITE,
    )
