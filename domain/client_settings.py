"""One client's effective setting, read inside a domain operation.

``domain.settings`` holds the rules; this reads the account's values and the
client's overrides from the database so an operation can ask one question
("does accepting create the job?") in its own transaction.
"""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.settings import SETTINGS_BY_KEY, SettingOverride, effective_setting
from persistence.models import Account, Client, ClientSettingOverride


async def client_setting(session: AsyncSession, client: Client, key: str) -> Any:
    """The effective value of the setting ``key`` for ``client``."""
    definition = SETTINGS_BY_KEY[key]
    account = await session.get_one(Account, client.account_id)
    row = await session.scalar(
        select(ClientSettingOverride).where(
            ClientSettingOverride.account_id == client.account_id,
            ClientSettingOverride.client_id == client.id,
            ClientSettingOverride.key == key,
        )
    )
    override = None
    if row is not None:
        override = SettingOverride(
            row.key, row.value, row.changed_at, row.changed_by_id
        )
    return effective_setting(definition, account.client_settings, override).value
