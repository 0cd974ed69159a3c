"""Partner API keys: issued by an account admin, shown once, revocable."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.secrets import digest, new_secret
from domain.identity.tokens import API_KEY_PREFIX
from domain.permissions import Permission
from persistence.models import ApiKey

PREFIX_SHOWN = 12


@dataclass(frozen=True, slots=True)
class IssuedApiKey:
    key: str
    row: ApiKey


async def create_api_key(
    session: AsyncSession,
    account_id: int,
    name: str,
    scopes: frozenset[Permission],
    now: datetime,
    created_by_id: int | None = None,
) -> IssuedApiKey:
    key = new_secret(API_KEY_PREFIX)
    row = ApiKey(
        account_id=account_id,
        name=name.strip(),
        prefix=key[:PREFIX_SHOWN],
        key_digest=digest(key),
        scopes=sorted(scopes),
        created_by_id=created_by_id,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return IssuedApiKey(key=key, row=row)


async def revoke_api_key(
    session: AsyncSession, account_id: int, key_id: int, now: datetime
) -> bool:
    """Revoke the account's key; False when there is no such unrevoked key."""
    result = await session.execute(
        update(ApiKey)
        .where(
            ApiKey.id == key_id,
            ApiKey.account_id == account_id,
            ApiKey.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    return cast(CursorResult[Any], result).rowcount == 1
